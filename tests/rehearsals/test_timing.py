"""Rehearsal timing maths: segment checks, per-slide sums, pace and the trend of long-running slides."""

import json
from typing import Any

import pytest

from pitchlab.rehearsals.timing import (
    MAX_MS,
    MAX_SEGMENTS,
    Pace,
    PlannedSlide,
    RehearsalPoint,
    Segment,
    SlideTiming,
    TimingError,
    pace_of,
    parse_segments,
    planned_slides,
    timing_report,
    trend,
)


def deck(*planned: tuple[str, int], notes: str = "") -> list[PlannedSlide]:
    return [
        PlannedSlide(key=key, number=n, kind=key, title=key.title(), planned=seconds, notes=notes)
        for n, (key, seconds) in enumerate(planned, start=1)
    ]


def seg(slide: str, start_s: float, end_s: float) -> Segment:
    return Segment(slide=slide, start_ms=round(start_s * 1000), end_ms=round(end_s * 1000))


def raw(*rows: tuple[Any, Any, Any]) -> list[dict[str, Any]]:
    return [{"slide": slide, "start_ms": start, "end_ms": end} for slide, start, end in rows]


SLIDES = deck(("title", 30), ("problem", 60), ("solution", 20))


def by_key(report: Any) -> dict[str, SlideTiming]:
    return {row.key: row for row in report.slides}


# --- sums, visits, pauses ---------------------------------------------------------------------------------------


def test_going_back_adds_the_revisit_to_the_slide_and_counts_one_move_back() -> None:
    # 1 -> 2 -> 1 -> 2 -> 3
    segments = [seg("title", 0, 10), seg("problem", 10, 40), seg("title", 40, 45), seg("problem", 45, 70)]
    segments.append(seg("solution", 70, 90))

    report = timing_report(SLIDES, segments, target=120, complete=True)
    rows = by_key(report)

    assert (rows["title"].actual, rows["title"].visits) == (15.0, 2)
    assert (rows["problem"].actual, rows["problem"].visits) == (55.0, 2)
    assert (rows["solution"].actual, rows["solution"].visits) == (20.0, 1)
    assert report.visits_back == 1
    assert (report.total, report.elapsed, report.paused) == (90.0, 90.0, 0.0)
    assert report.delta == -30.0
    assert report.planned == 110


def test_pause_gaps_are_left_out_of_the_totals_and_counted_as_paused() -> None:
    segments = [seg("title", 0, 10), seg("title", 15, 25), seg("problem", 25, 35), seg("problem", 40, 50.5)]

    report = timing_report(SLIDES, segments, target=60, complete=True)
    rows = by_key(report)

    assert rows["title"].actual == 20.0
    assert rows["problem"].actual == 20.5
    assert (report.total, report.elapsed, report.paused) == (40.5, 50.5, 10.0)


def test_segments_of_one_slide_separated_only_by_a_pause_are_one_visit() -> None:
    segments = [seg("title", 0, 10), seg("title", 12, 20), seg("title", 20, 21), seg("problem", 30, 40)]

    rows = by_key(timing_report(SLIDES, segments, target=60, complete=False))

    assert rows["title"].visits == 1
    assert rows["problem"].visits == 1


def test_elapsed_runs_from_the_first_start_not_from_zero() -> None:
    report = timing_report(SLIDES, [seg("title", 5, 10), seg("problem", 20, 30)], target=60, complete=True)

    assert (report.total, report.elapsed, report.paused) == (15.0, 25.0, 10.0)


def test_a_rehearsal_without_segments_skips_every_slide() -> None:
    report = timing_report(SLIDES, [], target=100, complete=False)

    assert (report.total, report.elapsed, report.paused, report.status) == (0.0, 0.0, 0.0, "under")
    assert report.skipped == ("title", "problem", "solution")
    assert report.visits_back == 0


# --- skipped slides ---------------------------------------------------------------------------------------------


