"""Settings read from the environment by a factory (nothing happens at import time)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("var")


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    # The audit log's signing key and its published checkpoints (adapters/checkpoints.py): outside
    # the database, by default one pair per database under the data directory.
    audit_key_file: Path = Path()
    checkpoint_file: Path = Path()
    # Issue 11: a list import removing more than this share of a list waits for confirmation.
    list_max_shrink: float = 0.25

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        data_dir = Path(env.get("EXPORTGUARD_DATA_DIR", str(DEFAULT_DATA_DIR)))
        url = env.get("EXPORTGUARD_DATABASE_URL") or f"sqlite:///{data_dir / 'exportguard.sqlite3'}"
        log = _log_name(url)
        return cls(
            database_url=url,
            data_dir=data_dir,
            audit_key_file=Path(env.get("EXPORTGUARD_AUDIT_KEY_FILE") or data_dir / "audit-signing.key"),
            checkpoint_file=Path(
                env.get("EXPORTGUARD_CHECKPOINT_FILE") or data_dir / f"audit-checkpoints-{log}.jsonl"
            ),
            list_max_shrink=float(env.get("EXPORTGUARD_LIST_MAX_SHRINK", "0.25")),
        )


def _log_name(url: str) -> str:
    """A file-name-safe name for the database a URL points at (its checkpoints are its own)."""
    tail = url.split("://", 1)[-1].split("?", 1)[0]
    tail = tail.rsplit("@", 1)[-1]  # no credentials in a file name
    return re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-")[-80:] or "default"
