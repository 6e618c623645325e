"""Helpers of the deposit tests in Chromium: signing up through the pages, a large file made once,
reading progress bars, and a proxy that cuts a connection in the middle of an upload chunk."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.browser.conftest import Site

PASSWORD = "a long enough password"


def sign_up(site: Site, page: Any, address: str, name: str) -> None:
    """The foundation's way in: sign up, open the mailed link, press the button (signed in)."""
    page.goto("/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    assert page.get_by_text("Check your inbox").is_visible()
    page.goto(site.link_for(address, "/account/confirm"))
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url("**/")


def sign_in(page: Any, address: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@dataclass(frozen=True)
class BigFile:
    path: Path
    size: int
    md5: str


def make_file(path: Path, size: int) -> BigFile:
    """``size`` bytes that do not compress (a repeated block of random bytes), and their MD5."""
    digest = hashlib.md5()
    block = os.urandom(1024 * 1024)
    with path.open("wb") as handle:
        written = 0
        while written < size:
            piece = block[: size - written]
            handle.write(piece)
            digest.update(piece)
            written += len(piece)
    return BigFile(path, size, digest.hexdigest())


def fill_vocabulary(page: Any, label: str, typed: str, option: str, *, nth: int = 0) -> None:
    """Type into a vocabulary field and pick a suggestion from its list (the script's combobox)."""
    field = page.get_by_role("combobox", name=label).nth(nth)
    field.fill(typed)
    page.get_by_role("option", name=option).click()


# --- a proxy that cuts one upload chunk half-way ---------------------------------------------------


@dataclass
class CuttingProxy:
    """Forwards 127.0.0.1 connections to the server; the ``cut_nth`` PATCH to ``/api/uploads/``
    is cut off after ``cut_after`` bytes of its body: the server receives part of the chunk, then
    the connection closes. The network then stays down for ``outage`` seconds (every request is
    dropped unanswered), so that the browser's own quiet retry fails too and the page sees it."""

    target_port: int
    cut_nth: int = 0
    cut_after: int = 0
    outage: float = 1.0
    patches: int = 0
    down_until: float = 0.0
    cut_index: int = -1  # position of the cut request in ``requests``
    cuts: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        threading.Thread(target=_pipe, args=(upstream, client), daemon=True).start()
        try:
            self._requests(client, upstream)
        except OSError:
            pass
        finally:
            for sock in (client, upstream):
                _close(sock)

    def _requests(self, client: socket.socket, upstream: socket.socket) -> None:
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                data = client.recv(65536)
                if not data:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            if time.monotonic() < self.down_until:
                self.requests.append(f"dropped {line}")
                return
            length = _content_length(head)
            cut = self._should_cut(line)
            upstream.sendall(head + b"\r\n\r\n")
            sent = 0
            while sent < length:
                if not buffer:
                    buffer = client.recv(65536)
                    if not buffer:
                        return
                piece, buffer = buffer[: length - sent], buffer[length - sent :]
                if cut and sent + len(piece) >= self.cut_after:
                    upstream.sendall(piece[: self.cut_after - sent])
                    self.cuts.append(f"{line} after {self.cut_after} of {length} bytes")
                    self.down_until = time.monotonic() + self.outage
                    return  # both connections close: mid-chunk for the server and the browser
                upstream.sendall(piece)
                sent += len(piece)

    def _should_cut(self, line: str) -> bool:
        with self.lock:
            self.requests.append(line)
            if line.startswith("PATCH /api/uploads/"):
                self.patches += 1
                if self.patches == self.cut_nth:
                    self.cut_index = len(self.requests) - 1
                    return True
        return False


def _content_length(head: bytes) -> int:
    for header in head.split(b"\r\n")[1:]:
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def _pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        _close(target)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def progress_values(page: Any, key: str, until_done: float = 120.0) -> Iterator[float]:
    """Values of the file's progress bar, read while it uploads (until it says uploaded)."""
    row = page.locator(f'tr[data-key="{key}"]')
    bar = row.locator("progress")
    deadline = time.monotonic() + until_done
    while time.monotonic() < deadline:
        value = bar.evaluate("p => p.value") if bar.count() else None
        if value is not None:
            yield float(value)
        if row.locator(".file-status").inner_text().strip().startswith(("uploaded", "failed")):
            return
        page.wait_for_timeout(25)
