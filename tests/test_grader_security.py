"""The grader against a student who attacks the grader itself (issue 17), on a tiny lab.

* forged protocol frames written to the reply pipe (oversized, malformed, too deep, arrays whose
  dtype or shape lie, made-up extension types): each costs its own cell, and the grading
  process's memory stays bounded (measured in a separate process: its peak RSS);
* hidden-test inputs recorded by a wrapper or echoed in an exception: every cell that ran after a
  hidden test sent data into the student's process is marked, and feedback returns none of it;
* replays after a crash count against the submission's time limit.

Each scenario is one grading run of the tiny lab in ``test_grader.py`` (seconds each).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import nbformat
import pytest
from course import REPO
from test_grader import _cell, _run

sys.path.insert(0, str(REPO / "autograder" / "grader"))
sys.path.insert(0, str(REPO / "autograder"))
import preprocessors  # noqa: E402
from feedback_preprocessors import WITHHELD_NOTE, WithholdOutputsAfterHiddenTests  # noqa: E402

pytestmark = pytest.mark.grading

HEADER = "import numpy as np\nfrom creative_ai.checks import check_close, check_true"
SHARE = "def share(values):\n    values = np.asarray(values, dtype=float)\n    return values / values.sum()"
TEST_SHARE = ("check_close('share', share([1, 3]), [0.25, 0.75])\n"
              "### BEGIN HIDDEN TESTS\n"
              "check_close('share (hidden)', share([9173, 827]), [0.9173, 0.0827])\n"
              "### END HIDDEN TESTS")
# Writes a frame straight to the grader's reply pipe (GRADER_FDS = "read,write").
FORGE = textwrap.dedent("""
    import os as _os, struct as _struct, json as _json
    def _forge(header, blobs=b"", declared=None, header_len=None):
        _fd = int(_os.environ["GRADER_FDS"].split(",")[1])
        raw = header if isinstance(header, bytes) else _json.dumps(header).encode()
        body = 4 + len(raw) + len(blobs) if declared is None else declared
        data = _struct.pack(">Q", body) + _struct.pack(">I", len(raw) if header_len is None else header_len) + raw + blobs
        view = memoryview(data)
        while view:
            view = view[_os.write(_fd, view):]
