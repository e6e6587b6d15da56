"""Set up the classroom hub on this machine (run as root; `make classroom` calls `init`).

    python classroom/setup.py init [--exchange DIR] [--state DIR] [--port N] [--postgres] ...
    python classroom/setup.py add-user NAME --role student|ta|instructor   (password on stdin)
    python classroom/setup.py postgres start|stop

``init`` is safe to re-run. It checks that every user can run the course environment, creates
the course's two Unix groups, closes the instructor-only parts of the course folder to
students, creates the exchange with the permission design of docs/classroom.md, optionally
creates and starts the PostgreSQL gradebook, and writes ``state/settings.json`` for the hub.
"""

from __future__ import annotations

import argparse
import grp
import json
import os
import pwd
import secrets
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import settings as classroom_settings  # noqa: E402

COURSE = HERE.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Instructor-only parts of the course: solutions and hidden tests (labs/), the gradebook and
# every submission (autograder/), the grading corpora (tests/), rubrics and tools.
INSTRUCTOR_ONLY = ["labs", "autograder", "tests", "docs/rubrics", "tools"]


def run(*command, **kw):
    return subprocess.run([str(c) for c in command], check=True, **kw)


def fail(message: str) -> None:
    raise SystemExit(f"classroom: {message}")


def ensure_group(name: str) -> int:
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        run("groupadd", name)
        return grp.getgrnam(name).gr_gid


def check_environment(course: Path) -> None:
    """Students' servers run the course's Python as their own user: it must be reachable."""
    python = course / ".venv" / "bin" / "python"
    if not python.exists():
        fail(f"no course environment at {course / '.venv'}: run `make setup` first")
    probe = subprocess.run(["runuser", "-u", "nobody", "--", str(python), "-c", "import jupyterhub, nbgrader"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        fail(f"other users cannot run the course environment ({python} -> {python.resolve()}):\n"
             f"{probe.stderr.strip()[-400:]}\nIts Python must be outside any private home folder: build it "
             "with a system Python, e.g. `make clean setup PYTHON=/usr/bin/python3.11`, in a course folder "
             "every user can read (e.g. /srv/creative-ai).")
    chp = HERE / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists():
        fail("configurable-http-proxy is not installed: run `make classroom-proxy` (needs npm)")


def close_instructor_parts(course: Path, graders_gid: int) -> None:
    """Instructor-only folders: group graders (read/write, set-group-id), nothing for others."""
    for part in INSTRUCTOR_ONLY:
        top = course / part
        if not top.exists():
            continue
        for dirpath, _subdirs, filenames in os.walk(top):
            os.chown(dirpath, -1, graders_gid)
            os.chmod(dirpath, (os.stat(dirpath).st_mode & 0o770) | 0o2770)
            for name in filenames:
                path = os.path.join(dirpath, name)
                if os.path.islink(path):
                    continue
                os.chown(path, -1, graders_gid)
                mode = os.stat(path).st_mode
                os.chmod(path, (mode & 0o770) | 0o060 | (0o010 if mode & 0o100 else 0))
    # The grader's warm caches (autograder/grader/warm.py) are built by whoever grades first:
    # graders may write them, students may not.
    var = course / ".venv" / "var"
    var.mkdir(exist_ok=True)
    for dirpath, _subdirs, filenames in os.walk(var):
        os.chown(dirpath, -1, graders_gid)
        os.chmod(dirpath, 0o2775)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), -1, graders_gid)
            os.chmod(os.path.join(dirpath, name), 0o664)
    # The rest (package, datasets, lessons, environment) is readable by everyone, as is the path.
    for folder in [course, *course.parents]:
        mode = os.stat(folder).st_mode
        if not mode & 0o001:
            fail(f"{folder} is not searchable by other users (mode {oct(mode & 0o7777)}): put the course "
                 "in a folder every user can reach, e.g. /srv/creative-ai")


def make_exchange(root: Path, course_id: str, graders_gid: int) -> None:
    """The permission design (docs/classroom.md, "The exchange")."""
    root.mkdir(parents=True, exist_ok=True)
    os.chown(root, 0, 0)
    os.chmod(root, 0o755)                       # nobody but root adds or renames courses
    course = root / course_id
    layout = {
        course: 0o2775,                         # graders write, everyone reads
        course / "outbound": 0o2775,            # releases: graders write, students only read
        course / "inbound": 0o3773,             # submissions: students create, cannot list;
                                                # sticky: nobody renames or deletes another's;
                                                # set-group-id: every entry gets the graders' group
        course / "feedback": 0o2771,            # feedback: students cannot list it
    }
    for folder, mode in layout.items():
        folder.mkdir(exist_ok=True)
        os.chown(folder, 0, graders_gid)
        os.chmod(folder, mode)


def pg(settings: dict, action: str) -> None:
    conf = settings.get("postgres")
    if not conf:
        return
    data, log = Path(conf["data_dir"]), Path(conf["data_dir"]).parent / "postgres.log"
    user = "postgres"
    ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-w"]
    status = subprocess.run(["runuser", "-u", user, "--", *ctl[:3], "status"], capture_output=True)
    if action == "start" and status.returncode != 0:
        run("runuser", "-u", user, "--", *ctl, "start")
    elif action == "stop" and status.returncode == 0:
        run("runuser", "-u", user, "--", *ctl, "-m", "fast", "stop")


