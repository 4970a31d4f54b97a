"""Sending notices to permit holders: email and webhooks behind one Protocol, with in-memory twins.

Each message carries its idempotency key (the outbox row's key): a webhook receives it as the
``Idempotency-Key`` header and an email as ``Message-ID``, so a receiver can drop a duplicate if a
delivery succeeded but was not recorded (the process died in between).
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Protocol


@dataclass(frozen=True)
class NoticeMessage:
    key: str
    address: str
    subject: str
    body: str
    payload: dict[str, Any]


class DeliveryFailed(Exception):
    """The channel could not deliver now; the outbox retries later with backoff."""


class NoticeSender(Protocol):
    def send(self, message: NoticeMessage) -> None: ...


@dataclass
class SmtpEmailSender:
    host: str
    port: int = 25
    sender: str = "export-controls@example.invalid"
    timeout: float = 10.0

    def send(self, message: NoticeMessage) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, message.address, message.subject
        mail["Message-ID"] = f"<{message.key}@exportguard>"
        mail.set_content(message.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {exc}") from exc


@dataclass
class WebhookSender:
    timeout: float = 10.0

    def send(self, message: NoticeMessage) -> None:
        if not message.address.startswith(("https://", "http://")):
            raise DeliveryFailed(f"not an http(s) URL: {message.address}")
        body = json.dumps({"subject": message.subject, **message.payload}).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            message.address,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": message.key},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise DeliveryFailed(f"webhook answered {response.status}")
        except OSError as exc:
            raise DeliveryFailed(f"webhook {message.address}: {exc}") from exc


@dataclass
class InMemorySender:
    """The twin used in tests: records what was sent; ``fail_next`` makes the next sends fail."""

    sent: list[NoticeMessage] = field(default_factory=list)
    fail_next: int = 0

    def send(self, message: NoticeMessage) -> None:
        if self.fail_next > 0:
            self.fail_next -= 1
            raise DeliveryFailed("in-memory channel told to fail")
        self.sent.append(message)
