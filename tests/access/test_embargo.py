"""Embargoes: refused when malformed, closed until their moment, lifted by themselves and by the job."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from callimachus.db.models import JobRun, Revision
from callimachus.services import jobs
from tests.helpers import NATIVE, create_draft, publish, upload


def embargoed(client, headers, metadata, until: str):
    draft = create_draft(client, headers, metadata, access={"record": "public", "files": "restricted", "embargo": {"active": True, "until": until, "reason": "Paper under review"}})
    upload(client, headers, draft["id"], "results.csv", b"embargoed bytes")
    return draft


def test_embargo_one_second_ahead_lifts_by_itself(client, owner, metadata):
    moment = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0)
    draft = embargoed(client, owner.headers, metadata, moment.isoformat().replace("+00:00", "Z"))
    record = publish(client, owner.headers, draft["id"])
    assert record["access"]["status"] == "embargoed"
    url = f"/api/records/{record['id']}/files/results.csv/content"
    before = [client.get(url), client.get(url, headers={"Range": "bytes=0-3"}), client.get(f"/api/records/{record['id']}/files")]
    assert [r.status_code for r in before] == [404, 404, 404]
    assert all(b"embargoed bytes" not in r.content for r in before)
    time.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.2)
    after = client.get(url)
    assert after.status_code == 200 and after.content == b"embargoed bytes"
    assert client.get(f"/api/records/{record['id']}", headers=NATIVE).json()["access"]["status"] == "open"


def test_lifting_job_is_idempotent_and_records_what_it_did(client, ctx, owner, metadata, clock):
    until = (clock.now() + timedelta(days=10)).date().isoformat()
    record = publish(client, owner.headers, embargoed(client, owner.headers, metadata, until)["id"])
    assert jobs.lift_embargoes(ctx) == []
    clock.advance(days=11)
    assert jobs.lift_embargoes(ctx) == [int(record["id"])]
    assert jobs.lift_embargoes(ctx) == []
    seen = client.get(f"/api/records/{record['id']}", headers=NATIVE).json()
    assert seen["access"]["record"] == "public" and seen["access"]["files"] == "public"
    assert seen["access"]["embargo"]["active"] is False and seen["access"]["embargo"]["until"] == until
    with ctx.unit_of_work() as uow:
        runs = uow.session.scalars(select(JobRun).where(JobRun.name == "lift_embargoes").order_by(JobRun.id)).all()
        lifted = uow.session.scalars(select(Revision).where(Revision.recid == int(record["id"]), Revision.action == "lift-embargo")).all()
    assert [r.summary["lifted"] for r in runs] == [[], [int(record["id"])], []]
    assert len(lifted) == 1 and lifted[0].actor_id is None


@pytest.mark.parametrize(
    ("embargo", "message"),
    [({"active": True, "until": "2001-01-01"}, "in the future"), ({"active": True}, "needs an end date"),
     ({"active": True, "until": "next spring"}, "not a date"), ({"active": True, "until": "2099-01-01T10:00:00"}, "time zone")],
)
def test_bad_embargoes_are_refused(client, owner, metadata, embargo, message):
    response = client.post("/api/records", json={"metadata": metadata, "access": {"record": "public", "files": "restricted", "embargo": embargo}}, headers=owner.headers)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "access.embargo.until" and message in " ".join(error["messages"])


def test_embargo_must_restrict_something(client, owner, metadata):
    response = client.post("/api/records", json={"metadata": metadata, "access": {"record": "public", "files": "public", "embargo": {"active": True, "until": "2099-01-01"}}}, headers=owner.headers)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "access.files"


def test_embargo_that_passed_before_publication_is_refused(client, owner, metadata, clock):
    until = (clock.now() + timedelta(days=1)).date().isoformat()
    draft = embargoed(client, owner.headers, metadata, until)
    clock.advance(days=2)
    response = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=owner.headers)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "access.embargo.until"
