"""What every command shares: the database, the acting principal, and errors as one line, exit 2.

ARCHITECTURE (cross-cutting rules): bad input gets one line naming the field and exit status 2;
units of work roll back on any error, so nothing is half-written.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer._click.core import Context as ClickContext
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer.core import TyperGroup
from typer.exceptions import TyperException

from exportguard.domain.access import Actor, Role
from exportguard.domain.errors import DomainError, InvalidInput
from exportguard.settings import Settings

# The services (and through them SQLAlchemy, pydantic, alembic) are imported by the commands that
# use them, not here: `exportguard --help` must not wait for them (cli/lazy.py).
if TYPE_CHECKING:
    from exportguard.services.kernel.unit_of_work import UnitOfWork
    from exportguard.services.system import ExportGuard

# Read commands run without a credential as this built-in operator: whoever holds the database's
# address can read it anyway; the auditor's role reads everything and changes nothing
# (PERMISSIONS in domain/access.py). Changing records always needs an account's credential.
LOCAL_OPERATOR = Actor("local-operator", Role.AUDITOR)
EXIT_BAD_INPUT = 2
EXIT_FAILED = 1
EXIT_UNAVAILABLE = 75  # sysexits.h EX_TEMPFAIL: a temporary failure, try again later
# A file given on the command line that is missing, unreadable, not the text it should be, or
# whose CSV has a line the reader cannot take (a field over 131,072 characters).
BAD_FILE = (OSError, UnicodeError, csv.Error, RecursionError)
T = TypeVar("T")


def date_option(help_text: str, *names: str) -> Any:
    """A YYYY-MM-DD option (a bad date is a usage error: one line, exit 2); ``names`` as typer's."""
    return typer.Option(*names, formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=help_text)


def moment_option(help_text: str) -> Any:
    return typer.Option(
        formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        metavar="YYYY-MM-DD[THH:MM[:SS]]",
        help=help_text,
    )


def _exit_status(exc: Exception) -> int | None:
    """Print the one line for an error of pydantic, the database or a backup, and its exit status.

    Imported here, on the error's path: the library that raised it is loaded already."""
    from pydantic import ValidationError

    from exportguard.db.backup import BackupFailed
    from exportguard.db.session import DATABASE_UNAVAILABLE

    if isinstance(exc, ValidationError):
        typer.echo(one_line(exc), err=True)
        return EXIT_BAD_INPUT
    if isinstance(exc, DATABASE_UNAVAILABLE):
        reason = " ".join(str(getattr(exc, "orig", exc) or exc).split())[:160]
        typer.echo(f"error: the database cannot be reached ({reason}); try again later", err=True)
        return EXIT_UNAVAILABLE
    if isinstance(exc, BackupFailed):
        typer.echo(one_line(exc), err=True)
        return EXIT_FAILED
    if isinstance(exc, BAD_FILE):
        # Issue 11: a file that cannot be read as asked is bad input too: one line, no traceback.
        typer.echo(one_line(exc), err=True)
        return EXIT_BAD_INPUT
    return None


def one_line(exc: BaseException) -> str:
    """The error as one line naming the field(s)."""
    from pydantic import ValidationError  # loaded already if exc is one (see _exit_status)

    if isinstance(exc, ValidationError):
        text = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'input'}: {err['msg']}" for err in exc.errors()
        )
    elif isinstance(exc, TyperException):
        text = exc.format_message()
    elif isinstance(exc, DomainError) and [str(p) for p in exc.problems] == [exc.message]:
        text = exc.message  # InvalidInput.of: the message already names the field
    elif isinstance(exc, UnicodeDecodeError):
        text = f"file: not UTF-8 text (byte {exc.start}: {exc.reason})"
    elif isinstance(exc, OSError):
        text = f"file: cannot read {exc.filename or 'the file'}: {exc.strerror or exc}"
    elif isinstance(exc, BAD_FILE):
        text = f"file: {type(exc).__name__}: {exc}"
    else:
        text = str(exc)
    return "error: " + " ".join(text.split())


