"""Feedback preprocessors loaded by nbgrader_config.py.

nbgrader's ClearHiddenTests removes hidden tests from the cell source in the feedback, but an
error in a hidden test still prints a traceback that quotes the failing hidden line. This
preprocessor keeps only the last line of each traceback in graded test cells — the exception
and its message ("country_shares: expected 0.25, got 0.5"), which is the useful part for the
student — so feedback never shows hidden test code.
"""

from nbconvert.preprocessors import Preprocessor
from nbgrader.preprocessors import ClearHiddenTests
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
