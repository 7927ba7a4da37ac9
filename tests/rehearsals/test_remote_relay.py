"""The phone remote's relay itself (rehearsals/remote.py), awaited on an event loop as the async views await it:
a wait is woken by the writer's doorbell, loses nothing written around its subscription, and names Redis when it
cannot be reached."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
import redis

from pitchlab.rehearsals import remote
from tests.support import run_async

PITCH = 4242  # the relay needs no row: the API checks access before it calls the relay
T = TypeVar("T")


def run(coroutine: Awaitable[T]) -> T:
    async def bounded() -> T:
        return await asyncio.wait_for(coroutine, 15)

    return run_async(bounded())


async def subscribed(relay: redis.Redis, stream: str, count: int = 1) -> None:
    """Until ``count`` processes' hubs listen on the stream's doorbell (this process has one hub per loop)."""
    channel = f"pitchlab:remote:{PITCH}:{stream}"
    deadline = time.monotonic() + 5
    while dict(relay.pubsub_numsub(channel)).get(channel.encode(), 0) < count:
        assert time.monotonic() < deadline, f"nobody listens on {channel}"
        await asyncio.sleep(0.01)


def test_a_press_wakes_the_waiting_presenter(relay: redis.Redis) -> None:
    async def scene() -> tuple[list[dict[str, Any]], str, str]:
        start = (await remote.acommands_wait(pitch_id=PITCH, after=None, wait=0))[1]
        presenter = asyncio.create_task(remote.acommands_wait(pitch_id=PITCH, after=start, wait=10))
        await subscribed(relay, "commands")
        sent = await remote.acommand_send(pitch_id=PITCH, action="goto", slide=3)
        commands, last = await presenter
        return commands, last, sent

    commands, last, sent = run(scene())
    assert commands == [{"id": sent, "action": "goto", "slide": 3}]
    assert last == sent


def test_a_press_between_the_first_read_and_the_wait_is_not_lost(
    relay: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wait subscribes before it reads: a press that lands just after an empty read still rings."""
    read = remote._after
    presses: list[str] = []

    async def read_then_a_press_lands(key: str, after: str) -> list[remote.Entry]:
        entries = await read(key, after)
        if not presses:
            presses.append(remote.command_send(pitch_id=PITCH, action="next"))
        return entries

    monkeypatch.setattr(remote, "_after", read_then_a_press_lands)
    commands, last = run(remote.acommands_wait(pitch_id=PITCH, after="0-0", wait=3))
    assert [command["id"] for command in commands] == presses
    assert last == presses[0]


def test_one_state_wakes_every_waiting_phone(relay: redis.Redis) -> None:
    phones = 50

    async def scene() -> tuple[str, list[tuple[str, dict[str, Any] | None]]]:
        first = await remote.astate_put(pitch_id=PITCH, state={"slide": 1})
        waits = [remote.astate_wait(pitch_id=PITCH, after=first, wait=10) for _ in range(phones)]
        waiting = asyncio.ensure_future(asyncio.gather(*waits))
        await subscribed(relay, "state")
        await asyncio.sleep(0.1)  # every wait has had its first read (nothing after ``first``)
        newer = await remote.astate_put(pitch_id=PITCH, state={"slide": 2, "notes": "第二页"})
        return newer, await waiting

    newer, answers = run(scene())
    assert answers == [(newer, {"slide": 2, "notes": "第二页"})] * phones


def test_a_phone_far_behind_gets_the_newest_state(relay: redis.Redis) -> None:
    """More states than one read returns (100) since the phone's version: it is given the newest, not the 100th."""
    first = remote.state_put(pitch_id=PITCH, state={"slide": 0})
    versions = [remote.state_put(pitch_id=PITCH, state={"slide": n}) for n in range(1, 151)]
    version, state = run(remote.astate_wait(pitch_id=PITCH, after=first, wait=1))
    assert (version, state) == (versions[-1], {"slide": 150})
    assert run(remote.astate_wait(pitch_id=PITCH, after=version, wait=0.2)) == (version, None)


def test_resuming_from_the_last_id_loses_no_press_and_repeats_none(relay: redis.Redis) -> None:
    start = run(remote.acommands_wait(pitch_id=PITCH, after=None, wait=0))[1]
    sent = [remote.command_send(pitch_id=PITCH, action=action) for action in ("next", "next", "prev", "blank")]
    first, last = run(remote.acommands_wait(pitch_id=PITCH, after=start, wait=1))
    more = [run(remote.acommand_send(pitch_id=PITCH, action="last"))]
    second, _ = run(remote.acommands_wait(pitch_id=PITCH, after=last, wait=1))
    assert [c["id"] for c in first] == sent
    assert [c["action"] for c in first] == ["next", "next", "prev", "blank"]
    assert [c["id"] for c in second] == more


@pytest.mark.parametrize(
    "call",
    [
        lambda: remote.acommands_wait(pitch_id=PITCH, after=None, wait=1),
        lambda: remote.astate_wait(pitch_id=PITCH, after="1-0", wait=1),
        lambda: remote.acommand_send(pitch_id=PITCH, action="next"),
        lambda: remote.astate_put(pitch_id=PITCH, state={"slide": 1}),
    ],
    ids=["commands-wait", "state-wait", "command-send", "state-put"],
)
def test_redis_away_is_relay_unavailable_in_words(settings: Any, call: Callable[[], Awaitable[Any]]) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(remote.RelayUnavailable) as refused:
        run(call())
    assert refused.value.status_code == 503
    assert refused.value.message == "The remote relay (Redis) is not answering; use the laptop's keys."
