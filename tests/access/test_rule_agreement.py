"""The one access rule read three ways (object check, SQL filter, search filter) agrees on every
record and draft of the test world, for every kind of principal and every action."""

from __future__ import annotations

from sqlalchemy import false, select

from callimachus.core.filters import evaluate_filter
from callimachus.core.identity import ANONYMOUS, Identity
from callimachus.db.models import Draft, Parent, Record
from callimachus.permissions import Action, SubjectColumns, allows, search_filter, sql_filter
from callimachus.services import loading
from callimachus.services.records import RECORD_COLUMNS
from tests.access.world import LEVELS, add_links, build_objects, grant_all

DRAFT_COLUMNS = SubjectColumns(
    parent_id=Draft.parent_id,
    owner_id=Parent.owner_id,
    published=false(),  # a draft is never a published version
    access_record=Draft.access_record,
    access_files=Draft.access_files,
    embargo_until=Draft.embargo_until,
    files_enabled=Draft.files_enabled,
)


def document(subject) -> dict:
    """The flat facts a search index stores for a record or draft."""
    return {
        "parent_id": subject.parent_id,
        "owner_id": subject.owner_id,
        "published": subject.published,
        "access_record": subject.access_record,
        "access_files": subject.access_files,
        "embargo_until": subject.embargo_until,
        "files_enabled": subject.files_enabled,
    }


def identities(ctx, make_account, owner, objects) -> dict[str, Identity]:
    found = {"anonymous": ANONYMOUS, "owner": Identity(user_id=owner.id), "admin": Identity(user_id=make_account("root@example.org", admin=True).id, is_admin=True)}
    found["stranger"] = Identity(user_id=make_account("stranger@example.org").id)
    found["no scopes"] = Identity(user_id=owner.id, scopes=frozenset())
    with ctx.unit_of_work() as uow:
        from callimachus.services.users import find_user

        for level in LEVELS:
            found[f"grant:{level}"] = Identity(user_id=find_user(uow, f"{level}@example.org").id)
    for level in ("view", "preview", "edit", "expired", "revoked"):
        found[f"links:{level}"] = ANONYMOUS.with_link_tokens(tuple(o.links[level] for o in objects))
    return found


def test_three_readings_agree(client, ctx, owner, make_account, metadata, clock):
    objects = build_objects(client, owner.headers, metadata, clock)
    add_links(client, owner.headers, objects, ctx)
    for level in LEVELS:
        make_account(f"{level}@example.org")
    grant_all(client, owner.headers, objects[:4], {level: f"{level}@example.org" for level in LEVELS})
    checked = 0
    allowed: dict[str, int] = {}
    disagreements = []
    with ctx.unit_of_work() as uow:
        now = ctx.clock.now()
        rows = [(r, p) for r, p in uow.session.execute(select(Record, Parent).join(Parent, Parent.id == Record.parent_id))]
        rows += [(d, p) for d, p in uow.session.execute(select(Draft, Parent).join(Parent, Parent.id == Draft.parent_id))]
        for name, identity in identities(ctx, make_account, owner, objects).items():
            who = loading.resolve_principal(uow, identity, now)
            for action in Action:
                tree = search_filter(action, who, now)
                by_sql = set(uow.session.scalars(select(Record.id).join(Parent, Parent.id == Record.parent_id).where(sql_filter(action, who, RECORD_COLUMNS, now))))
                by_sql_drafts = set(uow.session.scalars(select(Draft.id).join(Parent, Parent.id == Draft.parent_id).where(sql_filter(action, who, DRAFT_COLUMNS, now))))
                for row, parent in rows:
                    subject = loading.subject_of(row, parent)
                    expected = allows(action, who, subject, now)
                    sql = row.id in (by_sql if isinstance(row, Record) else by_sql_drafts)
                    search = evaluate_filter(tree, document(subject))
                    checked += 1
                    allowed[name] = allowed.get(name, 0) + int(expected)
                    if not expected == sql == search:
                        kind = "record" if isinstance(row, Record) else "draft"
                        disagreements.append(f"{name} {action.value} {kind} {row.id}: object={expected} sql={sql} search={search}")
    assert disagreements == []
    assert checked > 1000
    # Not vacuous: privileged principals are allowed more than the public, dead links nothing more.
    assert allowed["admin"] > allowed["grant:view"] > allowed["anonymous"] > 0
    assert allowed["links:preview"] > allowed["links:view"] > allowed["links:expired"] == allowed["anonymous"]
    assert allowed["no scopes"] == allowed["anonymous"] == allowed["links:revoked"]
