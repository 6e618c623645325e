"""Who is acting: a user (by token or session), an anonymous visitor, or the system itself."""

from __future__ import annotations

from dataclasses import dataclass, field

# Scopes of personal access tokens, named as Zenodo names them.
SCOPE_DEPOSIT_WRITE = "deposit:write"
SCOPE_DEPOSIT_ACTIONS = "deposit:actions"
SCOPE_USER_EMAIL = "user:email"
ALL_SCOPES: tuple[str, ...] = (SCOPE_DEPOSIT_WRITE, SCOPE_DEPOSIT_ACTIONS, SCOPE_USER_EMAIL)


@dataclass(frozen=True)
class Identity:
    """The actor of a request or job.

    ``scopes`` is None for a browser session or the system (no scope limits) and the token's scopes
    for a personal access token. ``link_tokens`` holds secret-link tokens presented with the
    request; they are checked against the database on every use.
    """

    user_id: int | None = None
    email: str | None = None
    is_admin: bool = False
    scopes: frozenset[str] | None = None
    is_system: bool = False
    link_tokens: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and not self.is_system

    def has_scope(self, scope: str) -> bool:
        return self.scopes is None or scope in self.scopes

    def with_link_tokens(self, tokens: tuple[str, ...]) -> Identity:
        return Identity(self.user_id, self.email, self.is_admin, self.scopes, self.is_system, tokens)


ANONYMOUS = Identity()
SYSTEM = Identity(is_system=True, is_admin=True)
