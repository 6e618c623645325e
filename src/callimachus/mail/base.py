"""The mailer interface and the message it sends."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


def to_message(email: Email, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="callimachus")
    message.set_content(email.body)
    return message


class Mailer(Protocol):
    def send(self, email: Email) -> None: ...
