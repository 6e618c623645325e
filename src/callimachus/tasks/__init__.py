"""Background work: the same task functions run in-process (embedded) or on Celery (scale-out)."""
