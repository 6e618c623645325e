"""Scale-out pieces against the real services: SMTP delivery, and Celery workers on Redis and
RabbitMQ running the same job functions the embedded runner runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from callimachus.app import build_context
from callimachus.cli import initialise
from callimachus.config import settings_from_env
from callimachus.db.models import JobRun
from callimachus.mail.base import Email
from callimachus.mail.smtp import SMTPMailer
from callimachus.services import drafts, files, tokens
from tests.conftest import MINIMAL_METADATA, service_unavailable
from tests.e2e.server import free_port

pytestmark = pytest.mark.backend_independent


def test_smtp_delivery():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        SMTPMailer(f"smtp://127.0.0.1:{port}", "Callimachus <noreply@example.org>").send(Email("someone@example.org", "Hello", "Body ✓"))
    finally:
        controller.stop()
    assert len(received) == 1
    assert received[0]["To"] == "someone@example.org" and received[0]["Subject"] == "Hello"
    assert "Body ✓" in received[0].get_payload(decode=True).decode()


BROKERS = {"redis": "redis://127.0.0.1:6379/0", "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//"}


def _reachable(url: str) -> None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:  # noqa: BLE001 - any failure means the broker is not there
        service_unavailable(url.split(":")[0], exc)


def _publish_embargoed(ctx, seconds: int) -> int:
    with ctx.unit_of_work(write=True) as uow:
        identity = tokens.identity_for_token(uow, ctx.extras["token"])
        until = (datetime.now(UTC) + timedelta(seconds=seconds)).replace(microsecond=0).isoformat()
        view = drafts.create_draft(ctx, uow, identity, {"metadata": MINIMAL_METADATA, "access": {"record": "public", "files": "restricted", "embargo": {"active": True, "until": until}}})
        uow.commit()
    recid = view.recid
    with ctx.unit_of_work() as uow:
        target = files.prepare_upload(ctx, uow, identity, recid, "a.txt", create=True)
    writer = ctx.files.stage(target.limit)
    writer.write(b"bytes")
    staged = writer.finish()
    with ctx.unit_of_work(write=True) as uow:
        files.attach_upload(ctx, uow, identity, target, staged, complete=True)
        drafts.publish_draft(ctx, uow, identity, recid)
        uow.commit()
    return recid


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_celery_worker_runs_the_embargo_job(tmp_path, broker):
    url = BROKERS[broker]
    _reachable(url)
    env = {"CALLIMACHUS_INSTANCE_PATH": str(tmp_path / "instance"), "CALLIMACHUS_TASKS_URL": url, "CALLIMACHUS_TASKS_QUEUE": f"test-{uuid.uuid4().hex}"}
    ctx = build_context(settings_from_env(env))
    ctx.extras["token"] = initialise(ctx)["token"]
    recid = _publish_embargoed(ctx, seconds=1)
    worker_env = {**os.environ, **env}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "callimachus.celery_app", "worker", "--pool", "solo", "--loglevel", "WARNING", "-Q", env["CALLIMACHUS_TASKS_QUEUE"]],
        env=worker_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(1.5)
        ctx.tasks.enqueue("lift_embargoes")
        deadline = time.monotonic() + 60
        while True:
            with ctx.unit_of_work() as uow:
                runs = uow.session.scalars(select(JobRun).where(JobRun.name == "lift_embargoes")).all()
            if runs:
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            assert time.monotonic() < deadline, "the worker never ran the job"
            time.sleep(0.3)
        assert runs[0].summary == {"lifted": [recid]}
    finally:
        worker.terminate()
        worker.wait(timeout=30)
