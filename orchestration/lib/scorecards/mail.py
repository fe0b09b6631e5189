"""SMTP: the server and HR's addresses from the environment, and one message handed over.

A transmission ends in one of three ways, and the difference matters for sending exactly once:
accepted (the server replied 250 to the message), failed (refused, or broken before the message
was sent: certainly not delivered) or in doubt (the connection broke while the server was taking
the message: it may have been delivered).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

DEFAULT_SENDER = "ccw@localhost"
DEFAULT_PORT = 25
TIMEOUT_SECONDS = 60
TRUE, FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


class MailConfigError(ValueError):
    pass


class DeliveryFailed(RuntimeError):
    """The server did not take the message: nothing was delivered."""


class DeliveryInDoubt(RuntimeError):
    """The connection broke while the server was taking the message: it may have been delivered."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str
    recipients: tuple[str, ...]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> SmtpSettings:
        """CCW_SMTP_HOST, CCW_SMTP_PORT, CCW_SMTP_TLS, CCW_SMTP_USER, CCW_SMTP_PASSWORD, CCW_SMTP_FROM, CCW_HR_EMAILS."""
        problems = []
        host = environ.get("CCW_SMTP_HOST", "").strip()
        if not host:
            problems.append("CCW_SMTP_HOST is not set")
        port_text = environ.get("CCW_SMTP_PORT", "").strip() or str(DEFAULT_PORT)
        port = int(port_text) if port_text.isdigit() and 0 < int(port_text) < 65536 else None
        if port is None:
            problems.append(f"CCW_SMTP_PORT={port_text!r} is not a port number")
        tls_text = environ.get("CCW_SMTP_TLS", "").strip().lower()
        if tls_text not in TRUE + FALSE:
            problems.append(f"CCW_SMTP_TLS={tls_text!r} must be true or false")
        recipients = tuple(address.strip() for address in environ.get("CCW_HR_EMAILS", "").split(",") if address.strip())
        if not recipients:
            problems.append("CCW_HR_EMAILS names no address (comma-separated)")
        problems += [f"CCW_HR_EMAILS: {address!r} is not an e-mail address" for address in recipients if "@" not in address]
        user = environ.get("CCW_SMTP_USER", "").strip() or None
        password = environ.get("CCW_SMTP_PASSWORD") or None
        if password and not user:
            problems.append("CCW_SMTP_PASSWORD is set without CCW_SMTP_USER")
        if problems:
            raise MailConfigError("cannot send the scorecards: " + "; ".join(problems))
        return cls(
            host=host,
            port=port,
            starttls=tls_text in TRUE,
            user=user,
            password=password,
            sender=environ.get("CCW_SMTP_FROM", "").strip() or DEFAULT_SENDER,
            recipients=recipients,
        )

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"


def transmit(message: EmailMessage, settings: SmtpSettings, timeout: float = TIMEOUT_SECONDS) -> dict[str, str]:
    """Hand the message to the server; return the recipients it refused (the others got it).

    Raises DeliveryFailed or DeliveryInDoubt as described above.
    """
    try:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"cannot connect to {settings.server}: {error}") from error
    try:
        refused = _envelope(smtp, settings)
        try:
            smtp.data(message.as_bytes(policy=SMTP_POLICY))
        except smtplib.SMTPResponseException as error:
            raise DeliveryFailed(f"{settings.server} refused the message: {error.smtp_code} {_text(error.smtp_error)}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryInDoubt(f"the connection to {settings.server} broke while it was taking the message: {error!r}") from error
        return refused
    finally:
        _close(smtp)


def _envelope(smtp: smtplib.SMTP, settings: SmtpSettings) -> dict[str, str]:
    """Greeting, STARTTLS, login, sender and recipients: a failure here delivered nothing."""
    try:
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        code, reply = smtp.mail(settings.sender)
        if code != 250:
            raise DeliveryFailed(f"{settings.server} refused the sender {settings.sender}: {code} {_text(reply)}")
        refused = {}
        for recipient in settings.recipients:
            code, reply = smtp.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = f"{code} {_text(reply)}"
        if len(refused) == len(settings.recipients):
            raise DeliveryFailed(f"{settings.server} refused every recipient: {refused}")
        return refused
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"{settings.server}: {error!r}") from error


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
