"""Share links in units: the token, expiry, password, revocation, the analytics maths and the chart."""

from __future__ import annotations

import base64
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.utils import timezone

from pitchlab.core.exceptions import ApplicationError
from pitchlab.sharing import services
from pitchlab.sharing.analytics import SlideStat, analytics_of, slide_stats
from pitchlab.sharing.beacon import MAX_REPORT_MS, BadReport, dwell_parse
from pitchlab.sharing.charts import dwell_chart, dwell_chart_svg, seconds_text
from pitchlab.sharing.models import ShareLink, ShareVisit, SlideDwell
from pitchlab.sharing.selectors import share_link_open

pytestmark = pytest.mark.django_db

# ---------- token ----------


def test_tokens_are_unguessable_and_url_safe() -> None:
    tokens = {services.share_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
        assert token.replace("-", "").replace("_", "").isalnum()


def test_a_new_link_has_its_own_token_and_is_open(link: ShareLink, make_link: Callable[..., ShareLink]) -> None:
    other = make_link()
    assert link.token != other.token
    assert share_link_open(token=link.token) == link
    assert link.state == ShareLink.State.ACTIVE


def test_unknown_empty_and_overlong_tokens_find_nothing(link: ShareLink) -> None:
    assert share_link_open(token="") is None
    assert share_link_open(token=link.token[:-1]) is None
    assert share_link_open(token=link.token + "x" * 64) is None


# ---------- expiry ----------


def test_an_expiry_in_the_past_is_refused_at_its_field(make_link: Callable[..., ShareLink]) -> None:
    with pytest.raises(services.ShareLinkInvalid) as caught:
        make_link(expires_at=timezone.now() - timedelta(minutes=1))
    assert caught.value.field == "expires_at"
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("days", [0, -1, 366])
def test_expiry_days_outside_one_to_365_are_refused(days: int) -> None:
    with pytest.raises(services.ShareLinkInvalid) as caught:
        services.expiry_in_days(days)
    assert caught.value.field == "expires_in_days"


def test_an_expired_link_is_closed(make_link: Callable[..., ShareLink]) -> None:
    link = make_link(expires_at=services.expiry_in_days(1))
    assert share_link_open(token=link.token) is not None
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    link.refresh_from_db()
    assert link.state == ShareLink.State.EXPIRED
    assert share_link_open(token=link.token) is None


# ---------- password ----------


def test_the_password_is_stored_hashed(make_link: Callable[..., ShareLink]) -> None:
    link = make_link(password="open sesame")
    link.refresh_from_db()
    assert "open sesame" not in link.password
    assert check_password("open sesame", link.password)
    assert services.password_matches(link=link, password="open sesame")
    assert not services.password_matches(link=link, password="open sesamE")


def test_a_short_password_is_refused_and_blank_means_none(make_link: Callable[..., ShareLink]) -> None:
    with pytest.raises(services.ShareLinkInvalid) as caught:
        make_link(password="12345")
    assert caught.value.field == "password"
    link = make_link(password="")
    assert not link.has_password
    assert not services.password_matches(link=link, password="")


def test_a_new_password_invalidates_earlier_unlocks(make_link: Callable[..., ShareLink]) -> None:
    link = make_link(password="first secret")
    mark = services.unlock_mark(link)
    assert services.unlock_valid(link, mark)
    assert not services.unlock_valid(link, None)
    assert not services.unlock_valid(link, "forged")
    services.share_link_update(link=link, data={"password": "second secret"})
    assert not services.unlock_valid(link, mark)
    services.share_link_update(link=link, data={"password": ""})
    assert services.unlock_valid(link, None)  # no password: nothing to unlock


# ---------- revocation ----------


def test_a_revoked_link_is_closed_and_stays_revoked(link: ShareLink) -> None:
    services.share_link_revoke(link=link)
    link.refresh_from_db()
    assert link.state == ShareLink.State.REVOKED
    assert share_link_open(token=link.token) is None
    with pytest.raises(services.ShareLinkInvalid):
        services.share_link_update(link=link, data={"label": "again"})
    with pytest.raises(services.ShareLinkInvalid):
        services.share_link_update(link=link, data={"revoked": False})
    first = link.revoked_at
    services.share_link_revoke(link=link)
    link.refresh_from_db()
    assert link.revoked_at == first


def test_revoking_through_update(link: ShareLink) -> None:
    services.share_link_update(link=link, data={"revoked": True})
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_deleting_a_link_removes_its_visits_and_dwell(link: ShareLink) -> None:
    services.share_visit_start(link=link, viewer_id="v" * 24)
    services.share_dwell_record(link=link, viewer_id="v" * 24, report={"title": 1000})
    services.share_link_delete(link=link)
    assert not ShareVisit.objects.exists()
    assert not SlideDwell.objects.exists()


# ---------- visits ----------


def test_a_viewer_back_soon_continues_the_visit_later_starts_a_new_one(link: ShareLink) -> None:
    first = services.share_visit_start(link=link, viewer_id="a" * 24)
    assert services.share_visit_start(link=link, viewer_id="a" * 24).pk == first.pk
    ShareVisit.objects.filter(pk=first.pk).update(last_seen_at=timezone.now() - services.VISIT_IDLE - timedelta(1))
    assert services.share_visit_start(link=link, viewer_id="a" * 24).pk != first.pk
    assert services.share_visit_start(link=link, viewer_id="b" * 24).pk not in (first.pk,)
    assert ShareVisit.objects.filter(link=link).count() == 3
    assert ShareVisit.objects.filter(link=link).values("viewer").distinct().count() == 2


def test_the_viewer_id_is_stored_hashed(link: ShareLink) -> None:
    visit = services.share_visit_start(link=link, viewer_id="cookie-value-123456")
    assert "cookie-value-123456" not in visit.viewer
    assert len(visit.viewer) >= 40


def test_dwell_adds_up_per_slide(link: ShareLink) -> None:
    services.share_visit_start(link=link, viewer_id="v" * 24)
    services.share_dwell_record(link=link, viewer_id="v" * 24, report={"title": 1500, "problem": 200})
    services.share_dwell_record(link=link, viewer_id="v" * 24, report={"problem": 2300})
    rows = dict(SlideDwell.objects.values_list("slide_key", "ms"))
    assert rows == {"title": 1500, "problem": 2500}


def test_dwell_without_a_visit_is_refused(link: ShareLink) -> None:
    with pytest.raises(ApplicationError):
        services.share_dwell_record(link=link, viewer_id="nobody-here-123456", report={"title": 10})
    assert not SlideDwell.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_beacons_lose_no_millisecond(make_link: Callable[..., ShareLink]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them anyway)")
    link = make_link()
    services.share_visit_start(link=link, viewer_id="v" * 24)

    def beacon(i: int) -> None:
        try:
            services.share_dwell_record(link=link, viewer_id="v" * 24, report={"title": 100, "problem": i})
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(beacon, range(1, 41)))
    rows = dict(SlideDwell.objects.values_list("slide_key", "ms"))
    assert rows == {"title": 40 * 100, "problem": sum(range(1, 41))}


