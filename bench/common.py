"""Shared pieces of the benchmarks: a real server process, memory sampling, results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import free_port, init_instance, running_server  # noqa: E402

OUT = ROOT / "bench" / "out"

__all__ = ["free_port", "init_instance", "running_server", "RssSampler", "write_result", "require_tool"]


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class RssSampler:
    """Samples a process's resident memory every few milliseconds in a background thread."""

    pid: int
    interval: float = 0.01
    samples: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append(rss_bytes(self.pid))
            except FileNotFoundError:
                return
            time.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self.samples.append(rss_bytes(self.pid))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return max(self.samples) - self.samples[0]


def write_result(name: str, result: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


def require_tool(name: str, debian_package: str | None = None) -> str:
    path = shutil.which(name)
    if path:
        return path
    if debian_package and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", debian_package], check=False, capture_output=True)
        path = shutil.which(name)
    if not path:
        raise SystemExit(f"{name} is needed for this benchmark (Debian package {debian_package or name})")
    return path
