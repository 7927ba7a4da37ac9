"""Every operation of /api/schema/, fuzzed by schemathesis as a logged-in founder: every answer is one the
schema documents (its status code, content type, body and headers), and none is a 5xx.

The schema is loaded from the app in process (WSGI), and each generated request is sent to it with the
founder's API token. Path parameters are the ids of the founder's own objects (a pitch with a demo model,
an example, a rehearsal, a drill answer, a revision, a finished export with its PDF, a share link, a teammate,
an invitation, the caller's API token...), so requests reach the
code behind the 404s; each request runs in a transaction that is rolled back, so a DELETE does not starve
the examples that follow. Valid and invalid data are both generated (schemathesis' positive and negative
modes), ~25 examples per operation, derandomized so a run is repeatable. Each answer goes through
schemathesis' response checks: status_code_conformance, content_type_conformance, response_schema_conformance,
response_headers_conformance and not_a_server_error.

One 5xx is allowed, and only with its reason in words: 503 from an endpoint that needs the inference worker
(predict, explain, pre-flight, samples, training, uploads, evaluation). No worker runs here, and the task
queue is made unreachable for the test (``inference.send`` raises as it does when the broker is down), so
those endpoints answer at once with "The task queue is not reachable right now…" and no fuzzed task is left
in the broker for a later test's worker to pick up.

The fast tests below the fuzzing send chosen members of each family of answers through the same checks: every
kind of error (400, 401, 403, 404 for an unknown /api/ URL, 409, 413, 415, 429, 503), the paged pitch list and
the template list, and the valid writes that fuzzed data seldom gets through.
"""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from pitchlab.accounts.tokens import token_create
from pitchlab.decks.models import DeckExport
from pitchlab.demos import inference
from pitchlab.demos.inference import InferenceUnavailable
from pitchlab.pictures.models import Picture
from pitchlab.pictures.services import picture_upload
from pitchlab.pitches.models import PitchInvitation, PitchMember, PitchRevision
from tests.security.conftest import World

