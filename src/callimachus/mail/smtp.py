"""SMTP delivery: ``smtp://[user:password@]host[:port]`` or ``smtps://…``; ``?starttls=1``."""

from __future__ import annotations

import smtplib
from urllib.parse import parse_qs, unquote, urlparse

from callimachus.mail.base import Email, to_message


class SMTPMailer:
    def __init__(self, url: str, sender: str, timeout: float = 30) -> None:
        parsed = urlparse(url)
        if parsed.scheme not in ("smtp", "smtps"):
            raise ValueError(f"not an SMTP URL: {url!r}")
        self.secure = parsed.scheme == "smtps"
        self.host = parsed.hostname or "localhost"
        self.port = parsed.port or (465 if self.secure else 25)
        self.user = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None
        self.starttls = parse_qs(parsed.query).get("starttls", ["0"])[0] in ("1", "true", "yes")
        self.sender = sender
        self.timeout = timeout

    def send(self, email: Email) -> None:
        factory = smtplib.SMTP_SSL if self.secure else smtplib.SMTP
        with factory(self.host, self.port, timeout=self.timeout) as server:
            if self.starttls:
                server.starttls()
            if self.user:
                server.login(self.user, self.password or "")
            server.send_message(to_message(email, self.sender))
