"""The web deck renders the same slides as the PDF, with the charts inline as SVG."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from pitchlab.decks.services import deck_build
from pitchlab.pitches.documents import template_document
from pitchlab.pitches.services import pitch_import

pytestmark = pytest.mark.django_db


def test_the_web_deck_shows_every_slide_with_its_chart(client: Client, make_user: Callable[..., User]) -> None:
    owner = make_user("owner")
    pitch = pitch_import(owner=owner, document=template_document("support_nlp"))
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/deck/?lang=en").content.decode()
    deck = deck_build(name=pitch.name, canvas=pitch.content, lang="en")
    assert page.count('class="slide slide-') == len(deck.slides) == 14
    for slide in deck.slides:
        assert f'data-kind="{slide.kind}"' in page
    for chart in ("traction", "market", "competition", "performance", "risks", "funds"):
        assert f'data-chart="{chart}"><svg' in page


def test_someone_elses_deck_is_404(client: Client, make_user: Callable[..., User]) -> None:
    pitch = pitch_import(owner=make_user("owner"), document=template_document("support_nlp"))
    client.force_login(make_user("intruder"))
    assert client.get(f"/pitches/{pitch.pk}/deck/").status_code == 404


def test_html_in_the_canvas_is_text_in_the_deck(client: Client, make_user: Callable[..., User]) -> None:
    owner = make_user("owner")
    document = template_document("support_nlp")
    assert document is not None
    document["canvas"]["story"]["customer_pain"] = "<img src=x onerror=alert(1)>"
    pitch = pitch_import(owner=owner, document=document)
    client.force_login(owner)
    page = client.get(f"/pitches/{pitch.pk}/deck/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
