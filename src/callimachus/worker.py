"""Wiring for background work: the task table, the schedules, and the Celery application.

Run workers with ``celery -A callimachus.celery_app worker --beat`` and
``CALLIMACHUS_TASKS_URL=amqp://…`` or ``redis://…``; the embedded default runs the same task
functions in the server process instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from celery import Celery

from callimachus.config import Settings, settings_from_env
from callimachus.services import jobs, oai
from callimachus.services.context import ServiceContext
from callimachus.tasks.inline import Schedule


def schedules(settings: Settings) -> tuple[Schedule, ...]:
    return (
        Schedule("lift_embargoes", settings.embargo_job_seconds),
        Schedule("collect_orphans", 3600.0),
    )


def task_functions(ctx: ServiceContext) -> dict[str, Callable[..., Any]]:
    """Every background task by name, bound to a service context."""
    return {
        "lift_embargoes": lambda: jobs.lift_embargoes(ctx),
        "collect_orphans": lambda: jobs.collect_orphans(ctx),
        "oai_prerender": lambda recids=None: oai.prerender(ctx, recids=recids),
    }


def make_celery(settings: Settings) -> Celery:
    app = Celery("callimachus", broker=settings.tasks_url)
    app.conf.update(
        task_default_queue=settings.tasks_queue,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
    )

    @functools.cache
    def context() -> ServiceContext:
        from callimachus.app import build_context

        return build_context(settings)

    def run(name: str, **kwargs: Any) -> Any:
        return task_functions(context())[name](**kwargs)

    def make_task(name: str) -> Callable[..., Any]:
        def task(**kwargs: Any) -> Any:
            return run(name, **kwargs)

        task.__name__ = name
        return task

    for name in ("lift_embargoes", "collect_orphans", "oai_prerender"):
        app.task(name=name)(make_task(name))
    app.conf.beat_schedule = {s.task: {"task": s.task, "schedule": s.seconds} for s in schedules(settings)}
    return app


def celery_app() -> Celery:
    """The Celery application for this environment (see callimachus.celery_app)."""
    return make_celery(settings_from_env())
