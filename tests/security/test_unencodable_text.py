"""Text that cannot be stored or encoded is refused at the edge with a 400 naming the field, and nothing is stored.

The family: UTF-16 surrogates (lone high, lone low, a reversed pair), NUL and the other C0 controls but tab, line
feed and carriage return, Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, U+nFFFE/U+nFFFF), and bytes that
are not UTF-8 in a query string, a url-encoded body or a multipart body. Bodies are sent raw, as an attacker's
client would: ``json.dumps`` writes a lone surrogate as the escape ``\\ud800``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_create
from pitchlab.rehearsals import remote
from pitchlab.rehearsals.models import DrillAnswer, DrillQuestion, Rehearsal
from pitchlab.sharing.models import ShareLink

pytestmark = pytest.mark.django_db

# (text, the character the answer names): every kind of character that cannot be stored.
BAD_TEXTS = [
    ("hi \ud800", "U+D800"),  # lone high surrogate
    ("\udfff tail", "U+DFFF"),  # lone low surrogate
    ("x\udc00\ud800y", "U+DC00"),  # a reversed pair: two lone surrogates
    ("a\x00b", "U+0000"),  # NUL: PostgreSQL's text refuses it
    ("ding\x07", "U+0007"),
    ("\x1b[31mred", "U+001B"),
    ("form\x0cfeed", "U+000C"),
    ("\ufffe", "U+FFFE"),
    ("end \uffff", "U+FFFF"),
    ("\ufdd0 start of the block", "U+FDD0"),
    ("end of the block \ufdef", "U+FDEF"),
    ("plane one \U0001fffe", "U+1FFFE"),
    ("last plane \U0010ffff", "U+10FFFF"),
]
BAD_IDS = [character for _, character in BAD_TEXTS]
# Bytes that are not UTF-8, percent-encoded: the CESU-8 form of a surrogate, a stray continuation byte, a cut-off
# sequence, an overlong "/", and Latin-1.
BAD_BYTES = ["%ED%A0%80", "%80", "caf%C3", "%C0%AF", "caf%E9"]


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_create(owner=owner, name="Acme AI")


@pytest.fixture
def api(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def page(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def text_model(pitch: Pitch) -> DemoModel:
    return DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text", labels=["a"]
    )


def send_json(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def assert_refused(response: Any, field: str, character: str | None = None) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["extra"]["field"] == field, body
    if character is not None:
        assert body["extra"]["character"] == character
    assert field in body["message"]
    response.content.decode("utf-8")  # the answer itself can be encoded: it never echoes the character


# ---------- JSON bodies, through the API's parser ----------


@pytest.mark.parametrize(("bad", "character"), BAD_TEXTS, ids=BAD_IDS)
def test_canvas_patch_names_the_nested_field_and_stores_nothing(
    api: APIClient, pitch: Pitch, bad: str, character: str
) -> None:
    pitch.refresh_from_db()  # as stored: PostgreSQL's jsonb orders the keys its own way
    before = json.dumps(pitch.content, sort_keys=True)
    body = {"base_version": 1, "changes": {"story.origin": "fine", "story.conflict": f"We {bad} lose"}}
    assert_refused(
        send_json(api, "patch", f"/api/pitches/{pitch.pk}/canvas/", body), "changes.story.conflict", character
    )
    pitch.refresh_from_db()
    assert pitch.version == 1
    assert json.dumps(pitch.content, sort_keys=True) == before


@pytest.mark.parametrize(("bad", "character"), BAD_TEXTS[::3], ids=BAD_IDS[::3])
def test_a_bad_key_is_refused_as_a_key(api: APIClient, pitch: Pitch, bad: str, character: str) -> None:
    response = send_json(api, "patch", f"/api/pitches/{pitch.pk}/canvas/", {"base_version": 1, "changes": {bad: "x"}})
    assert response.status_code == 400
    extra = response.json()["extra"]
    assert extra["in_key"] is True
    assert extra["field"].startswith("changes.")
    assert extra["character"] == character
    pitch.refresh_from_db()
    assert pitch.version == 1


@pytest.mark.parametrize(("bad", "character"), BAD_TEXTS[::2], ids=BAD_IDS[::2])
def test_examples_and_labels_of_a_demo_model_are_refused(
    api: APIClient, text_model: DemoModel, bad: str, character: str
) -> None:
    url = f"/api/demo-models/{text_model.pk}/examples/"
    assert_refused(send_json(api, "post", url, {"text": bad, "expected_label": "a"}), "text", character)
    assert_refused(send_json(api, "post", url, {"text": "fine", "expected_label": bad}), "expected_label", character)
    renamed = send_json(api, "patch", f"/api/demo-models/{text_model.pk}/", {"name": f"Router {bad}"})
    assert_refused(renamed, "name", character)
    assert not DemoExample.objects.exists()
    text_model.refresh_from_db()
    assert text_model.name == "Router"


@pytest.mark.parametrize(("bad", "character"), BAD_TEXTS[1::3], ids=BAD_IDS[1::3])
def test_the_audience_and_the_founder_cannot_send_it_to_the_model(
    api: APIClient, text_model: DemoModel, bad: str, character: str, app_broker: str
) -> None:
    link = AudienceLink.objects.create(demo_model=text_model, token=f"unencodable-{BAD_IDS.index(character)}")
    assert_refused(send_json(APIClient(), "post", f"/d/{link.token}/predict/", {"text": bad}), "text", character)
    for action in ("predict", "explain"):
        url = f"/api/demo-models/{text_model.pk}/{action}/"
        assert_refused(send_json(api, "post", url, {"text": f"refund {bad}"}), "text", character)


@pytest.mark.parametrize(("bad", "character"), BAD_TEXTS[::4], ids=BAD_IDS[::4])
def test_the_remote_state_is_refused_and_the_phone_sees_nothing(
    api: APIClient, pitch: Pitch, bad: str, character: str, redis_url: str, settings: Any
) -> None:
    settings.REDIS_URL = redis_url
    remote._client = None
    url = f"/api/pitches/{pitch.pk}/remote/state/"
    try:
        state = {"slide": 2, "count": 4, "title": "The problem", "notes": {"lines": ["ok", bad]}}
        assert_refused(send_json(api, "put", url, state), "notes.lines.1", character)
        assert api.get(url).json()["state"] is None
    finally:
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter("pitchlab:remote:*"):
            client.delete(key)
        remote._client = None


@pytest.mark.parametrize(("bad", "character"), BAD_TEXTS[2::3], ids=BAD_IDS[2::3])
def test_team_share_links_rehearsals_and_drills_are_refused(
    api: APIClient, pitch: Pitch, make_user: Callable[..., User], bad: str, character: str
) -> None:
    make_user("bob")
    members = f"/api/pitches/{pitch.pk}/members/"
    assert_refused(send_json(api, "post", members, {"who": f"bob{bad}", "role": "editor"}), "who", character)
    assert not PitchMember.objects.filter(pitch=pitch, user__username="bob").exists()

    links = f"/api/pitches/{pitch.pk}/share-links/"
    assert_refused(send_json(api, "post", links, {"label": f"Seed {bad}"}), "label", character)
    assert not ShareLink.objects.exists()

    rehearsal = send_json(api, "post", f"/api/pitches/{pitch.pk}/rehearsals/", {})
    if rehearsal.status_code == 201:
        rehearsal_id = rehearsal.json()["id"]
        said = {"transcript": f"so {bad} um"}
        assert_refused(send_json(api, "patch", f"/api/rehearsals/{rehearsal_id}/", said), "transcript", character)
        assert Rehearsal.objects.get(pk=rehearsal_id).transcript == ""

    question = DrillQuestion.objects.filter(active=True).first()
    assert question is not None
    answer = {"question_key": question.key, "rating": 3, "better_answer": f"Lead with {bad}"}
    assert_refused(
        send_json(api, "post", f"/api/pitches/{pitch.pk}/drill/answers/", answer), "better_answer", character
    )
    assert not DrillAnswer.objects.exists()


def test_text_that_can_be_stored_passes(api: APIClient, pitch: Pitch) -> None:
    """Tab, line breaks, CJK, emoji (a surrogate pair in JSON is one character), DEL and U+FFFD are text."""
    text = "Line one\tcol\r\nline two — 客服 😀 \ud83d\ude80 \x7f \ufffd \u200b"
    response = send_json(
        api, "patch", f"/api/pitches/{pitch.pk}/canvas/", {"base_version": 1, "changes": {"story.conflict": text}}
    )
    assert response.status_code == 200, response.content
    pitch.refresh_from_db()
    assert pitch.content["story"]["conflict"] == text.replace("\ud83d\ude80", "\U0001f680")


# ---------- query strings, url-encoded and multipart bodies, through the middleware ----------


@pytest.mark.parametrize("bad", [*BAD_BYTES, "%00", "%07", "%EF%BF%BE", "%EF%B7%90", "%F4%8F%BF%BF"])
def test_a_query_string_that_cannot_be_decoded_or_stored_is_refused(api: APIClient, pitch: Pitch, bad: str) -> None:
    response = api.get(f"/api/pitches/{pitch.pk}/drill/questions/?source=canvas&q=ok{bad}")
    assert_refused(response, "q")


def test_raw_bytes_in_a_query_string_are_refused(api: APIClient, pitch: Pitch) -> None:
    # WSGI hands the raw bytes over as latin-1 code points.
    response = api.get(f"/api/pitches/{pitch.pk}/drill/questions/", QUERY_STRING="q=caf\xe9")
    assert_refused(response, "q", "0xE9")


@pytest.mark.parametrize("bad", [*BAD_BYTES, "%00", "%1B", "%EF%BF%BF", "%F3%BF%BF%BE"])
def test_the_share_page_form_refuses_it_with_a_page_and_stores_nothing(page: Client, pitch: Pitch, bad: str) -> None:
    body = f"label=Seed{bad}&expires_in_days=14&password=open+sesame"
    response = page.post(f"/pitches/{pitch.pk}/share/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    html = response.content.decode()
    assert "“label”" in html
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("bad", ["%ED%BF%BF", "%00", "%EF%BF%BE"])
def test_the_team_form_refuses_it(page: Client, pitch: Pitch, make_user: Callable[..., User], bad: str) -> None:
    make_user("bob")
    body = f"action=invite&who=bob{bad}&role=editor"
    response = page.post(f"/pitches/{pitch.pk}/team/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "“who”" in response.content.decode()
    assert not PitchMember.objects.filter(pitch=pitch, user__username="bob").exists()


def multipart(fields: list[tuple[bytes, bytes, bytes | None]]) -> tuple[bytes, str]:
    """A multipart body from raw (name, value, file name parameter) parts, so that any byte can be sent.

    (Django drops a part whose header is not UTF-8, so raw bytes in a file name never arrive; the RFC 2231
    form ``filename*=UTF-8''ph%FFoto.png`` does, decoded with U+FFFD.)"""
    boundary = b"pitchlab-boundary"
    body = b""
    for name, value, filename in fields:
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b"; " + (filename if filename.startswith(b"filename*=") else b'filename="' + filename + b'"')
        body += b"--" + boundary + b"\r\nContent-Disposition: " + disposition + b"\r\n"
        if filename is not None:
            body += b"Content-Type: image/png\r\n"
        body += b"\r\n" + value + b"\r\n"
    return body + b"--" + boundary + b"--\r\n", f"multipart/form-data; boundary={boundary.decode()}"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ([(b"text", b"caf\xe9", None), (b"expected_label", b"a", None)], "text"),
        ([(b"text", b"ok", None), (b"expected_label", b"\xed\xa0\x80", None)], "expected_label"),
        ([(b"text", b"nul \x00 here", None)], "text"),
        ([(b"text", "\ufffe".encode(), None)], "text"),
        ([(b"text", b"ok", None), (b"image", b"\x89PNG", b"filename*=UTF-8''ph%FFoto.png")], "image.filename"),
        ([(b"text", b"ok", None), (b"image", b"\x89PNG", b"filename*=UTF-8''%ED%A0%80.png")], "image.filename"),
        # Django unescapes HTML references in file names: a surrogate's becomes U+FFFD. (It drops the
        # characters that are not printable from file names by itself, noncharacters and controls among them.)
        ([(b"text", b"ok", None), (b"image", b"\x89PNG", b"&#xd800;.png")], "image.filename"),
    ],
)
def test_a_multipart_body_is_refused_naming_the_field(
    api: APIClient, text_model: DemoModel, fields: list[tuple[bytes, bytes, bytes | None]], field: str
) -> None:
    body, content_type = multipart(fields)
    response = api.generic("POST", f"/api/demo-models/{text_model.pk}/examples/", body, content_type)  # type: ignore[arg-type]
    assert_refused(response, field)
    assert not DemoExample.objects.exists()


@pytest.mark.parametrize("bad", ["hi \ud800", "nul\x00", "\ufffe"])
def test_an_imported_document_with_unencodable_text_is_refused(bad: str, make_user: Callable[..., User]) -> None:
    """The import file does not pass the API's parsers: the document is checked itself, nothing is created."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pitchlab.pitches.documents import FORMAT

    user = make_user("importer")
    client = Client()
    client.force_login(user)
    document = {"format": FORMAT, "schema": 1, "name": "Acme", "canvas": {"story": {"purpose": bad}}}
    # json.dumps escapes the bad characters (\\ud800), as any JSON writer may: they come back on reading.
    upload = SimpleUploadedFile("pitch.json", json.dumps(document).encode(), content_type="application/json")
    response = client.post("/pitches/import/", {"document": upload})
    assert response.status_code == 400
    assert "canvas.story.purpose" in response.content.decode()
    assert not Pitch.objects.filter(owner=user).exists()