def init_postgres(state: Path, port: int, graders_gid: int) -> dict:
    if not (PG_BIN / "initdb").exists():
        fail(f"PostgreSQL's server is not at {PG_BIN} (Debian: apt-get install postgresql-15; "
             "or set PG_BIN=/usr/lib/postgresql/<version>/bin)")
    conf = {"data_dir": str(state / "pg" / "data"), "socket_dir": str(state / "pg" / "run"), "port": port,
            "user": "gradebook", "database": "gradebook", "password_file": str(state / "gradebook-password")}
    pg_uid = pwd.getpwnam("postgres").pw_uid
    base = state / "pg"
    base.mkdir(parents=True, exist_ok=True)
    os.chown(base, pg_uid, -1)
    os.chmod(base, 0o755)
    run_dir = Path(conf["socket_dir"])
    run_dir.mkdir(exist_ok=True)
    os.chown(run_dir, pg_uid, -1)
    os.chmod(run_dir, 0o755)
    password_file = Path(conf["password_file"])
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(32) + "\n")
    os.chown(password_file, 0, graders_gid)
    os.chmod(password_file, 0o640)
    data = Path(conf["data_dir"])
    fresh = not (data / "PG_VERSION").exists()
    if fresh:
        run("runuser", "-u", "postgres", "--", PG_BIN / "initdb", "-D", data, "--auth=peer", "-U", "postgres",
            stdout=subprocess.DEVNULL)
        with open(data / "postgresql.conf", "a") as handle:
            handle.write(f"\n# classroom\nlisten_addresses = ''\nport = {port}\n"
                         f"unix_socket_directories = '{run_dir}'\nmax_connections = 100\n")
        (data / "pg_hba.conf").write_text(
            "# classroom: the postgres superuser by peer, the gradebook by password, Unix socket only\n"
            "local all postgres peer\nlocal gradebook gradebook scram-sha-256\n")
    pg({"postgres": conf}, "start")
    if fresh:
        password = password_file.read_text().strip()
        sql = (f"CREATE ROLE gradebook LOGIN PASSWORD '{password}'; "
               "CREATE DATABASE gradebook OWNER gradebook;")
        for statement in sql.split("; "):
            run("runuser", "-u", "postgres", "--", PG_BIN / "psql", "-h", run_dir, "-p", port, "-d", "postgres",
                "-qc", statement)
    return conf


def init(args) -> None:
    if os.geteuid() != 0:
        fail("run as root (it creates groups and the exchange, and the hub starts users' servers)")
    course = COURSE
    check_environment(course)
    graders = ensure_group(args.graders_group)
    ensure_group(args.students_group)
    close_instructor_parts(course, graders)
    make_exchange(Path(args.exchange), args.course_id, graders)
    state = Path(args.state)
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o755)
    settings = {"course": str(course), "course_id": args.course_id, "exchange": str(Path(args.exchange)),
                "state": str(state), "ip": args.ip, "port": args.port, "hub_port": args.hub_port,
                "proxy_api_port": args.proxy_api_port, "students_group": args.students_group,
                "graders_group": args.graders_group, "admins": args.admin, "idle_timeout": args.idle_timeout}
    if args.postgres:
        settings["postgres"] = init_postgres(state, args.pg_port, graders)
    where = state / "settings.json"
    where.write_text(json.dumps(settings, indent=2) + "\n")
    os.chmod(where, 0o644)
    print(f"Classroom ready: settings in {where}. Add users with `make classroom-user`, start with `make hub`.")


def add_user(args) -> None:
    s = classroom_settings.load()
    group = s["students_group"] if args.role == "student" else s["graders_group"]
    try:
        pwd.getpwnam(args.name)
    except KeyError:
        run("useradd", "--create-home", "--shell", "/bin/bash", "--comment", args.full_name or args.name, args.name)
    home = Path(pwd.getpwnam(args.name).pw_dir)
    os.chmod(home, 0o700)                       # a student's work is theirs alone
    run("usermod", "-a", "-G", group, args.name)
    if args.role == "instructor" and args.name not in s["admins"]:
        s["admins"].append(args.name)
        classroom_settings.path().write_text(json.dumps(s, indent=2) + "\n")
    password = sys.stdin.readline().rstrip("\n")
    if password:
        run("chpasswd", input=f"{args.name}:{password}\n", text=True)
    print(f"{args.name}: {args.role} (group {group})" + ("" if password else "; no password set"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init")
    p.add_argument("--exchange", default="/srv/nbgrader/exchange")
    p.add_argument("--state", default=str(HERE / "state"))
    p.add_argument("--course-id", default="creative-ai")
    p.add_argument("--ip", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--hub-port", type=int, default=8081)
    p.add_argument("--proxy-api-port", type=int, default=8001)
    p.add_argument("--students-group", default="creative-ai-students")
    p.add_argument("--graders-group", default="creative-ai-graders")
    p.add_argument("--admin", action="append", default=[])
    p.add_argument("--idle-timeout", type=int, default=3600)
    p.add_argument("--postgres", action="store_true", help="the graders' gradebook on PostgreSQL")
    p.add_argument("--pg-port", type=int, default=5433)
    u = sub.add_parser("add-user")
    u.add_argument("name")
    u.add_argument("--role", choices=["student", "ta", "instructor"], required=True)
    u.add_argument("--full-name", default="", help='"First Last" (formgrader and the grade export show it)')
    g = sub.add_parser("postgres")
    g.add_argument("action", choices=["start", "stop"])
    args = parser.parse_args(argv)
    if args.command == "init":
        init(args)
    elif args.command == "add-user":
        add_user(args)
    else:
        pg(classroom_settings.load(), args.action)


if __name__ == "__main__":
    main()