""")


def _lab(extra):
    return [_cell("code", HEADER), _cell("code", SHARE, "share", "answer"),
            _cell("code", TEST_SHARE, "test_share", "test"), *extra]


def test_forged_frames_cost_their_own_cell_and_the_grader_memory_stays_bounded():
    """One grading run in a fresh process, so its peak RSS is the grader's own (ru_maxrss)."""
    script = textwrap.dedent(f"""
        import json, resource, sys
        sys.path[:0] = {[str(REPO / "tests"), str(REPO / "tools")]!r}
        import test_grader_security as t
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results, out, report = t._run(t.FORGED_LAB, cell_timeout=30, submission_timeout=240, max_restarts=20)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        errors = {{i: [o.get("ename") for o in c.outputs if o["output_type"] == "error"]
                  for i, c in enumerate(out.cells) if c.cell_type == "code"}}
        print(json.dumps({{"before_kb": before, "after_kb": after, "results": results, "errors": errors,
                          "seconds": report.seconds}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    results, errors = found["results"], {int(k): v for k, v in found["errors"].items()}
    assert results["test_share"] == "passed" and results["test_after"] == "passed", json.dumps(results, indent=1)
    for name in ("test_lying_shape", "test_zero_itemsize", "test_deep", "test_extension", "test_big_blob",
                 "test_bad_json_reply"):
        assert results[name] != "passed", (name, results)
    for index in FORGED_EXEC_CELLS:
        assert errors[index] == ["ProtocolError"], (index, errors[index])
    grown_mb = (found["after_kb"] - found["before_kb"]) / 1024
    print(f"grader peak RSS grew by {grown_mb:.0f} MB (before: {found['before_kb'] / 1024:.0f} MB)")
    # The largest frame the grader accepts from a student is 256 MB (arrays a test asked for); a
    # 255 MB JSON frame is refused from its length alone. Before issue 17 it took 6.5 GB.
    assert grown_mb < 700, f"the grading process grew by {grown_mb:.0f} MB"


FORGED_EXEC = [
    # a 255 MB JSON frame (the review's attack): refused from its header length, before reading it
    FORGE + "_forge(b'[' + b'[],' * ((255 << 20) // 3 - 2) + b'[]]')",
    FORGE + "_forge(b'{not json')",                                    # malformed JSON
    FORGE + "_forge({'status': 'ok', 'outputs': [], 'blobs': [5]})",   # blob table lies about the frame
    FORGE + "_forge(b'[' * 100000 + b']' * 100000)",                    # nesting deeper than any parser
    FORGE + "_forge(b'{}', header_len=1 << 31)",                        # header longer than the frame
]


def _call_forger(header, blobs="b''"):
    """A graded function whose reply to the judge's call is forged (then the process ends)."""
    return FORGE + textwrap.dedent(f"""
        def forged(x):
            _forge({header}, {blobs})
            _os._exit(0)
    """)


FORGED_CALLS = {
    "test_lying_shape": _call_forger("{'ok': True, 'value': {'t': 'nd', 'dtype': '<f8', 'shape': [10**12], 'b': 0}, "
                                     "'blobs': [8]}", "b'12345678'"),
    "test_zero_itemsize": _call_forger("{'ok': True, 'value': {'t': 'nd', 'dtype': '<U0', 'shape': [10**9, 10**9], "
                                       "'b': 0}, 'blobs': [0]}"),
    "test_deep": _call_forger("b'{\"ok\": true, \"value\": ' + b'{\"t\": \"list\", \"v\": [' * 5000 "
                              "+ b']}' * 5000 + b'}'"),
    "test_extension": _call_forger("{'ok': True, 'value': {'t': 'series', 'dtype': 'period[ns]', "
                                   "'v': {'t': 'tensor', 'dtype': 'load', 'nd': None}, 'index': None, 'name': None}, "
                                   "'blobs': []}"),
    "test_big_blob": _call_forger("{'ok': True, 'value': {'t': 'bytes', 'b': 0}, 'blobs': [(255 << 20)]}",
                                  "b'x' * (255 << 20)"),
    "test_bad_json_reply": _call_forger("b'{\"ok\": tru'"),
}


def _forged_lab():
    cells = _lab([])
    exec_cells = []
    for source in FORGED_EXEC:
        exec_cells.append(len(cells))
        cells.append(_cell("code", source))
    for name, source in FORGED_CALLS.items():
        function = name.removeprefix("test_")
        cells.append(_cell("code", source.replace("def forged(", f"def {function}("), function, "answer"))
        cells.append(_cell("code", f"check_true({function}(1) == b'', 'returned data')", name, "test"))
    # after all of it, an honest function still gets its points
    cells.append(_cell("code", "def after(x):\n    return 2 * x", "after", "answer"))
    cells.append(_cell("code", "check_close('after', after(3.0), 6.0)", "test_after", "test"))
    return cells, exec_cells


FORGED_LAB, FORGED_EXEC_CELLS = _forged_lab()


# --------------------------------------------------------------------------- hidden inputs


def _feedback_view(out, report):
    """The notebook as `make feedback` returns it: marks applied, then the withholding preprocessor."""
    nb = nbformat.from_dict(out)
    preprocessors.mark_withheld(nb, report.withheld)
    nb, _ = WithholdOutputsAfterHiddenTests().preprocess(nb, {})
    return nb


def test_hidden_inputs_never_reach_feedback():
    spy = ("_real = share\n_seen = []\ndef share(values):\n    _seen.append(list(values))\n    return _real(values)")
    echo = ("def echo(x):\n    raise ValueError(f'ECHO{x!r}')")
    cells = _lab([
        _cell("code", "print('LEAK' + 'ED', _seen)"),
        _cell("code", echo, "echo", "answer"),
        _cell("code", "### BEGIN HIDDEN TESTS\necho(48151623)\n### END HIDDEN TESTS", "test_echo", "test"),
    ])
    cells[1] = _cell("code", SHARE + "\n" + spy, "share", "answer")
    results, out, report = _run(cells)
    assert results["test_share"] == "passed"
    text = json.dumps(out)
    # the attack really captured the hidden inputs: they are in the (instructor's) autograded notebook
    withheld = set(report.withheld)
    assert {3, 5} <= withheld and 2 in withheld and 1 not in withheld, report.withheld
    assert "LEAKED [[1, 3], [9173, 827]]" in text and "ECHO48151623" in text
    shown = json.dumps(_feedback_view(out, report))
    assert "LEAKED" not in shown and "ECHO48151623" not in shown and WITHHELD_NOTE.strip()[:40] in shown


def test_withholding_without_marks_takes_the_safe_reading():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output("stream", text="before\n")]),
        _cell("code", "check()", "test_x", "test"),
        nbformat.v4.new_code_cell("print(2)", outputs=[nbformat.v4.new_output("stream", text="after\n")]),
    ])
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="judge\n")]
    nb, _ = WithholdOutputsAfterHiddenTests().preprocess(nbformat.from_dict(nb), {})
    assert nb.cells[0].outputs[0]["text"] == "before\n"
    assert all(WITHHELD_NOTE in c.outputs[0]["text"] for c in nb.cells[1:])


