"""The live path's lookups (demos/lookups.py, accounts/tokens.py, pitches/access.py) come from the cache, and
every write that changes what they answer drops them: the next call sees the change, in every web process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from pitchlab.accounts.tokens import token_create, token_revoke
from pitchlab.demos.lookups import audience_link_live, demo_model_live
from pitchlab.demos.models import AudienceLink, DemoModel
from pitchlab.demos.services import audience_link_revoke
from pitchlab.pitches.access import Action
from pitchlab.pitches.members import member_remove
from pitchlab.pitches.models import Pitch, PitchMember


@pytest.fixture(autouse=True)
def _cache_up(app_broker: str) -> None:
    """The cache is the broker's Redis: up, so that the lookups are really kept (else they fall back to queries)."""


@pytest.fixture
def model(pitch: Pitch) -> DemoModel:
    return DemoModel.objects.create(
        pitch=pitch, name="Router", kind="text", source="sample", status="ready", artefact="sample-text"
    )


def test_a_kept_model_costs_no_query_and_a_save_is_seen_at_once(
    model: DemoModel, owner: User, django_assert_num_queries: Callable[..., Any]
) -> None:
    assert demo_model_live(model_id=model.pk, user=owner, action=Action.PRESENT).status == "ready"
    with django_assert_num_queries(0):
        assert demo_model_live(model_id=model.pk, user=owner, action=Action.PRESENT).name == "Router"
    model.status, model.name = "failed", "Router v2"
    model.save()
    seen = demo_model_live(model_id=model.pk, user=owner, action=Action.PRESENT)
    assert (seen.status, seen.name) == ("failed", "Router v2")
    model.delete()
    with pytest.raises(Exception, match="No such demo model"):
        demo_model_live(model_id=model.pk, user=owner, action=Action.PRESENT)


def test_a_member_removed_is_refused_on_the_next_call(
    model: DemoModel, pitch: Pitch, make_user: Callable[..., User]
) -> None:
    viewer = make_user("vera")
    member = PitchMember.objects.create(pitch=pitch, user=viewer, role=PitchMember.Role.VIEWER)
    assert demo_model_live(model_id=model.pk, user=viewer, action=Action.PRESENT).pk == model.pk
    with pytest.raises(PermissionDenied, match="Viewers can read and present"):
        demo_model_live(model_id=model.pk, user=viewer, action=Action.EDIT)  # a viewer presents, not edits: 403
    member_remove(member=member)
    with pytest.raises(Exception, match="No such demo model"):
        demo_model_live(model_id=model.pk, user=viewer, action=Action.PRESENT)


def test_a_revoked_link_is_gone_on_the_next_call_though_revoked_by_a_bulk_update(model: DemoModel) -> None:
    link = AudienceLink.objects.create(demo_model=model, token="r" * 24)
    assert audience_link_live(token=link.token) is not None
    assert audience_link_live(token=link.token) is not None  # kept
    audience_link_revoke(demo_model=model)  # an update(): no signal
    assert audience_link_live(token=link.token) is None


def test_a_link_sees_its_model_change(model: DemoModel) -> None:
    link = AudienceLink.objects.create(demo_model=model, token="m" * 24)
    assert audience_link_live(token=link.token).model.status == "ready"  # type: ignore[union-attr]
    model.status = "preparing"
    model.save()
    assert audience_link_live(token=link.token).model.status == "preparing"  # type: ignore[union-attr]


def test_a_revoked_or_deactivated_token_is_refused_on_the_next_request(owner: User, pitch: Pitch) -> None:
    token, key = token_create(user=owner, name="stage laptop")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    url = f"/api/pitches/{pitch.pk}/demo-models/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the token is kept now
    token_revoke(token=token)
    assert client.get(url).status_code == 401
    _, key = token_create(user=owner, name="second")
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(url).status_code == 200
    owner.is_active = False
    owner.save()
    assert client.get(url).status_code == 401