def test_a_slide_never_shown_or_passed_through_is_skipped() -> None:
    slides = deck(("title", 30), ("problem", 60), ("solution", 20), ("team", 20), notes="word " * 40)
    segments = [seg("title", 0, 30), seg("solution", 30, 31.9), seg("team", 31.9, 33.9)]

    report = timing_report(slides, segments, target=120, complete=True)
    rows = by_key(report)

    assert (rows["problem"].status, rows["problem"].skip_reason, rows["problem"].visits) == ("skipped", "not shown", 0)
    assert (rows["solution"].status, rows["solution"].skip_reason, rows["solution"].actual) == (
        "skipped",
        "passed through",
        1.9,
    )
    assert (rows["team"].status, rows["team"].skip_reason) == ("under", "")  # 2.0 s exactly is shown
    assert rows["problem"].pace is None
    assert rows["solution"].pace is None
    assert report.skipped == ("problem", "solution")


# --- over / under / on time -------------------------------------------------------------------------------------


def slide_status(planned: int, actual_s: float) -> str:
    report = timing_report(deck(("problem", planned)), [seg("problem", 0, actual_s)], target=600, complete=True)
    return report.slides[0].status


@pytest.mark.parametrize(
    ("planned", "actual", "status"),
    [
        (60, 69.0, "on_time"),  # tolerance 15 % of 60 = 9 s
        (60, 69.1, "over"),
        (60, 51.0, "on_time"),
        (60, 50.9, "under"),
        (10, 13.0, "on_time"),  # 15 % is 1.5 s, so the 3 s floor applies
        (10, 13.1, "over"),
        (10, 7.0, "on_time"),
        (10, 6.9, "under"),
    ],
)
def test_slide_status_uses_the_larger_of_3_seconds_and_15_percent(planned: int, actual: float, status: str) -> None:
    assert slide_status(planned, actual) == status


@pytest.mark.parametrize(
    ("target", "total", "status"),
    [
        (300, 315.0, "on_time"),  # 5 % of 300 = 15 s
        (300, 315.1, "over"),
        (300, 285.0, "on_time"),
        (300, 284.9, "under"),
        (100, 110.0, "on_time"),  # 5 % is 5 s, so the 10 s floor applies
        (100, 110.1, "over"),
        (100, 89.9, "under"),
    ],
)
def test_rehearsal_status_uses_the_larger_of_10_seconds_and_5_percent(target: int, total: float, status: str) -> None:
    report = timing_report(SLIDES, [seg("title", 0, total)], target=target, complete=True)

    assert report.status == status
    assert report.delta == round(total - target, 1)


def test_slide_delta_is_actual_minus_planned() -> None:
    rows = by_key(timing_report(SLIDES, [seg("problem", 0, 72.5)], target=60, complete=True))

    assert (rows["problem"].delta, rows["problem"].status) == (12.5, "over")
    assert rows["title"].delta == -30.0


def must_pace(notes: str, seconds: float) -> Pace:
    pace = pace_of(notes, seconds)
    assert pace is not None
    return pace


# --- pace --------------------------------------------------------------------------------------------------------


def test_english_pace_in_words_per_minute() -> None:
    notes = " ".join(["word"] * 150)

    comfortable = pace_of(notes, 60)
    assert comfortable is not None
    assert (comfortable.lang, comfortable.unit, comfortable.units) == ("en", "words", 150)
    assert (comfortable.per_minute, comfortable.verdict, comfortable.low, comfortable.high) == (
        150.0,
        "comfortable",
        120,
        160,
    )
    assert comfortable.notes_seconds == 64  # 150 words at 140 wpm = 64.3 s
    assert must_pace(notes, 30).verdict == "fast"
    slow = pace_of(notes, 90)
    assert slow is not None
    assert (slow.per_minute, slow.verdict) == (100.0, "slow")


def test_pace_range_ends_are_comfortable() -> None:
    notes = " ".join(["word"] * 40)

    assert must_pace(notes, 20).verdict == "comfortable"  # 120 wpm
    assert must_pace(notes, 15).verdict == "comfortable"  # 160 wpm
    assert must_pace(notes, 14.9).verdict == "fast"  # 161.1 wpm


