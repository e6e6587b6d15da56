"""Feedback preprocessors loaded by nbgrader_config.py.

nbgrader's ClearHiddenTests removes hidden tests from the cell source in the feedback, but an
error in a hidden test still prints a traceback that quotes the failing hidden line. This
preprocessor keeps only the last line of each traceback in graded test cells — the exception
and its message ("country_shares: expected 0.25, got 0.5"), which is the useful part for the
student — so feedback never shows hidden test code.
"""

import re

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
from safe_html import (  # autograder/grader, on sys.path via nbgrader_config.py
    FEEDBACK_CSP,
    csp_meta,
)
from traitlets import Bool


class ClearHiddenTestsInTestCells(ClearHiddenTests):
    """nbgrader's ClearHiddenTests, applied to test cells only.

    A student's own cell that happens to contain the text "BEGIN HIDDEN TESTS" (copied from
    somewhere, or typed to break things) is shown as written instead of breaking the feedback of
    that student; test cells come from the gradebook, so their hidden regions are always removed.
    """

    enforce_metadata = Bool(False).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            return super().preprocess_cell(cell, resources, index)
        return cell, resources


class ShortenTestTracebacks(Preprocessor):
    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter, with a Content-Security-Policy first in every page's <head>.

    The student's content in the page is already sanitised (nbgrader_config.py routes it
    through safe_html); the policy is a second wall: no script may run but MathJax, nothing is
    fetched from elsewhere, no form posts anywhere.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        output, resources = super().from_notebook_node(nb, resources, **kw)
        return with_csp(output), resources


def with_csp(page: str, policy: str = FEEDBACK_CSP) -> str:
    """``page`` with a CSP <meta> as the first element of its <head> (which must exist)."""
    head = re.search(r"<head[^>]*>", page, flags=re.IGNORECASE)
    if head is None:
        raise ValueError("the page has no <head>")
    return page[: head.end()] + "\n" + csp_meta(policy) + page[head.end() :]


WITHHELD_KEY = "creative_ai_grading"  # set by grader/preprocessors.py (mark_withheld) on every code cell
WITHHELD_NOTE = (
    "[Not shown in feedback: this cell ran after hidden tests had passed their inputs to your code,\n"
    " so what it printed could reveal them. Your own run of the notebook shows your outputs and what\n"
    " the visible self-checks found; the score above is the grader's.]\n"
)


class WithholdOutputsAfterHiddenTests(Preprocessor):
    """Feedback never returns what the student's process produced after hidden tests sent it data.

    A student's code can record the arguments a hidden test passes to it and print them in a later
    cell, echo them in an exception message, or return them to appear in a check's "got ..."
    message. The grader marks every code cell that ran once a test with hidden parts had sent data
    into the student's process (``creative_ai_grading.outputs_after_hidden_tests``); this replaces
    those cells' outputs with a note. A notebook graded before the mark existed has no mark on its
    cells: then every code cell from the first test cell on is withheld (the safe reading).
    """

    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess(self, nb, resources):
        marked = any(WITHHELD_KEY in cell.metadata for cell in nb.cells if cell.cell_type == "code")
        after_first_test = False
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                after_first_test = True
            if marked:
                withhold = (cell.metadata.get(WITHHELD_KEY) or {}).get("outputs_after_hidden_tests", True)
            else:
                withhold = after_first_test
            if withhold and cell.get("outputs"):
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=WITHHELD_NOTE)]
        return nb, resources
