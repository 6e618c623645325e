"""Start a real `callimachus serve` process on a free port, for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def instance_env(instance: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CALLIMACHUS_") or k == "CALLIMACHUS_REQUIRE_SERVICES"}
    env.update(CALLIMACHUS_INSTANCE_PATH=str(instance), **extra)
    return env


def init_instance(instance: Path, **extra: str) -> dict[str, str]:
    """Run `callimachus init`; return the administrator's credentials it printed."""
    out = subprocess.run(
        [sys.executable, "-m", "callimachus.cli", "init"], capture_output=True, text=True, env=instance_env(instance, **extra), timeout=120, check=True
    ).stdout
    creds = {}
    for line in out.splitlines():
        if line.startswith("  ") and ":" in line:
            name, value = line.strip().split(":", 1)
            creds[name.strip()] = value.strip()
    return creds


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@contextmanager
def running_server(instance: Path, port: int | None = None, **extra: str) -> Iterator[Server]:
    port = port or free_port()
    log = instance.parent / f"server-{port}.log"
    handle = open(log, "wb")  # noqa: SIM115 - stays open while the server runs, closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "callimachus.cli", "serve", "--port", str(port)],
        env=instance_env(instance, **extra), stdout=handle, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/records", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            handle.close()
            raise RuntimeError(f"server did not start:\n{log.read_text()}")
        time.sleep(0.2)
    server = Server(process, url, log)
    try:
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        handle.close()
