"""The upload widget resumes after the connection is cut in the middle of a chunk: a proxy
between Chromium and the server forwards half of the second chunk, then closes both
connections, and drops every request for a second (Chromium quietly resends a request cut on a
reused connection; that attempt fails too, so the page sees the error). The widget asks the
server where to resume (HEAD), sends the rest, and the file arrives whole (its MD5 as computed
here)."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from tests.browser.conftest import Site
from tests.browser.deposit_support import CuttingProxy, make_file, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.backend_independent]

CHUNK = 8 * 1024 * 1024  # upload.js sends chunks of 8 MiB


def test_upload_resumes_after_a_cut_connection(site: Site, browser, tmp_path):
    data = make_file(tmp_path / "soundings.bin", 2 * CHUNK + 3_000_000)
    port = int(site.url.rsplit(":", 1)[1])
    proxy = CuttingProxy(port, cut_nth=2, cut_after=CHUNK // 2)
    context = browser.new_context(base_url=proxy.url)
    seen: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: seen.append(f"{r.method} {r.url.replace(proxy.url, '')}") if "/api/" in r.url else None)
        page.on("requestfailed", lambda r: seen.append(f"FAILED {r.method} {r.url.replace(proxy.url, '')}"))
        sign_in(page, site.admin["e-mail"], site.admin["password"])
        page.goto("/uploads/new")
        page.locator("#file-input").set_input_files(str(data.path))
        row = page.locator('tr[data-key="soundings.bin"]')
        row.locator(".file-status").filter(has_text="uploaded").wait_for(timeout=60_000)
        assert row.locator(".checksum").inner_text() == data.md5
        site.screenshot(page, "upload-resumed")
        # Dropping a file on the zone uploads it too (a drop event carrying a file).
        page.locator("#dropzone").dispatch_event("drop", {"dataTransfer": page.evaluate_handle("""() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["depth,temp\\n4,12.5\\n"], "dropped.csv", {type: "text/csv"}));
            return transfer;
        }""")})
        dropped = page.locator('tr[data-key="dropped.csv"]')
        dropped.locator(".file-status").filter(has_text="uploaded").wait_for()
        assert dropped.locator(".checksum").inner_text() == hashlib.md5(b"depth,temp\n4,12.5\n").hexdigest()
    finally:
        context.close()
        proxy.close()

    (cut,) = proxy.cuts
    assert cut.startswith("PATCH /api/uploads/") and cut.endswith(f"after {CHUNK // 2} of {CHUNK} bytes")
    # The page saw the failure, asked where to resume, and sent the rest from there.
    failed = next(i for i, line in enumerate(seen) if line.startswith("FAILED PATCH /api/uploads/"))
    assert any(line.startswith("HEAD /api/uploads/") for line in seen[failed:]), seen
    after_cut = proxy.requests[proxy.cut_index + 1 :]
    answered = [line for line in after_cut if not line.startswith("dropped")]
    assert answered[0].startswith("HEAD /api/uploads/"), after_cut  # the first request to get through
    assert [line.split(" ")[0] for line in answered[1:4]] == ["PATCH", "PATCH", "POST"], after_cut
    assert answered[3].endswith("/draft/files/soundings.bin/commit HTTP/1.1")

    recid = page.url.rsplit("/", 1)[1]
    with httpx.Client(base_url=site.url, headers={"Authorization": f"Bearer {site.admin['API token']}"}) as api:
        entry = api.get(f"/api/records/{recid}/draft/files/soundings.bin").json()
    assert entry["status"] == "completed" and entry["size"] == data.size and entry["checksum"] == f"md5:{data.md5}"
    assert site.problems == [] and site.dialogs == []
