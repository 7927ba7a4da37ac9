"""The version rule's base_version: only a version the pitch has had, 0 to the current one (issue 15 §6).

A base_version from the future, or one that is not an exact integer, is a 400 on every versioned write (the
whole-canvas PATCH and the unit PUT), and nothing is written.
"""

from typing import Any

import pytest
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch

pytestmark = pytest.mark.django_db

BAD_BASES: list[Any] = [
    "current+1",
    "current+1000",
    2**63,
    10**30,
    -1,
    -(2**31),
    True,
    False,
    1.5,
    3.0,
    "3.0",
    " 3 ",
    "3e0",
    "x",
    "",
    None,
    [1],
    {"v": 1},
    "١",  # a digit, but not an ASCII one
]


def _advance(api: APIClient, pitch: Pitch, times: int) -> int:
    for n in range(times):
        pitch.refresh_from_db()
        body = {"base_version": pitch.version, "changes": {"story.purpose": f"Purpose {n}"}}
        assert api.patch(f"/api/pitches/{pitch.pk}/canvas/", body, format="json").status_code == 200
    pitch.refresh_from_db()
    return pitch.version


def _resolve(base: Any, current: int) -> Any:
    if isinstance(base, str) and base.startswith("current+"):
        return current + int(base.removeprefix("current+"))
    return base


def _writes(api: APIClient, pitch: Pitch, base: Any) -> list[Any]:
    return [
        api.patch(
            f"/api/pitches/{pitch.pk}/canvas/",
            {"base_version": base, "changes": {"story.origin": "over"}},
            format="json",
        ),
        api.put(
            f"/api/pitches/{pitch.pk}/canvas/story.origin/", {"base_version": base, "value": "over"}, format="json"
        ),
    ]


@pytest.mark.parametrize("bad", BAD_BASES)
def test_a_base_version_outside_the_pitchs_history_is_400_and_writes_nothing(
    api: APIClient, pitch: Pitch, bad: Any
) -> None:
    current = _advance(api, pitch, 3)
    before = Pitch.objects.get(pk=pitch.pk)
    for response in _writes(api, pitch, _resolve(bad, current)):
        assert response.status_code == 400, (bad, response.content)
        assert "base_version" in response.json()["extra"]["fields"]
    pitch.refresh_from_db()
    assert pitch.version == current
    assert pitch.content == before.content
    assert pitch.unit_versions == before.unit_versions


@pytest.mark.parametrize("base", [0, 1, "current", "digits"])
def test_every_version_the_pitch_has_had_is_accepted(api: APIClient, pitch: Pitch, base: Any) -> None:
    current = _advance(api, pitch, 3)
    value: Any = {"current": current, "digits": str(current)}.get(base, base) if isinstance(base, str) else base
    response = api.put(
        f"/api/pitches/{pitch.pk}/canvas/story.origin/", {"base_version": value, "value": "mine"}, format="json"
    )
    assert response.status_code == 200, response.content
    pitch.refresh_from_db()
    assert pitch.content["story"]["origin"] == "mine"


def test_a_future_base_version_cannot_overwrite_a_newer_edit(api: APIClient, pitch: Pitch) -> None:
    """The reported case: a base beyond the current version used to skip the conflict check and overwrite."""
    current = _advance(api, pitch, 2)
    response = api.patch(
        f"/api/pitches/{pitch.pk}/canvas/",
        {"base_version": current + 5, "changes": {"story.purpose": "overwrite"}},
        format="json",
    )
    assert response.status_code == 400
    pitch.refresh_from_db()
    assert pitch.content["story"]["purpose"] == "Purpose 1"
