"""Two ways to reach the emulator: a requests adapter (in-process) and a localhost server.

Faults become what a client would see: a read timeout or a dropped connection.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from tests.emulator.api import Emulator

GOOGLE_PREFIX = "https://sheets.googleapis.com/"


class EmulatorAdapter(BaseAdapter):
    """Answers requests sent to sheets.googleapis.com from the emulator, in-process."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__()
        self.emulator = emulator

    def send(  # noqa: PLR0917 - requests' adapter signature
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        body = request.body or b""
        data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        reply = self.emulator.handle(request.method or "GET", request.url or "", data)
        if reply.fault == "timeout":
            raise requests.exceptions.ReadTimeout("emulated read timeout", request=request)
        if reply.fault:
            raise requests.exceptions.ConnectionError(
                "emulated dropped connection", request=request
            )
        response = requests.Response()
        response.status_code = reply.status
        response._content = reply.body
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "application/json; charset=UTF-8", **reply.headers}
        )
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.reason = "OK" if reply.status == 200 else "Error"
        return response

    def close(self) -> None:
        """Nothing to release: no sockets are opened."""


def mount(session: requests.Session, emulator: Emulator) -> requests.Session:
    """Route the session's Google Sheets calls to the emulator; returns the session."""
    session.mount(GOOGLE_PREFIX, EmulatorAdapter(emulator))
    return session


class _Handler(BaseHTTPRequestHandler):
    emulator: Emulator
    timeout_seconds = 5.0

    def _serve(self) -> None:
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size) if size else b""
        reply = self.emulator.handle(self.command, self.path, body)
        if reply.fault == "timeout":
            threading.Event().wait(self.timeout_seconds)
        if reply.fault:
            self.close_connection = True
            return
        self.send_response(reply.status)
        headers = {"Content-Type": "application/json; charset=UTF-8", **reply.headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator keeps its own request log."""


def make_server(emulator: Emulator, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A localhost HTTP server answering from `emulator` (port 0: any free port)."""
    handler = type("Handler", (_Handler,), {"emulator": emulator})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def serving(emulator: Emulator) -> Iterator[str]:
    """Run a localhost server in a thread; yields "host:port" for SHEETS_EMULATOR_HOST."""
    server = make_server(emulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"{host!s}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
