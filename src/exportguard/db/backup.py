"""Backing the database up to one file and restoring it, with each database's own tools.

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot, taken without stopping writers)
and ``pg_restore`` (in one transaction: a restore that fails leaves the target as it was). SQLite:
the online backup API (a consistent copy while others write). A backup is written to a temporary
file beside its target and renamed into place when complete, so a backup killed halfway leaves
no file that looks like a backup.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url


class BackupFailed(Exception):
    """The backup or restore could not be made; its message says why in one line."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    kind: str


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _libpq(engine: Engine) -> tuple[str, dict[str, str]]:
    """The database name and libpq's environment (the password never goes on a command line)."""
    url = make_url(engine.url)
    env = {**os.environ, "PGHOST": url.host or "", "PGPORT": str(url.port or 5432)}
    env["PGUSER"] = url.username or ""
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.database or "", env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own tool paths and arguments
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise BackupFailed(f"{Path(command[0]).name} failed: {last}")


def _sqlite_path(engine: Engine) -> str:
    database = make_url(engine.url).database
    if not database or database == ":memory:":
        raise BackupFailed("an in-memory SQLite database cannot be backed up")
    return database


def backup(engine: Engine, target: Path) -> BackupReport:
    """Write a complete, consistent backup of the database to ``target`` (replaced if present)."""
    partial = target.with_name(f".{target.name}.partial")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if engine.dialect.name == "postgresql":
            database, env = _libpq(engine)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}", database], env)
            kind = "pg_dump custom format"
        else:
            source, copy = sqlite3.connect(_sqlite_path(engine)), sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            kind = "SQLite database"
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(target, target.stat().st_size, kind)


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def restore(engine: Engine, source: Path, *, replace: bool = False) -> None:
    """Restore ``source`` into the (empty, unless ``replace``) database of ``engine``.

    PostgreSQL restores in one transaction (``--single-transaction --exit-on-error``); SQLite copies
    the backup's pages in one step of the backup API. Either way the target ends as the backup
    or as it was.
    """
    if not source.is_file():
        raise BackupFailed(f"no backup file at {source}")
    if not replace and not is_empty(engine):
        raise BackupFailed("the target database is not empty; pass --replace to overwrite it")
    engine.dispose()  # no pooled connection of ours holds a lock on what is replaced
    if engine.dialect.name == "postgresql":
        database, env = _libpq(engine)
        command = [_tool("pg_restore"), "--no-owner", "--single-transaction", "--exit-on-error"]
        if replace:
            command += ["--clean", "--if-exists"]
        _run([*command, f"--dbname={database}", str(source)], env)
        return
    backup_db = sqlite3.connect(source)
    try:
        if backup_db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise BackupFailed(f"{source} is not an intact SQLite database")
        target = sqlite3.connect(_sqlite_path(engine))
        try:
            backup_db.backup(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(f"{source} is not a SQLite backup: {exc}") from exc
    finally:
        backup_db.close()
