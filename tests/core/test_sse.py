"""core/sse.py: events are well formed whatever they carry, and the loop sends each change once, wakes on a
message, keeps the connection alive, ends at the terminal state or its time limit, and holds an open wait."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from pitchlab.core import sse, waiting
from pitchlab.core.compression import is_compressible
from pitchlab.core.ratelimit import RateLimited
from tests.support import run_async

T = TypeVar("T")


def _parse(chunk: bytes) -> dict[str, str]:
    """One event's fields, as EventSource reads them: a line per field, split at the first colon."""
    text = chunk.decode()
    assert text.endswith("\n\n")
    fields: dict[str, str] = {}
    for line in text[:-2].split("\n"):
        assert "\r" not in line
        name, _, value = line.partition(":")
        assert name not in fields, f"{name} twice: a line break got in"
        fields[name] = value.removeprefix(" ")
    return fields


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(data=JSON)
def test_any_json_is_one_data_line_that_reads_back(data: Any) -> None:
    fields = _parse(sse.event(data, event_id=3, retry_ms=2000))
    assert set(fields) == {"retry", "id", "event", "data"}
    assert json.loads(fields["data"]) == data
    assert (fields["event"], fields["id"], fields["retry"]) == ("progress", "3", "2000")


@pytest.mark.parametrize("bad", ["a\nevent: x", "a\rb", "a\r\nb", "nul\0"])
def test_a_line_break_in_a_field_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="line break"):
        sse.event({}, name=bad)
    with pytest.raises(ValueError, match="line break"):
        sse.event({}, event_id=bad)


def test_event_streams_are_not_gzipped() -> None:
    assert not is_compressible("text/event-stream")
    assert not is_compressible("text/event-stream; charset=utf-8")
    assert is_compressible("text/html; charset=utf-8")


class States:
    """A read_state that gives its states in turn, then keeps the last."""

    def __init__(self, *states: Any) -> None:
        self.states = list(states)
        self.reads = 0

    async def __call__(self) -> Any:
        self.reads += 1
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]


_arun = run_async


def _run(**kwargs: Any) -> list[bytes]:
    async def collect() -> list[bytes]:
        return [chunk async for chunk in sse.progress_events(subject=f"test:{id(kwargs)}", **kwargs)]

    return _arun(collect())


@pytest.fixture(autouse=True)
def _redis(app_broker: str) -> None:
    """The open-waits counts and the pub/sub hub live in the web side's Redis."""


def _datas(chunks: list[bytes]) -> list[Any]:
    return [json.loads(_parse(chunk)["data"]) for chunk in chunks if not chunk.startswith(b":")]


def test_each_change_is_sent_once_and_the_terminal_state_ends_it() -> None:
    read = States({"p": 0}, {"p": 0}, {"p": 50}, {"p": 50}, {"p": 100, "over": True}, {"p": 0})
    chunks = _run(read_state=read, done=lambda s: bool(s.get("over")), interval_s=0.01)
    assert _datas(chunks) == [{"p": 0}, {"p": 50}, {"p": 100, "over": True}]
    assert [_parse(c)["id"] for c in chunks] == ["1", "2", "3"]
    assert "retry" in _parse(chunks[0])
    assert "retry" not in _parse(chunks[1])


def test_silence_gets_keepalives_and_the_stream_ends_at_its_limit() -> None:
    chunks = _run(read_state=States({"p": 1}), done=lambda s: False, interval_s=0.01, keepalive_s=0.05, max_s=0.3)
    assert _datas(chunks) == [{"p": 1}]
    assert chunks.count(sse.KEEPALIVE) >= 2


def test_a_message_on_the_channel_wakes_the_stream_before_its_interval() -> None:
    channel = "test:sse:wake"
    read = States({"p": 0}, {"p": 1, "over": True})

    async def scenario() -> list[bytes]:
        events = sse.progress_events(
            read_state=read, done=lambda s: bool(s.get("over")), subject="test:wake", channels=[channel], interval_s=60
        )
        first = await anext(events)
        publish = asyncio.get_running_loop().call_later(0.2, lambda: asyncio.ensure_future(_publish(channel)))
        try:
            second = await asyncio.wait_for(anext(events), 10)  # an interval of 60 s: only the message wakes it
        finally:
            publish.cancel()
            await events.aclose()
        return [first, second]

    assert _datas(_arun(scenario())) == [{"p": 0}, {"p": 1, "over": True}]


async def _publish(channel: str) -> None:
    await waiting.client().publish(channel, b"{}")


def test_gone_after_the_first_read_is_one_gone_event() -> None:
    calls = 0

    async def read() -> Any:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise Http404("gone")
        return {"p": 0}

    chunks = _run(read_state=read, done=lambda s: False, interval_s=0.01)
    assert [_parse(c)["event"] for c in chunks] == ["progress", "gone"]


def test_a_refusal_at_the_first_read_is_raised_for_the_view_to_answer() -> None:
    async def read() -> Any:
        raise Http404("No such export.")

    with pytest.raises(Http404):
        _run(read_state=read, done=lambda s: False)


def test_a_stream_holds_an_open_wait_while_it_runs(settings: Any) -> None:
    settings.OPEN_WAITS_PER_USER = 1

    async def scenario() -> None:
        read: Callable[[], Awaitable[Any]] = States({"p": 0})
        first = sse.progress_events(read_state=read, done=lambda s: False, subject="test:cap", interval_s=60)
        await anext(first)
        second = sse.progress_events(read_state=read, done=lambda s: False, subject="test:cap", interval_s=60)
        with pytest.raises(RateLimited):
            await anext(second)
        await first.aclose()  # the first ends: its wait is given back
        third = sse.progress_events(read_state=read, done=lambda s: False, subject="test:cap", interval_s=60)
        await anext(third)
        await third.aclose()

    _arun(scenario())
