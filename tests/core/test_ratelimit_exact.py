"""The one rate limiter (pitchlab/core/ratelimit.py) is exact under concurrency, slides, and is all-or-nothing.

Every test runs against the real Redis the app is configured with: the embedded redis-server by default, the
networked one when REDIS_URL is given. Times are either Redis' own clock with short windows (1 s), or a
``now`` the test passes, so nothing waits long.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pitchlab.core import ratelimit
from pitchlab.core.ratelimit import Limit, Verdict

# The limiter counts in the cache's Redis: the embedded default needs its server running.
pytestmark = pytest.mark.usefixtures("app_broker")

T0 = 1_800_000_000.0  # a "now" of the tests' own, in seconds since the epoch


def storm(call: Callable[[int, int], Verdict], *, threads: int, calls: int) -> list[list[Verdict]]:
    """``threads`` threads released at once, each making ``calls`` calls in a row: their verdicts, per thread."""
    start = threading.Barrier(threads)

    def run(thread: int) -> list[Verdict]:
        start.wait(timeout=10)
        return [call(thread, i) for i in range(calls)]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))


def passed(verdicts: list[list[Verdict]]) -> int:
    return sum(verdict.allowed for row in verdicts for verdict in row)


def subject() -> str:
    return uuid.uuid4().hex


@pytest.mark.parametrize(
    ("threads", "calls", "rate", "allowed"),
    [
        (8, 6, "20/min", 20),
        (8, 6, "47/min", 47),
        (12, 5, "1/h", 1),
        (16, 4, "33/h", 33),
        (6, 8, "7/d", 7),
        (8, 6, "48/min", 48),  # exactly as many as are sent: none refused
    ],
)
def test_concurrent_calls_let_exactly_the_rate_through(threads: int, calls: int, rate: str, allowed: int) -> None:
    limit = Limit("probe:crowd", subject(), rate)
    verdicts = storm(lambda t, i: ratelimit.hit(limit), threads=threads, calls=calls)
    assert passed(verdicts) == allowed
    refused = [verdict.wait for row in verdicts for verdict in row if not verdict.allowed]
    assert len(refused) == threads * calls - allowed
    period = ratelimit.rate_parse(rate)[1]
    assert all(wait is not None and 0 < wait <= period for wait in refused)


def test_concurrent_calls_on_many_keys_are_counted_apart() -> None:
    """Each thread is its own client (3/min each), all in one room (10/min): the room holds, so does each client."""
    room = subject()
    clients = [subject() for _ in range(8)]
    verdicts = storm(
        lambda t, i: ratelimit.hit(Limit("probe:client", clients[t], "3/min"), Limit("probe:room", room, "10/min")),
        threads=8,
        calls=6,
    )
    assert passed(verdicts) == 10
    assert all(sum(verdict.allowed for verdict in row) <= 3 for row in verdicts)


@pytest.mark.parametrize(("client_rate", "room_rate"), [("4/min", "15/min"), ("2/min", "9/h"), ("5/h", "30/min")])
def test_two_limits_in_one_call_let_exactly_the_tighter_through_per_key(client_rate: str, room_rate: str) -> None:
    room = subject()
    clients = [subject() for _ in range(8)]
    verdicts = storm(
        lambda t, i: ratelimit.hit(
            Limit("probe:client", clients[t], client_rate), Limit("probe:room", room, room_rate)
        ),
        threads=8,
        calls=6,
    )
    per_client, per_room = ratelimit.rate_parse(client_rate)[0], ratelimit.rate_parse(room_rate)[0]
    assert passed(verdicts) == min(per_room, 8 * min(per_client, 6))
    assert max(sum(verdict.allowed for verdict in row) for row in verdicts) <= per_client


def test_a_call_refused_by_one_limit_is_recorded_in_none() -> None:
    client_x, client_y = Limit("probe:client", subject(), "2/min"), Limit("probe:client", subject(), "2/min")
    room = Limit("probe:room", subject(), "3/min")

    def call(client: Limit, at: float) -> bool:
        return ratelimit.hit(client, room, now=T0 + at).allowed

    assert [call(client_x, 0), call(client_x, 1), call(client_x, 2)] == [True, True, False]
    # x's refused call cost the room nothing: y still gets the room's third place.
    assert call(client_y, 3) is True
    # Refused by the room, y's call (t=4) costs y nothing: once the room has room again, y has its second place.
    assert call(client_y, 4) is False
    assert call(client_x, 61.5) is True  # x's calls (t=0, 1) left the minute, and two of the room's
    assert call(client_y, 62.5) is True  # y had one call counted (t=3), not two
    assert call(client_x, 62.9) is False  # the room is full again: t=3, 61.5, 62.5


def test_the_wait_is_until_the_refusing_limit_has_room_and_the_longest_of_several() -> None:
    tight, loose = Limit("probe:a", subject(), "2/min"), Limit("probe:b", subject(), "3/h")
    assert ratelimit.hit(tight, loose, now=T0).allowed
    assert ratelimit.hit(tight, loose, now=T0 + 10).allowed
    refused = ratelimit.hit(tight, loose, now=T0 + 25)
    assert refused.wait == pytest.approx(35)  # the t=0 call leaves the minute at t=60
    assert ratelimit.hit(tight, loose, now=T0 + 60.5).allowed  # the hour's third place
    both = ratelimit.hit(tight, loose, now=T0 + 61)  # the minute is full (t=10, t=60.5) and so is the hour
    assert both.wait == pytest.approx(3600 - 61)  # the hour's oldest (t=0) frees last: that is the wait


def test_the_window_slides_instead_of_resetting() -> None:
    """A fixed window would let 3 more through just after its edge; a sliding one waits for each to age out."""
    limit = Limit("probe:edge", subject(), "3/s")
    assert all(ratelimit.hit(limit, now=T0 + 0.9).allowed for _ in range(3))
    assert not ratelimit.hit(limit, now=T0 + 1.1).allowed
    assert not ratelimit.hit(limit, now=T0 + 1.899).allowed
    assert [ratelimit.hit(limit, now=T0 + 1.9001).allowed for _ in range(4)] == [True, True, True, False]


def test_after_the_window_passes_calls_pass_again_on_redis_clock() -> None:
    limit = Limit("probe:slide", subject(), "3/s")
    verdicts = storm(lambda t, i: ratelimit.hit(limit), threads=4, calls=2)
    assert passed(verdicts) == 3
    waits = [verdict.wait for row in verdicts for verdict in row if verdict.wait is not None]
    assert all(0 < wait <= 1 for wait in waits)
    time.sleep(max(waits) + 0.05)
    again = storm(lambda t, i: ratelimit.hit(limit), threads=4, calls=2)
    assert passed(again) == 3


def test_a_call_taken_back_frees_its_place_in_every_limit() -> None:
    first, second = Limit("probe:a", subject(), "1/h"), Limit("probe:b", subject(), "1/h")
    verdict = ratelimit.hit(first, second)
    assert verdict.allowed
    ratelimit.take_back(verdict)
    assert ratelimit.hit(first).allowed
    assert ratelimit.hit(second).allowed
    assert not ratelimit.hit(second).allowed


def test_forget_removes_a_scope_and_nothing_else() -> None:
    token = subject()
    mine = [Limit(f"probe:{token}:client", "10.0.0.1", "1/h"), Limit(f"probe:{token}:room", "", "1/h")]
    other = Limit(f"probe:{token}x:room", "", "1/h")  # a scope that only starts like it
    assert ratelimit.hit(*mine).allowed
    assert ratelimit.hit(other).allowed
    ratelimit.forget(f"probe:{token}")
    assert ratelimit.hit(*mine).allowed
    assert not ratelimit.hit(other).allowed


def test_counts_of_one_namespace_are_not_anothers(settings: Any) -> None:
    limit = Limit("probe:ns", subject(), "1/h")
    assert ratelimit.hit(limit).allowed
    settings.RATELIMIT_NAMESPACE = f"test-{uuid.uuid4().hex}:"
    assert ratelimit.hit(limit).allowed


def test_the_script_is_loaded_again_after_redis_forgets_it() -> None:
    ratelimit._redis().script_flush()
    limit = Limit("probe:flush", subject(), "1/h")
    assert [ratelimit.hit(limit).allowed for _ in range(2)] == [True, False]


def test_a_redis_outage_lets_every_call_through_with_a_warning(settings: Any, caplog: pytest.LogCaptureFixture) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    limit = Limit("probe:down", subject(), "1/h")
    with caplog.at_level(logging.WARNING, logger="pitchlab.core.ratelimit"):
        verdicts = storm(lambda t, i: ratelimit.hit(limit, limit), threads=4, calls=3)
        assert passed(verdicts) == 12
        ratelimit.take_back(verdicts[0][0])  # nothing to take back, and no error either
        ratelimit.forget("probe:down")
    assert "Redis does not answer" in caplog.text