def test_chinese_pace_in_characters_per_minute() -> None:
    notes = "我们帮助小团队更快地完成代码审查。" * 14  # 16 Han characters a sentence: 224

    pace = pace_of(notes, 60)

    assert pace is not None
    assert (pace.lang, pace.unit, pace.units, pace.per_minute, pace.verdict) == (
        "zh",
        "characters",
        224,
        224.0,
        "comfortable",
    )
    assert (pace.low, pace.high, pace.notes_seconds) == (180, 240, 64)  # 224 at 210 a minute = 64.0 s
    assert must_pace(notes, 50).verdict == "fast"  # 268.8
    assert must_pace(notes, 80).verdict == "slow"  # 168


def test_mixed_notes_count_words_and_characters_and_pick_the_larger_language() -> None:
    zh_mostly = pace_of("我们用 AI 帮 SaaS 团队做代码审查和测试", 10)  # 14 Han + 2 Latin words
    en_mostly = pace_of("Our model 很快 reviews every pull request in seconds for small teams", 5)  # 11 words + 2 Han
    tie = pace_of("one two three four five 六七八九十", 5)

    assert zh_mostly is not None
    assert (zh_mostly.lang, zh_mostly.units, zh_mostly.per_minute) == ("zh", 16, 96.0)
    assert en_mostly is not None
    assert (en_mostly.lang, en_mostly.units, en_mostly.per_minute) == ("en", 13, 156.0)
    assert tie is not None
    assert tie.lang == "zh"


def test_contractions_hyphenated_words_and_numbers_are_one_word_each() -> None:
    pace = pace_of("Don't e-mail state-of-the-art 2024 we’re it's a b c d", 60)

    assert pace is not None
    assert pace.units == 10


def test_no_pace_for_short_notes_or_short_time() -> None:
    assert pace_of("one two three four five six seven eight nine", 60) is None
    assert pace_of(" ".join(["word"] * 50), 4.9) is None
    assert pace_of("", 60) is None


def test_a_slide_pace_uses_the_time_actually_spent() -> None:
    slides = deck(("problem", 60), notes=" ".join(["word"] * 100))

    rows = by_key(timing_report(slides, [seg("problem", 0, 30)], target=60, complete=True))

    pace = rows["problem"].pace
    assert pace is not None
    assert (pace.per_minute, pace.verdict, pace.notes_seconds) == (200.0, "fast", 43)


# --- segment checks ----------------------------------------------------------------------------------------------


def error_of(segments: Any) -> TimingError:
    with pytest.raises(TimingError) as caught:
        parse_segments(segments, SLIDES)
    return caught.value


def test_valid_segments_come_back_as_segments() -> None:
    parsed = parse_segments(raw(("title", 0, 1500), ("problem", 1500, 9000), ("title", 9500, 10_000)), SLIDES)

    assert parsed == [Segment("title", 0, 1500), Segment("problem", 1500, 9000), Segment("title", 9500, 10_000)]
    assert parse_segments([], SLIDES) == []


def test_extra_keys_in_a_segment_are_ignored() -> None:
    parsed = parse_segments([{"slide": "title", "start_ms": 0, "end_ms": 10, "note": "x"}], SLIDES)

    assert parsed == [Segment("title", 0, 10)]