def test_a_students_own_mark_never_counts():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].metadata[preprocessors.WITHHELD_KEY] = {"outputs_after_hidden_tests": False}
    preprocessors.mark_withheld(nb, [0])
    assert nb.cells[0].metadata[preprocessors.WITHHELD_KEY]["outputs_after_hidden_tests"] is True


# --------------------------------------------------------------------------- time


def test_replays_after_crashes_count_against_the_submission_limit():
    """Slow-but-legal cells fill most of the submission's time, then a cell crashes the process:
    the fresh process replays the slow cells. That replay counts against the submission's limit.

    Before issue 17 it did not: with these limits the run took about 3 x 2.5 s, plus a restart,
    plus 3 x 2.5 s of replay (over 16 s) past a 9 s submission limit.
    """
    slow = "import time\ntime.sleep(2.5)"
    cells = [_cell("code", HEADER)] + [_cell("code", slow) for _ in range(3)]
    cells += [_cell("code", "import os\nos._exit(1)"), _cell("code", "print('after the crash')")]
    cells += [_cell("code", SHARE, "share", "answer"), _cell("code", TEST_SHARE, "test_share", "test")]
    results, out, report = _run(cells, cell_timeout=5, submission_timeout=9)
    assert report.submission_time_exceeded
    assert report.seconds < 9 + 3.5, f"the submission ran {report.seconds:.1f} s with a 9 s limit"
    assert results["test_share"] != "passed"


# --------------------------------------------------------------------------- what handles and answers claim


def test_a_handle_claiming_to_be_data_is_not_believed():
    import judge
    import pandas as pd
    import torch

    liar = judge.Remote(None, 1, {"id": 1, "type": "pandas.core.series.Series",
                                  "mro": ["pandas.core.series.Series", "builtins.object"]})
    assert not isinstance(liar, pd.Series) and liar.__class__ is judge.Remote
    module = judge.Remote(None, 2, {"id": 2, "type": "student.Net",
                                    "mro": ["student.Net", "torch.nn.modules.module.Module", "builtins.object"]})
    assert isinstance(module, torch.nn.Module)  # a student's network is used through its proxy


def test_answers_that_call_the_course_trainer_are_flagged():
    import repair

    nb = nbformat.v4.new_notebook(cells=[
        _cell("code", "def train_gan(g, d, images, epochs=1, batch_size=64, lr=2e-4, seed=0):\n"
                      "    gan.fit_gan(g, d, images, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed)\n"
                      "    return g", "train_gan", "answer"),
        _cell("code", "shipped = gan.load_fashion_generator()"),  # the lab's own demo cell: not an answer
    ])
    found = repair.flags(nbformat.from_dict(nb), set())
    assert found == ["train_gan: calls the course's own fit_gan instead of writing the task"], found


