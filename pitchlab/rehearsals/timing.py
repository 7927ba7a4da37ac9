"""Timing maths of a rehearsal: checked segments in, a per-slide report and a trend out.

Pure Python (standard library only): no Django, no database, so the API, a page and a test all get the same numbers.

A rehearsal records SEGMENTS of active (unpaused) time on one slide, in milliseconds since it started. Going
back to a slide starts a new segment for it, so its time adds up; a pause ends the current segment and the gap
before the next one is paused time. ``parse_segments`` checks segments sent by a browser and explains the first
problem in one sentence (``TimingError``); ``timing_report`` sums them per slide against the planned seconds;
``trend`` compares rehearsals and names the slides that keep running long.

Speaking pace. ``PACE_RANGES`` holds a comfortable presenting pace: 120–160 words per minute in English and
180–240 characters per minute in Chinese. These are the figures commonly given in public-speaking guidance
(presentation coaches and speech-training material usually quote 120–160 wpm for English, and about 3–4 Han
characters a second for Mandarin); they are a guideline for reading the notes aloud, not a measured norm.
A slide's pace is its notes' length over the time the speaker actually spent on it: the pace they would need
to say all the notes in that time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal, TypeAlias

MAX_MS = 4 * 3600 * 1000
MAX_SEGMENTS = 5000
SKIP_SECONDS = 2.0
"""A slide shown for less than this in all was skipped ("passed through")."""
PACE_RANGES: dict[str, tuple[int, int]] = {"en": (120, 160), "zh": (180, 240)}
"""Comfortable pace: English words / Chinese characters per minute (a guideline, see the module docstring)."""
MIN_PACE_UNITS = 10
MIN_PACE_SECONDS = 5.0

Status: TypeAlias = Literal["over", "under", "on_time"]
SlideStatus: TypeAlias = Literal["over", "under", "on_time", "skipped"]

_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-][A-Za-z0-9]+)*")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class TimingError(ValueError):
    """Segments that break a rule; ``message`` is one sentence for the presenter, ``index`` the 1-based segment."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


@dataclass(frozen=True)
class PlannedSlide:
    """One slide of the snapshot taken when the rehearsal started."""

    key: str
    number: int
    kind: str
    title: str
    planned: int
    notes: str


@dataclass(frozen=True)
class Segment:
    """Active time on one slide, in ms since the rehearsal started."""

    slide: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Pace:
    """How fast the notes would have to be said in the time taken."""

    lang: Literal["en", "zh"]
    unit: Literal["words", "characters"]
    units: int
    per_minute: float
    low: int
    high: int
    verdict: Literal["slow", "comfortable", "fast"]
    notes_seconds: int


@dataclass(frozen=True)
class SlideTiming:
    """One slide's time against its plan; ``delta`` is actual - planned, in seconds."""

    key: str
    number: int
    kind: str
    title: str
    planned: int
    actual: float
    visits: int
    delta: float
    status: SlideStatus
    skip_reason: Literal["", "not shown", "passed through"]
    pace: Pace | None


@dataclass(frozen=True)
class Report:
    """The timing of one rehearsal; see ``timing_report``."""

    complete: bool
    total: float
    target: int
    planned: int
    elapsed: float
    paused: float
    delta: float
    status: Status
    slides: tuple[SlideTiming, ...]
    skipped: tuple[str, ...]
    visits_back: int

    def as_json(self) -> dict[str, Any]:
        """The report as plain JSON values, floats rounded to 1 decimal."""
        plain: dict[str, Any] = _plain(self)
        return plain


@dataclass(frozen=True)
class RehearsalPoint:
    """One rehearsal as the trend sees it: oldest first, with its report's slides."""

    id: int
    started_at: str
    complete: bool
    total: float
    target: int
    slides: Sequence[SlideTiming]


@dataclass(frozen=True)
class LongRunner:
    """A slide that keeps running over its planned time; see ``trend``."""

    key: str
    title: str
    times_over: int
    times_shown: int
    mean_over: float
    last_over: bool


@dataclass(frozen=True)
class Trend:
    """Totals of rehearsals, oldest first, and the slides that keep running long."""

    points: tuple[dict[str, Any], ...]
    long_runners: tuple[LongRunner, ...]

    def as_json(self) -> dict[str, Any]:
        """The trend as plain JSON values, floats rounded to 1 decimal."""
        plain: dict[str, Any] = _plain(self)
        return plain


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return _r(value) if isinstance(value, float) else value


def _r(value: float) -> float:
    return round(value, 1) + 0.0  # + 0.0 turns -0.0 into 0.0


