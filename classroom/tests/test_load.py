"""The load run (classroom/tests/load.py) with 5 students, bounded in time: everyone logs in,
starts a server, fetches and submits at once, and every submission is collected and graded.
The 30-student figures in docs/classroom.md come from the same script (`--students 30`)."""

import pytest
from hubtools import why_not
from load import run

pytestmark = pytest.mark.skipif(bool(why_not()), reason=why_not() or "ok")


@pytest.mark.timeout(2400)
def test_five_students_at_once():
    result = run(5)
    assert not result["errors"], result["errors"]
    assert result["collected"] == 5 and result["graded_full_marks"] == 5, result
    assert result["latency_s"]["server_start"]["max"] < 600, result
