"""Correct answers; a cell leaves a detached `sleep 400` behind (double fork, new session)."""
LAB = "lab00_orientation"
BASE = "solution"
INSERT_AFTER = {"test_conditional_rates": """
import subprocess
subprocess.Popen(["sh", "-c", "setsid sleep 400 >/dev/null 2>&1 &"], start_new_session=True)
subprocess.Popen(["sleep", "400"], start_new_session=True)
"""}
EXPECT = 8
FLAGGED = True
