"""Unit tests of the sandboxed grader (autograder/grader/): wire format, judge proxies, repairs, flags.

The end-to-end behaviour (nbgrader, hostile submissions, parallel runs) is tested in
tests/grading/; here each part is checked on small inputs, including a tiny lab run through the
broker, so a failure points at the part that broke.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from course import REPO

sys.path.insert(0, str(REPO / "autograder" / "grader"))
import codec  # noqa: E402
import plan  # noqa: E402
import repair  # noqa: E402
import runner  # noqa: E402
import sandbox  # noqa: E402

torch = pytest.importorskip("torch")


# --------------------------------------------------------------------------- codec


def _roundtrip(value, **kwargs):
    tree, blobs = codec.encode(value, **kwargs)
    return codec.decode(tree, [memoryview(b) for b in blobs])


@pytest.mark.parametrize("value", [
    None, True, 3, -2**70, 2.5, float("inf"), "text", b"bytes", 1 + 2j, (1, "a", None), [1, [2, [3]]],
    {"a": 1, 2: (3,)}, {1, 2}, frozenset({"x"}), range(2, 9, 3), slice(1, None, 2),
])
def test_codec_round_trips_plain_values(value):
    assert _roundtrip(value) == value and type(_roundtrip(value)) is type(value)


def test_codec_round_trips_arrays_frames_tensors_and_generators():
    array = np.arange(12, dtype=np.float32).reshape(3, 4).T  # not contiguous
    back = _roundtrip(array)
    assert back.dtype == array.dtype and np.array_equal(back, array)
    assert _roundtrip(np.float64(2.5)).shape == () and isinstance(_roundtrip(np.int64(3)), np.integer)
    assert list(_roundtrip(np.array(["ab", "c"]))) == ["ab", "c"]
    frame = pd.DataFrame({"country": ["A", "B"], "n": [1, 2], "x": [0.5, np.nan]}, index=pd.Index([7, 9], name="id"))
    pd.testing.assert_frame_equal(_roundtrip(frame), frame)
    series = pd.Series([1.0, 2.0], index=["a", "b"], name="share")
    pd.testing.assert_series_equal(_roundtrip(series), series)
    tensor = torch.randn(2, 3, requires_grad=True)
    back = _roundtrip(tensor)
    assert torch.equal(back, tensor.detach()) and back.requires_grad and back.dtype == torch.float32
    rng = np.random.default_rng(5)
    rng.random()
    assert _roundtrip(rng).random() == np.random.default_rng(5).random(2)[1]


def test_codec_refuses_what_is_not_data():
    class Rigged:
        def __eq__(self, other):
            return True

    with pytest.raises(codec.CodecError, match="cannot send"):
        codec.encode(Rigged())
    with pytest.raises(codec.CodecError, match="unknown value type"):
        codec.decode({"t": "pickle", "v": "..."}, [])
    with pytest.raises(codec.CodecError, match="does not accept handles"):
        codec.decode({"t": "handle", "id": 1}, [])
    with pytest.raises(codec.CodecError, match="does not accept recipes"):
        codec.decode({"t": "recipe", "path": "os:system", "args": {"t": "tuple", "v": ["id"]},
                      "kwargs": {"t": "dict", "v": []}}, [])
    with pytest.raises(codec.CodecError, match="refusing array dtype"):
        codec.decode({"t": "nd", "dtype": "|O", "shape": [1], "b": 0}, [memoryview(b"12345678")])
    with pytest.raises(codec.CodecError, match="does not match"):
        codec.decode({"t": "nd", "dtype": "<f8", "shape": [4], "b": 0}, [memoryview(b"12345678")])


def test_frames_over_the_limit_are_refused():
    read, write = os.pipe()
    codec.write_frame(write, {"op": "x", "blobs": [3]}, [b"abc"])
    message, blobs = codec.read_frame(read, 1024)
    assert message["op"] == "x" and bytes(blobs[0]) == b"abc"
    codec.write_frame(write, {"op": "x", "blobs": [2000]}, [b"a" * 2000])
    with pytest.raises(codec.FrameTooLarge):
        codec.read_frame(read, 1024)
    os.close(read)
    os.close(write)


def test_recipes_rebuild_package_objects_only():
    from creative_ai.recipe import rebuild, recipe_of, with_recipe

    def builder():  # not a creative_ai function
        return object()

    with pytest.raises(ValueError, match="creative_ai function"):
        with_recipe([], builder)
    with pytest.raises(ValueError, match="only creative_ai"):
        rebuild(("os:getcwd", (), {}))
    from creative_ai.config import pick

    obj = with_recipe(type("Box", (), {})(), pick)
    assert recipe_of(obj)[0] == "creative_ai.config:pick"


# --------------------------------------------------------------------------- a tiny lab through the broker


def _cell(kind, source, grade_id=None, role=None, points=1, **meta):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if role == "answer":
        cell.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": grade_id,
                                     "schema_version": 3, "task": False}
    elif role == "test":
        cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "grade_id": grade_id,
                                     "points": points, "schema_version": 3, "task": False}
    cell.metadata.update(meta)
    return cell


TINY_LAB = [
    _cell("code", "import numpy as np\nimport pandas as pd\nfrom creative_ai.checks import check_close, check_true, value_and_grad"),
    _cell("code", "def share(values):\n    values = np.asarray(values, dtype=float)\n    return values / values.sum()",
          "share", "answer"),
    _cell("code", "check_close('share', share([1, 3]), [0.25, 0.75])\nprint('printed by the judge')", "test_share", "test"),
    _cell("code", "class Model:\n    def __init__(self, k):\n        self.k = k\n    def predict(self, x):\n"
                  "        return np.asarray(x) * self.k\n    def __len__(self):\n        return self.k\n\n"
                  "def fit(k):\n    return Model(k)", "fit", "answer"),
    _cell("code", "model = fit(3)\ncheck_close('predict', model.predict([1, 2]), [3, 6])\n"
                  "check_true(len(model) == 3, 'len')\ncheck_true(isinstance(model, Model), 'isinstance')\n"
                  "check_true(fit(2) is not model and model is model, 'identity')\n"
                  "check_true(model.k == 3, 'attribute')", "test_fit", "test"),
    _cell("code", "def scale_in_place(values, rng):\n    values *= 2\n    rng.random(3)\n    return None",
          "scale_in_place", "answer"),
    _cell("code", "values = np.ones(3)\nrng = np.random.default_rng(1)\nscale_in_place(values, rng)\n"
                  "check_close('values changed in place', values, [2, 2, 2])\n"
                  "check_close('generator advanced', rng.random(), np.random.default_rng(1).random(4)[3])",
          "test_scale_in_place", "test"),
    _cell("code", "def strict(x):\n    if x < 0:\n        raise ValueError('x must be >= 0')\n    return x", "strict", "answer"),
    _cell("code", "try:\n    strict(-1)\n    raise AssertionError('no error')\nexcept ValueError as error:\n"
                  "    check_true('x must be' in str(error), 'message')", "test_strict", "test"),
    _cell("code", "import torch\ndef mse(a, b):\n    return ((a - b) ** 2).mean()", "mse", "answer"),
    _cell("code", "import torch\nvalue, (grad,) = value_and_grad(mse, torch.ones(2), torch.zeros(2))\n"
                  "check_close('mse', value, 1.0)\ncheck_close('gradient', grad.numpy(), [1.0, 1.0])\n"
                  "import warnings\nwarnings.warn('a warning on stderr is not a failure')", "test_mse", "test"),
    _cell("code", "def frame_mean(df):\n    return df.groupby('g')['v'].mean()", "frame_mean", "answer"),
    _cell("code", "df = pd.DataFrame({'g': ['a', 'b', 'a'], 'v': [1.0, 2.0, 3.0]})\n"
                  "got = frame_mean(df)\ncheck_true(isinstance(got, pd.Series), type(got).__name__)\n"
                  "check_close('means', got.sort_index().to_numpy(), [2.0, 2.0])", "test_frame_mean", "test"),
]


def _run(cells, answers=None, sandbox_mode=None, **settings):
    source = nbformat.v4.new_notebook(cells=[nbformat.from_dict(c) for c in cells])
    nb = nbformat.from_dict(source)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if answers and grade_id in answers:
            cell.source = answers[grade_id]
    config = runner.Settings(**settings)
    lab = plan.lab_plan("tiny", source, config.cell_timeout)
    work = Path(tempfile.mkdtemp())
    judge = runner.JudgeSlot(config, 0, work)
    try:
        out, report = runner.execute(nb, lab, None, config, judge, 0, work)
    finally:
        judge.close()
    results = {}
    for cell in out.cells:
        if plan.is_test_cell(cell):
            errors = [o for o in cell.outputs if o["output_type"] == "error"]
            results[cell.metadata["nbgrader"]["grade_id"]] = errors[0]["evalue"] if errors else "passed"
    return results, out, report


def test_tiny_lab_passes_through_the_judge():
    results, out, report = _run(TINY_LAB)
    assert set(results.values()) == {"passed"}, results
    test_share = next(c for c in out.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_share")
    assert "printed by the judge" in test_share.outputs[0]["text"]
    test_mse = next(c for c in out.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_mse")
    assert all(o.get("name") != "stderr" for o in test_mse.outputs), "judge output must not count as stderr"


def test_tiny_lab_wrong_and_hostile_answers_fail():
    results, _, _ = _run(TINY_LAB, answers={
        "share": "def share(values):\n    return [0.25, 0.75]\n"
                 "def check_close(*a, **k): pass\nimport numpy as np\nnp.isclose = lambda *a, **k: True",
        "fit": "class Model:\n    def __eq__(self, other): return True\n    def predict(self, x): return self\n"
               "def fit(k):\n    return Model()",
        "scale_in_place": "def scale_in_place(values, rng):\n    return None",
        "strict": "def strict(x):\n    return x",
        "mse": "import numpy as np\nimport torch\ndef mse(a, b):\n    return torch.tensor(float(np.mean((a.detach().numpy() - b.detach().numpy()) ** 2)))",
        "frame_mean": "def frame_mean(df):\n    raise NotImplementedError()",
    })
    assert results["test_share"] == "passed"  # a hard-coded answer to the one visible example still passes it
    assert all(results[name] != "passed" for name in results if name != "test_share"), results
    assert "connected to its inputs" in results["test_mse"]
    assert "NotImplementedError" in results["test_frame_mean"] or results["test_frame_mean"] == ""


def test_a_runaway_cell_costs_its_own_test_only():
    cells = list(TINY_LAB)
    results, out, report = _run(cells, answers={
        "share": "def share(values):\n    while True:\n        try:\n            pass\n        except BaseException:\n            pass",
        "fit": "import os\ndef fit(k):\n    os._exit(1)",
    }, cell_timeout=10)
    assert results["test_share"] != "passed" and results["test_fit"] != "passed"
    others = {k: v for k, v in results.items() if k not in ("test_share", "test_fit")}
    assert set(others.values()) == {"passed"}, others
    assert report.restarts >= 2 and report.seconds < 90, report


def test_each_submission_gets_the_labs_set_up_fresh_though_it_runs_once_per_lab():
    """The judge runs a lab's set-up cells once (a lab zygote) and forks a judge per submission:
    what one submission's tests change in the set-up's objects never reaches the next one, and a
    slot that moves on to another lab runs that lab's own set-up."""
    count = "import os\nruns = os.environ.setdefault('SETUP_RUNS', '') + 'x'\nos.environ['SETUP_RUNS'] = runs"
    lab = [
        _cell("code", "from creative_ai.checks import check_equal\nseen = []\n" + count),
        _cell("code", "def double(x):\n    return 2 * x", "double", "answer"),
        _cell("code", "seen.append(double(1))\ncheck_equal('fresh set-up', seen, [2])\n"
                      "check_equal('set-up ran once', runs, 'x')", "test_double", "test"),
    ]
    other = [_cell("code", "from creative_ai.checks import check_equal\nseen = ['other lab']\n" + count),
             lab[1],
             _cell("code", "check_equal('its own set-up', seen, ['other lab'])\n"
                           "check_equal('its own set-up ran once', runs, 'x')", "test_double", "test")]
    config = runner.Settings()
    work = Path(tempfile.mkdtemp())
    judge = runner.JudgeSlot(config, 0, work)
    outcomes = []
    try:
        for cells in (lab, lab, lab, other, other, lab):
            source = nbformat.v4.new_notebook(cells=[nbformat.from_dict(c) for c in cells])
            out, _ = runner.execute(nbformat.from_dict(source), plan.lab_plan("tiny", source), None, config, judge,
                                    0, work)
            test = next(c for c in out.cells if plan.is_test_cell(c))
            outcomes.append([o.get("evalue") for o in test.outputs if o["output_type"] == "error"] or "passed")
    finally:
        judge.close()
    assert outcomes == ["passed"] * 6, outcomes


