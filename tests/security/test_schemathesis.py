"""Every operation of /api/schema/, fuzzed by schemathesis as a logged-in founder: no response is a 5xx.

The schema is loaded from the app in process (WSGI), and each generated request is sent to it with the
founder's API token. Path parameters are the ids of the founder's own objects (a pitch with a demo model,
an example, a rehearsal, a drill answer, a revision, an export, a share link...), so requests reach the
code behind the 404s; each request runs in a transaction that is rolled back, so a DELETE does not starve
the examples that follow. Valid and invalid data are both generated (schemathesis' positive and negative
modes), ~25 examples per operation, derandomized so a run is repeatable.

One 5xx is allowed, and only with its reason in words: 503 from an endpoint that needs the inference worker
(predict, explain, pre-flight, samples, training, uploads, evaluation). No worker runs here, and the task
queue is made unreachable for the test (``inference.send`` raises as it does when the broker is down), so
those endpoints answer at once with "The task queue is not reachable right now…" and no fuzzed task is left
in the broker for a later test's worker to pick up.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pitchlab.accounts.tokens import token_create
from pitchlab.decks.models import DeckExport
from pitchlab.demos import inference
from pitchlab.demos.inference import InferenceUnavailable
from pitchlab.pitches.models import PitchMember, PitchRevision
from tests.security.conftest import World

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = 25
# Operations that long-poll (GET ?wait=) are capped at 1 s by REMOTE_WAIT_SECONDS below: fewer examples.
SLOW = {"GET /api/pitches/{pitch_id}/remote/commands/", "GET /api/pitches/{pitch_id}/remote/state/"}
WORKER_WORDS = ("worker", "task queue", "did not answer", "not answering")


@pytest.fixture
def in_process_requests() -> Iterator[None]:
    """What Django's test Client does: requests made in process must not close the test's connection
    (close_old_connections would, as the test's transaction is not in autocommit mode)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _ids(world: World) -> dict[str, Any]:
    revision = PitchRevision.objects.filter(pitch=world.pitch).first()
    assert revision is not None  # the import made one
    export = DeckExport.objects.create(pitch=world.pitch, revision=revision, theme="light", lang="en")
    ids: dict[str, Any] = {
        "pitch_id": world.pitch.pk,
        "model_id": world.demo_model.pk,
        "example_id": world.example.pk,
        "rehearsal_id": world.rehearsal.pk,
        "answer_id": world.answer.pk,
        "revision_id": revision.pk,
        "export_id": export.pk,
        "token": world.token,
        "key": "support_nlp",
        "path": "story.purpose",
    }
    from pitchlab.sharing.services import share_link_create

    ids["link_id"] = share_link_create(pitch=world.pitch, user=world.owner, label="Investors").pk
    teammate = User.objects.create_user("grace", "grace@example.com", "another long passphrase")
    ids["member_id"] = PitchMember.objects.create(
        pitch=world.pitch, user=teammate, role="viewer", invited_by=world.owner
    ).pk
    return ids


def _problem(response: Any) -> str | None:
    """Why ``response`` is a failure, or None."""
    if response.status_code < 500:
        return None
    if response.status_code == 503:
        try:
            message = str(response.json().get("message", ""))
        except ValueError:
            message = ""
        if any(words in message for words in WORKER_WORDS):
            return None
        return f"503 without a reason in words: {response.text[:300]}"
    return f"{response.status_code}: {response.text[:500]}"


def _fuzz(
    operation: Any,
    *,
    ids: dict[str, Any],
    auth: dict[str, str],
    failures: list[str],
    timings: dict[str, float],
    statuses: dict[str, set[int]],
) -> None:
    """Send ~EXAMPLES generated requests (valid and invalid) to ``operation``; add each 5xx to ``failures``."""
    from schemathesis import GenerationMode

    label = f"{operation.method.upper()} {operation.path}"
    names = {parameter.name for parameter in operation.path_parameters}
    own = {name: value for name, value in ids.items() if name in names}
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, path_parameters=own),
        operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=own),
    )

    @hypothesis_settings(
        max_examples=5 if label in SLOW else EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case: Any) -> None:
        started = time.monotonic()
        with transaction.atomic():
            response = case.call(headers=auth)
            transaction.set_rollback(True)
        timings[label] = timings.get(label, 0.0) + time.monotonic() - started
        statuses.setdefault(label, set()).add(response.status_code)
        problem = _problem(response)
        if problem is not None:
            failures.append(f"{label}: {problem}\n    {case.as_curl_command(headers=auth)}")

    call()


def test_no_api_operation_answers_with_a_server_error(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch, in_process_requests: None
) -> None:
    import schemathesis
    from schemathesis.core.result import Ok

    from pitchlab.wsgi import application

    settings.REMOTE_WAIT_SECONDS = 1

    def unreachable(task: str, payload: dict[str, Any], **options: Any) -> str:
        raise InferenceUnavailable("The task queue is not reachable right now; try again in a moment.")

    monkeypatch.setattr(inference, "send", unreachable)
    key = token_create(user=world.owner, name="schemathesis")[1]
    auth = {"Authorization": f"Token {key}"}
    ids = _ids(world)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=auth)

    failures: list[str] = []
    timings: dict[str, float] = {}
    statuses: dict[str, set[int]] = {}
    operations = 0
    for result in schema.get_all_operations():
        operations += 1
        assert isinstance(result, Ok), f"the schema has an operation schemathesis cannot read: {result}"
        _fuzz(result.ok(), ids=ids, auth=auth, failures=failures, timings=timings, statuses=statuses)
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:5]
    print("slowest operations:", ", ".join(f"{label} {seconds:.1f} s" for label, seconds in slowest))
    for label, codes in sorted(statuses.items()):
        print(label, sorted(codes))
    assert operations >= 60, f"only {operations} operations in the schema"
    # The requests reached the views: most operations answered a success for some input (not only 401/404).
    succeeded = [label for label, codes in statuses.items() if any(200 <= code < 300 for code in codes)]
    assert len(succeeded) >= operations * 0.6, sorted(set(statuses) - set(succeeded))
    assert failures == [], "\n".join(failures[:20])
