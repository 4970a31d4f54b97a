"""Where ``exportguard login`` keeps its sessions: a JSON file readable by its owner only.

EXPORTGUARD_CREDENTIALS names the file (default ~/.config/exportguard/credentials.json). It maps a
database (its address, without password) to the usernames signed in to it and their session ids; the
most recent sign-in is the one used when ``--as`` does not name another.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def path() -> Path:
    configured = os.environ.get("EXPORTGUARD_CREDENTIALS")
    if configured:
        return Path(configured)
    return Path.home() / ".config" / "exportguard" / "credentials.json"


def _read() -> dict[str, Any]:
    try:
        found = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def _write(data: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Created readable and writable by its owner only, before anything is written into it.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=2, sort_keys=True)


def stored_session(database: str, username: str | None) -> str | None:
    entry = _read().get(database) or {}
    sessions = entry.get("sessions") or {}
    name = username or entry.get("current")
    found = sessions.get(name) if name else None
    return found if isinstance(found, str) else None


def store_session(database: str, username: str, session_id: str) -> None:
    data = _read()
    entry = data.setdefault(database, {})
    entry.setdefault("sessions", {})[username] = session_id
    entry["current"] = username
    _write(data)


def forget_session(database: str, username: str | None) -> str | None:
    """Remove the stored session of ``username`` (default: the current one); returns its id."""
    data = _read()
    entry = data.get(database) or {}
    name = username or entry.get("current")
    session_id = (entry.get("sessions") or {}).pop(name, None) if name else None
    if entry.get("current") == name:
        entry["current"] = next(iter(entry.get("sessions") or {}), None)
    _write(data)
    return session_id if isinstance(session_id, str) else None