def test_unsandboxed_mode_still_keeps_tests_out_of_the_students_process(monkeypatch):
    monkeypatch.setenv("CREATIVE_AI_SANDBOX", "none")
    sandbox.mode.cache_clear()
    try:
        results, _, _ = _run(TINY_LAB[:3], answers={"share": "def share(v):\n    return [0, 1]\n"
                                                           "def check_close(*a, **k): pass"})
        assert results["test_share"] != "passed"
        assert "bubblewrap" in sandbox.why_unsandboxed() or "CREATIVE_AI_SANDBOX" in sandbox.why_unsandboxed()
    finally:
        sandbox.mode.cache_clear()


# --------------------------------------------------------------------------- plans, repairs, flags


def test_plan_separates_the_labs_set_up_from_cells_that_use_student_code():
    source = nbformat.v4.new_notebook(cells=[
        _cell("code", "import numpy as np\ndata = np.arange(3)"),
        _cell("code", "def f(x):\n    return x", "f", "answer"),
        _cell("code", "demo = f(data)"),
        _cell("code", "shown = demo + 1"),
        _cell("code", "check = f(data)", "test_f", "test", creative_ai={"timeout": 99}),
    ])
    lab = plan.lab_plan("x", source)
    assert lab.student_names == {"f"} and lab.context == ["import numpy as np\ndata = np.arange(3)"]
    assert len(lab.skipped_context) == 2 and lab.timeouts["test_f"] == 99
    assert lab.timeout_for(None, 60, "shown = demo + 1") == plan.DEMO_CELL_TIMEOUT
    source.cells.append(_cell("code", "assert shown", "test_f__more", "test"))
    lab = plan.lab_plan("x", source)
    assert plan.names_only_from_skipped_cells(lab) == {"test_f__more": {"shown"}}


