"""How the grader finds out whether it can sandbox, and what it does when it cannot.

* Detection is a trial run of bwrap with the sandbox's own namespaces, once per process; a
  bwrap that is installed but cannot create namespaces (some containers) counts as no sandbox,
  with its own error in the one-line reason. Simulated here with a stand-in ``bwrap`` first on
  PATH, so the real one (if any) is never touched.
* Without a sandbox, grading still runs; the student's process then starts in an empty network
  namespace where Linux lets an ordinary process make one (``unshare``), and the test says so
  when it cannot (skipped with the reason, never a pretend boundary).

The whole no-sandbox path is also run by CI (.ci/run) with a failing ``bwrap`` first on PATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from course import REPO

sys.path.insert(0, str(REPO / "autograder" / "grader"))
import sandbox  # noqa: E402


@pytest.fixture
def fresh_probe(monkeypatch):
    """Forget the cached probes before and after (the rest of this process re-probes for real)."""
    monkeypatch.delenv("CREATIVE_AI_SANDBOX", raising=False)
    sandbox.mode.cache_clear()
    sandbox.fallback_prefix.cache_clear()
    yield
    sandbox.mode.cache_clear()
    sandbox.fallback_prefix.cache_clear()


def _stand_in(folder: Path, name: str, exit_code: int, message: str = "") -> Path:
    """An executable ``name`` that records its arguments and exits with ``exit_code``."""
    folder.mkdir(parents=True, exist_ok=True)
    calls = folder / f"{name}.calls"
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$*" >> "{calls}"\n'
                      + (f'echo "{message}" >&2\n' if message else "") + f"exit {exit_code}\n")
    script.chmod(0o755)
    return calls


def _calls(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


needs_linux = pytest.mark.skipif(sys.platform != "linux", reason="bubblewrap and namespaces are Linux only")


@needs_linux
def test_a_bwrap_that_cannot_create_namespaces_means_no_sandbox_once_probed(tmp_path, monkeypatch, fresh_probe):
    calls = _stand_in(tmp_path / "bin", "bwrap", 1, "bwrap: No permissions to create new namespace.")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert [sandbox.mode() for _ in range(3)] == ["none"] * 3
    assert len(_calls(calls)) == 1, "the probe must run once per process, then be cached"
    reason = sandbox.why_unsandboxed()
    assert "cannot create a sandbox here" in reason and "No permissions to create new namespace" in reason
    assert "\n" not in reason


@needs_linux
def test_the_probe_tries_the_sandboxs_own_namespaces(tmp_path, monkeypatch, fresh_probe):
    calls = _stand_in(tmp_path / "bin", "bwrap", 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert sandbox.mode() == "bwrap" and sandbox.why_unsandboxed() == ""
    (probe,) = _calls(calls)
    for flag in ("--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent", "/bin/true"):
        assert flag in probe.split(), probe
    # the user switch a real sandbox uses: a user namespace, or (as root) setpriv to another user
    assert "--unshare-user" in probe.split() or "--reuid=" in probe, probe


def test_missing_bwrap_is_named_with_the_command_that_installs_it(tmp_path, monkeypatch, fresh_probe):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert sandbox.mode() == "none"
    reason = sandbox.why_unsandboxed()
    if sys.platform == "linux":
        assert "not installed" in reason and "apt-get install bubblewrap" in reason, reason


def test_the_environment_variable_switches_the_sandbox_off_without_probing(tmp_path, monkeypatch, fresh_probe):
    calls = _stand_in(tmp_path / "bin", "bwrap", 0)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("CREATIVE_AI_SANDBOX", "none")
    assert sandbox.mode() == "none" and "CREATIVE_AI_SANDBOX" in sandbox.why_unsandboxed()
    assert _calls(calls) == []


@needs_linux
def test_without_unshare_the_fallback_says_the_network_is_not_cut(tmp_path, monkeypatch, fresh_probe):
    _stand_in(tmp_path / "bin", "unshare", 1, "unshare: unshare failed: Operation not permitted")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert sandbox.fallback_prefix() == ()
    said = sandbox.fallback_network()
    assert "CAN reach the network" in said and "Operation not permitted" in said, said


def _clean_env() -> dict[str, str]:
    """This suite's environment without its in-process network guard: the namespace is under test."""
    env = {k: v for k, v in os.environ.items() if k not in ("CREATIVE_AI_NETGUARD", "CREATIVE_AI_NETLOG")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                        if p and "netguard" not in p)
    return env