def word_counts(text: str) -> tuple[int, int]:
    """Latin words and Han characters in ``text`` ("don't", "e-mail" and "2024" are one word each)."""
    return len(_LATIN_WORD.findall(text)), len(_HAN.findall(text))


def planned_slides(raw: Any) -> list[PlannedSlide]:
    """The snapshot JSON (made by the server, so trusted) as ``PlannedSlide`` rows."""
    return [
        PlannedSlide(
            key=str(row["key"]),
            number=int(row["number"]),
            kind=str(row.get("kind", "")),
            title=str(row.get("title", "")),
            planned=int(row.get("planned", 0)),
            notes=str(row.get("notes", "")),
        )
        for row in raw
    ]


def _secs(ms: int, places: int = 1) -> str:
    return f"{ms / 1000:.{places}f} s"


def _duration(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds = f"{rest / 1000:.3f}".rstrip("0").rstrip(".")
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "", f"{seconds} s" if rest else ""]
    return " ".join(p for p in parts if p) or "0 s"


def _whole_ms(item: dict[str, Any], name: str, n: int) -> int:
    value = item.get(name)
    # bool is a subclass of int: true/false must not pass for 1/0 ms.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TimingError(f"Segment {n}: {name} must be a whole number of milliseconds.", n)
    return value


def parse_segments(raw: Any, slides: Sequence[PlannedSlide]) -> list[Segment]:
    """Check segments sent by a browser against the snapshot and return them.

    Rules: a list of at most MAX_SEGMENTS objects ``{"slide", "start_ms", "end_ms"}`` (other keys are ignored);
    ms are ints (not bools); 0 <= start_ms < end_ms; each starts at or after the previous one ended; the last
    ends by MAX_MS; every slide is a key of the snapshot. Raises ``TimingError`` naming the first problem.
    """
    if not isinstance(raw, list):
        raise TimingError("Segments must be a list.")
    if len(raw) > MAX_SEGMENTS:
        raise TimingError(f"A rehearsal has at most {MAX_SEGMENTS} segments; this one has {len(raw)}.")
    keys = {slide.key for slide in slides}
    segments: list[Segment] = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise TimingError(f"Segment {n} is not an object with slide, start_ms and end_ms.", n)
        slide = item.get("slide")
        if not isinstance(slide, str) or not slide:
            raise TimingError(f"Segment {n}: slide must be a slide key (text).", n)
        start, end = _whole_ms(item, "start_ms", n), _whole_ms(item, "end_ms", n)
        if start < 0:
            raise TimingError(f"Segment {n} starts before the rehearsal did (at {_secs(start)}).", n)
        if end < start:
            raise TimingError(f"Segment {n} ends before it starts (at {_secs(end)}, start {_secs(start)}).", n)
        if end == start:
            raise TimingError(f"Segment {n} is empty (it starts and ends at {_secs(start)}).", n)
        if end > MAX_MS:
            raise TimingError(f"The rehearsal lasts {_duration(end)}; the limit is {MAX_MS // 3_600_000} hours.", n)
        if segments and start < segments[-1].end_ms:
            before = segments[-1].end_ms
            # 1 decimal could print the same time twice for an overlap of a few ms; show ms then.
            places = 1 if _secs(start) != _secs(before) else 3
            at, ends = _secs(start, places), _secs(before, places)
            raise TimingError(f"Segment {n} starts at {at}, before segment {n - 1} ends at {ends}.", n)
        if slide not in keys:
            shown = slide if len(slide) <= 40 else slide[:40] + "…"
            raise TimingError(f"Segment {n} names slide '{shown}', which is not in this deck.", n)
        segments.append(Segment(slide=slide, start_ms=start, end_ms=end))
    return segments


def pace_of(notes: str, seconds: float) -> Pace | None:
    """The pace needed to say ``notes`` in ``seconds``; None when the notes are too short (< 10 words or
    characters) or the time too short (< 5 s) to say anything useful.

    Chinese when the notes hold at least as many Han characters as Latin words; both count as units either way
    (Chinese notes often name products in Latin letters).
    """
    latin, han = word_counts(notes)
    units = latin + han
    if units < MIN_PACE_UNITS or seconds < MIN_PACE_SECONDS:
        return None
    lang: Literal["en", "zh"] = "zh" if han >= latin else "en"
    low, high = PACE_RANGES[lang]
    per_minute = _r(units / (seconds / 60))
    verdict: Literal["slow", "comfortable", "fast"] = (
        "slow" if per_minute < low else "fast" if per_minute > high else "comfortable"
    )
    return Pace(
        lang=lang,
        unit="characters" if lang == "zh" else "words",
        units=units,
        per_minute=per_minute,
        low=low,
        high=high,
        verdict=verdict,
        notes_seconds=round(units / ((low + high) / 2) * 60),
    )


