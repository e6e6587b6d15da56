"""Fixtures of the grading tests (see tests/graded_course.py)."""

from __future__ import annotations

import pytest
from graded_course import GradedCourse, grade_whole_course


@pytest.fixture(scope="session")
def whole_course(tmp_path_factory) -> GradedCourse:
    """The whole course, graded once through the instructor guide's commands with their defaults."""
    return grade_whole_course(tmp_path_factory.mktemp("whole-course") / "course")


# Grading the whole course (every lab's samples and answer batches, in the sandbox) is one long
# fixture setup, and pytest-timeout counts setup in the first test that needs it: give those
# tests the time the grading takes plus margin: 35 minutes on 2 quiet cores (stop 24, 73 submissions,
# lab 04's GAN training most of it), so the limit only catches a hang, inside CI's 90 minutes.
WHOLE_COURSE_TIMEOUT = 4500


def pytest_collection_modifyitems(items):
    for item in items:
        if "whole_course" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(WHOLE_COURSE_TIMEOUT))
