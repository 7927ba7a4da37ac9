"""core/waiting.py against a real Redis: every listener of one hub gets its confirmed subscription and its own
messages, however many subscribe at once; a timeout is None; a lost connection is an error, not a hang."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aredis

from pitchlab.core import waiting
from tests.support import run_async


@pytest.fixture
def redis_at(app_broker: str, settings: object) -> str:
    return app_broker


run = run_async


def test_many_listeners_subscribing_at_once_each_get_their_own_messages(redis_at: str) -> None:
    async def one(name: str) -> bytes | None:
        async with waiting.listen(name) as inbox:
            # Published on another connection once subscribed: must not be missed.
            await aredis.Redis.from_url(redis_at).publish(name, name.encode())
            return await waiting.next_message(inbox, 5)

    async def many() -> list[bytes | None]:
        names = [f"test-waiting-{index}" for index in range(40)]
        return list(await asyncio.gather(*(one(name) for name in names)))

    answers = run(many())
    assert answers == [f"test-waiting-{index}".encode() for index in range(40)]


def test_two_listeners_of_one_channel_both_hear_it_and_a_quiet_one_times_out(redis_at: str) -> None:
    async def both() -> tuple[bytes | None, bytes | None, bytes | None]:
        async with (
            waiting.listen("test-shared") as first,
            waiting.listen("test-shared") as second,
            waiting.listen("test-quiet") as quiet,
        ):
            await waiting.client().publish("test-shared", b"news")
            return (
                await waiting.next_message(first, 5),
                await waiting.next_message(second, 5),
                await waiting.next_message(quiet, 0.2),
            )

    assert run(both()) == (b"news", b"news", None)


def test_a_lost_connection_is_an_error_for_every_listener(redis_at: str) -> None:
    async def lose() -> BaseException | bytes | None:
        async with waiting.listen("test-lost") as inbox:
            hub = waiting.hub()
            assert hub.pubsub.connection is not None
            await hub.pubsub.connection.disconnect()  # what a Redis restart does to the socket
            try:
                return await waiting.next_message(inbox, 5)
            except waiting.ERRORS as exc:
                return exc

    outcome = run(lose())
    assert isinstance(outcome, BaseException), outcome


def test_an_unreachable_redis_is_an_error_at_once(settings: object) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # type: ignore[attr-defined]

    async def listen() -> None:
        async with waiting.listen("test-nowhere"):
            pass

    with pytest.raises(waiting.ERRORS):
        run(listen())
