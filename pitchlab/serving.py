"""How the web app is served: gunicorn runs uvicorn workers (the Procfile's ``web`` line), each one event loop.

Chosen by measurement (docs/benchmarks.md, "Serving under ASGI"): gunicorn with uvicorn workers and granian served
a plain page and a static file within 5 % of each other; gunicorn keeps the Procfile's contract (worker count,
graceful restarts, the access log, killing a worker that stops answering) and uvicorn runs in-process in the
tests' live server, so the tests exercise the server that production runs.

Uvicorn bounds an idle keep-alive connection (``--keep-alive``) but not the receipt of a request: a client that
trickles its headers a byte at a time would hold its connection for ever (slowloris). ``DeadlineProtocol`` closes
a connection whose request line and headers have not all arrived within ``HEADER_TIMEOUT_S`` of its first byte (or
of the connection, for one that sends nothing), and one whose body comes slower than ``BODY_MIN_BYTES_PER_S``
over any ``BODY_WINDOW_S`` window. An open connection costs a few kB and no thread, so these bound the count of
such connections that an attacker can hold by its rate of opening them, not by a thread pool.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker  # type: ignore[import-untyped]

HEADER_TIMEOUT_S = float(os.environ.get("PITCHLAB_HEADER_TIMEOUT_S", "10"))
BODY_MIN_BYTES_PER_S = 1024
BODY_WINDOW_S = 10.0


class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a deadline for a request's headers and a minimum rate for its body."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._body_seen = 0
        self._receiving_body = False

    def _arm(self, seconds: float, callback: Any) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, callback)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            client = "{}:{}".format(*self.client) if self.client else "a client"
            self.logger.info("closed %s: its request came too slowly", client)
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(HEADER_TIMEOUT_S, self._too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._receiving_body = False
        self._arm(HEADER_TIMEOUT_S, self._too_slow)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._receiving_body = True
        self._body_seen = 0
        self._arm(BODY_WINDOW_S, self._check_body_rate)

    def on_body(self, body: bytes) -> None:
        self._body_seen += len(body)
        super().on_body(body)

    def _check_body_rate(self) -> None:
        self._deadline = None
        if not self._receiving_body:
            return
        if self._body_seen < BODY_MIN_BYTES_PER_S * BODY_WINDOW_S:
            self._too_slow()
            return
        self._body_seen = 0
        self._arm(BODY_WINDOW_S, self._check_body_rate)

    def on_message_complete(self) -> None:
        self._receiving_body = False
        self._disarm()
        super().on_message_complete()


class Worker(UvicornWorker):  # type: ignore[misc]
    """The Procfile's worker class: uvloop, httptools with the deadlines above."""

    CONFIG_KWARGS: dict[str, Any] = {"loop": "uvloop", "http": "pitchlab.serving:DeadlineProtocol"}
