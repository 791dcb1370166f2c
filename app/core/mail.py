"""Mail to people outside the app (issue 34: a citizen's answer), through SMTP with the standard
library. MAIL_URL decides where it goes: `smtp://host:port` (plain, for a relay on the host),
`smtp+starttls://user:password@host:587` or `smtps://user:password@host:465`; `console` writes
each message to standard output (development and `make run`); empty sends nothing and the forms
do not offer mail. MAIL_FROM is the sender.
"""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

SMTP_TIMEOUT = 10  # seconds: a mail server that does not answer must not hold the request long


class MailFailed(Exception):
    """The message was not handed to the mail server."""


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_URL"))


def message(to: str, subject: str, body: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = current_app.config.get("MAIL_FROM") or "Etikdialog <noreply@localhost>"
    mail["To"] = to
    mail["Subject"] = subject
    mail.set_content(body)
    return mail


def send(to: str, subject: str, body: str) -> None:
    """Hand one message to the configured server, or print it (`console`); MailFailed otherwise."""
    url = current_app.config.get("MAIL_URL") or ""
    mail = message(to, subject, body)
    if url == "console":
        sys.stdout.write(f"--- mail ---\n{mail.as_string()}\n--- end of mail ---\n")
        sys.stdout.flush()
        return
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        client: smtplib.SMTP
        if parts.scheme == "smtps":
            client = smtplib.SMTP_SSL(host, parts.port or 465, timeout=SMTP_TIMEOUT)
        else:
            client = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT)
        with client:
            if parts.scheme == "smtp+starttls":
                client.starttls()
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(mail)
    except (OSError, smtplib.SMTPException) as error:
        raise MailFailed(str(error)) from error
