"""nbgrader configuration for the course (run nbgrader from this folder, or use the Makefile).

Paths are resolved from this file, so the config works wherever the course is checked out.
The lab sources stay in ../labs (one source of truth); everything nbgrader generates —
release/, submitted/, autograded/, feedback/, the gradebook — lives here and is git-ignored.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # for feedback_preprocessors.py next to this file
# The sandboxed grader (see grader/ and README.md, "What the sandbox does").
sys.path.insert(0, os.path.join(os.path.dirname(os.path.realpath(__file__)), "grader"))

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "creative-ai"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = os.path.join("..", "labs")
# Four slashes: sqlite:/// plus an absolute path. On the classroom hub (classroom/, see
# docs/classroom.md) the hub gives graders' servers a PostgreSQL URL instead, so that several
# graders can work at once (nbgrader's sqlite gradebook is not safe for concurrent graders).
c.CourseDirectory.db_url = (os.environ.get("CREATIVE_AI_GRADEBOOK_URL")
                            or "sqlite:///" + os.path.join(HERE, "gradebook.db"))

# Autograding never runs student code in nbgrader's own kernel. RepairSubmission fixes careless
# damage (duplicate or missing cells, lost metadata); SandboxedExecute runs the student's cells in a
# bubblewrap sandbox and the test cells in a separate trusted judge process, and nbgrader scores
# the test cells from the judge's outputs as usual. `make autograde` does the same work in parallel.
# CheckCellMetadata is nbgrader's check with its schema compiled once (nbgrader's re-reads and
# re-checks the schema for every cell: ~90 ms per notebook, three times per submission).
c.Autograde.sanitize_preprocessors = [
    "preprocessors.RepairSubmission",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "preprocessors.CheckCellMetadata",
]
c.Autograde.autograde_preprocessors = [
    "preprocessors.SandboxedExecute",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "preprocessors.CheckCellMetadata",
]
# Limits. The slowest graded cells (matrix factorisation, audio features, stylising, GAN training)
# declare their own limit in the lab source (cell metadata "creative_ai": {"timeout": N}); every
# other cell gets 60 s (cells that only demonstrate a student's function, 20 s), so an infinite
# loop costs one cell, and a whole submission at most 5 minutes.
c.SandboxedExecute.cell_timeout = 60
c.SandboxedExecute.submission_timeout = 300
c.SandboxedExecute.memory_mb = 2048
c.SandboxedExecute.max_processes = 64
c.SandboxedExecute.tmp_mb = 512
c.Autograde.create_student = True

# Feedback must not reveal hidden tests: neither their source nor tracebacks quoting them.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "feedback_preprocessors.ClearHiddenTestsInTestCells",
    "feedback_preprocessors.ShortenTestTracebacks",
    # Nothing the student's process produced after hidden tests passed data into it (a student's
    # code can record the tests' inputs and print them later): see "How grading works".
    "feedback_preprocessors.WithholdOutputsAfterHiddenTests",
]
# Everything a student writes is rendered through one allow-list sanitiser (grader/safe_html.py,
# nh3): markdown answers, HTML and markdown outputs, raw cells. nbgrader's formgrade and feedback
# templates render markdown cells as `markdown2html | strip_files_prefix` without any cleaning
# (and sanitize_html below does not reach them), so the filter that always follows markdown2html
# cleans, and so does clean_html (nbconvert's own uses bleach's wider defaults). This applies to
# every page nbconvert renders with this config: formgrader's submission page, `make feedback`.
c.HTMLExporter.sanitize_html = True
c.HTMLExporter.filters = {
    "clean_html": "safe_html.nbconvert_clean_html",
    "strip_files_prefix": "safe_html.nbconvert_strip_files_prefix",
}
# Feedback pages also carry a Content-Security-Policy (no script but MathJax): defence in depth.
c.GenerateFeedback.exporter_class = "feedback_preprocessors.FeedbackExporter"
# `make grades` (nbgrader export): nbgrader's grades.csv layout, but a student id (a folder name the
# student chose) or name that starts like a spreadsheet formula is written as text (export_plugins.py).
c.ExportApp.plugin_class = "export_plugins.SafeCsvExportPlugin"

# Releases never contain outputs (they would leak solution results).
c.ClearOutput.enabled = True
c.Exchange.root = os.path.join(HERE, "exchange")
# On the classroom hub: the shared exchange, with the classes that close nbgrader's holes
# (classroom/classroom_exchange.py), and group-shared files among the graders.
if os.environ.get("CREATIVE_AI_EXCHANGE"):
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "classroom"))
    import classroom_exchange  # noqa: E402

    classroom_exchange.configure(c, os.environ["CREATIVE_AI_EXCHANGE"])
    c.CourseDirectory.groupshared = True
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
