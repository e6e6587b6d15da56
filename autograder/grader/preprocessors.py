"""nbgrader preprocessors that plug the sandboxed grader into nbgrader's own pipeline.

``nbgrader_config.py`` puts :class:`RepairSubmission` first in ``Autograde.sanitize_preprocessors``
and :class:`SandboxedExecute` in place of nbgrader's ``Execute``. Everything else is nbgrader's:
it restores locked cells from the gradebook, ``SaveAutoGrades`` scores each test cell from its
outputs (an error = no points), and the gradebook, formgrader, feedback and export work as usual.
The difference is who produces the test cells' outputs: the trusted judge, never the student's
kernel. So a plain ``nbgrader autograde LAB`` is sandboxed too; ``make autograde`` adds
parallelism by running :class:`SandboxedExecute`'s work ahead of time (see ``cli.py``) and
nbgrader then picks the stored result up.
"""

from __future__ import annotations

import atexit
import copy
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import traceback
from dataclasses import replace
from pathlib import Path

import jsonschema
import nbformat
import plan as lab_plans
import repair as repairs
import runner
import sandbox
import warm
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, Integer

ENGINE_VERSION = "2026.11.1"
RUNS_FOLDER = "runs"


# --------------------------------------------------------------------------- helpers


def coursedir_of(preprocessor) -> CourseDirectory:
    return CourseDirectory(config=preprocessor.config)


# The released cells per (gradebook, notebook, lab), kept while one `make autograde` runs (see
# remember_source_cells): they cannot change during the run, and each submission needs them twice
# (sanitising, then recording), each time a dozen gradebook queries.
_SOURCE_CELLS: dict | None = None


def remember_source_cells(on: bool = True) -> None:
    """Keep (``on``) or stop keeping, and forget, the released cells read from the gradebook."""
    global _SOURCE_CELLS
    _SOURCE_CELLS = {} if on else None


def source_cells(db_url: str, notebook: str, assignment: str) -> list[repairs.SourceCell]:
    """The lab's cells as nbgrader recorded them at release time, with canonical metadata."""
    cache, key = _SOURCE_CELLS, (db_url, notebook, assignment)
    if cache is not None and key in cache:
        return [replace(cell, meta=copy.deepcopy(cell.meta)) for cell in cache[key]]
    cells = _read_source_cells(db_url, notebook, assignment)
    if cache is not None:
        cache[key] = [replace(cell, meta=copy.deepcopy(cell.meta)) for cell in cells]
    return cells


def _read_source_cells(db_url: str, notebook: str, assignment: str) -> list[repairs.SourceCell]:
    cells = []
    with Gradebook(db_url) as gradebook:
        nb = gradebook.find_notebook(notebook, assignment)
        grade = {c.name: c for c in nb.grade_cells}
        solution = {c.name for c in nb.solution_cells}
        task = {c.name for c in nb.task_cells}
        for cell in nb.source_cells:
            meta = {"grade": cell.name in grade, "grade_id": cell.name, "locked": bool(cell.locked),
                    "schema_version": 3, "solution": cell.name in solution, "task": cell.name in task}
            if cell.name in grade:
                meta["points"] = float(grade[cell.name].max_score)
            cells.append(repairs.SourceCell(cell.name, cell.cell_type, cell.source, bool(cell.locked), meta))
    return cells


def lab_source(coursedir: CourseDirectory, assignment: str, notebook: str) -> Path:
    folder = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    return folder / f"{notebook}.ipynb"


@functools.cache
def engine_digest() -> bytes:
    """Changes whenever the grader's code does, so stored results of an older grader are redone."""
    digest = hashlib.sha256(ENGINE_VERSION.encode())
    for path in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(repr(sandbox.course_paths()).encode())
    return digest.digest()


def notebook_key(nb, lab_source_bytes: bytes, settings: runner.Settings) -> str:
    digest = hashlib.sha256()
    digest.update(engine_digest())
    digest.update(sandbox.mode().encode())
    digest.update(repr((settings.cell_timeout, settings.submission_timeout, settings.limits)).encode())
    digest.update(hashlib.sha256(lab_source_bytes).digest())
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        digest.update(json.dumps([cell.cell_type, cell.source, meta], sort_keys=True).encode())
    return digest.hexdigest()


