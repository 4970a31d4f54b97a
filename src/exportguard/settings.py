"""Settings read from the environment by a factory (nothing happens at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path("var")


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path

    @classmethod
    def from_env(cls) -> Settings:
        data_dir = Path(os.environ.get("EXPORTGUARD_DATA_DIR", str(DEFAULT_DATA_DIR)))
        url = os.environ.get("EXPORTGUARD_DATABASE_URL") or f"sqlite:///{data_dir / 'exportguard.sqlite3'}"
        return cls(database_url=url, data_dir=data_dir)
