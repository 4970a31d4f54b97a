"""The secrets behind signing in, through well-kept libraries: argon2id (argon2-cffi) and TOTP (pyotp).

Random values (session ids, API tokens, recovery codes, one-time passwords) come from ``secrets``;
only their SHA-256 digests are stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2-cffi's defaults are RFC 9106's second recommended option (argon2id, 64 MiB, 3 passes).
HASHER = PasswordHasher()
# Checked against when the username is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("not a password anyone has")
RECOVERY_CODES = 10
TOTP_STEP = 30  # seconds (RFC 6238)
TOTP_ISSUER = "ExportGuard"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """A session id or API token: 256 random bits."""
    return secrets.token_urlsafe(32)


def one_time_password() -> str:
    """Given once by an administrator, replaced at the first sign-in (20 characters, ~119 bits)."""
    return secrets.token_urlsafe(15)


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads (typed, or from a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def totp_now(secret: str, now: datetime) -> str:
    return pyotp.TOTP(secret).at(now)


def totp_step(code: str, secret: str, now: datetime, last_step: int | None) -> int | None:
    """The time step ``code`` belongs to (one step of clock drift either way), or None if it is wrong
    or was already used (a step at or before ``last_step``)."""
    code = code.strip().replace(" ", "")
    if not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    here = int(now.timestamp()) // TOTP_STEP
    for step in (here - 1, here, here + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (last_step is None or step > last_step):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes of 10 letters and digits in two groups, e.g. ``k3v9q-x2m7p``."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def normalise_recovery_code(code: str) -> str:
    compact = code.strip().lower().replace("-", "").replace(" ", "")
    return f"{compact[:5]}-{compact[5:]}"
