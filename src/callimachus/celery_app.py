"""The Celery application for ``celery -A callimachus.celery_app worker --beat``.

Importing this module builds the application from the environment (CALLIMACHUS_TASKS_URL and the
other settings); only Celery's command line imports it.
"""

from callimachus.worker import celery_app

app = celery_app()
