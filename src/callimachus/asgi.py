"""ASGI entry point for process managers (``uvicorn callimachus.asgi:app``), configured by environment."""

from callimachus.app import create_app

app = create_app()
