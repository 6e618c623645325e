"""The embedded default: each message becomes an ``.eml`` file in the outbox, and a log line."""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

from callimachus.mail.base import Email, to_message

log = logging.getLogger("callimachus.mail")


class OutboxMailer:
    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, email: Email) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        message = to_message(email, self.sender)
        # Names sort in sending order (nanosecond clock), then by a random part.
        name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.eml"
        temporary = self.folder / f".{name}.tmp"
        temporary.write_bytes(bytes(message))
        os.replace(temporary, self.folder / name)
        log.info("mail to %s: %s (saved in %s)\n%s", email.to, email.subject, self.folder / name, email.body)

    def messages(self) -> list[Path]:
        return sorted(self.folder.glob("*.eml")) if self.folder.exists() else []
