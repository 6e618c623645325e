"""Upload throughput: one 1 GiB file through the API against `cp` + `sync` of the same file.

Target: the API reaches at least 0.7 of the copy's throughput, and the server's resident memory
grows by less than 100 MB during the upload. Usage: python bench/upload.py [--size-mib N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from common import RssSampler, init_instance, require_tool, running_server, write_result

MIB = 1024 * 1024


def make_file(path: Path, size: int) -> str:
    digest = hashlib.md5()
    with open(path, "wb") as handle:
        remaining = size
        while remaining:
            chunk = os.urandom(min(8 * MIB, remaining))
            handle.write(chunk)
            digest.update(chunk)
            remaining -= len(chunk)
    return digest.hexdigest()


def drop_target(path: Path) -> None:
    if path.exists():
        path.unlink()
    subprocess.run(["sync"], check=True)


def time_copy(source: Path, target: Path) -> float:
    drop_target(target)
    start = time.perf_counter()
    subprocess.run(["cp", str(source), str(target)], check=True)
    subprocess.run(["sync"], check=True)
    elapsed = time.perf_counter() - start
    drop_target(target)
    return elapsed


def time_upload(server_url: str, pid: int, token: str, source: Path, md5: str) -> tuple[float, int]:
    auth = {"Authorization": f"Bearer {token}"}
    draft = httpx.post(f"{server_url}/api/records", json={"metadata": {"title": "bench"}}, headers=auth).json()
    recid = draft["id"]
    httpx.post(f"{server_url}/api/records/{recid}/draft/files", json=[{"key": "big.bin"}], headers=auth).raise_for_status()
    curl = require_tool("curl")
    subprocess.run(["sync"], check=True)
    with RssSampler(pid) as memory:
        start = time.perf_counter()
        subprocess.run(
            [curl, "-sf", "-T", str(source), "-H", f"Authorization: Bearer {token}", "-H", "Content-Type: application/octet-stream",
             f"{server_url}/api/records/{recid}/draft/files/big.bin/content", "-o", "/dev/null"],
            check=True,
        )
        elapsed = time.perf_counter() - start
    done = httpx.post(f"{server_url}/api/records/{recid}/draft/files/big.bin/commit", headers=auth).json()
    assert done["checksum"] == f"md5:{md5}", done
    return elapsed, memory.growth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    size = args.size_mib * MIB
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as tmp:
        work = Path(tmp)
        source = work / "source.bin"
        md5 = make_file(source, size)
        instance = work / "instance"
        token = init_instance(instance)["API token"]
        copies, uploads, growths = [], [], []
        with running_server(instance) as server:
            for _ in range(args.rounds):
                copies.append(time_copy(source, work / "copy.bin"))
                elapsed, growth = time_upload(server.url, server.process.pid, token, source, md5)
                uploads.append(elapsed)
                growths.append(growth)
    copy_mbs = size / min(copies) / 1e6
    upload_mbs = size / min(uploads) / 1e6
    write_result(
        "upload",
        {
            "size_bytes": size,
            "cp_sync_seconds": copies,
            "upload_seconds": uploads,
            "cp_sync_MBps_best": round(copy_mbs, 1),
            "upload_MBps_best": round(upload_mbs, 1),
            "ratio": round(upload_mbs / copy_mbs, 3),
            "target_ratio": 0.7,
            "server_rss_growth_MB_max": round(max(growths) / 1e6, 1),
            "target_rss_growth_MB": 100,
        },
    )


if __name__ == "__main__":
    main()