def run_path(coursedir: CourseDirectory, assignment: str, student: str, notebook: str) -> Path:
    return Path(coursedir.root) / RUNS_FOLDER / assignment / student / f"{notebook}.json"


def store_run(path: Path, key: str, nb, report: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"key": key, "outputs": [cell.get("outputs", []) if cell.cell_type == "code" else None
                                       for cell in nb.cells], "report": report}
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as handle:
        json.dump(payload, handle)
    os.replace(handle.name, path)


def load_run(path: Path, key: str):
    try:
        payload = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return payload if payload.get("key") == key else None


# --------------------------------------------------------------------------- settings and judges


class _Judges:
    """Judge zygotes of this process, one per worker slot (created on first use)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.slots: dict[int, runner.JudgeSlot] = {}
        self.workdir = Path(tempfile.mkdtemp(prefix="creative-ai-grader-"))
        self.other_workdirs: list[Path] = []
        atexit.register(self.close)

    def get(self, settings: runner.Settings, slot: int) -> runner.JudgeSlot:
        with self.lock:
            if slot not in self.slots:
                self.slots[slot] = runner.JudgeSlot(settings, slot, self.workdir)
            return self.slots[slot]

    def take_over(self, judges: dict[int, runner.JudgeSlot], workdir: Path | None) -> None:
        """Own judges started elsewhere (early_judges), and their scratch folder."""
        with self.lock:
            for slot, judge in judges.items():
                if slot in self.slots:
                    judge.close()
                else:
                    self.slots[slot] = judge
            if workdir is not None:
                self.other_workdirs.append(workdir)

    def discard(self, slot: int) -> None:
        """Close ``slot``'s judge, if any, and forget it (a later :meth:`get` starts a new one)."""
        with self.lock:
            judge = self.slots.pop(slot, None)
        if judge is not None:
            judge.close()

    def close(self):
        for judge in self.slots.values():
            judge.close()
        self.slots.clear()
        for folder in [self.workdir, *self.other_workdirs]:
            shutil.rmtree(folder, ignore_errors=True)  # the judges' scratch folders


JUDGES = _Judges()
# The judge slot SandboxedExecute grades on in this thread: 0 for plain `nbgrader autograde`;
# `make autograde` records in a thread of its own and gives it a slot no worker uses.
RECORD_SLOT = threading.local()
_warned = False


def warn_if_unsandboxed(log=None) -> None:
    global _warned
    if sandbox.mode() == "bwrap" or _warned:
        return
    _warned = True
    message = sandbox.fallback_warning()
    (log.warning if log else print)(message)


class SandboxedExecute(NbGraderPreprocessor):
    """Run the student's cells in a sandbox and the test cells in the trusted judge."""

    cell_timeout = Float(60.0, help="seconds a cell may run, unless the lab source sets "
                                    "metadata creative_ai.timeout").tag(config=True)
    submission_timeout = Float(300.0, help="seconds a whole submission may run").tag(config=True)
    memory_mb = Integer(2048, help="memory limit of the student's process (MB)").tag(config=True)
    max_processes = Integer(64, help="processes and threads the student's code may have").tag(config=True)
    tmp_mb = Integer(512, help="size of the student's private writable /tmp (MB)").tag(config=True)

    def settings(self) -> runner.Settings:
        limits = sandbox.Limits(memory_mb=self.memory_mb, processes=self.max_processes, tmp_mb=self.tmp_mb,
                                cpu_seconds=int(self.submission_timeout * 2) + 60)
        return runner.Settings(cell_timeout=self.cell_timeout, submission_timeout=self.submission_timeout,
                               limits=limits, warm=warm.ensure_warm())

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        assignment, student, notebook = info["assignment"], info["student"], info["notebook"]
        coursedir = coursedir_of(self)
        warn_if_unsandboxed(self.log)
        settings = self.settings()
        source_path = lab_source(coursedir, assignment, notebook)
        source_bytes = source_path.read_bytes()
        key = notebook_key(nb, source_bytes, settings)
        path = run_path(coursedir, assignment, student, notebook)
        stored = load_run(path, key)
        if stored is None:
            submitted = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
            result, report = grade_sanitised(nb, assignment, source_bytes, submitted, settings,
                                             slot=getattr(RECORD_SLOT, "value", 0),
                                             repairs_done=nb.metadata.get("creative_ai_repairs", []))
            store_run(path, key, result, report)
            stored = load_run(path, key)
        apply_run(nb, stored)
        mark_withheld(nb, stored["report"].get("withheld", []))
        resources.setdefault("creative_ai", {})["report"] = stored["report"]
        return nb, resources


