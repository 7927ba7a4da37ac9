"""The founder's rehearsal pages: the rehearsals list, a rehearsal's report and the Q&A drill render what there is
for the owner, answer 404 to anyone else and send visitors to log in; no inline script or style (a CSP is coming)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from pitchlab.rehearsals import selectors, services
from pitchlab.rehearsals.models import Rehearsal

pytestmark = pytest.mark.django_db


def seg(slide: str, start: float, end: float) -> dict[str, Any]:
    return {"slide": slide, "start_ms": int(start * 1000), "end_ms": int(end * 1000)}


# planned: title 10 s, problem 30 s, story 40 s, solution 20 s; target 180 s
RUN_LONG_PROBLEM = [seg("title", 0, 9), seg("problem", 9, 51), seg("story", 51, 92), seg("solution", 92, 113)]
RUN_SKIPPED_STORY = [seg("title", 0, 11), seg("problem", 11, 50), seg("story", 50, 51), seg("solution", 51, 70)]


def rehearse(pitch: Pitch, segments: list[dict[str, Any]], *, status: str = "complete", days_ago: int = 0) -> Rehearsal:
    rehearsal = services.rehearsal_create(pitch=pitch, status=status, segments=segments)
    Rehearsal.objects.filter(pk=rehearsal.pk).update(started_at=timezone.now() - timedelta(days=days_ago))
    rehearsal.refresh_from_db()
    return rehearsal


@pytest.fixture
def web(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def page(client: Client, url: str, *, lang: str = "en") -> str:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def json_script(html: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found[1])


def assert_no_inline_code(html: str) -> None:
    """No style attribute and no inline script but JSON data (the coming CSP forbids both)."""
    assert not re.search(r"\sstyle\s*=", html)
    for attrs in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs


def slide_rows(html: str) -> dict[str, dict[str, str]]:
    rows = {}
    for tag in re.findall(r"<tr data-slide-row=[^>]*>", html):
        attrs = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', tag))
        rows[attrs["data-slide-row"]] = attrs
    return rows


# ---------- the rehearsals list ----------


def test_the_list_shows_each_rehearsal_the_trend_and_the_slides_that_run_long(web: Client, pitch: Pitch) -> None:
    first = rehearse(pitch, RUN_LONG_PROBLEM, days_ago=3)
    cut = rehearse(pitch, RUN_LONG_PROBLEM[:2], status="incomplete", days_ago=2)
    last = rehearse(pitch, RUN_LONG_PROBLEM, days_ago=1)
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/")
    for rehearsal in (first, cut, last):
        assert f'data-rehearsal="{rehearsal.pk}"' in html
        assert f'data-discard="/api/rehearsals/{rehearsal.pk}/"' in html
        assert f'href="/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/"' in html
    assert html.count('class="rh-badge complete"') == 2
    assert html.count('class="rh-badge incomplete"') == 1
    # the trend: three points, the cut-off one hollow
    assert 'data-kind="rehearsal-trend"' in html
    assert html.count('data-role="point"') == 2 * 3  # the wide chart and the phone's
    assert f'data-id="{cut.pk}" data-number="2"' in html
    assert 'data-complete="false"' in html
    # "problem" ran 42 s of its 30 s in both complete rehearsals
    assert 'data-long-runner="problem"' in html
    assert "over in 2 of 2 rehearsals" in html
    assert f'href="/pitches/{pitch.pk}/present/"' in html
    assert 'id="rh-empty" hidden' in html
    assert_no_inline_code(html)


def test_the_list_without_rehearsals_explains_how_to_rehearse(web: Client, pitch: Pitch) -> None:
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/")
    assert 'id="rh-list-page" hidden' in html
    assert "No rehearsal yet" in html
    assert "Start rehearsal" in html
    assert f'href="/pitches/{pitch.pk}/present/"' in html
    assert_no_inline_code(html)


def test_the_list_speaks_chinese_when_the_page_does(web: Client, pitch: Pitch) -> None:
    rehearse(pitch, RUN_LONG_PROBLEM)
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/", lang="zh-hans")
    assert "排练记录" in html
    assert "全部排练" in html


# ---------- a rehearsal's report ----------


def test_the_report_shows_every_slide_against_its_plan(web: Client, pitch: Pitch) -> None:
    rehearsal = rehearse(pitch, RUN_SKIPPED_STORY)
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    rows = slide_rows(html)
    assert list(rows) == ["title", "problem", "story", "solution"]
    assert rows["title"]["data-actual"] == "11.0"
    assert rows["problem"]["data-status"] == "over"  # 39 s of 30 s
    assert rows["story"]["data-status"] == "skipped"  # 1 s: passed through
    assert rows["solution"]["data-status"] == "on_time"
    assert 'data-skipped-slide="story"' in html
    assert "passed through" in html
    # 70 s of a 180 s target: under, in big figures
    assert 'data-total="70.0" data-target="180" data-status="under"' in html
    assert "110 s under the target" in html
    assert "Incomplete" not in html
    assert f'data-discard="/api/rehearsals/{rehearsal.pk}/" data-after="/pitches/{pitch.pk}/rehearsals/"' in html
    state = json_script(html, "report-state")
    assert state["rehearsalUrl"] == f"/api/rehearsals/{rehearsal.pk}/"
    assert "Nothing leaves the machine" in html
    assert_no_inline_code(html)


def test_an_incomplete_report_says_it_is_not_counted(web: Client, pitch: Pitch) -> None:
    rehearsal = rehearse(pitch, RUN_LONG_PROBLEM[:2], status="incomplete")
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    assert "data-incomplete" in html
    assert "the rehearsal was cut off; not counted in trends" in html
    assert "Not compared with the target" in html
    assert "under the target" not in html
    assert slide_rows(html)["story"]["data-status"] == "skipped"


def test_the_report_gives_the_pace_of_the_notes_or_says_why_not(web: Client, pitch: Pitch) -> None:
    rehearsal = rehearse(pitch, RUN_LONG_PROBLEM)
    report = selectors.rehearsal_report(rehearsal=rehearsal)["timing"]
    assert any(slide["pace"] for slide in report["slides"])
    assert any(slide["pace"] is None for slide in report["slides"])
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    for slide in report["slides"]:
        row = html.split(f'data-slide-row="{slide["key"]}"', 1)[1].split("</tr>", 1)[0]
        pace = slide["pace"]
        if pace is None:
            assert 'data-pace="none"' in row
            assert "—" in row
        else:
            unit = "wpm" if pace["unit"] == "words" else "characters/min"
            assert f"{round(pace['per_minute'])} {unit} — {pace['verdict']}" in row
            assert f"({pace['low']}–{pace['high']})" in row


def test_the_pace_of_chinese_notes_is_in_characters_per_minute(web: Client, pitch: Pitch) -> None:
    rehearsal = rehearse(pitch, RUN_LONG_PROBLEM)
    slides = rehearsal.slides
    slides[2]["notes"] = (
        "我们在一家两百人的软件公司做过三年客服，亲手整理了四千张工单，发现一半的问题其实是同样的十个问题。"
    )
    Rehearsal.objects.filter(pk=rehearsal.pk).update(slides=slides)
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    row = html.split('data-slide-row="story"', 1)[1].split("</tr>", 1)[0]
    assert "characters/min" in row
    assert "(180–240 for Chinese)" in row
    zh = page(web, f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/", lang="zh-hans")
    assert "字/分钟" in zh.split('data-slide-row="story"', 1)[1].split("</tr>", 1)[0]


def test_the_transcript_and_its_analysis_are_shown_escaped(web: Client, pitch: Pitch) -> None:
    said = "Um, so we, um, basically route tickets. <script>alert(1)</script> Basically, um, we route tickets fast."
    rehearsal = rehearse(pitch, RUN_LONG_PROBLEM)
    services.rehearsal_update(rehearsal=rehearsal, transcript=said)
    html = page(web, f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    analysis = selectors.rehearsal_report(rehearsal=Rehearsal.objects.get(pk=rehearsal.pk))["transcript"]
    assert analysis is not None
    assert "data-fillers-per-minute" in html
    for filler in analysis["fillers"]:
        assert f'data-filler="{filler["phrase"]}"' in html
        assert f"×{filler['count']}" in html
    assert_no_inline_code(html)


def test_a_rehearsal_of_another_pitch_is_404_under_this_one(web: Client, owner: User, pitch: Pitch) -> None:
    other = pitch_create(owner=owner, name="Second pitch")
    rehearsal = rehearse(pitch, RUN_LONG_PROBLEM)
    assert web.get(f"/pitches/{other.pk}/rehearsals/{rehearsal.pk}/").status_code == 404
    assert web.get(f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk + 1000}/").status_code == 404


# ---------- the drill ----------


def test_the_drill_page_carries_its_urls_and_the_history(web: Client, pitch: Pitch) -> None:
    questions = selectors.drill_questions(pitch=pitch, source="all")
    generated = next(q for q in questions if q.source == "generated" and q.path)
    note = "Lead with the 4,000 tickets."
    owner = pitch.owner
    services.drill_answer_create(pitch=pitch, user=owner, question_key=generated.key, rating=2, better_answer=note)
    services.drill_answer_create(pitch=pitch, user=owner, question_key=generated.key, rating=1)
    html = page(web, f"/pitches/{pitch.pk}/drill/")
    state = json_script(html, "drill-state")
    assert state["questionsUrl"] == f"/api/pitches/{pitch.pk}/drill/questions/"
    assert state["answersUrl"] == f"/api/pitches/{pitch.pk}/drill/answers/"
    assert state["answerSeconds"] == 60
    assert 'name="source" value="generated"' in html
    assert 'name="source" value="bank"' in html
    assert html.count('data-rate="') == 5
    # the history: the category is weak, the question never answered well, with its note and its field
    assert f'data-category="{generated.category}" data-weak' in html
    assert f'data-never-well="{generated.key}"' in html
    assert note in html
    assert f'href="/pitches/{pitch.pk}/#unit-{generated.path}"' in html
    assert_no_inline_code(html)


def test_the_drill_without_answers_says_what_the_history_will_hold(web: Client, pitch: Pitch) -> None:
    html = page(web, f"/pitches/{pitch.pk}/drill/")
    assert "data-history-empty" in html
    zh = page(web, f"/pitches/{pitch.pk}/drill/", lang="zh-hans")
    assert "投资人问答演练" in zh
    assert 'name="lang" value="zh" checked' in zh


# ---------- who may see them ----------


@pytest.fixture
def urls(pitch: Pitch) -> list[str]:
    rehearsal = rehearse(pitch, RUN_LONG_PROBLEM)
    return [
        f"/pitches/{pitch.pk}/rehearsals/",
        f"/pitches/{pitch.pk}/rehearsals/{rehearsal.pk}/",
        f"/pitches/{pitch.pk}/drill/",
    ]


def test_another_founder_gets_404(urls: list[str], make_user: Callable[..., User]) -> None:
    client = Client()
    client.force_login(make_user("stranger"))
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_a_visitor_is_sent_to_log_in(urls: list[str]) -> None:
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_the_editor_links_to_presenting_rehearsals_and_the_drill(web: Client, pitch: Pitch) -> None:
    html = page(web, f"/pitches/{pitch.pk}/")
    assert f'href="/pitches/{pitch.pk}/present/"' in html
    assert f'href="/pitches/{pitch.pk}/rehearsals/"' in html
    assert f'href="/pitches/{pitch.pk}/drill/"' in html
