"""Fixtures of the grading tests (see tests/graded_course.py)."""

from __future__ import annotations

import pytest
from graded_course import GradedCourse, grade_whole_course


@pytest.fixture(scope="session")
def whole_course(tmp_path_factory) -> GradedCourse:
    """The whole course, graded once through the instructor guide's commands with their defaults."""
    return grade_whole_course(tmp_path_factory.mktemp("whole-course") / "course")
