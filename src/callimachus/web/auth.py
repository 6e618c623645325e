"""Who is asking: a personal access token (Bearer header or ``access_token``), a browser session,
or nobody; plus secret-link tokens (``token``) presented with the request."""

from __future__ import annotations

from starlette.requests import Request

from callimachus.core.errors import AuthenticationRequired, PermissionDenied
from callimachus.core.identity import ANONYMOUS, Identity
from callimachus.db.uow import UnitOfWork
from callimachus.services import accounts, tokens
from callimachus.services.context import ServiceContext

SESSION_USER = "user_id"
SESSION_STAMP = "auth"  # see services.accounts.session_stamp: a new password ends other sessions


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        raise AuthenticationRequired()
    return request.query_params.get("access_token") or None


def _session_identity(ctx: ServiceContext, uow: UnitOfWork, request: Request) -> Identity | None:
    session = request.scope.get("session")
    if not session or not session.get(SESSION_USER):
        return None
    user = accounts.session_user(ctx, uow, int(session[SESSION_USER]), str(session.get(SESSION_STAMP) or ""))
    if user is None:
        return None
    return Identity(user_id=user.id, email=user.email, is_admin=user.is_admin, scopes=None)


def _link_tokens(request: Request) -> tuple[str, ...]:
    """Secret-link tokens: from ``?token=``, and those a browser session used before.

    A token seen on a page is kept in the session so that the pages it leads to work too; it is
    still checked against the database on every request, so revoking or expiring it takes
    effect at once.
    """
    found: list[str] = []
    query = request.query_params.get("token")
    session = request.scope.get("session")
    if query:
        found.append(query[:128])
        request.state.link_token = True
        if session is not None and not request.url.path.startswith("/api/"):
            kept = [t for t in session.get("link_tokens", []) if t != query]
            session["link_tokens"] = (kept + [query[:128]])[-10:]
    if session:
        found.extend(t for t in session.get("link_tokens", []) if t not in found)
    return tuple(found[:20])


def authenticate(ctx: ServiceContext, uow: UnitOfWork, request: Request, *, scope: str | None = None, required: bool = False) -> Identity:
    """The identity of the request. An invalid token is refused (401), never downgraded."""
    secret = _bearer(request)
    identity: Identity | None = None
    if secret is not None:
        identity = tokens.identity_for_token(uow, secret)
        if identity is None:
            raise AuthenticationRequired()
    else:
        identity = _session_identity(ctx, uow, request)
    identity = identity or ANONYMOUS
    links = _link_tokens(request)
    if links:
        identity = identity.with_link_tokens(links)
    if not identity.is_anonymous or links:
        request.state.private = True
    if required and identity.is_anonymous:
        raise AuthenticationRequired()
    if scope is not None and not identity.is_anonymous and not identity.has_scope(scope):
        raise PermissionDenied(f"This token lacks the '{scope}' scope.")
    return identity
