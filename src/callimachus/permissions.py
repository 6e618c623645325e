"""The access rule, written once per action, read three ways.

Each action (read a record, read its files, edit a draft, publish, …) is a list of *needs*; an
actor who meets any need may act. Every need has three interpretations that must agree:

- ``allows``: the object check, on the facts of one record (:class:`Subject`);
- ``sql``: a SQLAlchemy filter over the same facts as columns (:class:`SubjectColumns`);
- ``search``: a filter tree (``core.filters``: ``Term``, ``AnyOf``, …) each search backend compiles.

A test evaluates all three on every record of the test data and compares. Checks fail closed: an
unknown action or an error means no access.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum, StrEnum
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, false, or_, true

from callimachus.core.filters import (
    AllOf,
    AnyOf,
    AtMost,
    MatchAll,
    MatchNone,
    SearchFilter,
    Term,
    TermsIn,
)
from callimachus.core.identity import SCOPE_DEPOSIT_ACTIONS, SCOPE_DEPOSIT_WRITE, Identity


class Level(int, Enum):
    """Grant and secret-link levels; each includes the ones below it."""

    VIEW = 1
    PREVIEW = 2
    EDIT = 3
    MANAGE = 4

    @classmethod
    def parse(cls, name: str) -> Level:
        return cls[name.upper()]


class Action(StrEnum):
    READ_RECORD = "read_record"
    READ_FILES = "read_files"
    READ_DRAFT = "read_draft"
    UPDATE_DRAFT = "update_draft"
    NEW_VERSION = "new_version"
    PUBLISH = "publish"
    DELETE_DRAFT = "delete_draft"
    MANAGE_ACCESS = "manage_access"


@dataclass(frozen=True)
class Principal:
    """An identity with what it was granted, resolved from the database for this request.

    ``user_id`` is None for anonymous visitors and for tokens that carry no deposit scope: such a
    token identifies its user but grants nothing beyond what the public may see.
    """

    user_id: int | None
    is_admin: bool = False
    grants: Mapping[int, Level] = field(default_factory=dict)  # parent id -> level (user grants and links)

    @classmethod
    def of(cls, identity: Identity, grants: Mapping[int, Level] | None = None) -> Principal:
        acts_as_user = identity.scopes is None or bool(
            {SCOPE_DEPOSIT_WRITE, SCOPE_DEPOSIT_ACTIONS} & identity.scopes
        )
        user_id = identity.user_id if acts_as_user else None
        return cls(user_id=user_id, is_admin=identity.is_admin and acts_as_user, grants=dict(grants or {}))

    def parents_with(self, level: Level) -> list[int]:
        return sorted(pid for pid, have in self.grants.items() if have >= level)


@dataclass(frozen=True)
class Subject:
    """The facts about one record or draft that access depends on."""

    parent_id: int
    owner_id: int
    published: bool
    access_record: str
    access_files: str
    embargo_until: datetime | None
    files_enabled: bool


@dataclass(frozen=True)
class SubjectColumns:
    """The same facts as SQL columns (a records or drafts table joined with parents)."""

    parent_id: Any
    owner_id: Any
    published: Any  # a boolean column expression
    access_record: Any
    access_files: Any
    embargo_until: Any
    files_enabled: Any


# --- needs -----------------------------------------------------------------------------------


class Need(Protocol):
    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool: ...

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]: ...

    def search(self, who: Principal, now: datetime) -> SearchFilter: ...


def _embargo_over(until: datetime | None, now: datetime) -> bool:
    return until is not None and until <= now


class PublicRecord:
    """A published record whose metadata is public, or whose embargo date has passed."""

    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool:
        return subject.published and (
            subject.access_record == "public" or _embargo_over(subject.embargo_until, now)
        )

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
        return and_(
            cols.published,
            or_(cols.access_record == "public", and_(cols.embargo_until.is_not(None), cols.embargo_until <= now)),
        )

    def search(self, who: Principal, now: datetime) -> SearchFilter:
        return AllOf((Term("published", True), AnyOf((Term("access_record", "public"), AtMost("embargo_until", now)))))


class PublicFiles:
    """Files anyone may download: published, files enabled, public (or embargo over)."""

    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool:
        over = _embargo_over(subject.embargo_until, now)
        return (
            subject.published
            and subject.files_enabled
            and (subject.access_record == "public" or over)
            and (subject.access_files == "public" or over)
        )

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
        over = and_(cols.embargo_until.is_not(None), cols.embargo_until <= now)
        return and_(
            cols.published,
            cols.files_enabled,
            or_(cols.access_record == "public", over),
            or_(cols.access_files == "public", over),
        )

    def search(self, who: Principal, now: datetime) -> SearchFilter:
        over = AtMost("embargo_until", now)
        return AllOf(
            (
                Term("published", True),
                Term("files_enabled", True),
                AnyOf((Term("access_record", "public"), over)),
                AnyOf((Term("access_files", "public"), over)),
            )
        )


class Owner:
    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool:
        return who.user_id is not None and subject.owner_id == who.user_id

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
        return cols.owner_id == who.user_id if who.user_id is not None else false()

    def search(self, who: Principal, now: datetime) -> SearchFilter:
        return Term("owner_id", who.user_id) if who.user_id is not None else MatchNone()


class Administrator:
    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool:
        return who.is_admin

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
        return true() if who.is_admin else false()

    def search(self, who: Principal, now: datetime) -> SearchFilter:
        return MatchAll() if who.is_admin else MatchNone()


@dataclass(frozen=True)
class Granted:
    """A grant to the user, or a secret link presented with the request, at ``level`` or above."""

    level: Level

    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool:
        have = who.grants.get(subject.parent_id)
        return have is not None and have >= self.level

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
        parents = who.parents_with(self.level)
        return cols.parent_id.in_(parents) if parents else false()

    def search(self, who: Principal, now: datetime) -> SearchFilter:
        parents = who.parents_with(self.level)
        return TermsIn("parent_id", tuple(parents)) if parents else MatchNone()


@dataclass(frozen=True)
class Published:
    """Narrows another need to published versions (e.g. a view link does not reveal drafts)."""

    need: Need

    def allows(self, who: Principal, subject: Subject, now: datetime) -> bool:
        return subject.published and self.need.allows(who, subject, now)

    def sql(self, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
        return and_(cols.published, self.need.sql(who, cols, now))

    def search(self, who: Principal, now: datetime) -> SearchFilter:
        return AllOf((Term("published", True), self.need.search(who, now)))


RULES: dict[Action, tuple[Need, ...]] = {
    Action.READ_RECORD: (PublicRecord(), Owner(), Published(Granted(Level.VIEW)), Granted(Level.PREVIEW), Administrator()),
    Action.READ_FILES: (PublicFiles(), Owner(), Published(Granted(Level.VIEW)), Granted(Level.PREVIEW), Administrator()),
    Action.READ_DRAFT: (Owner(), Granted(Level.PREVIEW), Administrator()),
    Action.UPDATE_DRAFT: (Owner(), Granted(Level.EDIT), Administrator()),
    Action.NEW_VERSION: (Owner(), Granted(Level.EDIT), Administrator()),
    Action.PUBLISH: (Owner(), Granted(Level.MANAGE), Administrator()),
    Action.DELETE_DRAFT: (Owner(), Granted(Level.MANAGE), Administrator()),
    Action.MANAGE_ACCESS: (Owner(), Granted(Level.MANAGE), Administrator()),
}


def _needs(action: Action) -> Sequence[Need]:
    return RULES.get(action, ())


def allows(action: Action, who: Principal, subject: Subject, now: datetime) -> bool:
    try:
        return any(need.allows(who, subject, now) for need in _needs(action))
    except Exception:
        return False


def sql_filter(action: Action, who: Principal, cols: SubjectColumns, now: datetime) -> ColumnElement[bool]:
    needs = _needs(action)
    if not needs:
        return false()
    return or_(*(need.sql(who, cols, now) for need in needs))


def search_filter(action: Action, who: Principal, now: datetime) -> SearchFilter:
    needs = _needs(action)
    if not needs:
        return MatchNone()
    return AnyOf(tuple(need.search(who, now) for need in needs))
