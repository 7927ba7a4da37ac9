"""The rate limiter's small parts: rates, the 429 it raises, keys (concurrency: test_ratelimit_exact.py)."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache

from pitchlab.core import ratelimit
from pitchlab.core.ratelimit import Limit

# The limiter counts in the cache's Redis: the embedded default needs its server running.
pytestmark = pytest.mark.usefixtures("app_broker")


@pytest.mark.parametrize("rate", ["0/min", "ten/min", "5/fortnight", "5", "-1/s", "3/10s"])
def test_a_bad_rate_is_refused(rate: str) -> None:
    with pytest.raises(ValueError, match="A rate looks like"):
        ratelimit.rate_parse(rate)


@pytest.mark.parametrize(
    ("rate", "parsed"), [("10/min", (10, 60)), ("3/h", (3, 3600)), ("1/s", (1, 1)), ("7/day", (7, 86400))]
)
def test_rates_parse(rate: str, parsed: tuple[int, int]) -> None:
    assert ratelimit.rate_parse(rate) == parsed


def test_hits_past_the_rate_are_refused_with_the_time_left_and_keys_are_apart() -> None:
    subject = uuid.uuid4().hex
    answers = [ratelimit.hit(Limit("probe:a", subject, "3/hour")).wait for _ in range(5)]
    assert answers[:3] == [None, None, None]
    assert all(wait is not None and 3590 < wait <= 3600 for wait in answers[3:])
    assert ratelimit.hit(Limit("probe:b", subject, "3/hour")).allowed  # another scope
    assert ratelimit.hit(Limit("probe:a", subject + "x", "3/hour")).allowed  # another subject


def test_limit_raises_a_429_with_retry_after_in_whole_seconds() -> None:
    limit = Limit("probe:c", uuid.uuid4().hex, "1/hour")
    ratelimit.limit(limit, message="Slow down.")
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.limit(limit, message="Slow down.")
    assert refused.value.status_code == 429
    assert refused.value.message == "Slow down."
    assert refused.value.extra["retry_after"] in (3599, 3600)


@pytest.mark.parametrize(("seconds", "whole"), [(0.0001, 1), (0.5, 1), (1.0, 1), (1.01, 2), (59.2, 60)])
def test_retry_after_is_never_zero_nor_early(seconds: float, whole: int) -> None:
    assert ratelimit.wait_seconds(seconds) == whole


def test_the_subject_is_not_in_the_key_in_clear_and_the_scope_is() -> None:
    key = Limit("reset-email", "ada@example.com", "3/h").key()
    assert "ada@example.com" not in key
    assert key.startswith(cache.make_key("ratelimit:"))
    assert "reset-email:" in key