# ---------- the dwell report ----------


def test_a_good_report_is_parsed_and_zeroes_dropped() -> None:
    assert dwell_parse(b'{"title": 1200, "problem": 0}', keys={"title", "problem"}) == {"title": 1200}


@pytest.mark.parametrize(
    "body",
    [
        b'{"nope": 10}',
        b'{"title": 600001}',
        b'{"title": -1}',
        b'{"title": 1.5}',
        b'{"title": true}',
        b'{"title": "10"}',
        b'["title", 10]',
        b"not json",
        b"\xff\xfe",
        b'{"title": 400000, "problem": 400000}',
        b'{"title": 1' + b" " * 5000 + b"}",
    ],
)
def test_a_bad_report_is_refused(body: bytes) -> None:
    with pytest.raises(BadReport):
        dwell_parse(body, keys={"title", "problem"})


def test_the_report_limit_is_ten_minutes() -> None:
    assert MAX_REPORT_MS == 600_000
    assert dwell_parse(b'{"title": 600000}', keys={"title"}) == {"title": 600_000}


# ---------- analytics maths ----------


def test_slide_stats_total_average_and_visits_in_deck_order() -> None:
    slides = [("title", "Acme"), ("problem", "The problem"), ("ask", "The ask")]
    rows = [(1, "problem", 3000), (2, "problem", 1000), (1, "title", 1500), (2, "title", 0), (3, "gone", 700)]
    stats = slide_stats(slides, rows)
    assert [s.key for s in stats] == ["title", "problem", "ask", "gone"]
    title, problem, ask, gone = stats
    assert (title.total_seconds, title.average_seconds, title.visits) == (1.5, 1.5, 1)
    assert (problem.total_seconds, problem.average_seconds, problem.visits) == (4.0, 2.0, 2)
    assert (ask.total_seconds, ask.average_seconds, ask.visits) == (0.0, 0.0, 0)
    assert gone.title == "gone"
    assert not gone.in_deck
    assert gone.total_seconds == 0.7


