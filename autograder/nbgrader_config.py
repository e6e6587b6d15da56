"""nbgrader configuration for the course (run nbgrader from this folder, or use the Makefile).

Paths are resolved from this file, so the config works wherever the course is checked out.
The lab sources stay in ../labs (one source of truth); everything nbgrader generates —
release/, submitted/, autograded/, feedback/, the gradebook — lives here and is git-ignored.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # for feedback_preprocessors.py next to this file

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "creative-ai"
c.CourseDirectory.root = HERE
c.CourseDirectory.source_directory = os.path.join("..", "labs")
# Four slashes: sqlite:/// plus an absolute path.
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, "gradebook.db")

# Students' notebooks may name any kernel; always run the course environment's python3.
c.Execute.kernel_name = "python3"
c.ExecutePreprocessor.kernel_name = "python3"
# Deliberate per-cell limit: the slowest graded cell (matrix factorisation, audio features)
# takes under 20 s in fast mode on a 2-core laptop; 120 s leaves room for slow machines
# while stopping an accidental infinite loop long before the notebook-wide budget.
c.Execute.timeout = 120
c.ExecutePreprocessor.timeout = 120
c.Execute.interrupt_on_timeout = True
# Keep going after a failing cell so one broken answer does not zero the rest.
c.Execute.allow_errors = True

# A student who deletes or edits a graded/locked cell gets the original back.
c.OverwriteCells.add_missing_cells = True
c.Autograde.create_student = True

# Feedback must not reveal hidden tests: neither their source nor tracebacks quoting them.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
    "feedback_preprocessors.ShortenTestTracebacks",
]
c.ClearHiddenTests.enforce_metadata = False

# Releases never contain outputs (they would leak solution results).
c.ClearOutput.enabled = True
c.Exchange.root = os.path.join(HERE, "exchange")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
