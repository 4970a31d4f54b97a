"""Errors are types: the web layer maps them to RFC 9457 problems, the CLI to one line and exit 2."""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import field as dataclass_field

from exportguard.domain.messages import N_, Code, Message, Said, message

NOT_ALLOWED_IN_STATE = message(
    "state.command_not_allowed", N_("%(what)s is %(state)s; '%(command)s' is not allowed")
)
CANNOT_IN_STATE = message("state.cannot", N_("cannot %(command)s %(what)s: it is %(state)s"))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, named by the field it concerns. ``said`` is the same words
    as a code with parameters (domain/messages.py), for the edges to say in the reader's language;
    the English ``message`` stays for logs and the CLI."""

    field: str
    message: str
    said: Said | None = dataclass_field(default=None, compare=False)

    @classmethod
    def of(cls, field_name: str, what: Message, /, **params: object) -> Problem:
        said = what(**params)
        return cls(field_name, str(said), said)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass
class DomainError(Exception):
    """Base of every rule violation. ``status`` is the HTTP status the web layer uses."""

    message: str
    problems: list[Problem] = field(default_factory=list)
    said: Said | None = field(default=None, compare=False, kw_only=True)

    status = 422
    title = "Request breaks a rule"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + ": " + "; ".join(str(p) for p in self.problems)


class InvalidInput(DomainError):
    """A value is malformed or missing (the field is named)."""

    status = 422
    title = "Invalid input"

    @classmethod
    def of(cls, field_name: str, message: str) -> InvalidInput:
        return cls(f"{field_name}: {message}", [Problem(field_name, message)])

    @classmethod
    def said_of(cls, field_name: str, what: Message, /, **params: object) -> InvalidInput:
        problem = Problem.of(field_name, what, **params)
        return cls(f"{field_name}: {problem.message}", [problem])


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    """The request is well-formed but clashes with the current state (HTTP 409)."""

    status = 409
    title = "Conflict with the current state"


class IllegalTransition(Conflict):
    """A lifecycle command not allowed in the record's current state."""

    title = "Command not allowed in this state"

    def __init__(self, what: str | Said, state: str, command: str | Said) -> None:
        words = {
            "what": what,
            "state": Code(state),
            "command": command if isinstance(command, Said) else Code(command),
        }
        said = CANNOT_IN_STATE(**words)
        super().__init__(str(said), [Problem.of("state", NOT_ALLOWED_IN_STATE, **words)], said=said)
        self.state = state
        self.command = command


class ApplicationIncomplete(DomainError):
    """EPR s.3: an application missing required content is refused, every problem listed."""

    status = 422
    title = "Application incomplete or inconsistent"


class SubstantialRisk(Conflict):
    """EIPA s.7.4: no permit while a substantial risk remains after mitigation."""

    title = "Substantial risk remains after mitigation (EIPA s.7.4)"


class QuantityExceeded(Conflict):
    title = "More than was applied for or licensed"


class NotPermitted(DomainError):
    """The acting principal's role may not do this."""

    status = 403
    title = "Not permitted for this role"


class NotAuthenticated(DomainError):
    status = 401
    title = "Authentication required"


class ScreeningBlocks(Conflict):
    """A permit never goes to a listed party: open or confirmed screening hits block its issue."""

    title = "Screening hits block the permit"
