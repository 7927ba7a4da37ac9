"""The pre-flight before anything leaves (issue 16 §2): the list, its fix links, and the 409 gate on exports and
new share links (anyway, the fingerprint of the list seen, nothing open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.decks.models import DeckExport
from pitchlab.decks.preflight import PREFLIGHT_CODES, empty_slides, preflight_fingerprint, preflight_items
from pitchlab.decks.slides import build_deck
from pitchlab.pitches.checks import Finding
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_import, pitch_write
from pitchlab.sharing.models import ShareLink

HYPE = "Our revolutionary AI is 100 % accurate on every ticket."


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture
def api(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _canvas() -> dict[str, Any]:
    document = template_document("support_nlp")
    assert document is not None
    canvas: dict[str, Any] = document["canvas"]
    return canvas


def _write(pitch: Pitch, changes: dict[str, Any]) -> Pitch:
    pitch.refresh_from_db()
    return pitch_write(pitch_id=pitch.pk, changes=changes, base_version=pitch.version)


@pytest.fixture
def hyped(pitch: Pitch) -> Pitch:
    """The template pitch with an experiment-less purpose that oversells (hype and an unbacked claim)."""
    return _write(pitch, {"story.purpose": HYPE, "data.experiments": []})


# ---------- the pure core ----------


def _finding(code: str, path: str = "story.purpose") -> Finding:
    return Finding(code=code, path=path, severity="warning", message_en=f"en {code}", message_zh=f"中 {code}")


def test_only_the_findings_an_investor_would_hold_against_the_pitch_are_kept() -> None:
    deck = build_deck(name="Acme", canvas=_canvas(), lang="en")
    findings = [_finding(code) for code in (*PREFLIGHT_CODES[:-1], "missing_checklist", "no_evidence")]
    items = preflight_items(findings, deck, lang="zh", fix_url=lambda path: f"/fix/{path}")
    assert [item.code for item in items] == list(PREFLIGHT_CODES[:-1])  # small_sample & co. by code, as they land
    assert items[0].message == "中 hype"
    assert items[0].fix_url == "/fix/story.purpose"


def test_a_slide_whose_blocks_are_all_blank_is_an_empty_slide_with_its_source_field() -> None:
    canvas = _canvas()
    canvas["team"] = [{"name": " ", "role": "", "bio": ""}]
    deck = build_deck(name="Acme", canvas=canvas, lang="en")
    assert [slide.kind for slide in empty_slides(deck)] == ["team"]
    items = preflight_items([], deck, lang="en", fix_url=lambda path: f"#unit-{path}")
    assert [(item.code, item.path, item.slide, item.fix_url) for item in items] == [
        ("empty_slide", "team", "team", "#unit-team")
    ]
    assert items[0].message == 'The slide "Team" shows nothing.'


def test_the_fingerprint_is_the_same_in_either_language_and_changes_with_the_list() -> None:
    deck = build_deck(name="Acme", canvas=_canvas(), lang="en")
    one = preflight_items([_finding("hype")], deck, lang="en", fix_url=str)
    same = preflight_items([_finding("hype")], deck, lang="zh", fix_url=str)
    more = preflight_items([_finding("hype"), _finding("absolute")], deck, lang="en", fix_url=str)
    assert preflight_fingerprint(one) == preflight_fingerprint(same)
    assert preflight_fingerprint(one) != preflight_fingerprint(more)


# ---------- the API ----------


@pytest.mark.django_db
def test_the_preflight_lists_hype_and_unbacked_claims_with_a_fix_link(api: APIClient, hyped: Pitch) -> None:
    response = api.get(f"/api/pitches/{hyped.pk}/preflight/")
    assert response.status_code == 200
    body = response.json()
    codes = {(item["code"], item["excerpt"]) for item in body["findings"]}
    assert ("hype", "revolutionary") in codes
    assert ("unbacked_accuracy", "accurate") in codes
    item = body["findings"][0]
    assert item["path"] == "story.purpose"
    assert item["fix_url"] == f"/pitches/{hyped.pk}/#unit-story.purpose"
    assert len(body["fingerprint"]) == 16
    zh = api.get(f"/api/pitches/{hyped.pk}/preflight/?lang=zh").json()
    assert "revolutionary" in zh["findings"][0]["message"]
    assert "换成" in zh["findings"][0]["message"]
    assert zh["fingerprint"] == body["fingerprint"]


@pytest.mark.django_db
def test_an_unmitigated_high_risk_is_in_the_preflight(api: APIClient, pitch: Pitch) -> None:
    risk = {"key": "gpu", "title": "GPU supply", "category": "technical", "likelihood": 5, "impact": 4}
    _write(pitch, {"risks": [{**risk, "response": "mitigate", "mitigation": "", "owner": ""}]})
    findings = api.get(f"/api/pitches/{pitch.pk}/preflight/").json()["findings"]
    assert [(f["code"], f["path"], f["excerpt"]) for f in findings] == [("unmitigated_risk", "risks", "GPU supply")]


@pytest.mark.django_db
def test_an_export_with_open_findings_gets_409_with_the_list_and_creates_nothing(api: APIClient, hyped: Pitch) -> None:
    response = api.post(f"/api/pitches/{hyped.pk}/exports/", {"theme": "dark"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["extra"] == api.get(f"/api/pitches/{hyped.pk}/preflight/").json()
    assert body["message"]
    assert not DeckExport.objects.exists()


@pytest.mark.django_db
def test_export_anyway_goes_ahead(api: APIClient, hyped: Pitch, owner: User) -> None:
    response = api.post(f"/api/pitches/{hyped.pk}/exports/", {"export_anyway": True}, format="json")
    assert response.status_code == 202, response.content
    export = DeckExport.objects.get()
    assert export.created_by == owner
    assert response.json()["created_by"] == "founder"


@pytest.mark.django_db
def test_the_fingerprint_of_the_list_seen_goes_ahead_until_the_list_changes(api: APIClient, hyped: Pitch) -> None:
    seen = api.get(f"/api/pitches/{hyped.pk}/preflight/").json()["fingerprint"]
    _write(hyped, {"story.vision": "We will be the world's best, guaranteed."})  # a new finding since
    stale = api.post(f"/api/pitches/{hyped.pk}/exports/", {"preflight_fingerprint": seen}, format="json")
    assert stale.status_code == 409
    assert not DeckExport.objects.exists()
    fresh = stale.json()["extra"]["fingerprint"]
    assert fresh != seen
    ok = api.post(f"/api/pitches/{hyped.pk}/exports/", {"preflight_fingerprint": fresh}, format="json")
    assert ok.status_code == 202, ok.content
    assert DeckExport.objects.count() == 1


@pytest.mark.django_db
def test_with_nothing_open_an_export_and_a_link_go_straight_ahead(api: APIClient, pitch: Pitch) -> None:
    assert api.get(f"/api/pitches/{pitch.pk}/preflight/").json()["findings"] == []
    assert api.post(f"/api/pitches/{pitch.pk}/exports/", {}, format="json").status_code == 202
    assert api.post(f"/api/pitches/{pitch.pk}/share-links/", {"label": "VC"}, format="json").status_code == 201


@pytest.mark.django_db
def test_a_share_link_with_open_findings_gets_409_and_share_anyway_creates_it(api: APIClient, hyped: Pitch) -> None:
    refused = api.post(f"/api/pitches/{hyped.pk}/share-links/", {"label": "VC"}, format="json")
    assert refused.status_code == 409
    assert {item["code"] for item in refused.json()["extra"]["findings"]} >= {"hype", "unbacked_accuracy"}
    assert not ShareLink.objects.exists()
    created = api.post(f"/api/pitches/{hyped.pk}/share-links/", {"label": "VC", "share_anyway": True}, format="json")
    assert created.status_code == 201, created.content
    assert ShareLink.objects.get().label == "VC"


@pytest.mark.django_db
def test_the_export_page_shows_the_preflight_dialog_and_export_anyway_exports(
    client: Any, owner: User, hyped: Pitch
) -> None:
    client.force_login(owner)
    url = f"/pitches/{hyped.pk}/exports/new/"
    shown = client.post(url, {"theme": "dark", "lang": "en"}, HTTP_HX_REQUEST="true")
    html = shown.content.decode()
    assert shown.status_code == 200
    assert "data-preflight" in html
    assert 'data-preflight-code="hype"' in html
    assert f'href="/pitches/{hyped.pk}/#unit-story.purpose"' in html
    assert not DeckExport.objects.exists()
    plain = client.post(url, {"theme": "dark", "lang": "en"})
    assert plain.status_code == 409
    assert "Export anyway" in plain.content.decode()
    client.post(url, {"theme": "dark", "lang": "en", "export_anyway": "1"}, HTTP_HX_REQUEST="true")
    assert DeckExport.objects.get().theme == "dark"


@pytest.mark.django_db
def test_the_409_is_in_the_openapi_document(api: APIClient) -> None:
    document = api.get("/api/schema/?format=json").json()
    paths = document["paths"]
    assert "409" in paths["/api/pitches/{pitch_id}/exports/"]["post"]["responses"]
    assert "409" in paths["/api/pitches/{pitch_id}/share-links/"]["post"]["responses"]
    assert "get" in paths["/api/pitches/{pitch_id}/preflight/"]
