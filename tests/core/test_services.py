"""The real services CI gives us: these run when DATABASE_URL / REDIS_URL are set, and otherwise
skip, or fail when PITCHLAB_REQUIRE_SERVICES=1 demands them."""

import os
import uuid

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection

from pitchlab.core.health import check_broker
from pitchlab.pitches.models import Pitch
from tests.support import missing_service

pytestmark = pytest.mark.services


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_names_it(make_user: object) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        missing_service("DATABASE_URL does not name a PostgreSQL database")
    assert connection.vendor == "postgresql"
    user = make_user()  # type: ignore[operator]
    pitch = Pitch.objects.create(owner=user, name="Lumen")
    # The rule "a pitch has a name" holds in the database itself, not only in Python.
    with pytest.raises(IntegrityError):
        Pitch.objects.filter(pk=pitch.pk).update(name="")


def test_networked_redis_serves_broker_and_cache() -> None:
    url = os.environ.get("REDIS_URL", "")
    if not url.startswith(("redis://", "rediss://")):
        missing_service("REDIS_URL does not name a networked Redis server")
    assert check_broker(url).up
    key = f"pitchlab-test-{uuid.uuid4()}"
    cache.set(key, {"ok": "数据"}, timeout=30)
    assert cache.get(key) == {"ok": "数据"}
    cache.delete(key)