@pytest.mark.parametrize(
    ("segments", "message", "index"),
    [
        (
            raw(("title", 0, 5000), ("problem", 5000, 15_500), ("solution", 12_000, 20_000)),
            "Segment 3 starts at 12.0 s, before segment 2 ends at 15.5 s.",
            3,
        ),
        (
            raw(("title", 0, 15_500), ("problem", 15_480, 20_000)),
            "Segment 2 starts at 15.480 s, before segment 1 ends at 15.500 s.",
            2,
        ),
        (
            raw(("title", 0, 1000), ("problem", 9500, 8000)),
            "Segment 2 ends before it starts (at 8.0 s, start 9.5 s).",
            2,
        ),
        (raw(("title", 4000, 4000)), "Segment 1 is empty (it starts and ends at 4.0 s).", 1),
        (raw(("title", -500, 1000)), "Segment 1 starts before the rehearsal did (at -0.5 s).", 1),
        (
            raw(("title", 0, 1000), ("problem", 1000, MAX_MS + 600_000)),
            "The rehearsal lasts 4 h 10 min; the limit is 4 hours.",
            2,
        ),
        (raw(("title", 0, MAX_MS + 500)), "The rehearsal lasts 4 h 0.5 s; the limit is 4 hours.", 1),
        (
            raw(("title", 0, 1000), ("problem", 1000, 2000), ("solution", 2000, 3000), ("pricing", 3000, 4000)),
            "Segment 4 names slide 'pricing', which is not in this deck.",
            4,
        ),
        (raw(("title", "0", 1000)), "Segment 1: start_ms must be a whole number of milliseconds.", 1),
        (raw(("title", 0, 1000.5)), "Segment 1: end_ms must be a whole number of milliseconds.", 1),
        (raw(("title", 0, 1000.0)), "Segment 1: end_ms must be a whole number of milliseconds.", 1),
        (raw(("title", False, 1000)), "Segment 1: start_ms must be a whole number of milliseconds.", 1),
        (raw(("title", 0, True)), "Segment 1: end_ms must be a whole number of milliseconds.", 1),
        (raw(("title", 0, None)), "Segment 1: end_ms must be a whole number of milliseconds.", 1),
        (raw((3, 0, 1000)), "Segment 1: slide must be a slide key (text).", 1),
        (raw(("", 0, 1000)), "Segment 1: slide must be a slide key (text).", 1),
        ([{"start_ms": 0, "end_ms": 1000}], "Segment 1: slide must be a slide key (text).", 1),
        (
            [*raw(("title", 0, 1000)), ["problem", 1000, 2000]],
            "Segment 2 is not an object with slide, start_ms and end_ms.",
            2,
        ),
        ({"slide": "title", "start_ms": 0, "end_ms": 1}, "Segments must be a list.", None),
        (None, "Segments must be a list.", None),
    ],
)
def test_bad_segments_are_refused_with_one_sentence(segments: Any, message: str, index: int | None) -> None:
    error = error_of(segments)

    assert error.message == message
    assert str(error) == message
    assert error.index == index


def test_too_many_segments_are_refused() -> None:
    many = raw(*[("title", 2 * i, 2 * i + 1) for i in range(MAX_SEGMENTS + 1)])

    assert error_of(many).message == "A rehearsal has at most 5000 segments; this one has 5001."
    assert len(parse_segments(many[:MAX_SEGMENTS], SLIDES)) == MAX_SEGMENTS


def test_a_rehearsal_may_last_exactly_four_hours_and_segments_may_touch() -> None:
    parsed = parse_segments(raw(("title", 0, 1000), ("problem", 1000, MAX_MS)), SLIDES)

    assert parsed[-1].end_ms == MAX_MS


def test_a_long_unknown_key_is_shortened_in_the_message() -> None:
    error = error_of(raw(("x" * 60, 0, 1000)))

    assert error.message == f"Segment 1 names slide '{'x' * 40}…', which is not in this deck."


def test_timing_error_is_a_value_error() -> None:
    assert issubclass(TimingError, ValueError)


# --- snapshot and JSON -------------------------------------------------------------------------------------------


def test_planned_slides_read_the_snapshot() -> None:
    snapshot = [
        {"key": "demo-7", "number": 2, "kind": "demo", "title": "Live demo", "planned": 90, "notes": "Show it."}
    ]

    assert planned_slides(snapshot) == [PlannedSlide("demo-7", 2, "demo", "Live demo", 90, "Show it.")]


def test_report_as_json_is_plain_json_with_floats_to_one_decimal() -> None:
    slides = deck(("title", 30), ("problem", 60), notes=" ".join(["word"] * 30))
    report = timing_report(slides, [seg("title", 0, 30.04), seg("problem", 30.04, 50.07)], target=60, complete=True)

    data = report.as_json()

    assert json.loads(json.dumps(data)) == data
    assert data["total"] == 50.1
    assert data["slides"][0]["actual"] == 30.0
    assert data["slides"][0]["delta"] == 0.0
    assert str(data["slides"][0]["delta"]) == "0.0"  # never -0.0
    assert data["slides"][1]["pace"] == {
        "lang": "en",
        "unit": "words",
        "units": 30,
        "per_minute": 90.0,
        "low": 120,
        "high": 160,
        "verdict": "slow",
        "notes_seconds": 13,
    }
    assert data["skipped"] == []
    assert data["complete"] is True


