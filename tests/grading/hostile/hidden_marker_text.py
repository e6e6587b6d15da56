"""Correct answers; a cell of the student's contains the text of nbgrader's hidden-test marker."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"test_plot_country_shares": "# notes to self\n# ### BEGIN HIDDEN TESTS\nprint('BEGIN HIDDEN TESTS')\n"}
EXPECT = 8