def _status(actual: float, planned: float, tolerance: float) -> Status:
    if actual > planned + tolerance:
        return "over"
    if actual < planned - tolerance:
        return "under"
    return "on_time"


def timing_report(
    slides: Sequence[PlannedSlide], segments: Sequence[Segment], *, target: int, complete: bool
) -> Report:
    """Sum checked segments per slide and compare them with the plan.

    A slide's time is all its segments together; ``visits`` counts the segments that start a visit (a segment
    following one of the same slide, i.e. after a pause, continues the visit). A slide with no segment is
    skipped ("not shown"), one with less than SKIP_SECONDS in all "passed through". A slide is over or under
    when it misses its plan by more than max(3 s, 15 % of planned); the whole talk by more than max(10 s, 5 % of
    target). Comparisons use the rounded (1 decimal) seconds the report shows, so the numbers and the verdict
    always agree.
    """
    ordered = sorted(slides, key=lambda s: s.number)
    numbers = {s.key: s.number for s in ordered}
    spent_ms = dict.fromkeys(numbers, 0)
    visits = dict.fromkeys(numbers, 0)
    visits_back = 0
    previous: Segment | None = None
    for segment in segments:
        if segment.slide in spent_ms:
            spent_ms[segment.slide] += segment.end_ms - segment.start_ms
        if previous is None or previous.slide != segment.slide:
            visits[segment.slide] = visits.get(segment.slide, 0) + 1
            if previous is not None and numbers.get(segment.slide, 0) < numbers.get(previous.slide, 0):
                visits_back += 1
        previous = segment

    rows: list[SlideTiming] = []
    for slide in ordered:
        actual = _r(spent_ms[slide.key] / 1000)
        skip_reason: Literal["", "not shown", "passed through"] = (
            "not shown" if not visits[slide.key] else "passed through" if actual < SKIP_SECONDS else ""
        )
        status: SlideStatus = (
            "skipped" if skip_reason else _status(actual, slide.planned, max(3.0, 0.15 * slide.planned))
        )
        rows.append(
            SlideTiming(
                key=slide.key,
                number=slide.number,
                kind=slide.kind,
                title=slide.title,
                planned=slide.planned,
                actual=actual,
                visits=visits[slide.key],
                delta=_r(actual - slide.planned),
                status=status,
                skip_reason=skip_reason,
                pace=None if skip_reason else pace_of(slide.notes, actual),
            )
        )

    total = _r(sum(s.end_ms - s.start_ms for s in segments) / 1000)
    elapsed = _r((segments[-1].end_ms - segments[0].start_ms) / 1000) if segments else 0.0
    return Report(
        complete=complete,
        total=total,
        target=target,
        planned=sum(s.planned for s in ordered),
        elapsed=elapsed,
        paused=_r(elapsed - total),
        delta=_r(total - target),
        status=_status(total, target, max(10.0, 0.05 * target)),
        slides=tuple(rows),
        skipped=tuple(row.key for row in rows if row.status == "skipped"),
        visits_back=visits_back,
    )


def trend(points: Sequence[RehearsalPoint]) -> Trend:
    """Totals of every rehearsal (oldest first) and the slides that keep running long.

    A long runner was over in at least 2 complete rehearsals and in at least half of the complete ones that
    showed it (incomplete rehearsals are plotted but never counted). ``title`` is its latest title;
    ``last_over`` says whether it was over the last time a complete rehearsal showed it. Sorted by times over,
    then by mean seconds over.
    """
    shown: dict[str, list[SlideTiming]] = {}
    titles: dict[str, str] = {}
    for point in points:
        if not point.complete:
            continue
        for slide in point.slides:
            titles[slide.key] = slide.title
            if slide.status != "skipped":
                shown.setdefault(slide.key, []).append(slide)
    runners: list[LongRunner] = []
    for key, runs in shown.items():
        overs = [run.delta for run in runs if run.status == "over"]
        if len(overs) >= 2 and 2 * len(overs) >= len(runs):
            runners.append(
                LongRunner(
                    key=key,
                    title=titles[key],
                    times_over=len(overs),
                    times_shown=len(runs),
                    mean_over=_r(sum(overs) / len(overs)),
                    last_over=runs[-1].status == "over",
                )
            )
    runners.sort(key=lambda r: (-r.times_over, -r.mean_over, r.key))
    return Trend(
        points=tuple(
            {"id": p.id, "started_at": p.started_at, "total": _r(p.total), "target": p.target, "complete": p.complete}
            for p in points
        ),
        long_runners=tuple(runners),
    )
