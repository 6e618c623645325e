"""Domain errors. One table in the web layer maps each to JSON, HTML pages and OAI-PMH codes.

Every error carries the HTTP status it maps to and a human message; validation errors carry
field paths in the client's own naming (dotted, with list indexes: ``metadata.creators.0.name``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """A problem with one field, named by its dotted path in the request body."""

    field: str
    messages: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "messages": list(self.messages)}


@dataclass
class CallimachusError(Exception):
    """Base of every error a service may raise on purpose."""

    message: str = "An error occurred."
    errors: list[FieldError] = field(default_factory=list)
    status: int = 500

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message)

    def __str__(self) -> str:
        if not self.errors:
            return self.message
        detail = "; ".join(f"{e.field}: {' '.join(e.messages)}" for e in self.errors)
        return f"{self.message} ({detail})"


class ValidationError(CallimachusError):
    """A request was understood but some of its values are wrong (400)."""

    def __init__(self, errors: list[FieldError] | None = None, message: str = "A validation error occurred."):
        super().__init__(message=message, errors=list(errors or []), status=400)


class BadRequest(CallimachusError):
    """A request is malformed: bad JSON, bad parameter, bad query (400)."""

    def __init__(self, message: str, errors: list[FieldError] | None = None):
        super().__init__(message=message, errors=list(errors or []), status=400)


class AuthenticationRequired(CallimachusError):
    """No valid credentials were given (401)."""

    def __init__(self, message: str = "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the credentials required."):
        super().__init__(message=message, status=401)


class PermissionDenied(CallimachusError):
    """Authenticated, but not allowed; only used where existence is not secret (403)."""

    def __init__(self, message: str = "Permission denied."):
        super().__init__(message=message, status=403)


class NotFound(CallimachusError):
    """The thing does not exist, or the actor may not know that it exists (404).

    The message is the same in both cases on purpose: an actor without access must not be able
    to tell a hidden record from a missing one.
    """

    def __init__(self, message: str = "The persistent identifier does not exist."):
        super().__init__(message=message, status=404)


class MethodNotAllowed(CallimachusError):
    def __init__(self, message: str = "The method is not allowed for the requested URL."):
        super().__init__(message=message, status=405)


class NotAcceptable(CallimachusError):
    def __init__(self, message: str = "No serializer matches the requested media type."):
        super().__init__(message=message, status=406)


class Conflict(CallimachusError):
    """The request contradicts the current state (409)."""

    def __init__(self, message: str, errors: list[FieldError] | None = None):
        super().__init__(message=message, errors=list(errors or []), status=409)


class Gone(CallimachusError):
    """The record existed and was deleted; its tombstone is public (410)."""

    def __init__(self, message: str = "The record has been deleted.", tombstone: dict[str, Any] | None = None):
        super().__init__(message=message, status=410)
        self.tombstone = tombstone or {}


class PreconditionFailed(CallimachusError):
    def __init__(self, message: str = "The resource has changed since you last read it."):
        super().__init__(message=message, status=412)


class PayloadTooLarge(CallimachusError):
    def __init__(self, message: str):
        super().__init__(message=message, status=413)


class UnsupportedMediaType(CallimachusError):
    def __init__(self, message: str = "Unsupported media type."):
        super().__init__(message=message, status=415)


class RangeNotSatisfiable(CallimachusError):
    def __init__(self, size: int):
        super().__init__(message="The requested range cannot be satisfied.", status=416)
        self.size = size


class TooManyRequests(CallimachusError):
    def __init__(self, message: str = "Too many requests.", retry_after: int = 60):
        super().__init__(message=message, status=429)
        self.retry_after = retry_after
