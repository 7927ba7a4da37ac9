"""Fixtures of the share-link tests: an owner with a pitch from a template, links, and members of each role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from pitchlab.pitches.documents import template_document
from pitchlab.pitches.models import Pitch, PitchMember
from pitchlab.pitches.services import pitch_import
from pitchlab.sharing import services
from pitchlab.sharing.models import ShareLink


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user("founder")


@pytest.fixture
def pitch(owner: User) -> Pitch:
    return pitch_import(owner=owner, document=template_document("support_nlp"))


@pytest.fixture
def make_link(pitch: Pitch, owner: User) -> Callable[..., ShareLink]:
    def make(**fields: Any) -> ShareLink:
        return services.share_link_create(pitch=pitch, user=owner, **fields)

    return make


@pytest.fixture
def link(make_link: Callable[..., ShareLink]) -> ShareLink:
    return make_link(label="Acme Ventures")


@pytest.fixture
def owner_api(owner: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def member_api(pitch: Pitch, owner: User, make_user: Callable[..., User]) -> Callable[[str], APIClient]:
    """An API client of a new user who is ``role`` ("editor", "viewer") on the pitch, or "stranger"."""

    def make(role: str) -> APIClient:
        user = make_user(role)
        if role in (PitchMember.Role.EDITOR, PitchMember.Role.VIEWER):
            PitchMember.objects.create(pitch=pitch, user=user, role=role, invited_by=owner)
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def owner_client(client: Client, owner: User) -> Client:
    client.force_login(owner)
    return client


def deck_url(link: ShareLink) -> str:
    return f"/s/{link.token}/"
