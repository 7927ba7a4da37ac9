"""Concurrent edits under the version rule: two clients PATCH the same pitch 200 times each, in parallel.

Each client reads the canvas, then writes two units based on the version it read: the unit both
clients fight over (``story.vision``) and one of its own. Every write must either land (200) or be
refused whole (409); the accepted writes must make a gapless, duplicate-free run of versions; the
final canvas must be the last accepted write's; and the revisions kept along the way (autosave keeps
at most one per minute, pitches/services.py) must each hold exactly what was accepted at its version.

Against the Procfile's web line (gunicorn, two uvicorn worker processes, each request's sync code in a thread
of its own), so the two clients are served by different processes and threads: the database's row lock
(PostgreSQL) or write lock (SQLite, IMMEDIATE transactions) is all that orders them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pitchlab.pitches.models import Pitch, PitchRevision
from pitchlab.pitches.services import pitch_create
from tests.reliability.conftest import Founder
from tests.reliability.stack import Http, WebServer

pytestmark = pytest.mark.slow

WRITES_PER_CLIENT = 200
SHARED, OWN = "story.vision", {"a": "story.origin", "b": "story.why_now"}


@dataclass
class Outcome:
    accepted: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (version it made, changes)
    refused: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (base version, 409 body)
    other: list[str] = field(default_factory=list)


def unit_of(canvas: dict[str, Any], path: str) -> Any:
    section, unit = path.split(".")
    return canvas[section][unit]


def value_at(accepted: list[tuple[int, dict[str, str]]], path: str, version: int) -> str:
    """What ``path`` held at ``version``: the value of the last accepted write up to it that touched it."""
    values = [changes[path] for made, changes in accepted if made <= version and path in changes]
    return values[-1] if values else ""


def write_loop(api: Http, pitch_id: int, name: str, outcome: Outcome, go: threading.Barrier) -> None:
    go.wait(timeout=30)
    for number in range(WRITES_PER_CLIENT):
        read = api.get(f"/api/pitches/{pitch_id}/canvas/")
        if read.status != 200:
            outcome.other.append(f"GET {read!r}")
            continue
        base = read.json["version"]
        changes = {SHARED: f"{name} #{number}: the shared vision", OWN[name]: f"{name} #{number}: my own unit"}
        reply = api.patch(f"/api/pitches/{pitch_id}/canvas/", {"base_version": base, "changes": changes})
        if reply.status == 200:
            outcome.accepted.append((reply.json["version"], changes))
        elif reply.status == 409:
            outcome.refused.append((base, reply.json))
        else:
            outcome.other.append(f"PATCH {reply!r}")


def test_two_clients_writing_in_parallel_lose_nothing(founder: Founder, web: WebServer) -> None:
    pitch = pitch_create(owner=founder.user, name="Race")
    start_version = pitch.version
    # The pitch's first revision is two minutes old, so the first accepted write is due an autosave revision.
    PitchRevision.objects.filter(pitch=pitch).update(created_at=timezone.now() - timedelta(minutes=2))
    outcomes = {"a": Outcome(), "b": Outcome()}
    go = threading.Barrier(2)
    threads = [
        threading.Thread(target=write_loop, args=(web.client(founder.token), pitch.pk, name, outcomes[name], go))
        for name in outcomes
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=150)
    assert not any(thread.is_alive() for thread in threads), "the clients did not finish in 150 s"
    print(
        f"{time.monotonic() - started:.1f} s;",
        ", ".join(f"{n}: {len(o.accepted)} accepted, {len(o.refused)} refused" for n, o in outcomes.items()),
    )

    # Every write either landed or was refused with 409: nothing else (no 500, no lock timeout).
    assert outcomes["a"].other == [], outcomes["a"].other
    assert outcomes["b"].other == [], outcomes["b"].other
    for outcome in outcomes.values():
        assert len(outcome.accepted) + len(outcome.refused) == WRITES_PER_CLIENT
    accepted = sorted(outcomes["a"].accepted + outcomes["b"].accepted, key=lambda row: row[0])
    refused = outcomes["a"].refused + outcomes["b"].refused
    assert refused, "the two clients never collided: the test did not test the rule"
    assert len(accepted) > WRITES_PER_CLIENT // 2  # each read-then-write mostly wins on its own turn

    # Accepted writes made versions start+1 … start+N, each exactly once: no write lost or applied twice.
    versions = [version for version, _ in accepted]
    assert versions == list(range(start_version + 1, start_version + len(accepted) + 1))

    # A 409 names the shared unit as changed after the version the client read, with its newer value.
    for base, body in refused:
        assert body["extra"]["current_version"] > base
        assert list(body["extra"]["conflicts"]) == [SHARED]
        assert body["extra"]["conflicts"][SHARED]["version"] > base

    # The final state is the last accepted write's; each client's own unit holds its last accepted write
    # (a refused write changed neither unit).
    final = web.client(founder.token).get(f"/api/pitches/{pitch.pk}/canvas/").json
    last_version, last_changes = accepted[-1]
    assert final["version"] == last_version == start_version + len(accepted)
    assert final["content"]["story"]["vision"] == last_changes[SHARED]
    assert final["unit_versions"][SHARED] == last_version
    for name, path in OWN.items():
        version, changes = max(outcomes[name].accepted, key=lambda row: row[0])
        assert unit_of(final["content"], path) == changes[path]
        assert final["unit_versions"][path] == version

    # The revisions kept while editing each hold exactly the canvas that was accepted at their version.
    pitch.refresh_from_db()
    assert pitch.version == last_version
    revisions = list(PitchRevision.objects.filter(pitch=pitch, reason=PitchRevision.Reason.AUTOSAVE))
    assert revisions, "the first accepted write was due an autosave revision"
    assert len({revision.version for revision in revisions}) == len(revisions)
    for revision in revisions:
        for path in (SHARED, *OWN.values()):
            assert unit_of(revision.content, path) == value_at(accepted, path, revision.version), (path, revision)
    # …and a revision saved now holds the final canvas.
    saved = web.client(founder.token).post(f"/api/pitches/{pitch.pk}/revisions/", {"note": "after the race"})
    assert saved.status == 201, saved
    assert PitchRevision.objects.get(pk=saved.json["id"]).content == Pitch.objects.get(pk=pitch.pk).content