class ExportGuardGroup(TyperGroup):
    """The root group: turns rule violations and bad options into one line and exit status 2.

    Typer 0.29 vendors click as ``typer._click``; its usage errors are caught from there.
    """

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except (DomainError, UsageError) as exc:
            typer.echo(one_line(exc), err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except Exception as exc:
            status = _exit_status(exc)
            if status is None:
                raise
            raise typer.Exit(status) from None

    def make_context(
        self, info_name: str | None, args: list[str], parent: ClickContext | None = None, **extra: Any
    ) -> ClickContext:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            typer.echo(one_line(exc), err=True)
            raise typer.Exit(EXIT_BAD_INPUT) from None


@dataclass
class CliState:
    """The credential the command acts with, and the system, opened on first use.

    A command that changes records acts as the account of an API token (``--token`` or
    EXPORTGUARD_TOKEN) or of a session opened by ``exportguard login`` (kept in the credentials file,
    cli/credentials_file.py); never as a name alone. ``--as USERNAME`` only says which stored session
    to use.
    """

    as_username: str | None
    token: str | None = None
    _system: ExportGuard | None = None

    def system(self) -> ExportGuard:
        from exportguard.services.system import ExportGuard

        if self._system is None:
            self._system = ExportGuard.from_settings(Settings.from_env())
        return self._system

    def system_unmigrated(self) -> ExportGuard:
        """The system on the configured database as it is (backup and restore must not migrate)."""
        from exportguard.services.system import ExportGuard

        if self._system is None:
            self._system = ExportGuard.from_url(Settings.from_env().database_url, migrate=False)
        return self._system

    def database_url(self) -> str:
        return self.system().engine.url.render_as_string(hide_password=True)

    def credential_actor(self) -> Actor | None:
        """The account the credential belongs to, or None without a credential."""
        from exportguard.cli import credentials_file
        from exportguard.services.accounts.sessions import resolve
        from exportguard.services.accounts.tokens import actor_for_token

        system = self.system()
        if self.token:
            with system.read() as session:
                return actor_for_token(session, self.token, system.clock.now())
        session_id = credentials_file.stored_session(self.database_url(), self.as_username)
        if session_id is None:
            if self.as_username:
                raise InvalidInput.of(
                    "as",
                    f"no sign-in of '{self.as_username}' here: run `exportguard login {self.as_username}` "
                    "(or give an API token with EXPORTGUARD_TOKEN)",
                )
            return None
        live = resolve(system, session_id)
        if live is None:
            raise InvalidInput.of("login", "the stored sign-in has ended: run `exportguard login` again")
        if live.pending is not None:
            raise InvalidInput.of("login", f"finish signing in first ({live.pending}): `exportguard login`")
        return live.actor

    def reader(self) -> Actor:
        return self.credential_actor() or LOCAL_OPERATOR

    def writer(self) -> Actor:
        actor = self.credential_actor()
        if actor is None:
            raise InvalidInput.of(
                "token",
                "a command that changes records needs a credential: `exportguard login USERNAME`, "
                "or an API token in EXPORTGUARD_TOKEN",
            )
        return actor

    def act(self, command: Callable[[UnitOfWork], T]) -> T:
        """Run one named command as the credential's account, in its own unit of work."""
        actor = self.writer()
        with self.system().uow(actor) as uow:
            return command(uow)

    def today(self) -> date:
        return self.system().clock.today()

    def close(self) -> None:
        if self._system is not None:
            self._system.engine.dispose()


def state(ctx: typer.Context) -> CliState:
    found = ctx.find_object(CliState)
    if found is None:  # a sub-app run on its own (tests): act as the local operator
        found = CliState(None)
        ctx.obj = found
        ctx.call_on_close(found.close)
    return found


def day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def moment(value: datetime | None) -> datetime | None:
    """A --known-at moment; a time given without a zone is read as UTC (how moments are stored)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
