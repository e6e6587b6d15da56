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
