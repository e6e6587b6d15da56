"""Pages as a browser runs them: headless Chromium, and a Jupyter server with nbgrader's formgrader.

Used by the tests that show student-authored script does not run in the pages the course
serves (issue 17). :func:`dump_dom` loads a page, lets its scripts run (virtual time), and
returns the DOM as the browser has it then; :func:`script_ran` looks in it for the marks the
hostile corpus's payloads leave (``data-pwned`` on <html>, the title "PWNED").
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def have_chromium() -> bool:
    return Path(CHROMIUM).is_file()


def dump_dom(url: str, budget_ms: int = 3000, timeout: float = 120) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
            capture_output=True, text=True, timeout=timeout)
    if not done.stdout.strip():
        raise RuntimeError(f"chromium returned no page for {url}: {done.stderr[-2000:]}")
    return done.stdout


def script_ran(dom: str) -> list[str]:
    """The marks of script that ran: the payloads set <html data-pwned="where"> and the title."""
    found = re.findall(r"<html[^>]*\bdata-pwned=\"([^\"]*)\"", dom)
    if re.search(r"<title>[^<]*PWNED", dom):
        found.append("title")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jupyter_command(port: int, token: str) -> list[str]:
    """What `make formgrader` runs (see the Makefile), with a port and a token for a test."""
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", "--notebook-dir=.",
               "--ServerApp.jpserver_extensions=formgrader_security=True"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    return command + server_flags(port, token)


def server_flags(port: int, token: str) -> list[str]:
    return [f"--port={port}", "--ip=127.0.0.1", "--no-browser", f"--IdentityProvider.token={token}",
            "--ServerApp.port_retries=0", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]


class Server:
    """A Jupyter server started by ``command`` in ``cwd`` (its own process group), until stop()."""

    def __init__(self, command: list[str], cwd: Path, port: int, token: str, env: dict | None = None):
        self.port, self.token = port, token
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                        env=env or os.environ.copy(), start_new_session=True)
        deadline = time.monotonic() + 180
        while True:
            try:
                self.get("/api/status")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    log = self.output()
                    self.stop()
                    raise RuntimeError("the Jupyter server did not start:\n" + log[-4000:]) from None
                time.sleep(0.5)

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}{path}{sep}token={self.token}"

    def get(self, path: str):
        """(status, headers, body) of a GET with the token."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=60) as response:
                return response.status, response.headers, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return Path(self.log.name).read_text(errors="replace") if Path(self.log.name).exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self.log.close()
        os.unlink(self.log.name)
