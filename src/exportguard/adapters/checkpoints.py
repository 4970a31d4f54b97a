"""Where the audit log's signed checkpoints go, outside the database, and the key that signs them.

- The signing key is Ed25519 (the ``cryptography`` package), kept in a file of its own
  (EXPORTGUARD_AUDIT_KEY_FILE, default ``<data dir>/audit-signing.key``; made on first use, mode
  0600). Whoever can write the database cannot sign without it: give the database's administrators
  no access to that file (on the job worker's host only). Its public key is what auditors hold.
- Checkpoints are appended, one JSON object per line, to EXPORTGUARD_CHECKPOINT_FILE (default
  ``<data dir>/audit-checkpoints.jsonl``): publish it (a public register, an auditor's mailbox,
  a webhook) so a rewritten database cannot rewrite what was published.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from exportguard.domain.ledger import Checkpoint


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey

    @classmethod
    def from_file(cls, path: Path) -> Signer:
        """The key in ``path`` (32 raw bytes), made there first if the file does not exist."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            seed = Ed25519PrivateKey.generate().private_bytes_raw()
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as out:
                out.write(seed)
        return cls(Ed25519PrivateKey.from_private_bytes(path.read_bytes()[:32]))

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, checkpoint: Checkpoint) -> Checkpoint:
        return Checkpoint(
            checkpoint.size,
            checkpoint.root,
            checkpoint.timestamp,
            self.private.sign(checkpoint.note()),
            key_id(self.public),
        )


def signed_by(checkpoint: Checkpoint, public: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(checkpoint.signature, checkpoint.note())
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class CheckpointFile:
    """Signed checkpoints, appended one JSON line each; the last line is the latest."""

    path: Path

    def publish(self, checkpoint: Checkpoint) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(checkpoint.to_json(), sort_keys=True) + "\n")
            out.flush()
            os.fsync(out.fileno())

    def latest(self) -> Checkpoint | None:
        if not self.path.exists():
            return None
        lines = [ln for ln in self.path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        return Checkpoint.from_json(json.loads(lines[-1])) if lines else None