@pytest.mark.parametrize("body", [
    "    getattr(gan, 'fit' + '_gan')(g, d, images)\n    return g",          # the trainer, by a computed name
    "    g.load_state_dict(torch.load('weights.pt'))\n    return g",          # weights trained elsewhere
    "    return gan.load_fashion_generator()",                                # the shipped generator
    "    vars(gan)['train_conditional_gan']\n    return g",
])
def test_answers_that_reach_the_course_trainer_or_saved_weights_another_way_are_flagged(body):
    import repair

    nb = nbformat.v4.new_notebook(cells=[
        _cell("code", "def train_gan(g, d, images, epochs=1, batch_size=64, lr=2e-4, seed=0):\n" + body, "train_gan",
              "answer")])
    found = repair.flags(nbformat.from_dict(nb), set())
    assert any(reason.startswith("train_gan: calls the course's own") for reason in found), found


# --------------------------------------------------------------------------- the student zygote
# Submission A leaves everything it can in the sandbox its process shares with the next child of
# the same zygote; submission B, graded next on the same slot, looks for it.
LEAVE_TRACES = textwrap.dedent("""
    import ctypes, os, platform, subprocess, sys, time
    libc = ctypes.CDLL(None, use_errno=True)
    open('/tmp/left-behind', 'w').write('A was here')
    open(os.path.expanduser('~/left-in-home'), 'w').write('A was here')
    os.makedirs('/tmp/locked/inner')
    open('/tmp/locked/inner/file', 'w').write('x')
    os.chmod('/tmp/locked/inner', 0)
    os.chmod('/tmp/locked', 0)
    subprocess.Popen([sys.executable, '-c', 'import os, time\\nif os.fork(): os._exit(0)\\n'
                      'while True:\\n    open("/tmp/daemon-was-here", "w").write("x")\\n    time.sleep(0.02)'],
                     start_new_session=True)
    time.sleep(1)
    daemon_ran = os.path.exists('/tmp/daemon-was-here')
    shm = libc.shmget(0x5eed, 4096, 0o1000 | 0o600)          # IPC_CREAT: a System V segment
    shm_made = shm >= 0
    ADD_KEY, KEYCTL = {'x86_64': (248, 250), 'aarch64': (217, 219)}[platform.machine()]
    # the user's keyring, and the persistent one (it outlives every process of the user id)
    keys = [libc.syscall(ADD_KEY, b'user', b'left-behind', b'A was here', 10, ctypes.c_long(-4)),
            libc.syscall(KEYCTL, 22, ctypes.c_long(-1), ctypes.c_long(-2))]
    keys_refused = keys == [-1, -1] and ctypes.get_errno() == 1
    rt = ctypes.CDLL('librt.so.1', use_errno=True)
    rt.mq_open.restype = ctypes.c_int
    queue_refused = rt.mq_open(b'/left-behind', os.O_CREAT | os.O_RDWR, 0o600, None) == -1
    zygote = os.getppid()
    try:
        open(f'/proc/{zygote}/mem', 'rb').read(1)
        zygote_memory = 'readable'
    except OSError as error:
        zygote_memory = type(error).__name__
""")
LOOK_FOR_TRACES = textwrap.dedent("""
    import ctypes, os, platform
    libc = ctypes.CDLL(None, use_errno=True)
    # what A made ('/tmp' may also hold folders bubblewrap made for a checkout under /tmp)
    left = [n for n in ('left-behind', 'daemon-was-here', 'locked') if os.path.lexists(f'/tmp/{n}')] + [
        f'~/{n}' for n in os.listdir(os.path.expanduser('~')) if n.startswith('left')]
    me = os.getpid()
    others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, me, os.getppid())]
    segments = open('/proc/sysvipc/shm').read().splitlines()[1:]
    KEYCTL = {'x86_64': 250, 'aarch64': 219}.get(platform.machine())
    found_key = libc.syscall(KEYCTL, 10, ctypes.c_long(-4), b'user', b'left-behind', 0) if KEYCTL else -1
    traces = {'files': left, 'processes': others, 'shm': segments, 'key': found_key > 0,
              'submitted': sorted(n for n in os.listdir(os.path.expanduser('~')) if n.endswith('.csv'))}
""")