# Inside the fallback's namespace: only a loopback interface, and no route anywhere. The connect
# is attempted only after the interface check passed, so a broken namespace cannot reach out.
NO_NETWORK = textwrap.dedent("""
    import errno, socket
    names = [name for _, name in socket.if_nameindex()]
    assert names == ["lo"], names
    try:
        socket.create_connection(("10.255.255.1", 80), timeout=2)
    except OSError as error:
        print("refused", errno.errorcode.get(error.errno, error.errno))
""")


def _fallback_or_skip() -> tuple[str, ...]:
    sandbox.fallback_prefix.cache_clear()
    prefix = sandbox.fallback_prefix()
    if not prefix:
        pytest.skip(f"the fallback cannot cut the network here: {sandbox.fallback_network()}")
    return prefix


def test_the_fallback_starts_processes_without_a_network(fresh_probe):
    prefix = _fallback_or_skip()
    result = subprocess.run([*prefix, sys.executable, "-c", NO_NETWORK], capture_output=True, text=True,
                            timeout=60, env=_clean_env())
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() in ("refused ENETUNREACH", "refused EHOSTUNREACH"), result.stdout


def test_unsandboxed_grading_gives_student_code_no_network(monkeypatch, fresh_probe):
    """Through the grader: a student cell in the fallback sees no network interface but loopback."""
    _fallback_or_skip()
    from test_grader import TINY_LAB, _run

    monkeypatch.setenv("CREATIVE_AI_SANDBOX", "none")
    sandbox.mode.cache_clear()
    answer = ("import socket\nimport numpy as np\n"
              "_cut = [name for _, name in socket.if_nameindex()] == ['lo']\n"
              "def share(values):\n"
              "    values = np.asarray(values, dtype=float)\n"
              "    return values / values.sum() if _cut else values\n")
    results, _, report = _run(TINY_LAB[:3], answers={"share": answer})
    assert report.sandbox == "none"
    assert results["test_share"] == "passed", f"the student's process had a network: {results}"


def test_the_warning_says_what_the_fallback_protects(monkeypatch, fresh_probe):
    monkeypatch.setenv("CREATIVE_AI_SANDBOX", "none")
    warning = sandbox.fallback_warning()
    assert "GRADING IS NOT SANDBOXED: CREATIVE_AI_SANDBOX=none is set" in warning
    assert "read\n!! and change your files" in warning
    network = "has no network" if sandbox.fallback_prefix() else "CAN reach the network"
    assert f"Network: student code {network}" in warning, warning


def test_ci_runs_the_no_sandbox_path_after_make_test():
    """Both paths on every submission: make test as the README says, then a broken bwrap first on PATH."""
    ci = (REPO / ".ci" / "run").read_text()
    make_test = ci.index("\nmake test\n")
    shimmed = ci.index('PATH="$shim:$PATH"')
    assert make_test < shimmed and "exit 1" in ci[ci.index('> "$shim/bwrap"') - 200:shimmed]
    named = ci[shimmed:].split("| tee")[0]
    for path in ("tests/grading/test_hostile.py", "tests/test_sandbox.py", "tests/test_network_guard.py",
                 "tests/grading/test_autograde_runs.py::test_unsandboxed_grading_works_and_says_so"):
        assert path in named, f".ci/run's no-sandbox run leaves out {path}"
        file, _, test = path.partition("::")
        assert (REPO / file).is_file() and (not test or f"def {test}(" in (REPO / file).read_text()), path
