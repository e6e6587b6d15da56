"""Feedback preprocessors loaded by nbgrader_config.py.

nbgrader's ClearHiddenTests removes hidden tests from the cell source in the feedback, but an
error in a hidden test still prints a traceback that quotes the failing hidden line. This
preprocessor keeps only the last line of each traceback in graded test cells — the exception
and its message ("country_shares: expected 0.25, got 0.5"), which is the useful part for the
student — so feedback never shows hidden test code.
"""

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


class ShortenTestTracebacks(Preprocessor):
    enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"]
        return cell, resources