def grade_sanitised(nb, assignment: str, source_bytes: bytes, submitted: Path | None, settings: runner.Settings,
                    slot: int, repairs_done=()):
    """Execute a sanitised notebook; return (notebook with outputs, report dict)."""
    source_nb = nbformat.reads(source_bytes.decode(), as_version=4)
    lab = lab_plans.lab_plan(assignment, source_nb, settings.cell_timeout)
    if not set(lab.modules) <= set(settings.preload):  # e.g. plain `nbgrader autograde`: one lab at a time
        settings.preload = tuple(dict.fromkeys([*settings.preload, *sorted(lab.modules)]))
    judge = JUDGES.get(settings, slot)
    result, report = runner.execute(nb, lab, submitted if submitted and submitted.is_dir() else None,
                                    settings, judge, slot, JUDGES.workdir)
    data = report.as_dict()
    data["flags"] = repairs.flags(nb, lab.imported_names)
    data["repairs"] = list(repairs_done)
    return result, data


def apply_run(nb, stored: dict) -> None:
    outputs = stored["outputs"]
    if len(outputs) != len(nb.cells):
        raise RuntimeError("stored grading run does not match the notebook")
    for cell, cell_outputs in zip(nb.cells, outputs, strict=True):
        if cell.cell_type == "code":
            cell.outputs = [nbformat.from_dict(o) for o in (cell_outputs or [])]
            cell.execution_count = None


WITHHELD_KEY = "creative_ai_grading"


def mark_withheld(nb, withheld) -> None:
    """Record, on every code cell, whether feedback may return its outputs (see runner.Report.withheld).

    Set on every code cell, so a value a student put in their notebook's metadata never counts.
    """
    withheld = set(withheld)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop(WITHHELD_KEY, None)
        if cell.cell_type == "code":
            cell.metadata[WITHHELD_KEY] = {"outputs_after_hidden_tests": index in withheld}


class RepairSubmission(NbGraderPreprocessor):
    """Fix careless-honest damage (duplicates, lost metadata, missing cells) before grading."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        try:
            cells = source_cells(info["db_url"], info["notebook"], info["assignment"])
        except MissingEntry:
            return nb, resources
        notes = repairs.repair(nb, cells)
        # Kept in the notebook's metadata: nbgrader starts the execution step with new resources.
        nb.metadata["creative_ai_repairs"] = notes
        for note in notes:
            self.log.info("repair: %s", note)
        return nb, resources


class _CompiledSchema(BaseMetadataValidator):
    """nbgrader's schema check of one cell, with the schema compiled once per process.

    nbgrader's own ``validate_cell`` calls ``jsonschema.validate(metadata, schema)``, which checks
    the *schema* itself again and builds a new validator for every cell. That was about 90 ms per
    lab notebook, and grading runs it three times per submission (sanitising, then nbgrader's two
    steps while it records), one after another in the recording thread. Same schema, same checks, same
    ``ValidationError``: only the repeated compiling is gone (about 7 ms per notebook).
    """

    _compiled: dict = {}

    def validate_cell(self, cell) -> None:
        meta = cell.metadata.get("nbgrader")
        if meta is None or meta.get("schema_version", 0) != self.schema_version:
            super().validate_cell(cell)  # nbgrader's messages for missing, too old or too new schemas
            return
        validator = self._compiled.get(self.schema_version)
        if validator is None:
            cls = jsonschema.validators.validator_for(self.schema)
            cls.check_schema(self.schema)
            validator = self._compiled[self.schema_version] = cls(self.schema)
        validator.validate(meta)


class _FastMetadataValidator(MetadataValidator, _CompiledSchema):
    """nbgrader's current validator, whose cell checks end in ``_CompiledSchema.validate_cell``."""


class CheckCellMetadata(NbGraderPreprocessor):
    """nbgrader's ``CheckCellMetadata`` (the same checks and error), with the schema compiled once."""

    def preprocess(self, nb, resources):
        try:
            _FastMetadataValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)  # noqa: B904 (nbgrader's own preprocessor raises it so)
        return nb, resources


def _stderr(*args):
    print(*args, file=sys.stderr)
