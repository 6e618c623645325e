"""Browser tests: Playwright (from PyPI) driving the system's Chromium against a real server.

Chromium comes from the distribution (``apt-get install chromium``; ``npx playwright install``
cannot download browsers here) and is launched by path. Without it these tests skip, unless
``CALLIMACHUS_REQUIRE_SERVICES=1``, which makes a missing browser a failure. One server per
module, one browser per session; screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.e2e.server import Server, init_instance, running_server

REQUIRE_SERVICES = os.environ.get("CALLIMACHUS_REQUIRE_SERVICES") == "1"
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# As the machine notes say: no sandbox as root, and no background networking (the network is closed).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip


def _unavailable(message: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(message + " (CALLIMACHUS_REQUIRE_SERVICES=1)")
    pytest.skip(message)


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CALLIMACHUS_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        _unavailable("Chromium is not installed (apt-get install chromium, or scripts/ensure-chromium.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"Playwright is not installed: {exc}")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@dataclass
class Site:
    """A running instance: its URL, folder, administrator and one browser context to reuse."""

    server: Server
    instance: Path
    admin: dict[str, str]
    context: Any
    dialogs: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.admin['API token']}"}, timeout=30)

    def mails_to(self, address: str) -> list[email.message.EmailMessage]:
        found = []
        for path in sorted((self.instance / "outbox").glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == address:
                found.append(message)
        return found  # type: ignore[return-value]

    def link_for(self, address: str, path: str, *, after: int = 0) -> str:
        """The link of ``path`` in the newest message to ``address`` (waiting briefly for it)."""
        deadline = time.monotonic() + 10
        while True:
            messages = self.mails_to(address)
            if len(messages) > after:
                text = str(messages[-1].get_content())  # type: ignore[attr-defined]
                found = re.search(rf"(https?://\S+{re.escape(path)}\?token=[\w-]+)", text)
                assert found, text
                return found.group(1)
            assert time.monotonic() < deadline, f"no mail to {address}"
            time.sleep(0.1)

    def new_page(self) -> Any:
        page = self.context.new_page()
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", lambda message: self._console(message))
        return page

    def _console(self, message: Any) -> None:
        # A refused form answers 4xx on purpose ("Failed to load resource"); anything else is a problem.
        if "Content Security Policy" in message.text or (message.type == "error" and "Failed to load resource" not in message.text):
            self.problems.append(f"console {message.type}: {message.text}")

    def screenshot(self, page: Any, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def site(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    instance = tmp_path_factory.mktemp("browser") / "instance"
    admin = init_instance(instance)
    with running_server(instance) as server:
        context = browser.new_context(base_url=server.url, viewport={"width": 1200, "height": 900})
        # A canary the XSS payloads try to set; a dialog (alert) is recorded too.
        context.add_init_script("window.__xss = 0;")
        yield Site(server, instance, admin, context)
        context.close()


def xss_fired(page: Any) -> Any:
    return page.evaluate("window.__xss")


def publish_record(site: Site, metadata: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """Create, upload and publish through the REST API with the administrator's token."""
    from urllib.parse import quote

    with site.api as api:
        draft = api.post("/api/records", json={"metadata": metadata}).json()
        for key, data in files.items():
            assert api.post(f"/api/records/{draft['id']}/draft/files", json=[{"key": key}]).status_code == 201
            path = f"/api/records/{draft['id']}/draft/files/{quote(key, safe='')}"
            assert api.put(f"{path}/content", content=data, headers={"Content-Type": "application/octet-stream"}).status_code == 200
            assert api.post(f"{path}/commit").status_code == 200
        published = api.post(f"/api/records/{draft['id']}/draft/actions/publish")
        assert published.status_code == 202, published.text
        return dict(published.json())


METADATA: dict[str, Any] = {
    "resource_type": {"id": "dataset"},
    "title": "Sea surface temperatures at two stations",
    "publication_date": "2024-05-17",
    "creators": [{"person_or_org": {"type": "personal", "family_name": "Carberry", "given_name": "Josiah"}}],
    "rights": [{"id": "cc-by-4.0"}],
    "description": "<p>Hourly readings.</p>",
}
