"""OAI-PMH harvest: a full ListRecords harvest of 100,000 records (oai_dc) from a real server
process, against nginx serving the same pages, pre-rendered, from disk, in the same run.

The records are inserted by the bench-only bulk loader (``bench/oai_load.py``), then
``callimachus oai prerender`` renders their payloads, as the server does after each change in
normal operation (timed separately). With ``--cold`` that step is skipped and the first harvest
renders every payload itself ("cold"); the following harvests are served from the cache
("warm"). The client is the same for all: it fetches page after page over one keep-alive
connection and parses each page with lxml (records counted, resumption token read). The
server's resident memory is sampled during each harvest.

Target: at least 5,000 records per second warm, memory flat.
Usage: python bench/oai.py [--records N] [--prefix oai_dc] [--warm-rounds N] [--page-size N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from common import RssSampler, free_port, init_instance, require_tool, running_server, write_result
from lxml import etree

from callimachus.db.engine import create_db_engine

sys.path.insert(0, str(Path(__file__).parent))
from oai_load import load  # noqa: E402

OAI = "{http://www.openarchives.org/OAI/2.0/}"
MB = 1024 * 1024


def parse_page(body: bytes) -> tuple[int, str | None]:
    """Records on a page and the resumption token of the next one (None at the end)."""
    root = etree.fromstring(body)
    records = sum(1 for _ in root.iter(f"{OAI}record"))
    token = root.find(f"{OAI}ListRecords/{OAI}resumptionToken")
    errors = root.findall(f"{OAI}error")
    if errors:
        raise RuntimeError(f"OAI-PMH error: {errors[0].get('code')}: {errors[0].text}")
    return records, (token.text if token is not None and token.text else None)


def harvest_oai(url: str, prefix: str, keep: Path | None) -> tuple[int, int]:
    """A full harvest; pages are written to ``keep`` when given. Returns (records, pages)."""
    total = pages = 0
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    with httpx.Client(timeout=600) as client:
        while True:
            body = client.get(f"{url}/oai2d", params=params).raise_for_status().content
            if keep is not None:
                (keep / f"page-{pages:06d}.xml").write_bytes(body)
            count, token = parse_page(body)
            total, pages = total + count, pages + 1
            if token is None:
                return total, pages
            params = {"verb": "ListRecords", "resumptionToken": token}


def harvest_static(url: str, pages: int) -> tuple[int, int]:
    total = 0
    with httpx.Client(timeout=600) as client:
        for page in range(pages):
            count, _ = parse_page(client.get(f"{url}/page-{page:06d}.xml").raise_for_status().content)
            total += count
    return total, pages


def timed(pid: int, run: Callable[[], tuple[int, int]]) -> dict[str, float]:
    with RssSampler(pid) as rss:
        start = time.perf_counter()
        records, pages = run()
        seconds = time.perf_counter() - start
    return {
        "records": records, "pages": pages, "seconds": round(seconds, 2), "records_per_s": round(records / seconds),
        "rss_start_mb": round(rss.samples[0] / MB, 1), "rss_max_mb": round(max(rss.samples) / MB, 1),
        "rss_end_mb": round(rss.samples[-1] / MB, 1), "rss_growth_mb": round(rss.growth / MB, 1),
    }


NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
error_log {root}/nginx-error.log warn;
pid {root}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/xml;
    client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {pages};
    }}
}}
"""


@contextmanager
def nginx(pages: Path, work: Path) -> Iterator[tuple[str, int]]:
    """nginx as a child process (not a daemon), one worker, serving ``pages`` on a free port."""
    binary = require_tool("nginx", "nginx")
    port = free_port()
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=work, port=port, pages=pages))
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(work)], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            httpx.get(f"{url}/page-000000.xml", timeout=1)
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {(work / 'nginx-error.log').read_text()}") from None
            time.sleep(0.1)
    try:
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--prefix", default="oai_dc")
    parser.add_argument("--warm-rounds", type=int, default=2)
    parser.add_argument("--page-size", type=int, default=None, help="CALLIMACHUS_OAI_PAGE_SIZE (default: the setting's)")
    parser.add_argument("--cold", action="store_true", help="do not prerender: the first harvest renders every payload")
    args = parser.parse_args()
    port = free_port()
    # The prerender command and the server must agree on the site (payload stamps include it).
    env = {"CALLIMACHUS_OAI_DOMAIN": "bench.example.org", "CALLIMACHUS_SITE_URL": f"http://127.0.0.1:{port}"}
    if args.page_size:
        env["CALLIMACHUS_OAI_PAGE_SIZE"] = str(args.page_size)
    with tempfile.TemporaryDirectory(prefix="callimachus-bench-oai-") as tmp:
        work = Path(tmp)
        instance = work / "instance"
        init_instance(instance, **env)
        engine = create_db_engine(f"sqlite:///{instance / 'callimachus.db'}")
        started = time.perf_counter()
        load(engine, args.records)
        engine.dispose()
        result: dict[str, object] = {"records": args.records, "prefix": args.prefix,
                                     "load_seconds": round(time.perf_counter() - started, 1)}
        pages = work / "pages"
        pages.mkdir()
        if not args.cold:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "callimachus.cli", "oai", "prerender", "--prefix", args.prefix],
                           env={**os.environ, "CALLIMACHUS_INSTANCE_PATH": str(instance), **env}, check=True)
            seconds = time.perf_counter() - started
            result["prerender"] = {"seconds": round(seconds, 1), "records_per_s": round(args.records / seconds)}
        with running_server(instance, port=port, **env) as server:
            pid = server.process.pid
            result["first" if not args.cold else "cold"] = timed(pid, lambda: harvest_oai(server.url, args.prefix, pages))
            result["warm"] = [timed(pid, lambda: harvest_oai(server.url, args.prefix, None)) for _ in range(args.warm_rounds)]
        count = len(list(pages.iterdir()))
        with nginx(pages, work / "nginx") as (url, nginx_pid):
            harvest_static(url, count)  # warm the page cache of the files
            result["nginx"] = timed(nginx_pid, lambda: harvest_static(url, count))
        best = max(r["records_per_s"] for r in result["warm"])  # type: ignore[union-attr]
        result["warm_best_records_per_s"] = best
        result["ratio_warm_to_nginx"] = round(best / result["nginx"]["records_per_s"], 2)  # type: ignore[index]
        write_result("oai", result)


if __name__ == "__main__":
    main()
