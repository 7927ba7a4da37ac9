"""A share link's analytics from plain rows (pure): views, unique viewers, last viewed, time per slide.

``slide_stats`` takes the deck's slides as (key, title) in their order and every (visit id, slide key, ms)
row of dwell time, and gives one line per slide: total seconds, the average over the visits that saw the
slide, and how many visits saw it. Slides the deck no longer has but that were seen keep their line, at the
end, named by their key, so time once spent never silently disappears.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class SlideStat:
    key: str
    title: str
    total_seconds: float
    average_seconds: float  # per visit that saw the slide
    visits: int  # visits that had the slide on screen for some time
    in_deck: bool = True


@dataclass(frozen=True)
class Analytics:
    views: int
    unique_viewers: int
    last_viewed_at: datetime | None
    slides: tuple[SlideStat, ...] = field(default=())

    @property
    def total_seconds(self) -> float:
        return sum(stat.total_seconds for stat in self.slides)


def _seconds(ms: int | float) -> float:
    return round(ms / 1000, 1)


def slide_stats(slides: Sequence[tuple[str, str]], rows: Iterable[tuple[int, str, int]]) -> tuple[SlideStat, ...]:
    """One ``SlideStat`` per slide of the deck (in order), then per slide seen that the deck no longer has.

    ``rows`` are (visit id, slide key, ms); a visit that reported 0 ms for a slide did not see it.
    """
    totals: dict[str, int] = {}
    seen_by: dict[str, set[int]] = {}
    for visit_id, key, ms in rows:
        if ms <= 0:
            continue
        totals[key] = totals.get(key, 0) + ms
        seen_by.setdefault(key, set()).add(visit_id)
    known = {key for key, _ in slides}
    ordered = [(key, title, True) for key, title in slides]
    ordered += [(key, key, False) for key in sorted(totals) if key not in known]
    stats = []
    for key, title, in_deck in ordered:
        total, visits = totals.get(key, 0), len(seen_by.get(key, ()))
        stats.append(
            SlideStat(
                key=key,
                title=title or key,
                total_seconds=_seconds(total),
                average_seconds=_seconds(total / visits) if visits else 0.0,
                visits=visits,
                in_deck=in_deck,
            )
        )
    return tuple(stats)


def analytics_of(
    *,
    slides: Sequence[tuple[str, str]],
    visits: Iterable[tuple[int, str, datetime]],
    rows: Iterable[tuple[int, str, int]],
) -> Analytics:
    """The whole panel: ``visits`` are (visit id, viewer hash, last seen), ``rows`` as in ``slide_stats``."""
    visit_list = list(visits)
    return Analytics(
        views=len(visit_list),
        unique_viewers=len({viewer for _, viewer, _ in visit_list}),
        last_viewed_at=max((seen for _, _, seen in visit_list), default=None),
        slides=slide_stats(slides, rows),
    )
