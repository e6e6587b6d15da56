"""Feedback preprocessors loaded by nbgrader_config.py.

nbgrader's ClearHiddenTests removes hidden tests from the cell source in the feedback, but an
error in a hidden test still prints a traceback that quotes the failing hidden line. This
preprocessor keeps only the last line of each traceback in graded test cells — the exception
and its message ("country_shares: expected 0.25, got 0.5"), which is the useful part for the
student — so feedback never shows hidden test code.
"""

import re

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
from safe_html import FEEDBACK_CSP, csp_meta  # autograder/grader, on sys.path via nbgrader_config.py
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