# --- trend -------------------------------------------------------------------------------------------------------


def timing(key: str, status: str, delta: float = 0.0, title: str = "") -> SlideTiming:
    return SlideTiming(
        key=key,
        number=1,
        kind=key,
        title=title or key.title(),
        planned=60,
        actual=60 + delta,
        visits=0 if status == "skipped" else 1,
        delta=delta,
        status=status,  # type: ignore[arg-type]
        skip_reason="not shown" if status == "skipped" else "",
        pace=None,
    )


def point(n: int, complete: bool, *slides: SlideTiming, total: float = 300.0) -> RehearsalPoint:
    return RehearsalPoint(
        id=n, started_at=f"2025-05-0{n}T10:00:00+00:00", complete=complete, total=total, target=300, slides=slides
    )


def test_long_runners_come_from_complete_rehearsals_only() -> None:
    points = [
        point(1, True, timing("problem", "over", 20), timing("demo", "over", 5), timing("team", "on_time")),
        point(2, True, timing("problem", "over", 10), timing("demo", "on_time"), timing("team", "over", 4)),
        point(3, False, timing("problem", "over", 100), timing("demo", "over", 50), timing("team", "over", 50)),
        point(4, True, timing("problem", "on_time"), timing("demo", "over", 7, "Demo v2"), timing("team", "skipped")),
    ]

    result = trend(points)

    assert [(r.key, r.title, r.times_over, r.times_shown, r.mean_over, r.last_over) for r in result.long_runners] == [
        ("problem", "Problem", 2, 3, 15.0, False),
        ("demo", "Demo v2", 2, 3, 6.0, True),
    ]  # team: over once in complete ones (its incomplete overrun does not count)


def test_a_long_runner_is_over_at_least_twice_and_in_at_least_half() -> None:
    two_of_four = [point(i, True, timing("market", "over" if i <= 2 else "on_time", 8)) for i in range(1, 5)]
    two_of_five = [point(i, True, timing("market", "over" if i <= 2 else "under", 8)) for i in range(1, 6)]
    once = [point(1, True, timing("market", "over", 8))]
    skipped_runs_do_not_count = [
        point(1, True, timing("market", "over", 8)),
        point(2, True, timing("market", "over", 8)),
        point(3, True, timing("market", "skipped", -60)),
        point(4, True, timing("market", "skipped", -60)),
        point(5, True, timing("market", "on_time")),
    ]

    assert [r.times_shown for r in trend(two_of_four).long_runners] == [4]
    assert trend(two_of_five).long_runners == ()
    assert trend(once).long_runners == ()
    assert [(r.times_over, r.times_shown) for r in trend(skipped_runs_do_not_count).long_runners] == [(2, 3)]


def test_long_runners_are_sorted_by_times_over_then_mean_over() -> None:
    points = [
        point(1, True, timing("a", "over", 5), timing("b", "over", 30), timing("c", "over", 4)),
        point(2, True, timing("a", "over", 5), timing("b", "over", 30), timing("c", "over", 4)),
        point(3, True, timing("a", "over", 5), timing("b", "on_time"), timing("c", "over", 40)),
    ]

    assert [r.key for r in trend(points).long_runners] == ["c", "a", "b"]  # c: 3 over, mean 16; a: 3, mean 5


def test_trend_points_include_incomplete_rehearsals_flagged() -> None:
    result = trend([point(1, True, total=312.04), point(2, False, total=80.0)])

    assert result.as_json() == {
        "points": [
            {"id": 1, "started_at": "2025-05-01T10:00:00+00:00", "total": 312.0, "target": 300, "complete": True},
            {"id": 2, "started_at": "2025-05-02T10:00:00+00:00", "total": 80.0, "target": 300, "complete": False},
        ],
        "long_runners": [],
    }


def test_trend_as_json_lists_long_runners_as_objects() -> None:
    points = [point(i, True, timing("problem", "over", 10 + i)) for i in range(1, 3)]

    assert trend(points).as_json()["long_runners"] == [
        {"key": "problem", "title": "Problem", "times_over": 2, "times_shown": 2, "mean_over": 11.5, "last_over": True}
    ]
