"""Record reads: `GET /api/records/{id}` requests per second against a bare Starlette endpoint
returning JSON of the same size, both served by uvicorn in the same run and loaded with wrk.

Target: ratio of at least 0.5. Usage: python bench/records.py [--seconds N] [--connections N]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import free_port, init_instance, require_tool, running_server, write_result

METADATA = {
    "resource_type": {"id": "dataset"},
    "title": "Ocean temperatures of the North Atlantic, 1990–2020",
    "publication_date": "2024-05-17",
    "creators": [
        {"person_or_org": {"type": "personal", "given_name": "Josiah", "family_name": "Carberry",
                           "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}]},
         "affiliations": [{"name": "Brown University"}]},
        {"person_or_org": {"type": "organizational", "name": "Callimachus Consortium"}},
    ],
    "rights": [{"id": "cc-by-4.0"}],
    "subjects": [{"subject": "oceanography"}, {"subject": "climate"}],
    "description": "<p>Monthly sea surface temperatures from moored buoys, quality controlled.</p>",
    "version": "1.0",
}


def wrk(url: str, seconds: int, connections: int) -> float:
    tool = require_tool("wrk", "wrk")
    out = subprocess.run([tool, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if match is None or non2xx is not None:
        raise RuntimeError(out)
    return float(match.group(1))


def publish_record(url: str, token: str) -> str:
    auth = {"Authorization": f"Bearer {token}"}
    draft = httpx.post(f"{url}/api/records", json={"metadata": METADATA}, headers=auth).json()
    recid = draft["id"]
    for key in ("temps.csv", "README.md", "analysis.py"):
        httpx.post(f"{url}/api/records/{recid}/draft/files", json=[{"key": key}], headers=auth).raise_for_status()
        httpx.put(f"{url}/api/records/{recid}/draft/files/{key}/content", content=b"x" * 1000, headers=auth).raise_for_status()
        httpx.post(f"{url}/api/records/{recid}/draft/files/{key}/commit", headers=auth).raise_for_status()
    httpx.post(f"{url}/api/records/{recid}/draft/actions/publish", headers=auth).raise_for_status()
    return recid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        instance = work / "instance"
        token = init_instance(instance)["API token"]
        with running_server(instance) as server:
            recid = publish_record(server.url, token)
            url = f"{server.url}/api/records/{recid}"
            body = httpx.get(url).content
            (work / "payload.json").write_bytes(body)
            wrk(url, 2, args.connections)  # warm up
            ours = wrk(url, args.seconds, args.connections)
        port = free_port()
        bare = subprocess.Popen([sys.executable, str(Path(__file__).with_name("bare_app.py")), str(work / "payload.json"), str(port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            bare_url = f"http://127.0.0.1:{port}/api/records/{recid}"
            for _ in range(100):
                try:
                    if httpx.get(bare_url).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
            assert abs(len(httpx.get(bare_url).content) - len(body)) < 64
            wrk(bare_url, 2, args.connections)
            baseline = wrk(bare_url, args.seconds, args.connections)
        finally:
            bare.terminate()
            bare.wait()
    write_result("records", {
        "response_bytes": len(body),
        "callimachus_rps": round(ours, 1),
        "bare_starlette_rps": round(baseline, 1),
        "ratio": round(ours / baseline, 3),
        "target_ratio": 0.5,
    })


if __name__ == "__main__":
    main()
