"""Payloads rendered ahead of harvests: after a change (through the change listener and the task
queue) and in bulk (`prerender`), so a first harvest renders nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from callimachus.db.models import OaiPayload
from callimachus.services import oai
from callimachus.services.oai_payloads import oai_formats
from tests.helpers import published_record


def payloads(ctx) -> int:
    with ctx.unit_of_work() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(OaiPayload)))


def harvest_renders(ctx, prefix: str) -> int:
    """How many payloads a full harvest had to render (0 when every one was ready)."""
    fmt = next(f for f in oai_formats() if f.prefix == prefix)
    rendered, after = 0, None
    while True:
        with ctx.unit_of_work() as uow:
            page = oai.list_items(ctx, uow, oai.Selection(), after=after, limit=50, fmt=fmt)
        rendered += len(page.fresh)
        if not page.more:
            return rendered
        after = page.last


def test_bulk_prerender_serves_the_first_harvest(client, ctx, owner, world):
    assert harvest_renders(ctx, "oai_dc") > 0  # nothing rendered yet (harvest_renders keeps nothing)
    count = oai.prerender(ctx)
    assert count == payloads(ctx) > 0
    for fmt in oai_formats():
        assert harvest_renders(ctx, fmt.prefix) == 0
    assert oai.prerender(ctx) == 0  # idempotent: everything is current


def test_changes_are_rendered_after_commit(client, ctx, owner, metadata):
    ctx.listeners.append(oai.prerender_listener(ctx))
    ctx.tasks.register("oai_prerender", lambda recids=None: oai.prerender(ctx, recids=recids))
    record = published_record(client, owner.headers, metadata)
    ctx.tasks.drain()  # the server's runner renders in the background
    assert payloads(ctx) == len(oai_formats())
    assert harvest_renders(ctx, "oai_datacite") == 0
    edit = client.post(f"/api/records/{record['id']}/draft", headers=owner.headers).json()
    edit["metadata"]["title"] = "Changed title"
    client.put(f"/api/records/{record['id']}/draft", json=edit, headers=owner.headers)
    client.post(f"/api/records/{record['id']}/draft/actions/publish", headers=owner.headers)
    ctx.tasks.drain()
    assert harvest_renders(ctx, "oai_dc") == 0  # re-rendered already, for the new revision
