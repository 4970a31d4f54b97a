"""Single sign-on (OpenID Connect): the seam a ministry's identity provider plugs into.

A provider sends the browser to its sign-in page and, on the way back, turns the code it gave into a
verified identity (issuer, subject, and whether several factors were used: the ID token's ``amr``).
A real adapter does the OIDC code flow with PKCE and validates the ID token's signature, issuer,
audience, nonce and expiry; ``InMemoryIdentityProvider`` is its twin for tests.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlencode


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str = ""
    multi_factor: bool = False  # the provider verified more than a password (amr: mfa, otp, hwk...)

    @property
    def external_id(self) -> str:
        return f"{self.issuer}|{self.subject}"


class IdentityRefused(Exception):
    """The provider did not vouch for anyone (bad code, wrong nonce, expired)."""


class IdentityProvider(Protocol):
    issuer: str

    def authorization_url(self, state: str, nonce: str, redirect_uri: str) -> str: ...

    def identity(self, code: str, nonce: str, redirect_uri: str) -> Identity: ...


@dataclass
class InMemoryIdentityProvider:
    """Hands out one-use codes for the people it knows; ``sign_in`` is what its login page would do."""

    issuer: str = "https://login.example.gc.ca"
    people: dict[str, Identity] = field(default_factory=dict)
    _codes: dict[str, tuple[Identity, str, str]] = field(default_factory=dict)

    def add(self, subject: str, email: str = "", *, multi_factor: bool = True) -> Identity:
        person = Identity(self.issuer, subject, email, multi_factor)
        self.people[subject] = person
        return person

    def authorization_url(self, state: str, nonce: str, redirect_uri: str) -> str:
        query = urlencode({"state": state, "nonce": nonce, "redirect_uri": redirect_uri})
        return f"{self.issuer}/authorize?{query}"

    def sign_in(self, subject: str, nonce: str, redirect_uri: str) -> str:
        code = secrets.token_urlsafe(16)
        self._codes[code] = (self.people[subject], nonce, redirect_uri)
        return code

    def identity(self, code: str, nonce: str, redirect_uri: str) -> Identity:
        found = self._codes.pop(code, None)
        if found is None or found[1] != nonce or found[2] != redirect_uri:
            raise IdentityRefused("unknown or used code, or another nonce or address")
        return found[0]