def _source_cells():
    return [
        repair.SourceCell("f", "code", "def f():\n    raise NotImplementedError()", False,
                          {"grade": False, "grade_id": "f", "locked": False, "schema_version": 3, "solution": True,
                           "task": False}),
        repair.SourceCell("intro", "markdown", "Read me.", True,
                          {"grade": False, "grade_id": "intro", "locked": True, "schema_version": 3,
                           "solution": False, "task": False}),
        repair.SourceCell("test_f", "code", "assert f() == 1\n### BEGIN HIDDEN TESTS\nassert f() == 1\n### END HIDDEN TESTS",
                          True, {"grade": True, "grade_id": "test_f", "locked": True, "points": 1.0,
                                 "schema_version": 3, "solution": False, "task": False}),
    ]


def _submitted(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_repair_fixes_careless_damage():
    src = _source_cells()
    answer = nbformat.v4.new_code_cell("def f():\n    return 1")
    answer.metadata["nbgrader"] = dict(src[0].meta)
    test = nbformat.v4.new_code_cell("assert f() == 1\n")  # the released text
    test.metadata["nbgrader"] = dict(src[2].meta)
    copy = nbformat.v4.new_code_cell(answer.source)
    copy.metadata["nbgrader"] = dict(src[0].meta)
    stray = nbformat.v4.new_code_cell("x = 1")
    stray.metadata["nbgrader"] = {"grade_id": "made_up", "grade": True, "points": 100}
    nb = _submitted(answer, copy, test, test.copy(), stray)
    notes = repair.repair(nb, src)
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    assert ids.count("f") == 1 and ids.count("test_f") == 1 and "made_up" not in ids
    assert ids.index("intro") < ids.index("test_f"), "the deleted intro cell is back, before the test"
    assert nb.cells[ids.index("test_f")].source == src[2].source, "released text replaced silently by the source"
    assert not any("locked cell" in note for note in notes), notes
    assert any("appeared 2 times" in note for note in notes)


def test_repair_finds_an_answer_that_lost_its_metadata_and_flags_edited_tests():
    src = _source_cells()
    retyped = nbformat.v4.new_code_cell("import math\ndef f():\n    return 1")
    edited = nbformat.v4.new_code_cell("pass")
    edited.metadata["nbgrader"] = dict(src[2].meta)
    nb = _submitted(retyped, edited)
    notes = repair.repair(nb, src)
    assert nb.cells[0].metadata["nbgrader"]["grade_id"] == "f"
    assert any("locked cell 'test_f' was edited" in note for note in notes)


def test_flags_name_tampering_and_stay_quiet_for_honest_code():
    honest = _submitted(nbformat.v4.new_code_cell("def f(x):\n    total = np.sum(x)\n    return x / total"))
    assert repair.flags(honest, {"np", "check_close"}) == []
    # comments do nothing: naming the gradebook or a lesson notebook in one is not a flag
    commented = _submitted(nbformat.v4.new_code_cell(
        "# From lesson: lessons/01_recommendation.ipynb (never touch the gradebook)\ndef f(x):\n    return x"))
    assert repair.flags(commented, {"np", "check_close"}) == []
    in_a_string = _submitted(nbformat.v4.new_code_cell("def f(x):\n    return open('../labs/lab.ipynb').read()"))
    assert repair.flags(in_a_string, {"np", "check_close"}), "a path in a string must still be flagged"
    hostile = _submitted(nbformat.v4.new_code_cell(
        "np.isclose = lambda *a: True\ndef check_close(*a):\n    pass\nget_ipython().ast_transformers.append(1)\n"
        "import sqlite3\nos._exit(0)"))
    found = " ".join(repair.flags(hostile, {"np", "check_close"}))
    for expected in ("patches np.isclose", "redefines the lab's check_close", "IPython", "gradebook", "kills"):
        assert expected in found, found


# --------------------------------------------------------------------------- nbgrader's metadata check

def _metadata_variants():
    """Every lab source, and copies of one with the kinds of damage nbgrader's schema check must refuse."""
    from course import lab_ids, lab_notebook

    for lab in lab_ids():
        yield lab, nbformat.read(lab_notebook(lab), as_version=4)
    base = nbformat.read(lab_notebook("lab00_orientation"), as_version=4)
    graded = next(i for i, c in enumerate(base.cells) if c.metadata.get("nbgrader", {}).get("grade"))

    def damaged(name, change):
        nb = nbformat.from_dict(base)
        change(nb.cells[graded].metadata["nbgrader"])
        return name, nb

    yield damaged("points as text", lambda m: m.__setitem__("points", "three"))
    yield damaged("unknown key", lambda m: m.__setitem__("secret", True))
    yield damaged("no grade_id", lambda m: m.pop("grade_id"))
    yield damaged("grade not a bool", lambda m: m.__setitem__("grade", "yes"))
    yield damaged("old schema", lambda m: m.__setitem__("schema_version", 2))
    yield damaged("newer schema", lambda m: m.__setitem__("schema_version", 99))
    yield damaged("no schema version", lambda m: m.pop("schema_version"))
    yield damaged("negative points", lambda m: m.__setitem__("points", -1))


def test_course_metadata_check_accepts_and_refuses_exactly_what_nbgraders_does():
    """The grader's CheckCellMetadata (schema compiled once) agrees with nbgrader's own on the lab
    sources and on damaged metadata: same verdict, same error type."""
    import preprocessors
    from nbgrader.preprocessors import CheckCellMetadata as Stock

    verdicts = []
    for name, nb in _metadata_variants():
        outcome = {}
        for label, check in (("stock", Stock()), ("course", preprocessors.CheckCellMetadata())):
            try:
                check.preprocess(nbformat.from_dict(nb), {})
                outcome[label] = "accepted"
            except Exception as error:  # noqa: BLE001 (the type is the verdict compared)
                outcome[label] = f"refused: {type(error).__name__}"
        assert outcome["course"] == outcome["stock"], (name, outcome)
        verdicts.append(outcome["stock"])
    # both kinds were exercised: the lab sources pass, each damaged copy is refused
    assert verdicts.count("accepted") == len(verdicts) - 8 and len(set(verdicts)) >= 3, verdicts


def test_cells_are_parsed_one_thread_at_a_time_and_a_cpython_ast_race_is_retried(monkeypatch):
    """plan.parse: the grader's threads parse cells through one lock; CPython 3.11's shared AST
    depth counter can still fail a parse that met one outside it, and that parse is retried."""
    import ast
    import threading

    real, calls, inside = ast.parse, [], []

    def flaky(source, *args, **kwargs):
        calls.append(source)
        inside.append(plan._AST_LOCK.locked())
        if len(calls) == 1:
            raise SystemError("AST constructor recursion depth mismatch (before=33, after=19)")
        return real(source, *args, **kwargs)

    monkeypatch.setattr(plan.ast, "parse", flaky)
    assert plan.bound_names("x = 1\ndef f():\n    pass\n") == {"x", "f"}
    assert len(calls) == 2 and all(inside)
    monkeypatch.setattr(plan.ast, "parse", lambda *a, **k: (_ for _ in ()).throw(SystemError("something else")))
    with pytest.raises(SystemError, match="something else"):
        plan.parse("x = 1")
    monkeypatch.setattr(plan.ast, "parse", real)
    results = []
    threads = [threading.Thread(target=lambda: results.append(repair._defines("def g():\n    return 1\n")))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"g"}] * 8
