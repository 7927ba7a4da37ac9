"""Paging parameters are checked like the remote's cursors: malformed or out of range is a 400 with the reason
(issue 15 §6), never the default silently nor a database error."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.pitches.services import pitch_create

pytestmark = pytest.mark.django_db

BAD = {
    "limit": ["abc", "", "0", "-1", "1.5", "201", "99999999999999999999999", "1e3", " 5", "５", "0x10"],
    "offset": ["abc", "", "-1", "1.5", "99999999999999999999999", str(10**12 + 1), "1e3", "٣"],
}


@pytest.fixture
def api(make_user: Callable[..., User]) -> APIClient:
    owner = make_user("founder")
    for n in range(3):
        pitch_create(owner=owner, name=f"Pitch {n}")
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in BAD.items() for value in values])
def test_a_bad_paging_parameter_is_400_naming_it(api: APIClient, name: str, value: str) -> None:
    response = api.get("/api/pitches/", {name: value})
    assert response.status_code == 400, (name, value, response.content[:200])
    assert response.json()["extra"]["field"] == name
    assert name in response.json()["message"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["Pitch 0", "Pitch 1", "Pitch 2"]),
        ({"limit": "2"}, 2),
        ({"limit": "200", "offset": "1"}, 2),
        ({"offset": "3"}, []),
        ({"offset": str(10**12)}, []),
        ({"limit": "1", "offset": "2"}, 1),
    ],
)
def test_good_paging_parameters_page(api: APIClient, query: dict[str, str], names: list[str] | int) -> None:
    response = api.get("/api/pitches/", query)
    assert response.status_code == 200, response.content[:200]
    body = response.json()
    assert body["count"] == 3
    results = [row["name"] for row in body["results"]]
    if isinstance(names, int):
        assert len(results) == names
    else:
        assert sorted(results) == names