@pytest.mark.skipif(not preprocessors.sandbox.mode() == "bwrap", reason="the student zygote needs the bubblewrap sandbox")
def test_children_of_the_student_zygote_find_nothing_the_previous_one_left():
    import tempfile
    from pathlib import Path

    import plan
    import runner

    config = runner.Settings(cell_timeout=30)
    work = Path(tempfile.mkdtemp())
    judge = runner.JudgeSlot(config, 0, work)
    leave = [_cell("code", HEADER), _cell("code", LEAVE_TRACES, "leave", "answer"),
             _cell("code", "check_true(daemon_ran and shm_made, 'A left its traces')", "test_a", "test"),
             _cell("code", "check_true(keys_refused, 'no kernel keys')", "test_keys", "test"),
             _cell("code", "check_true(queue_refused, 'no POSIX message queue')", "test_queue", "test"),
             _cell("code", "check_true(zygote_memory == 'PermissionError', zygote_memory)", "test_zygote", "test")]
    look = [_cell("code", HEADER), _cell("code", LOOK_FOR_TRACES, "look", "answer"),
            _cell("code", "check_true(traces == {'files': [], 'processes': [], 'shm': [], 'key': False, "
                          "'submitted': ['b.csv']}, str(traces))", "test_b", "test")]
    folders = {}
    for name in ("a", "b"):  # each submission's own folder: B sees its file, not A's
        folders[name] = Path(tempfile.mkdtemp())
        (folders[name] / f"{name}.csv").write_text("x\n1\n")
    outcomes, zygotes = [], []
    try:
        for cells, folder in ((leave, folders["a"]), (look, folders["b"]), (leave, folders["a"]), (look, folders["b"])):
            source = nbformat.v4.new_notebook(cells=[nbformat.from_dict(c) for c in cells])
            out, report = runner.execute(nbformat.from_dict(source), plan.lab_plan("tiny", source), folder, config,
                                         judge, 0, work)
            zygotes.append(judge.student.process.popen.pid)
            for cell in out.cells:
                if plan.is_test_cell(cell):
                    errors = [o.get("evalue") for o in cell.outputs if o["output_type"] == "error"]
                    outcomes.append((cell.metadata["nbgrader"]["grade_id"], errors or "passed"))
    finally:
        judge.close()
    assert len(set(zygotes)) == 1, f"every submission should come from one zygote: {zygotes}"
    assert all(result == "passed" for _, result in outcomes), outcomes


@pytest.mark.skipif(not preprocessors.sandbox.mode() == "bwrap", reason="the student zygote needs the bubblewrap sandbox")
@pytest.mark.parametrize("attack", ["os.kill(os.getppid(), signal.SIGSTOP)", "os.kill(os.getppid(), signal.SIGKILL)",
                                    "os.kill(-1, signal.SIGKILL)"])
def test_a_child_that_stops_or_kills_its_zygote_costs_only_its_own_cells(attack):
    """The next submission is graded in full by a new zygote; the attacker's earlier cells count."""
    import tempfile
    from pathlib import Path

    import plan
    import runner

    config = runner.Settings(cell_timeout=20)
    work = Path(tempfile.mkdtemp())
    judge = runner.JudgeSlot(config, 0, work)
    attacker = _lab([_cell("code", f"import os, signal, time\n{attack}\ntime.sleep(0.5)", "attack", "answer")])
    honest = _lab([])
    outcomes, zygotes = [], []
    try:
        for cells in (honest, attacker, honest, honest):
            source = nbformat.v4.new_notebook(cells=[nbformat.from_dict(c) for c in cells])
            out, _ = runner.execute(nbformat.from_dict(source), plan.lab_plan("tiny", source), None, config, judge,
                                    0, work)
            outcomes.append([[o.get("ename") for o in c.outputs if o["output_type"] == "error"] or "passed"
                             for c in out.cells if plan.is_test_cell(c)])
            zygotes.append(judge.student.process.popen.pid if judge.student.process else None)
    finally:
        judge.close()
    assert outcomes == [["passed"]] * 4, outcomes
    # the attacked zygote is gone after its child; the next submission starts one that stays
    assert zygotes[0] is not None and zygotes[1] is None and zygotes[2] not in (None, zygotes[0]), zygotes
    assert zygotes[3] == zygotes[2], zygotes