pytestmark = [pytest.mark.django_db]

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
    # A finished export with its file: the download answers the PDF (and a retry its 409).
    export = DeckExport.objects.create(
        pitch=world.pitch,
        revision=revision,
        theme="light",
        lang="en",
        status=DeckExport.Status.READY,
        progress=100,
        pages=1,
        finished_at=timezone.now(),
    )
    export.file.save("deck.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
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
    ids["picture_id"] = picture_upload(
        pitch=world.pitch, user=world.owner, data=_png(), role=Picture.Role.SCREENSHOT, alt="The inbox"
    )[0].pk
    teammate = User.objects.create_user("grace", "grace@example.com", "another long passphrase")
    ids["member_id"] = PitchMember.objects.create(
        pitch=world.pitch, user=teammate, role="viewer", invited_by=world.owner
    ).pk
    # An open invitation, and its link's token for the accept endpoint (whose {token} is not an audience link's).
    ids["invitation_token"] = "an-invitation-link-token"
    ids["invitation_id"] = PitchInvitation.objects.create(
        pitch=world.pitch,
        email="lin@example.com",
        role="editor",
        invited_by=world.owner,
        token_hash=hashlib.sha256(ids["invitation_token"].encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(days=7),
    ).pk
    return ids


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


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


def _nonconformance(case: Any, response: Any, auth: dict[str, str]) -> str | None:
    """What schemathesis' conformance checks find wrong with ``response`` against the schema, or None."""
    from schemathesis import checks
    from schemathesis.core.failures import FailureGroup

    chosen = [
        checks.status_code_conformance,
        checks.content_type_conformance,
        checks.response_schema_conformance,
        checks.response_headers_conformance,
    ]
    if response.status_code != 503:
        chosen.append(checks.not_a_server_error)  # a 503 is judged by _problem: the absent worker's is expected
    try:
        case.validate_response(response, checks=chosen, headers=auth)
    except FailureGroup as group:
        return f"{response.status_code} " + "; ".join(
            f"{failure.title}: {' '.join(failure.message.split())[:300]}" for failure in group.exceptions
        )
    return None


def _fuzz(
    operation: Any,
    *,
    ids: dict[str, Any],
    auth: dict[str, str],
    failures: dict[str, str],
    timings: dict[str, float],
    statuses: dict[str, set[int]],
) -> None:
    """Send ~EXAMPLES generated requests (valid and invalid) to ``operation``; each kind of answer the schema
    does not document (or a 5xx) goes into ``failures``, with the first request that got it."""
    from schemathesis import GenerationMode

    label = f"{operation.method.upper()} {operation.path}"
    names = {parameter.name for parameter in operation.path_parameters}
    own = {name: value for name, value in ids.items() if name in names}
    if operation.path.startswith("/api/invitations/"):
        own["token"] = ids["invitation_token"]
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
        problem = _problem(response) or _nonconformance(case, response, auth)
        if problem is not None:
            failures.setdefault(f"{label}: {problem}", case.as_curl_command(headers=auth)[:600])

    call()


@pytest.mark.slow
def test_every_api_answer_is_documented_and_none_is_a_server_error(
    world: World, settings: Any, monkeypatch: pytest.MonkeyPatch, in_process_requests: None, tmp_path: Path
) -> None:
    import schemathesis
    from schemathesis.core.result import Ok

    from pitchlab.wsgi import application

    settings.REMOTE_WAIT_SECONDS = 1
    settings.MEDIA_ROOT = str(tmp_path)  # the export's file

    def unreachable(task: str, payload: dict[str, Any], **options: Any) -> str:
        raise InferenceUnavailable("The task queue is not reachable right now; try again in a moment.")

    monkeypatch.setattr(inference, "send", unreachable)
    api_token, key = token_create(user=world.owner, name="schemathesis")
    # identity: the in-process transport hands back the bytes as sent, and would not undo gzip (core/compression.py).
    auth = {"Authorization": f"Token {key}", "Accept-Encoding": "identity"}
    ids = {**_ids(world), "token_id": api_token.pk}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=auth)

    failures: dict[str, str] = {}
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
    assert failures == {}, f"{len(failures)} kinds of undocumented answers:\n" + "\n".join(
        f"{problem}\n    {curl}" for problem, curl in list(failures.items())[:30]
    )


# ---------- the document itself, and chosen members of each family of answers (fast) ----------

COMMON_ERRORS = {"429", "503"}  # every operation: rate limits, and the database behind every request


def _document(client: Any) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/schema/", {"format": "json"}).json()
    return document


def test_schema_generates_without_warnings_and_is_valid_openapi(tmp_path: Any) -> None:
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "ErrorOut" in out.read_text()


def test_every_operation_documents_the_errors_it_can_answer(client: Any) -> None:
    document = _document(client)
    error = {"$ref": "#/components/schemas/ErrorOut"}
    assert document["components"]["schemas"]["ErrorOut"]["required"] == ["extra", "message"]
    operations = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operations += 1
            label = f"{method.upper()} {path}"
            codes = set(operation["responses"])
            expected = set(COMMON_ERRORS)
            security = operation.get("security", [])
            if security and {} not in security:
                expected |= {"401", "403"}
            if "{" in path:
                expected.add("404")
            if "requestBody" in operation:
                expected |= {"400", "413", "415"}
            if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
                expected.add("400")
            assert expected <= codes, f"{label} lacks {sorted(expected - codes)}"
            for code, response in operation["responses"].items():
                if code >= "400":
                    assert response["content"]["application/json"]["schema"] == error, f"{label} {code}"
                    assert response["description"], f"{label} {code}"
            assert "Retry-After" in operation["responses"]["429"]["headers"], label
    assert operations >= 60
    # Public operations (an audience link) need no login: no 401 or 403 is promised there.
    predict = document["paths"]["/d/{token}/predict/"]["post"]
    assert "401" not in predict["responses"]
    assert "403" not in predict["responses"]
    # An endpoint's own words for a common code are kept (only the owner shares a pitch).
    share = document["paths"]["/api/pitches/{pitch_id}/share-links/"]["get"]["responses"]["403"]
    assert "owner" in share["description"]


def test_lists_are_documented_as_they_answer(client: Any) -> None:
    document = _document(client)
    components = document["components"]["schemas"]
    pitches = document["paths"]["/api/pitches/"]["get"]
    page = pitches["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(components[page]["properties"]) == {"count", "next", "previous", "results"}
    assert {parameter["name"] for parameter in pitches["parameters"]} == {"limit", "offset"}
    templates = document["paths"]["/api/templates/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert templates["schema"]["type"] == "array"
    assert templates["schema"]["items"] == {"$ref": "#/components/schemas/TemplateOut"}


@pytest.fixture
def conformance(world: World, in_process_requests: None) -> Callable[..., tuple[Any, str | None]]:
    """Send one request through schemathesis (in process) as the founder (or no one): the answer, and what
    schemathesis' conformance checks find undocumented about it (None: nothing)."""
    import schemathesis

    from pitchlab.wsgi import application

    key = token_create(user=world.owner, name="conformance")[1]
    auth = {"Authorization": f"Token {key}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=auth)

    def send(method: str, path: str, *, login: bool = True, **parts: Any) -> tuple[Any, str | None]:
        case = schema[path][method].Case(**parts)
        headers = auth if login else {"Accept-Encoding": "identity"}
        response = case.call(headers=headers)
        return response, _nonconformance(case, response, headers)

    return send


@pytest.mark.parametrize(
    ("query", "status", "shown"),
    [
        ({}, 200, 2),
        ({"limit": 1}, 200, 1),
        ({"limit": 1, "offset": 1}, 200, 1),
        ({"offset": 50}, 200, 0),
        ({"limit": "many"}, 400, None),
        ({"offset": -1}, 400, None),
    ],
    ids=str,
)
def test_the_pitch_list_answers_pages_as_documented(
    world: World,
    conformance: Callable[..., tuple[Any, str | None]],
    query: dict[str, Any],
    status: int,
    shown: int | None,
) -> None:
    from pitchlab.pitches.services import pitch_create

    pitch_create(owner=world.owner, name="Second pitch")
    response, problem = conformance("GET", "/api/pitches/", query=query)
    assert problem is None, problem
    assert response.status_code == status
    if shown is not None:
        body = response.json()
        assert body["count"] == 2
        assert len(body["results"]) == shown


def test_the_template_list_answers_as_documented(conformance: Callable[..., tuple[Any, str | None]]) -> None:
    response, problem = conformance("GET", "/api/templates/")
    assert problem is None, problem
    assert isinstance(response.json(), list)
    assert "support_nlp" in {template["key"] for template in response.json()}


def _member_of(world: World, role: str) -> dict[str, str]:
    teammate = User.objects.create_user(f"lin-{role}", f"lin-{role}@example.com", "another long passphrase")
    PitchMember.objects.create(pitch=world.pitch, user=teammate, role=role, invited_by=world.owner)
    return {"Authorization": f"Token {token_create(user=teammate, name='teammate')[1]}"}


def test_error_answers_are_documented_with_their_body(
    world: World, conformance: Callable[..., tuple[Any, str | None]]
) -> None:
    """One member of each kind of error, each checked by schemathesis against the document."""
    p = {"pitch_id": world.pitch.pk}
    revision = PitchRevision.objects.filter(pitch=world.pitch).first()
    assert revision is not None
    export = DeckExport.objects.create(pitch=world.pitch, revision=revision, theme="light", lang="en")
    answers = {
        "invalid field": (400, conformance("POST", "/api/pitches/", body={}, media_type="application/json")),
        "invalid JSON": (
            400,
            conformance(
                "PATCH", "/api/pitches/{pitch_id}/", path_parameters=p, body="{", media_type="application/json"
            ),
        ),
        "bad query": (
            400,
            conformance("GET", "/api/pitches/{pitch_id}/growth/", path_parameters=p, query={"periods_ahead": 0}),
        ),
        "no login": (401, conformance("GET", "/api/pitches/", login=False)),
        "someone else's": (404, conformance("GET", "/api/pitches/{pitch_id}/", path_parameters={"pitch_id": 99999})),
        "no such URL": (404, conformance("GET", "/api/pitches/{pitch_id}/", path_parameters={"pitch_id": -1})),
        "not failed": (
            409,
            conformance("POST", "/api/exports/{export_id}/retry/", path_parameters={"export_id": export.pk}),
        ),
        "no content type": (415, conformance("POST", "/api/pitches/", body="name", media_type="multipart/form-data")),
    }
    for name, (status, (response, problem)) in answers.items():
        assert response.status_code == status, (name, response.status_code, response.text[:200])
        assert problem is None, (name, problem)
        assert set(response.json()) == {"message", "extra"}, name


def test_successful_writes_answer_the_documented_bodies(
    world: World, conformance: Callable[..., tuple[Any, str | None]]
) -> None:
    """The writes that fuzzed data seldom gets through, sent valid: each success body matches the document."""
    User.objects.create_user("grace", "grace@example.com", "another long passphrase")
    pitch_id = world.pitch.pk
    p = {"pitch_id": pitch_id}

    def version() -> int:
        world.pitch.refresh_from_db()
        return world.pitch.version

    exported, problem = conformance("GET", "/api/pitches/{pitch_id}/export/", path_parameters=p)
    assert problem is None, problem
    writes: list[tuple[str, str, dict[str, Any], Callable[[], Any], int]] = [
        (
            "PATCH",
            "/api/pitches/{pitch_id}/canvas/",
            p,
            lambda: {"base_version": version(), "changes": {"story.purpose": "Route tickets"}},
            200,
        ),
        (
            "PUT",
            "/api/pitches/{pitch_id}/canvas/{path}/",
            {**p, "path": "story.purpose"},
            lambda: {"base_version": version(), "value": "Route every ticket"},
            200,
        ),
        (
            "POST",
            "/api/pitches/{pitch_id}/traction/parse/",
            p,
            lambda: {"text": "2026-01,users,10\n2026-02,users,25"},
            200,
        ),
        (
            "POST",
            "/api/pitches/{pitch_id}/drill/answers/",
            p,
            lambda: {"question_key": "bank:market-size-bottom-up", "rating": 4},
            201,
        ),
        ("POST", "/api/pitches/{pitch_id}/members/", p, lambda: {"who": "grace", "role": "viewer"}, 201),
        ("POST", "/api/pitches/{pitch_id}/members/", p, lambda: {"who": "lin@example.com", "role": "editor"}, 202),
        ("POST", "/api/pitches/{pitch_id}/rehearsals/", p, lambda: {}, 201),
        ("POST", "/api/pitches/import/", {}, lambda: exported.json(), 201),
    ]
    for method, path, ids, body, status in writes:
        parts: dict[str, Any] = {"path_parameters": ids} if ids else {}
        response, problem = conformance(method, path, body=body(), media_type="application/json", **parts)
        assert response.status_code == status, (method, path, response.status_code, response.text[:300])
        assert problem is None, problem


def test_a_stale_canvas_write_gets_a_documented_409(
    world: World, conformance: Callable[..., tuple[Any, str | None]]
) -> None:
    from pitchlab.pitches.services import pitch_write

    base = world.pitch.version
    pitch_write(pitch_id=world.pitch.pk, changes={"story.purpose": "Theirs"}, base_version=base)
    pitch_id = world.pitch.pk
    writes: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
        (
            "PATCH",
            "/api/pitches/{pitch_id}/canvas/",
            {"pitch_id": pitch_id},
            {"base_version": base, "changes": {"story.purpose": "Mine"}},
        ),
        (
            "PUT",
            "/api/pitches/{pitch_id}/canvas/{path}/",
            {"pitch_id": pitch_id, "path": "story.purpose"},
            {"base_version": base, "value": "Mine"},
        ),
    ]
    for method, path, ids, body in writes:
        response, problem = conformance(method, path, path_parameters=ids, body=body, media_type="application/json")
        assert response.status_code == 409, (path, response.status_code, response.text[:200])
        assert problem is None, problem
        assert response.json()["extra"]["conflicts"]["story.purpose"]["value"] == "Theirs"


def test_a_body_too_large_gets_a_documented_413(
    world: World, conformance: Callable[..., tuple[Any, str | None]], settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    p = {"pitch_id": world.pitch.pk}
    for method, path, body in [
        ("POST", "/api/pitches/", {"name": "x" * 2_000}),
        ("PATCH", "/api/pitches/{pitch_id}/canvas/", {"base_version": 0, "changes": {"story.purpose": "y" * 2_000}}),
        ("POST", "/api/pitches/{pitch_id}/traction/parse/", {"text": "2026-01,users,1\n" * 200}),
    ]:
        parts = {"path_parameters": p} if "{" in path else {}
        response, problem = conformance(method, path, body=body, media_type="application/json", **parts)
        assert response.status_code == 413, (path, response.status_code)
        assert problem is None, problem


def test_a_full_room_gets_a_documented_429_with_retry_after(
    world: World, conformance: Callable[..., tuple[Any, str | None]], settings: Any, app_broker: str
) -> None:
    from pitchlab.core import ratelimit
    from pitchlab.demos.public_apis import in_flight_limit

    settings.AUDIENCE_MAX_IN_FLIGHT = 1
    assert ratelimit.hit(in_flight_limit(world.demo_model.pk)).allowed  # one phone's call is in flight to the model
    response, problem = conformance(
        "POST",
        "/d/{token}/predict/",
        login=False,
        path_parameters={"token": world.token},
        body={"text": "refund"},
        media_type="application/json",
    )
    assert response.status_code == 429
    assert response.headers["retry-after"] == ["1"]
    assert problem is None, problem


def test_a_role_that_falls_short_gets_a_documented_403(
    world: World, conformance: Callable[..., tuple[Any, str | None]]
) -> None:
    import schemathesis

    from pitchlab.wsgi import application

    viewer = {**_member_of(world, "viewer"), "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=viewer)
    for method, path, body in [
        ("PATCH", "/api/pitches/{pitch_id}/", {"name": "Mine now"}),
        ("DELETE", "/api/pitches/{pitch_id}/", None),
        ("POST", "/api/pitches/{pitch_id}/revisions/", {"note": "x"}),
    ]:
        parts: dict[str, Any] = {"path_parameters": {"pitch_id": world.pitch.pk}}
        if body is not None:
            parts.update(body=body, media_type="application/json")
        case = schema[path][method].Case(**parts)
        response = case.call(headers=viewer)
        assert response.status_code == 403, (method, path, response.status_code)
        assert _nonconformance(case, response, viewer) is None


def test_a_database_outage_answers_a_documented_503(
    conformance: Callable[..., tuple[Any, str | None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from pitchlab.pitches import apis

    def down(**kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(apis, "pitch_list", down)
    response, problem = conformance("GET", "/api/pitches/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == ["5"]
    assert problem is None, problem


@pytest.mark.parametrize("path", ["/api/pitches/-1/", "/api/no-such-thing/", "/api/pitches/1/canvas/a/b/c/"])
def test_an_unknown_api_url_answers_the_json_error_body(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "extra"}


def test_an_unknown_page_outside_the_api_is_still_the_page(client: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
