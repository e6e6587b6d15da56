"""A real classroom hub on loopback for the tests and the load measurement.

:class:`Classroom` copies the course (its git files) to a scratch folder under ``/srv`` (every
user can reach it), gives the copy an environment every user can run (see
:func:`portable_venv`), and then does what docs/classroom.md tells an instructor to do, as
written: ``make classroom CLASSROOM_FLAGS=...``, ``make classroom-user ...`` per user, ``make hub``.
Users log in through the hub's login form (PAM) like a browser would (:class:`Client`).
Everything it creates (users, groups, folders, processes, PostgreSQL) is removed by :meth:`stop`.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
sys.path.insert(0, str(REPO / "classroom"))
import settings as classroom_settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def why_not() -> str:
    """Why a real hub cannot run here ('' when it can)."""
    if os.geteuid() != 0:
        return "needs root (creates Unix users and starts their servers)"
    for tool in ("useradd", "runuser", "chpasswd", "make"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if not shutil.which("npm"):
        return "npm is not installed (configurable-http-proxy comes from npm)"
    if not Path("/usr/bin/python3.11").exists():
        return "needs a system Python 3.11 (/usr/bin/python3.11) for an environment every user can run"
    if not Path("/etc/pam.d/login").exists() and not Path("/etc/pam.d/other").exists():
        return "PAM is not configured"
    return ""


def copy_course(target: Path) -> None:
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    for name in files.splitlines():
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)


def portable_venv(course: Path) -> None:
    """``course/.venv``: this environment's packages under the system's Python 3.11.

    The course environment here may live on a Python that other users cannot run (pyenv under
    /root). An instructor builds it with a system Python (``make setup PYTHON=/usr/bin/python3.11``,
    as docs/classroom.md says); the test gets the same result in seconds: a venv made by the
    system's Python 3.11, with this environment's site-packages hard-linked in (same packages,
    same pins; compiled modules use the stable CPython 3.11 ABI), scripts pointing at it, and the
    editable install pointing at the copy.
    """
    here = Path(sys.prefix)
    venv = course / ".venv"
    subprocess.run(["/usr/bin/python3.11", "-m", "venv", "--without-pip", str(venv)], check=True)
    site = venv / "lib" / "python3.11" / "site-packages"
    shutil.rmtree(site)
    subprocess.run(["cp", "-al", str(here / "lib" / "python3.11" / "site-packages"), str(site)], check=True)
    finder = site / "__editable___creative_ai_0_1_0_finder.py"
    if finder.exists():
        text = finder.read_text()
        finder.unlink()
        finder.write_text(text.replace(str(Path(sys.modules["creative_ai"].__file__).parent)
                                       if "creative_ai" in sys.modules else str(REPO / "creative_ai"),
                                       str(course / "creative_ai")))
    # Packages that need a newer Python than the system's (e.g. soupsieve 4.1 wants >= 3.11.5;
    # Debian 12 has 3.11.2): replaced by the newest release that supports it, as `make setup`
    # with that Python would have chosen.
    from packaging.specifiers import SpecifierSet

    system = subprocess.run(["/usr/bin/python3.11", "-c", "import platform; print(platform.python_version())"],
                            capture_output=True, text=True, check=True).stdout.strip()
    for meta in site.glob("*.dist-info/METADATA"):
        fields = dict(line.split(": ", 1) for line in meta.read_text(errors="replace").split("\n\n")[0].splitlines()
                      if ": " in line)
        needs = fields.get("Requires-Python", "")
        if needs and system not in SpecifierSet(needs):
            tops = {line.split(",")[0].split("/")[0] for line in (meta.parent / "RECORD").read_text().splitlines()}
            for top in tops - {"..", ""}:
                target = site / top
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
            subprocess.run([str(here / "bin" / "pip"), "install", "-q", "--upgrade", "--no-deps", "--target", str(site),
                            "--python-version", system, "--only-binary=:all:", fields["Name"]], check=True)
    for script in (here / "bin").iterdir():
        if script.name.startswith(("python", "activate", "Activate")) or not script.is_file():
            continue
        head = script.read_bytes()[:200]
        if head.startswith(b"#!") and b"python" in head.split(b"\n", 1)[0]:
            body = script.read_text().split("\n", 1)[1]
            target = venv / "bin" / script.name
            target.write_text(f"#!{venv}/bin/python\n{body}")
            target.chmod(0o755)
    share = here / "share"
    if share.exists():
        subprocess.run(["cp", "-al", str(share), str(venv / "share")], check=True)
    etc = here / "etc"
    if etc.exists():
        subprocess.run(["cp", "-al", str(etc), str(venv / "etc")], check=True)
    (venv / ".installed").touch()


def kill_processes_of(user: str) -> None:
    """Stop, by process id, whatever a test user still runs (their server, if the hub left it)."""
    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass


class Client:
    """One user in a browser: logs in through the hub's form, then acts with an API token."""

    def __init__(self, hub: Classroom, name: str):
        self.hub, self.name = hub, name
        self.session = requests.Session()
        self.token = ""

    @property
    def base(self) -> str:
        return self.hub.url

    def login(self) -> float:
        start = time.monotonic()
        self.session.get(f"{self.base}/hub/login", timeout=60)
        xsrf = self.session.cookies.get("_xsrf", "")
        reply = self.session.post(f"{self.base}/hub/login?next=", timeout=120, allow_redirects=False,
                                  data={"username": self.name, "password": self.hub.passwords[self.name],
                                        "_xsrf": xsrf})
        assert reply.status_code == 302, f"login of {self.name} failed: {reply.status_code} {reply.text[:300]}"
        elapsed = time.monotonic() - start
        xsrf = self.session.cookies.get("_xsrf", path="/hub/") or self.session.cookies.get("_xsrf", "")
        made = self.session.post(f"{self.base}/hub/api/users/{self.name}/tokens", json={"note": "test"},
                                 headers={"X-XSRFToken": xsrf}, timeout=60)
        assert made.status_code in (200, 201), made.text[:300]
        self.token = made.json()["token"]
        return elapsed

    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def start_server(self, timeout: float = 300) -> float:
        start = time.monotonic()
        reply = requests.post(f"{self.base}/hub/api/users/{self.name}/server", headers=self.headers(), timeout=60)
        assert reply.status_code in (201, 202, 400), reply.text[:300]
        while time.monotonic() - start < timeout:
            info = requests.get(f"{self.base}/hub/api/users/{self.name}", headers=self.headers(), timeout=60).json()
            server = info.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - start
            time.sleep(0.5)
        raise TimeoutError(f"{self.name}'s server did not start in {timeout} s")

    def server(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 300)
        return requests.request(method, f"{self.base}/user/{self.name}/{path.lstrip('/')}", headers=self.headers(),
                                **kw)

    def browser_cookies(self) -> list[dict]:
        """The cookies a browser holds after opening the user's server (hub and server login)."""
        self.session.get(f"{self.base}/user/{self.name}/lab", timeout=120)
        return [{"name": c.name, "value": c.value, "path": c.path or "/", "domain": "127.0.0.1"}
                for c in self.session.cookies]


