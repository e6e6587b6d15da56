"""Nothing in the suite may reach the network: the guard that enforces it must really work.

conftest.py loads tests/netguard/sitecustomize.py into every process the suite starts
(kernels, nbgrader); an attempt is logged and fails the run even if the code swallows it.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(code: str, log) -> subprocess.CompletedProcess:
    env = dict(os.environ, CREATIVE_AI_NETLOG=str(log))  # a private log: this attempt is expected
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "code",
    [
        "import socket; socket.create_connection(('10.255.255.1', 80), timeout=1)",
        "import socket; socket.socket().connect_ex(('93.184.216.34', 443))",
        "import urllib.request; urllib.request.urlopen('http://example.org', timeout=1)",
        "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.sendto(b'x', ('8.8.8.8', 53))",
    ],
)
def test_guard_blocks_and_logs_remote_connections(tmp_path, code):
    log = tmp_path / "netlog.txt"
    result = _run(code, log)
    assert result.returncode != 0 and "NetworkBlocked" in result.stderr, result.stderr[-2000:]
    assert log.exists() and "forbids" not in log.read_text() and log.read_text().strip()


def test_guard_allows_loopback(tmp_path):
    log = tmp_path / "netlog.txt"
    code = (
        "import socket\n"
        "server = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(1)\n"
        "client = socket.create_connection(server.getsockname(), timeout=5)\n"
        "socket.getaddrinfo('localhost', 80)\n"
        "print('ok')"
    )
    result = _run(code, log)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
    assert not log.exists()


def test_guard_is_active_in_this_process(tmp_path, monkeypatch):
    import socket

    monkeypatch.setenv("CREATIVE_AI_NETLOG", str(tmp_path / "netlog.txt"))  # expected attempt

    with pytest.raises(RuntimeError, match="forbids network access"):
        socket.getaddrinfo("example.org", 80)
