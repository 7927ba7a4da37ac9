"""One engine thread per worker process: every model runs there, and requests that arrive together share a forward.

The inference worker runs its tasks on a pool of threads. Each task checks its inputs and hands them to
the :class:`Engine`, whose single thread drains the queue: it takes what is waiting for the same model
(up to ``max_batch`` inputs), runs one forward for all of it and hands each request its own rows.
While a forward runs, new requests queue up, so under load the next batch is as large as the load.
When the previous batch had company (load is present) the engine also waits up to ``max_wait_ms``
for stragglers: the answers of a batch go back together and their clients' next requests trickle in
over a few milliseconds. A lone request after a quiet period never waits, so a single client pays no
batching delay.

Why one thread for all of torch: the CPU build of torch runs its operators on OpenMP, and every
thread that starts a parallel region gets an OpenMP team of its own. As soon as two threads of a
process own teams, there are more busy-waiting threads than cores and each forward slows by about a
third on a 2-core machine (measured: 8.5 ms instead of 6.4 ms for a MiniLM sentence). So loading,
forwards and explanations all run here; training runs in a short-lived thread whose team ends with it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
Forward = Callable[[Sequence[Any]], list[list[float]]]


@dataclass
class BatchResult:
    """One request's rows of a batch, with how the batch went."""

    rows: list[list[float]]
    batch_size: int  # inputs in the forward this request shared
    wait_ms: float  # from handing the inputs over to the start of their forward
    forward_ms: float


@dataclass
class _Pending:
    key: object  # requests with the same key (the same loaded model) may share a forward
    forward: Forward
    inputs: Sequence[Any]
    submitted: float
    future: Future[BatchResult] = field(default_factory=Future)


@dataclass
class _Call:
    function: Callable[[], Any]
    future: Future[Any] = field(default_factory=Future)


class Engine:
    """The thread that runs every forward of this process, batching requests for the same model."""

    def __init__(self, *, max_batch: int, max_wait_ms: float) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000
        self._queue: queue.SimpleQueue[_Pending | _Call | None] = queue.SimpleQueue()
        self._deferred: deque[_Pending | _Call] = deque()  # taken from the queue but not in the last batch
        self._last_size = 0
        self._thread = threading.Thread(target=self._run, name="models-engine", daemon=True)
        self._thread.start()

    def submit(self, key: object, forward: Forward, inputs: Sequence[Any]) -> Future[BatchResult]:
        """Queue one request's inputs for ``forward``; the future gives back their rows, in order."""
        if not inputs:
            raise ValueError("a request needs at least one input")
        pending = _Pending(key, forward, inputs, time.perf_counter())
        self._queue.put(pending)
        return pending.future

    def call(self, function: Callable[[], T]) -> Future[T]:
        """Run ``function`` on the engine thread (loading a model, an explanation), in turn with the batches."""
        item = _Call(function)
        self._queue.put(item)
        return item.future

    def close(self) -> None:
        """Stop the thread once what is queued has run."""
        self._queue.put(None)

    def _next(self, timeout: float | None = None) -> _Pending | _Call | None:
        if self._deferred:
            return self._deferred.popleft()
        if timeout is None:
            return self._queue.get()
        return self._queue.get(timeout=timeout) if timeout > 0 else self._queue.get_nowait()

    def _run(self) -> None:
        while True:
            item = self._next()
            if item is None:
                return
            if isinstance(item, _Call):
                if item.future.set_running_or_notify_cancel():
                    try:
                        item.future.set_result(item.function())
                    except BaseException as exc:
                        item.future.set_exception(exc)
                continue
            batch = self._gather(item)
            if batch:
                self._execute(batch)

    def _gather(self, first: _Pending) -> list[_Pending]:
        batch = [first]
        size = len(first.inputs)
        deadline = time.perf_counter() + self.max_wait if self._last_size > 1 else 0.0
        skipped: list[_Pending | _Call] = []
        pending = list(self._deferred)
        self._deferred.clear()
        while size < self.max_batch:
            if pending:
                item: _Pending | _Call | None = pending.pop(0)
            else:
                try:
                    item = self._next(deadline - time.perf_counter())
                except queue.Empty:
                    break
            if item is None:  # closing: finish this batch, then stop
                self._queue.put(None)
                break
            if not isinstance(item, _Pending) or item.key is not first.key:
                skipped.append(item)  # another model's request, or a call: runs after this batch, in order
                continue
            if size + len(item.inputs) > self.max_batch:
                skipped.append(item)  # a request is never split across batches
                break
            batch.append(item)
            size += len(item.inputs)
        self._deferred.extend(skipped + pending)
        return [item for item in batch if item.future.set_running_or_notify_cancel()]

    def _execute(self, batch: list[_Pending]) -> None:
        inputs = [x for item in batch for x in item.inputs]
        started = time.perf_counter()
        try:
            rows = _checked(batch[0].forward, inputs)
        except Exception as exc:
            if len(batch) == 1:
                batch[0].future.set_exception(exc)
                return
            # One request's input broke the shared forward (a text the tokenizer refuses, an image the
            # processor cannot take, a batch too large for the device's memory): each request gets its own
            # forward, so it alone gets the error and the others their rows. Costs one forward per request,
            # and only for a batch that failed.
            for item in batch:
                self._execute([item])
            return
        except BaseException as exc:  # not an input's fault (the process is stopping): every request learns it
            for item in batch:
                item.future.set_exception(exc)
            return
        forward_ms = (time.perf_counter() - started) * 1000
        self._last_size = len(inputs)
        offset = 0
        for item in batch:
            count = len(item.inputs)
            wait_ms = (started - item.submitted) * 1000
            item.future.set_result(BatchResult(rows[offset : offset + count], len(inputs), wait_ms, forward_ms))
            offset += count


def _checked(forward: Forward, inputs: list[Any]) -> list[list[float]]:
    """``forward(inputs)``, with exactly one row per input (principle 8: a batch's count is checked)."""
    rows = forward(inputs)
    if len(rows) != len(inputs):
        raise RuntimeError(f"{len(inputs)} inputs gave {len(rows)} rows")
    return rows


def in_fresh_thread(function: Callable[[], T]) -> T:
    """Run ``function`` in a new thread and wait for it: long torch work (training) whose OpenMP team must
    not outlive it, or it would slow the engine's forwards for the rest of the process's life."""
    result: Future[T] = Future()

    def run() -> None:
        try:
            result.set_result(function())
        except BaseException as exc:
            result.set_exception(exc)

    thread = threading.Thread(target=run, name="models-training", daemon=True)
    thread.start()
    thread.join()
    return result.result()
