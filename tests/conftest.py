"""Test-suite set-up shared by every test.

* Fast mode on, for this process and every kernel or nbgrader process it starts.
* The network guard (tests/netguard/sitecustomize.py) loaded in every such process; any
  attempt to reach a non-loopback address is logged and fails the run at the end.
* The virtual environment's bin/ first on PATH, so nbgrader finds its helper programs
  (alembic) and jupyter finds the python3 kernel of this environment.
* The header says whether the grader's bubblewrap sandbox works here (a trial run, see
  autograder/grader/sandbox.py): without it, the hostile-submission tests are skipped with that
  reason, and grading is tested unsandboxed on honest submissions only.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NETGUARD = Path(__file__).resolve().parent / "netguard"

os.environ["CREATIVE_AI_FAST"] = "1"
os.environ["MPLBACKEND"] = "Agg"
os.environ["CREATIVE_AI_NETGUARD"] = "1"
os.environ.setdefault(
    "CREATIVE_AI_NETLOG", str(Path(tempfile.gettempdir()) / f"creative_ai_netlog_{os.getpid()}.txt")
)
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(NETGUARD), *filter(None, [os.environ.get("PYTHONPATH")])]
)
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
# numba (behind librosa) caches compiled code on disk; two processes compiling the same
# function into one cache at once can crash (seen here: a segfault in a fresh environment).
# Each xdist worker, and the kernels it starts, gets a cache of its own, started as a copy of the
# grader's warm cache (autograder/grader/warm.py: librosa's code compiled once per environment,
# which grading builds anyway), so each worker does not compile it again (~15 s in lesson 02 alone).
# The folder is named after the environment and seeded again whenever the warm cache was rebuilt:
# a worker's folder left in /tmp by another checkout or an older environment (numba keys its
# entries by the source files' paths and times) made lesson 02 compile for ~25 s again.
_ENVIRONMENT_TAG = hashlib.sha1(sys.prefix.encode()).hexdigest()[:10]
os.environ["NUMBA_CACHE_DIR"] = str(
    Path(tempfile.gettempdir())
    / f"creative_ai_numba_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{_ENVIRONMENT_TAG}"
)


def _seed_numba_cache() -> None:
    import shutil

    target = Path(os.environ["NUMBA_CACHE_DIR"])
    sys.path.insert(0, str(REPO / "autograder" / "grader"))
    try:
        import warm

        source = warm.ensure_warm()
        stamp = (source / "STAMP").read_text() if (source / "STAMP").exists() else ""
        seeded = target / ".seeded-from"
        if stamp and seeded.exists() and seeded.read_text() == stamp:
            return
        shutil.rmtree(target, ignore_errors=True)
        if (source / "numba").is_dir():
            shutil.copytree(source / "numba", target, dirs_exist_ok=True)
            seeded.write_text(stamp)
    except Exception as error:  # only slower: the worker compiles what it needs
        print(f"tests: could not seed numba's cache from the grader's warm cache: {error}", file=sys.stderr)
    finally:
        sys.path.remove(str(REPO / "autograder" / "grader"))


if os.environ.get("PYTEST_XDIST_WORKER"):
    _seed_numba_cache()
# One thread per process for torch and BLAS under xdist. `make test` runs two workers on two
# cores, and each starts kernels and (while grading) two grader processes; with torch's default
# of one OpenMP thread per core, their spinning threads fought over the cores and CPU-bound
# notebook cells ran 5-15 times slower than alone (lesson 04's fast run: 23 s alone, about 350 s
# in CI). Set before torch is imported; kernels and nbgrader processes inherit it.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(_variable, "1")
# Kernels must not pick up a user's own ipython start-up files or a stale kernel spec.
os.environ["IPYTHONDIR"] = str(Path(tempfile.gettempdir()) / "creative_ai_ipython")

sys.path.insert(0, str(NETGUARD))
import sitecustomize as _netguard  # noqa: E402  (this folder's guard, by design)

_netguard.install()


def pytest_report_header(config):
    sys.path.insert(0, str(REPO / "autograder" / "grader"))
    import sandbox

    if sandbox.mode() == "bwrap":
        return f"grading sandbox: bubblewrap ({sandbox.bwrap_path()})"
    return (f"grading sandbox: none ({sandbox.why_unsandboxed()}); hostile-submission tests will be skipped; "
            f"unsandboxed, {sandbox.fallback_network()}")


def pytest_sessionstart(session):
    log = Path(os.environ["CREATIVE_AI_NETLOG"])
    if not hasattr(session.config, "workerinput"):  # the controller, not an xdist worker
        log.unlink(missing_ok=True)


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput"):
        return
    log = Path(os.environ["CREATIVE_AI_NETLOG"])
    if log.exists() and log.read_text().strip():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print("\nNETWORK ACCESS ATTEMPTED during the tests (forbidden):\n" + log.read_text()[:4000])


@pytest.fixture
def repo() -> Path:
    return REPO
