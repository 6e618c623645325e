"""The access rule read three ways agrees on real indexes: on every record and draft of a data set
covering every access state, for several principals, the object check (``permissions.allows``),
the SQL filter (``permissions.sql_filter``) and the search filter compiled by each search backend
(Tantivy and PostgreSQL) select the same records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import false, select

from callimachus.core.identity import ANONYMOUS, Identity
from callimachus.db.models import Draft, Parent, Record
from callimachus.permissions import Action, SubjectColumns, allows, search_filter, sql_filter
from callimachus.search import query as q
from callimachus.search.documents import key_recid
from callimachus.search.options import SORTS
from callimachus.services import loading
from callimachus.services.records import RECORD_COLUMNS
from callimachus.services.search_indexing import documents_for_parents, wait_for_index
from tests.access.world import build_objects, grant_all
from tests.helpers import published_record

DRAFT_COLUMNS = SubjectColumns(
    parent_id=Draft.parent_id,
    owner_id=Parent.owner_id,
    published=false(),
    access_record=Draft.access_record,
    access_files=Draft.access_files,
    embargo_until=Draft.embargo_until,
    files_enabled=Draft.files_enabled,
)
ACTIONS = (Action.READ_RECORD, Action.READ_FILES, Action.READ_DRAFT, Action.UPDATE_DRAFT)


def _principals(client: Any, ctx: Any, make_account: Any, owner: Any, objects: list[Any]) -> dict[str, Identity]:
    viewer, previewer = make_account("viewer@example.org"), make_account("previewer@example.org")
    grant_all(client, owner.headers, objects[:6], {"view": viewer.email})
    grant_all(client, owner.headers, objects[3:], {"preview": previewer.email})
    link = client.post(f"/api/records/{objects[3].recid}/access/links", json={"permission": "view"}, headers=owner.headers).json()
    admin = make_account("root@example.org", admin=True)
    return {
        "anonymous": ANONYMOUS,
        "owner": Identity(user_id=owner.id),
        "stranger": Identity(user_id=make_account("stranger@example.org").id),
        "admin": Identity(user_id=admin.id, is_admin=True),
        "grant:view": Identity(user_id=viewer.id),
        "grant:preview": Identity(user_id=previewer.id),
        "link:view": ANONYMOUS.with_link_tokens((link["token"],)),
    }


def test_object_check_sql_filter_and_both_search_backends_agree(client, ctx, owner, make_account, metadata, clock, postgres_search):
    objects = build_objects(client, owner.headers, metadata, clock)
    # An embargo that will have ended when the rule is evaluated.
    soon = (clock.now() + timedelta(days=3)).date().isoformat()
    published_record(client, owner.headers, {**metadata, "title": "Lifted"}, access={"record": "restricted", "files": "restricted", "embargo": {"active": True, "until": soon}})
    identities = _principals(client, ctx, make_account, owner, objects)
    clock.advance(days=10)
    wait_for_index(ctx)
    with ctx.unit_of_work() as uow:
        parents = list(uow.session.scalars(select(Parent.id)))
        postgres_search.replace_parents(parents, lambda: documents_for_parents(ctx, uow, parents))
    backends = {"tantivy": ctx.index, "postgresql": postgres_search}

    disagreements, checked, allowed = [], 0, {}
    with ctx.unit_of_work() as uow:
        now = ctx.clock.now()
        rows = [(r, p) for r, p in uow.session.execute(select(Record, Parent).join(Parent, Parent.id == Record.parent_id))]
        rows += [(d, p) for d, p in uow.session.execute(select(Draft, Parent).join(Parent, Parent.id == Draft.parent_id))]
        assert {getattr(r, "embargo_until", None) is not None and r.embargo_until.replace(tzinfo=now.tzinfo) <= now for r, _ in rows} == {True, False}
        for name, identity in identities.items():
            who = loading.resolve_principal(uow, identity, now)
            for action in ACTIONS:
                by_object = {(row.id, isinstance(row, Draft)) for row, parent in rows if allows(action, who, loading.subject_of(row, parent), now)}
                by_sql = {(i, False) for i in uow.session.scalars(select(Record.id).join(Parent, Parent.id == Record.parent_id).where(sql_filter(action, who, RECORD_COLUMNS, now)))}
                by_sql |= {(i, True) for i in uow.session.scalars(select(Draft.id).join(Parent, Parent.id == Draft.parent_id).where(sql_filter(action, who, DRAFT_COLUMNS, now)))}
                node = q.from_access_filter(search_filter(action, who, now))
                for backend, index in backends.items():
                    found = {key_recid(h.key) for h in index.search(node, SORTS["newest"], size=1000).hits}
                    if not by_object == by_sql == found:
                        disagreements.append(f"{name} {action.value} {backend}: object={sorted(by_object)} sql={sorted(by_sql)} search={sorted(found)}")
                checked += len(rows)
                allowed[name] = allowed.get(name, 0) + len(by_object)
    assert disagreements == []
    assert checked > 250
    # Not vacuous: more privilege, more records; a view link or grant adds to what the public sees.
    assert allowed["admin"] >= allowed["owner"] > allowed["grant:preview"] > allowed["grant:view"] > allowed["anonymous"] > 0
    assert allowed["link:view"] > allowed["anonymous"] == allowed["stranger"]
