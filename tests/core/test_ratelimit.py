"""The fixed-window rate limiter every non-DRF limit uses (log-in, sign-up, password reset, share links)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from pitchlab.core import ratelimit

# The limiter counts in Redis through Django's cache: the embedded default needs its server running.
pytestmark = pytest.mark.usefixtures("app_broker")


@pytest.mark.parametrize("rate", ["0/min", "ten/min", "5/fortnight", "5", "-1/s"])
def test_a_bad_rate_is_refused(rate: str) -> None:
    with pytest.raises(ValueError, match="A rate looks like"):
        ratelimit.rate_parse(rate)


def test_rates_parse() -> None:
    assert ratelimit.rate_parse("10/min") == (10, 60)
    assert ratelimit.rate_parse("3/h") == (3, 3600)


def test_hits_past_the_rate_are_refused_with_the_time_left_and_keys_are_apart() -> None:
    answers = [ratelimit.hit("probe:a", rate="3/hour") for _ in range(5)]
    assert answers[:3] == [None, None, None]
    assert all(wait is not None and 0 < wait <= 3600 for wait in answers[3:])
    assert ratelimit.hit("probe:b", rate="3/hour") is None


def test_concurrent_hits_never_let_more_through_than_the_rate() -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(pool.map(lambda _: ratelimit.hit("probe:crowd", rate="10/hour"), range(60)))
    assert sum(answer is None for answer in answers) == 10


def test_limit_raises_a_429_with_retry_after() -> None:
    ratelimit.limit("probe:c", rate="1/hour", message="Slow down.")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.limit("probe:c", rate="1/hour", message="Slow down.")
    assert refused.value.status_code == 429
    assert refused.value.message == "Slow down."
    assert refused.value.extra["retry_after"] > 0


def test_a_cache_outage_lets_hits_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise RedisConnectionError("down")

    monkeypatch.setattr(cache, "add", down)
    assert [ratelimit.hit("probe:d", rate="1/hour") for _ in range(3)] == [None, None, None]
