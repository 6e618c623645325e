"""Resumption tokens: stateless, signed with the instance's secret key, valid for a set time.

A token carries everything the next page needs: the verb and selection it continues, the key of
the last item sent (``(datestamp, id)``: the next page starts after it), how many items were sent
before (``cursor``) and the size of the complete list measured when the list began. Nothing is
kept on the server, so any process can continue any harvest, and re-sending a token gives the
same page again (OAI-PMH §3.5.1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

from callimachus.core.clock import Clock

SALT = "callimachus.oai.resumption-token.v1"


@dataclass(frozen=True)
class Resumption:
    verb: str
    prefix: str | None
    set_spec: str | None
    start: str | None  # ISO 8601 bounds of the selection (start inclusive, end exclusive)
    end: str | None
    after: tuple[str, int]  # (datestamp ISO 8601 with microseconds, record id) of the last item sent
    cursor: int  # items sent before the page this token asks for
    total: int  # completeListSize when the list began

    @property
    def after_key(self) -> tuple[datetime, int]:
        return datetime.fromisoformat(self.after[0]).astimezone(UTC), int(self.after[1])


class TokenError(Exception):
    """The token is not one of ours, was altered, or has expired."""


def _clock_signer(clock: Clock) -> type[TimestampSigner]:
    """A timestamp signer that tells time by the service clock (so tests can let tokens expire)."""

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(clock.now().timestamp())

    return ClockSigner


class TokenSigner:
    """Signs and checks tokens; a token older than ``lifetime_seconds`` is refused."""

    def __init__(self, secret_key: str, lifetime_seconds: int, clock: Clock) -> None:
        if not secret_key:
            raise ValueError("OAI-PMH resumption tokens need a secret key.")
        signer: Any = _clock_signer(clock)
        self._serializer = URLSafeTimedSerializer(secret_key, salt=SALT, signer=signer)
        self.lifetime_seconds = lifetime_seconds

    def dumps(self, token: Resumption) -> str:
        data = asdict(token)
        data["after"] = list(token.after)
        return str(self._serializer.dumps(data))

    def loads(self, value: str) -> Resumption:
        try:
            data = self._serializer.loads(value, max_age=self.lifetime_seconds)
            after = data.pop("after")
            return Resumption(after=(str(after[0]), int(after[1])), **data)
        except (BadData, KeyError, TypeError, ValueError, IndexError) as exc:
            raise TokenError(str(exc)) from None
