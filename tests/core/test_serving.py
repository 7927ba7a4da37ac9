"""The server's own bounds (pitchlab/serving.py), against the live server (uvicorn with the Procfile's protocol):
a client that trickles its headers, or its body, is cut off; one that sends at an honest pace is served."""

from __future__ import annotations

import socket
import time
from typing import Any
from urllib.parse import urlsplit

import pytest

from pitchlab import serving

pytestmark = pytest.mark.slow


@pytest.fixture
def short_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serving, "HEADER_TIMEOUT_S", 1.0)
    monkeypatch.setattr(serving, "BODY_WINDOW_S", 1.0)


def connect(live_server: Any) -> socket.socket:
    return socket.create_connection(("127.0.0.1", int(urlsplit(live_server.url).port or 80)), timeout=10)


def closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float | None:
    """Send ``trickle`` a byte every 0.2 s (or nothing) until the server closes; the seconds it took, or None."""
    started = time.monotonic()
    sock.settimeout(0.2)
    index = 0
    while time.monotonic() - started < seconds:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - started
        except TimeoutError:
            pass
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - started
        if trickle:
            try:
                sock.sendall(trickle[index % len(trickle) : index % len(trickle) + 1])
            except (ConnectionResetError, BrokenPipeError):
                return time.monotonic() - started
            index += 1
    return None


def test_a_client_trickling_its_headers_is_cut_off(live_server: Any, short_bounds: None) -> None:
    sock = connect(live_server)
    sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: localhost\r\n")
    took = closed_within(sock, 10, trickle=b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    assert took is not None, "a client sending a byte of header every 0.2 s was never cut off"
    assert took < 5


def test_a_connection_that_sends_nothing_is_cut_off(live_server: Any, short_bounds: None) -> None:
    took = closed_within(connect(live_server), 10)
    assert took is not None
    assert took < 5


def test_a_body_trickled_slower_than_the_minimum_rate_is_cut_off(live_server: Any, short_bounds: None) -> None:
    sock = connect(live_server)
    sock.sendall(
        b"POST /accounts/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 100000\r\n\r\n"
    )
    took = closed_within(sock, 10, trickle=b"username=a")
    assert took is not None, "a body trickled at 5 bytes/s was never cut off"
    assert took < 5


def test_an_honest_client_is_served_across_the_bounds(live_server: Any, short_bounds: None) -> None:
    """Headers in two parts, the second 0.5 s later (within the 1 s bound), and a keep-alive connection idle
    between two requests: both answered."""
    sock = connect(live_server)
    sock.sendall(b"GET /accounts/login/ HTTP/1.1\r\n")
    time.sleep(0.5)
    sock.sendall(b"Host: localhost\r\n\r\n")
    sock.settimeout(10)
    first = sock.recv(65536)
    assert first.startswith(b"HTTP/1.1 200"), first[:100]