def test_analytics_views_unique_viewers_and_last_view() -> None:
    t0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    visits = [(1, "alice", t0), (2, "alice", t0 + timedelta(hours=2)), (3, "bob", t0 + timedelta(hours=1))]
    result = analytics_of(slides=[("title", "Acme")], visits=visits, rows=[(1, "title", 2500), (3, "title", 500)])
    assert (result.views, result.unique_viewers) == (3, 2)
    assert result.last_viewed_at == t0 + timedelta(hours=2)
    assert result.total_seconds == 3.0
    assert result.slides[0].average_seconds == 1.5
    empty = analytics_of(slides=[("title", "Acme")], visits=[], rows=[])
    assert (empty.views, empty.unique_viewers, empty.last_viewed_at, empty.total_seconds) == (0, 0, None, 0)


# ---------- chart ----------


def _stats() -> list[SlideStat]:
    return [
        SlideStat("title", "Acme", 10.0, 5.0, 2),
        SlideStat("problem", "The problem", 5.0, 5.0, 1),
        SlideStat("ask", "The ask", 0.0, 0.0, 0),
    ]


def test_the_chart_has_a_bar_per_seen_slide_proportional_to_its_time() -> None:
    drawing = dwell_chart(_stats())
    bars = [s for s in drawing.shapes if getattr(s, "meta", ()) and dict(s.meta).get("slide")]
    assert [dict(b.meta)["slide"] for b in bars] == ["title", "problem"]
    assert bars[0].w == pytest.approx(2 * bars[1].w)  # type: ignore[union-attr]
    assert drawing.height > 3 * 20


def test_the_chart_svg_escapes_titles() -> None:
    stats = [SlideStat("problem", '<script>alert(1)</script>"><img src=x onerror=alert(1)>', 3.0, 3.0, 1)]
    svg = dwell_chart_svg(stats)
    assert "<script>" not in svg
    assert "<img" not in svg
    assert "&lt;script&gt;" in svg
    assert svg.startswith("<svg ")
    assert 'data-slide="problem"' in svg


def test_the_chart_of_nothing_seen_has_no_bars() -> None:
    drawing = dwell_chart([SlideStat("title", "Acme", 0.0, 0.0, 0)])
    assert not [s for s in drawing.shapes if dict(getattr(s, "meta", ())).get("slide")]


@pytest.mark.parametrize(("seconds", "text"), [(0, "0 s"), (12.5, "12.5 s"), (60, "1 min"), (75.4, "1 min 15 s")])
def test_seconds_text(seconds: float, text: str) -> None:
    assert seconds_text(seconds) == text


def test_the_narrow_chart_leaves_the_average_out() -> None:
    texts = [s.text for s in dwell_chart(_stats(), width=360, average=None).shapes if hasattr(s, "text")]
    assert "10 s" in texts
    assert not [t for t in texts if "avg" in t]
    wide = [s.text for s in dwell_chart(_stats(), average="avg").shapes if hasattr(s, "text")]
    assert "10 s · avg 5 s" in wide
