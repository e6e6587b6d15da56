"""The classroom's site settings (written by `make classroom`, read by the hub's config)."""

from __future__ import annotations

import grp
import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "state" / "settings.json"


def path() -> Path:
    return Path(os.environ.get("CREATIVE_AI_CLASSROOM_SETTINGS", DEFAULT))


def load() -> dict:
    where = path()
    if not where.is_file():
        raise SystemExit(f"No classroom settings at {where}: run `make classroom` first (docs/classroom.md).")
    return json.loads(where.read_text())


def members(group: str) -> set[str]:
    try:
        return set(grp.getgrnam(group).gr_mem)
    except KeyError:
        return set()


def gradebook_url(settings: dict) -> str | None:
    """The graders' gradebook: PostgreSQL through its Unix socket, or None (sqlite)."""
    pg = settings.get("postgres")
    if not pg:
        return None
    password = Path(pg["password_file"]).read_text().strip()
    return f"postgresql+psycopg2://{pg['user']}:{password}@/{pg['database']}?host={pg['socket_dir']}&port={pg['port']}"


def is_grader(settings: dict, username: str) -> bool:
    return username in members(settings["graders_group"])


def server_environment(settings: dict, username: str) -> dict:
    """The environment of ``username``'s server (and of what they run in its terminal)."""
    course = Path(settings["course"])
    role = "grader" if is_grader(settings, username) else "student"
    env = {
        "PATH": f"{course / '.venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_CONFIG_PATH": str(HERE / "jupyter" / role),
        "CREATIVE_AI_EXCHANGE": settings["exchange"],
        "CREATIVE_AI_COURSE_ID": settings.get("course_id", "creative-ai"),
    }
    if role == "grader":
        env["PYTHONPATH"] = f"{course / 'autograder'}:{HERE}"
        url = gradebook_url(settings)
        if url:
            env["CREATIVE_AI_GRADEBOOK_URL"] = url
    return env