class Classroom:
    def __init__(self, root: Path, students: list[str], graders: dict[str, str], postgres: bool = True,
                 prefix: str = "cait"):
        self.root, self.prefix = root, prefix
        self.course = root / "course"
        self.exchange = root / "exchange"
        self.students, self.graders = students, graders  # graders: name -> "instructor" | "ta"
        self.postgres = postgres
        self.passwords: dict[str, str] = {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.hub: subprocess.Popen | None = None
        self.log = root / "hub.log"
        self.users_made: list[str] = []
        self.groups = (f"{prefix}-students", f"{prefix}-graders")

    # ---- the guide's commands ----
    def make(self, *args: str, user: str | None = None, input: str | None = None, timeout: int = 1800,
             cwd: Path | None = None) -> str:
        command = ["make", "--no-print-directory", *args]
        return self.run(command, user=user, input=input, timeout=timeout, cwd=cwd or self.course)

    def env_for(self, user: str) -> dict:
        env = {"HOME": pwd.getpwnam(user).pw_dir, "USER": user, "LANG": "C.UTF-8", "MPLBACKEND": "Agg"}
        env.update(classroom_settings.server_environment(self.settings(), user))
        return env

    def run(self, command: list[str], user: str | None = None, input: str | None = None, timeout: int = 1800,
            cwd: Path | None = None, check: bool = True) -> str:
        if user is None:
            env = {**os.environ, "CREATIVE_AI_CLASSROOM_SETTINGS": str(self.settings_file)}
            full = command
        else:
            env = self.env_for(user)
            env["CREATIVE_AI_CLASSROOM_SETTINGS"] = str(self.settings_file)
            umask = "0007" if user in self.graders else "0077"
            full = [RUNUSER, "-u", user, "--", "/bin/sh", "-c", f'umask {umask}; exec "$@"', "sh", *command]
        result = subprocess.run(full, cwd=cwd or self.course, input=input, capture_output=True, text=True,
                                timeout=timeout, env=env)
        output = result.stdout + result.stderr
        if check:
            assert result.returncode == 0, f"{' '.join(command)} (as {user or 'root'}) failed:\n{output[-6000:]}"
        return output

    @property
    def settings_file(self) -> Path:
        return self.course / "classroom" / "state" / "settings.json"

    def settings(self) -> dict:
        import json

        return json.loads(self.settings_file.read_text())

    def start(self) -> None:
        self.root.mkdir(parents=True)
        os.chmod(self.root, 0o755)
        copy_course(self.course)
        portable_venv(self.course)
        students_group, graders_group = self.groups
        flags = (f"--exchange {self.exchange} --port {self.port} --hub-port {free_port()} "
                 f"--proxy-api-port {free_port()} --students-group {students_group} "
                 f"--graders-group {graders_group} --idle-timeout 7200"
                 + (f" --postgres --pg-port {free_port()}" if self.postgres else ""))
        self.make("classroom", f"CLASSROOM_FLAGS={flags}")
        for name, role in [*self.graders.items(), *((s, "student") for s in self.students)]:
            self.add_user(name, role)
        self.hub = subprocess.Popen(["make", "--no-print-directory", "hub"], cwd=self.course,
                                    stdout=open(self.log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/hub/api", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.hub.poll() is not None:
                raise RuntimeError(f"the hub exited:\n{self.log.read_text()[-4000:]}")
            time.sleep(1)
        raise TimeoutError(f"the hub did not answer:\n{self.log.read_text()[-4000:]}")

    # Developers: keep a hub between runs (CLASSROOM_KEEP=/path/state.json), see test_hub.py.
    def save(self, where: Path) -> None:
        import json

        where.write_text(json.dumps({"root": str(self.root), "students": self.students, "graders": self.graders,
                                     "passwords": self.passwords, "port": self.port, "users": self.users_made,
                                     "prefix": self.prefix, "postgres": self.postgres}))

    @classmethod
    def attach(cls, where: Path) -> Classroom:
        import json

        state = json.loads(where.read_text())
        room = cls(Path(state["root"]), state["students"], state["graders"], state["postgres"], state["prefix"])
        room.passwords, room.port, room.users_made = state["passwords"], state["port"], state["users"]
        room.url = f"http://127.0.0.1:{room.port}"
        return room

    def add_user(self, name: str, role: str) -> None:
        try:
            pwd.getpwnam(name)
            raise RuntimeError(f"user {name} already exists: refusing to touch it")
        except KeyError:
            pass
        self.users_made.append(name)
        self.passwords[name] = secrets.token_urlsafe(12)
        self.make("classroom-user", f"NAME={name}", f"ROLE={role}", f"FULL_NAME=Test {name.title().replace('-', '')}",
                  input=self.passwords[name] + "\n")

    def client(self, name: str) -> Client:
        return Client(self, name)

    def stop(self) -> None:
        if self.hub is not None and self.hub.poll() is None:
            os.killpg(self.hub.pid, signal.SIGTERM)
            try:
                self.hub.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
        if self.settings_file.exists():
            subprocess.run([str(self.course / ".venv" / "bin" / "python"), "classroom/setup.py", "postgres", "stop"],
                           cwd=self.course, capture_output=True,
                           env={**os.environ, "CREATIVE_AI_CLASSROOM_SETTINGS": str(self.settings_file)})
        for name in self.users_made:
            kill_processes_of(name)
            subprocess.run(["userdel", "-r", name], capture_output=True)
        for group in self.groups:
            try:
                grp.getgrnam(group)
                subprocess.run(["groupdel", group], capture_output=True)
            except KeyError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
