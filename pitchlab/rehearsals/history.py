"""A founder's drill history (pure): self-rated answers summed up per category, and the questions never answered
well. The questions themselves come from ``drill.py``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from pitchlab.rehearsals.drill import CATEGORIES

__all__ = ["AnswerRow", "CategoryStats", "History", "WeakQuestion", "drill_history"]


@dataclass(frozen=True)
class AnswerRow:
    """One self-rated answer (1-5) to a question; ``text`` and ``path`` are the question's at the time."""

    question_key: str
    category: str
    rating: int
    created_at: str  # ISO 8601
    text: str = ""
    path: str = ""
    better_answer: str = ""


@dataclass(frozen=True)
class CategoryStats:
    """Answers in one category. ``weak``: at least two answers averaging below 3, or the latest one rated <= 2."""

    category: str
    answered: int  # answers given (every attempt counts)
    questions: int  # distinct questions answered
    mean_rating: float | None  # 1 dp; None when nothing was answered
    last_rating: int | None
    weak: bool


@dataclass(frozen=True)
class WeakQuestion:
    """A question answered at least once and never rated 4 or more."""

    key: str
    text: str  # as last asked
    category: str
    path: str
    attempts: int
    best: int
    last_rating: int
    last_better_answer: str  # the most recent non-empty one
    last_at: str


@dataclass(frozen=True)
class History:
    """A drill's history: per category (all of ``CATEGORIES``, in order) and the questions never answered well."""

    categories: tuple[CategoryStats, ...]
    never_well: tuple[WeakQuestion, ...]  # best rating asc, then attempts desc
    answered_total: int  # distinct questions answered
    well_total: int  # distinct questions with a best rating of 4 or 5
    answers_total: int

    def as_json(self) -> dict[str, Any]:
        """Plain JSON: lists of dicts for the categories and the weak questions."""
        return {
            "categories": [asdict(c) for c in self.categories],
            "never_well": [asdict(q) for q in self.never_well],
            "answered_total": self.answered_total,
            "well_total": self.well_total,
            "answers_total": self.answers_total,
        }


def drill_history(answers: Sequence[AnswerRow]) -> History:
    """Sum up ``answers`` (any order; sorted here by ``created_at``, ties keep their order).

    A category is weak when it has at least two answers whose mean rating (unrounded) is below 3.0, or when
    its latest answer is rated 2 or lower: one bad answer is worth practising before it becomes a habit.
    Answers in a category outside ``CATEGORIES`` count in the totals and ``never_well`` only.
    Raises ``ValueError`` for a rating that is not a whole number from 1 to 5.
    """
    for number, answer in enumerate(answers, start=1):
        if isinstance(answer.rating, bool) or not isinstance(answer.rating, int) or not 1 <= answer.rating <= 5:
            raise ValueError(f"Answer {number} ({answer.question_key}): a rating is 1 to 5, not {answer.rating!r}.")
    ordered = sorted(answers, key=lambda a: _moment(a.created_at))
    by_question: dict[str, list[AnswerRow]] = {}
    for answer in ordered:
        by_question.setdefault(answer.question_key, []).append(answer)

    categories: list[CategoryStats] = []
    for category in CATEGORIES:
        ratings = [a.rating for a in ordered if a.category == category]
        mean = sum(ratings) / len(ratings) if ratings else None
        latest = ratings[-1] if ratings else None
        weak = (mean is not None and len(ratings) >= 2 and mean < 3.0) or (latest is not None and latest <= 2)
        questions = len({a.question_key for a in ordered if a.category == category})
        categories.append(
            CategoryStats(category, len(ratings), questions, None if mean is None else round(mean, 1), latest, weak)
        )

    never_well: list[WeakQuestion] = []
    for key, tries in by_question.items():
        best, last = max(a.rating for a in tries), tries[-1]
        if best >= 4:
            continue
        # The latest note the founder wrote, even if the very last attempt came without one.
        better = next((a.better_answer for a in reversed(tries) if a.better_answer.strip()), "")
        never_well.append(
            WeakQuestion(
                key, last.text, last.category, last.path, len(tries), best, last.rating, better, last.created_at
            )
        )
    never_well.sort(key=lambda q: (q.best, -q.attempts, q.key))
    return History(
        categories=tuple(categories),
        never_well=tuple(never_well),
        answered_total=len(by_question),
        well_total=len(by_question) - len(never_well),
        answers_total=len(ordered),
    )


def _moment(value: str) -> tuple[int, float, str]:
    """A sort key for an ISO timestamp: parsed when possible (naive counts as UTC), else the raw text, last."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return (1, 0.0, str(value))
    return (0, (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp(), "")
