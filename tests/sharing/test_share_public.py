"""The pages behind a share link: the read-only deck, its password, its PDF, the 404 and the rate limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any as SettingsWrapper

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from pitchlab.decks.models import DeckExport
from pitchlab.demos.models import AudienceLink, DemoExample, DemoModel
from pitchlab.pitches.models import Pitch
from pitchlab.sharing import services
from pitchlab.sharing.models import ShareLink, ShareVisit
from tests.sharing.conftest import deck_url

# The rate limits count in Redis: the embedded default needs its server running (app_broker).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("app_broker")]

MISSING = "This link does not work"


def test_the_shared_deck_shows_the_slides_and_nothing_of_the_founders(client: Client, link: ShareLink) -> None:
    response = client.get(deck_url(link))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="slide ') == 14
    assert "Lumen Support AI" in html
    assert "The problem" in html
    assert f'data-beacon="/s/{link.token}/beacon/"' in html
    assert "/pitches/" not in html  # no edit, presenter or founder page links
    assert "/api/" not in html  # no founder API
    assert "csrf" not in html.lower()
    assert 'name="robots" content="noindex"' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert ShareVisit.objects.filter(link=link).count() == 1
    cookie = response.cookies["pl_viewer"]
    assert cookie["path"] == f"/s/{link.token}/"
    assert cookie["httponly"]


def test_speaker_notes_never_reach_the_shared_deck(client: Client, link: ShareLink, pitch: Pitch) -> None:
    content = dict(pitch.content)
    content["deck"] = {"slides": [{"kind": "problem", "notes": "PRIVATE-NOTE-7731"}], "theme": "dark"}
    Pitch.objects.filter(pk=pitch.pk).update(content=content)
    html = client.get(deck_url(link)).content.decode()
    assert "PRIVATE-NOTE-7731" not in html
    assert 'class="theme-dark shared-deck"' in html


def test_a_reload_is_the_same_view_a_new_browser_a_new_viewer(client: Client, link: ShareLink) -> None:
    client.get(deck_url(link))
    client.get(deck_url(link))
    Client().get(deck_url(link))
    visits = ShareVisit.objects.filter(link=link)
    assert visits.count() == 2
    assert visits.values("viewer").distinct().count() == 2


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown"])
def test_revoked_expired_and_unknown_links_get_the_same_404(client: Client, link: ShareLink, how: str) -> None:
    token = link.token
    if how == "revoked":
        services.share_link_revoke(link=link)
    elif how == "expired":
        ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    else:
        token = services.share_token()
    for path in (f"/s/{token}/", f"/s/{token}/pdf/"):
        response = client.get(path)
        assert response.status_code == 404
        html = response.content.decode()
        assert MISSING in html
        assert "Lumen" not in html
    assert client.post(f"/s/{token}/beacon/", b'{"title": 10}', content_type="text/plain").status_code == 404
    assert not ShareVisit.objects.exists()


def test_the_password_flow(client: Client, make_link: Callable[..., ShareLink]) -> None:
    link = make_link(password="open sesame")
    form = client.get(deck_url(link))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'type="password"' in html
    assert 'class="slide' not in html
    assert not ShareVisit.objects.exists()

    wrong = client.post(deck_url(link), {"password": "open sesamE"})
    assert wrong.status_code == 400
    assert re.search(r'class="field has-error".*not the password', wrong.content.decode(), re.S)
    assert client.get(deck_url(link)).content.decode().count('type="password"') == 1  # still locked

    right = client.post(deck_url(link), {"password": "open sesame"})
    assert right.status_code == 302
    assert right["Location"] == deck_url(link)
    deck = client.get(deck_url(link))
    assert 'class="slide ' in deck.content.decode()
    assert ShareVisit.objects.filter(link=link).count() == 1

    # A stranger's browser is still asked; a new password asks again.
    assert 'type="password"' in Client().get(deck_url(link)).content.decode()
    services.share_link_update(link=link, data={"password": "second secret"})
    assert 'type="password"' in client.get(deck_url(link)).content.decode()


def test_password_attempts_are_rate_limited_per_link_and_client(
    client: Client, make_link: Callable[..., ShareLink], settings: SettingsWrapper
) -> None:
    settings.SHARE_RATE_PASSWORD = "3/hour"
    link = make_link(password="open sesame")
    for _ in range(3):
        assert client.post(deck_url(link), {"password": "guess-guess"}).status_code == 400
    limited = client.post(deck_url(link), {"password": "open sesame"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert "Too many requests" in limited.content.decode()
    other = make_link(password="open sesame")  # another link has its own count
    assert client.post(deck_url(other), {"password": "open sesame"}).status_code == 302


def test_pages_are_rate_limited(client: Client, link: ShareLink, settings: SettingsWrapper) -> None:
    settings.SHARE_RATE_PAGE = "2/min"
    assert client.get(deck_url(link)).status_code == 200
    assert client.get(deck_url(link)).status_code == 200
    response = client.get(deck_url(link))
    assert response.status_code == 429
    assert "Retry-After" in response
    unknown = f"/s/{services.share_token()}/"
    for _ in range(2):
        assert client.get(unknown).status_code == 404
    assert client.get(unknown).status_code == 429  # guessing tokens is limited too


def test_the_pdf_only_when_included(
    client: Client, make_link: Callable[..., ShareLink], pitch: Pitch, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    without = make_link()
    assert client.get(f"/s/{without.token}/pdf/").status_code == 404
    assert "Download the PDF" not in client.get(deck_url(without)).content.decode()

    link = make_link(include_pdf=True)
    assert f'href="/s/{link.token}/pdf/"' in client.get(deck_url(link)).content.decode()
    pending = client.get(f"/s/{link.token}/pdf/")
    assert pending.status_code == 200
    assert "not ready yet" in pending.content.decode()

    export = DeckExport.objects.create(
        pitch=pitch, revision=pitch.revisions.get(version=pitch.version), status="ready", progress=100
    )
    export.file.save("deck.pdf", ContentFile(b"%PDF-1.4 shared"), save=True)
    DeckExport.objects.create(pitch=pitch, revision=export.revision, status="rendering")  # not done: not served
    response = client.get(f"/s/{link.token}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 shared"  # type: ignore[attr-defined]


def test_a_locked_pdf_asks_for_the_password_first(client: Client, make_link: Callable[..., ShareLink]) -> None:
    link = make_link(include_pdf=True, password="open sesame")
    response = client.get(f"/s/{link.token}/pdf/")
    assert response.status_code == 302
    assert response["Location"] == f"/s/{link.token}/?next=pdf"
    assert 'value="pdf"' in client.get(response["Location"]).content.decode()
    unlocked = client.post(deck_url(link), {"password": "open sesame", "next": "pdf"})
    assert unlocked["Location"] == f"/s/{link.token}/pdf/"


def _demo(pitch: Pitch) -> DemoModel:
    model = DemoModel.objects.create(
        pitch=pitch,
        name="Ticket router",
        kind="text",
        source="sample",
        artefact="sample-text",
        status="ready",
        labels=["billing", "bug"],
    )
    DemoExample.objects.create(
        demo_model=model,
        text="I was charged twice this month",
        expected_label="billing",
        cached_output={"labels": [{"label": "billing", "score": 0.93}, {"label": "bug", "score": 0.07}]},
    )
    return model


def test_live_demo_slides_show_cached_examples_and_never_the_try_api(
    client: Client, link: ShareLink, pitch: Pitch
) -> None:
    model = _demo(pitch)
    html = client.get(deck_url(link)).content.decode()
    assert f'data-key="demo-{model.pk}"' in html
    assert "I was charged twice this month" in html
    assert "billing 93%" in html
    assert "/api/" not in html
    assert "demo.js" not in html
    assert "demo-data" not in html
    assert "live-demo-qr" not in html  # no audience link open: no QR code

    AudienceLink.objects.create(demo_model=model, token="aud-token-123456789")
    html = client.get(deck_url(link)).content.decode()
    assert "live-demo-qr" in html
    assert "/d/aud-token-123456789/" in html


def test_the_share_page_is_the_owners_alone(
    client: Client, owner_client: Client, pitch: Pitch, link: ShareLink, make_user: Callable[..., User]
) -> None:
    page = owner_client.get(f"/pitches/{pitch.pk}/share/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/s/{link.token}/" in html
    assert "Acme Ventures" in html
    assert "data-share-link" in owner_client.get(f"/pitches/{pitch.pk}/").content.decode()
    anonymous = Client().get(f"/pitches/{pitch.pk}/share/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    stranger = Client()
    stranger.force_login(make_user("stranger"))
    assert stranger.get(f"/pitches/{pitch.pk}/share/").status_code == 404
    assert stranger.post(f"/pitches/{pitch.pk}/share/{link.pk}/revoke/").status_code == 404


def test_members_see_no_share_button_and_get_403(pitch: Pitch, owner: User, make_user: Callable[..., User]) -> None:
    from pitchlab.pitches.models import PitchMember

    editor = make_user("editor")
    PitchMember.objects.create(pitch=pitch, user=editor, role="editor")
    client = Client()
    client.force_login(editor)
    assert client.get(f"/pitches/{pitch.pk}/share/").status_code == 403
    editor_page = client.get(f"/pitches/{pitch.pk}/")
    if editor_page.status_code == 200:
        assert "data-share-link" not in editor_page.content.decode()


def test_the_owner_creates_revokes_and_deletes_links_in_the_page(owner_client: Client, pitch: Pitch) -> None:
    bad = owner_client.post(
        f"/pitches/{pitch.pk}/share/",
        {"label": "Seed fund", "expires_in_days": "0", "password": "abc", "pdf": "newest"},
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert html.count('class="field has-error"') == 2
    assert 'value="Seed fund"' in html
    assert 'value="abc"' in html
    assert '<option value="newest" selected>' in html
    assert not ShareLink.objects.exists()

    created = owner_client.post(
        f"/pitches/{pitch.pk}/share/", {"label": "Seed fund", "expires_in_days": "14", "password": "open sesame"}
    )
    assert created.status_code == 302
    link = ShareLink.objects.get()
    assert created["Location"].endswith(f"/pitches/{pitch.pk}/share/#link-{link.pk}")
    assert link.label == "Seed fund"
    assert link.has_password
    assert link.expires_at is not None

    owner_client.post(f"/pitches/{pitch.pk}/share/{link.pk}/revoke/")
    link.refresh_from_db()
    assert link.state == "revoked"
    assert 'data-state="revoked"' in owner_client.get(f"/pitches/{pitch.pk}/share/").content.decode()
    owner_client.post(f"/pitches/{pitch.pk}/share/{link.pk}/delete/")
    assert not ShareLink.objects.exists()


def test_image_examples_are_served_through_the_link_only(
    client: Client,
    link: ShareLink,
    pitch: Pitch,
    settings: SettingsWrapper,
    tmp_path: Path,
    make_user: Callable[..., User],
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    model = DemoModel.objects.create(
        pitch=pitch, name="Scans", kind="image", source="sample", artefact="sample-image", status="ready"
    )
    example = DemoExample.objects.create(demo_model=model, expected_label="cat")
    example.image.save("cat.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    html = client.get(deck_url(link)).content.decode()
    assert f'src="/s/{link.token}/examples/{example.pk}/image/"' in html
    response = client.get(f"/s/{link.token}/examples/{example.pk}/image/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"

    from pitchlab.pitches.services import pitch_create

    other = pitch_create(owner=make_user("other"), name="Other")
    foreign_model = DemoModel.objects.create(
        pitch=other, name="X", kind="image", source="sample", artefact="sample-image", status="ready"
    )
    foreign = DemoExample.objects.create(demo_model=foreign_model)
    foreign.image.save("x.png", ContentFile(b"\x89PNG\r\n\x1a\nfake"), save=True)
    assert client.get(f"/s/{link.token}/examples/{foreign.pk}/image/").status_code == 404
    services.share_link_revoke(link=link)
    assert client.get(f"/s/{link.token}/examples/{example.pk}/image/").status_code == 404
