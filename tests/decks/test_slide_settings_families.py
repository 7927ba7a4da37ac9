"""Every shape of a bad ``deck.slides`` write is a 400 at its field, and the deck still renders after it.

Each case stands for its family: a layout of the wrong type, overrides of the wrong shape, unencodable text in any
text of a row, ids, bullets and picture ids of every wrong kind (a picture id past any database integer included),
texts past their limit, rows and units of the wrong type.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create

BAD_ROWS: list[tuple[Any, str]] = [
    ([{"kind": "story", "layout": 5}], "layout"),
    ([{"kind": "story", "layout": None}], "layout"),
    ([{"kind": "story", "layout": ["text"]}], "layout"),
    ([{"kind": "story", "overrides": ["x"]}], "overrides"),
    ([{"kind": "story", "overrides": {"heading.origin": {"a": 1}}}], "overrides"),
    ([{"kind": "story", "overrides": {"heading.origin": "\ud800x"}}], "surrogate"),
    ([{"kind": "custom", "id": "a", "text": "bad \udfff text"}], "surrogate"),
    ([{"kind": "custom", "id": "a", "title": "\udbff"}], "surrogate"),
    ([{"kind": "custom", "id": "é"}], "id"),
    ([{"kind": "custom", "id": "a", "bullets": "not a list"}], "bullets"),
    ([{"kind": "custom", "id": "a", "bullets": [None]}], "bullets"),
    ([{"kind": "custom", "id": "a", "bullets": ["x" * 100_000]}], "bullets"),
    ([{"kind": "custom", "id": "a", "picture": True}], "picture"),
    ([{"kind": "custom", "id": "a", "picture": 1.5}], "picture"),
    ([{"kind": "custom", "id": "a", "picture": 10**30}], "picture"),
    ([{"kind": "custom", "id": "a", "picture": 2**63}], "picture"),
    ([{"kind": "custom", "id": "a", "picture": -1}], "picture"),
    ([{"kind": "custom", "id": "a", "title": "x" * 5000}], "title"),
    (["not a row"], "non_field_errors"),
    ("not a list", "non_field_errors"),
]


@pytest.fixture
def founder(db: None) -> User:
    return User.objects.create_user("ada", password="not-used-here")


@pytest.fixture
def pitch(founder: User) -> Pitch:
    return pitch_create(owner=founder, name="Lumen")


@pytest.mark.parametrize(("value", "where"), BAD_ROWS)
def test_a_bad_slide_row_is_a_400_at_its_field_and_the_deck_still_renders(
    founder: User, pitch: Pitch, value: Any, where: str
) -> None:
    client = Client()
    client.force_login(founder)
    body = json.dumps({"base_version": pitch.version, "changes": {"deck.slides": value}})
    response = client.patch(f"/api/pitches/{pitch.pk}/canvas/", body, content_type="application/json")
    assert response.status_code == 400
    answer = response.json()
    if where == "surrogate":
        assert "surrogate" in answer["message"]
    else:
        assert where in json.dumps(answer["extra"]["fields"]["deck.slides"])
    pitch.refresh_from_db()
    assert pitch.content["deck"]["slides"] == []  # nothing written
    assert client.get(f"/pitches/{pitch.pk}/deck/").status_code == 200
