"""Which machine grades which submission: `make autograde SHARD=K/N` (see cli.py)."""

from __future__ import annotations

import hashlib


def shard_of(lab: str, student: str, shards: int) -> int:
    """The shard (1..shards) that grades ``student``'s submission of ``lab``: a stable hash, so
    every machine agrees without seeing the others' submissions."""
    digest = hashlib.sha256(f"{lab}/{student}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"K/N"`` → (K, N) with 1 <= K <= N; None or "" → None (no sharding)."""
    if not text:
        return None
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise SystemExit(f"--shard must look like K/N (e.g. 2/4), not {text!r}") from None
    if not 1 <= k <= n:
        raise SystemExit(f"--shard {text}: K must be between 1 and N")
    return k, n
