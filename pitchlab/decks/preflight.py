"""The pre-flight: what an investor would hold against the pitch, checked before an export or a share link.

``preflight_items`` is pure: it takes the checker's findings and the built deck and keeps what matters to an
investor (``PREFLIGHT_CODES``): hype and absolute wording, claims without figures, high risks without a
mitigation, small-sample or overlapping measurements, sample models' results shown as the company's, and
slides that would show nothing. ``pitch_preflight`` is its thin selector; ``preflight_require`` is the gate
the export and share endpoints call: with open items and no acknowledgement it raises ``PreflightOpen`` (409)
carrying the same list.

An acknowledgement is either an explicit "anyway" or the ``fingerprint`` of the list the founder saw: a
fingerprint of an older list (a new finding appeared since) does not let the request through.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pitchlab.checklists.selectors import business_titles
from pitchlab.core.exceptions import ApplicationError
from pitchlab.decks.slides import Block, Deck, Slide
from pitchlab.pitches.canvas import CUSTOM_SLIDE
from pitchlab.pitches.checks import Finding, check_canvas
from pitchlab.pitches.models import Pitch

# By code, so the checker's newer rules (small_sample, eval_overlap, sample_model_result) count as they land.
PREFLIGHT_CODES = (
    "hype",
    "absolute",
    "unbacked_growth",
    "unbacked_accuracy",
    "unmitigated_risk",
    "small_sample",
    "no_unit",
    "eval_overlap",
    "sample_model_result",
    "empty_slide",
)

# The canvas unit a slide's content comes from: where "fix" sends the founder for an empty slide.
SLIDE_SOURCES = {
    "title": "story.purpose",
    "problem": "story.customer_pain",
    "story": "story.origin",
    "solution": "story.climax",
    "demo": "demo.script",
    "traction": "data.traction",
    "market": "data.market",
    "competition": "data.competitors",
    "performance": "data.experiments",
    "business": "business",
    "team": "team",
    "risks": "risks",
    "roadmap": "ask.milestones",
    "ask": "ask.amount",
}


@dataclass(frozen=True)
class PreflightItem:
    """One open finding as the founder sees it before something leaves: ``path`` is the canvas unit to fix."""

    code: str
    severity: str
    message: str
    excerpt: str
    path: str
    slide: str
    fix_url: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Preflight:
    items: tuple[PreflightItem, ...]
    fingerprint: str

    def as_json(self) -> dict[str, Any]:
        return {"findings": [item.as_json() for item in self.items], "fingerprint": self.fingerprint}


def _block_empty(block: Block) -> bool:
    if block.kind in ("chart", "live_demo"):
        return not block.chart and block.demo is None
    return (
        not block.text.strip()
        and not any(item.strip() for item in block.items)
        and not any(cell.strip() for row in block.rows for cell in row)
        and not block.pictures
        and not any(p.photo or (p.name + p.role + p.bio).strip() for p in block.people)
    )


def empty_slides(deck: Deck) -> list[Slide]:
    """The deck's slides whose every block is empty (a table of blank rows, a text of spaces); a custom slide
    with a title of the founder's and nothing else is a section divider, not empty."""
    return [
        slide
        for slide in deck.slides
        if all(_block_empty(block) for block in slide.blocks) and not _titled_custom(slide)
    ]


def _titled_custom(slide: Slide) -> bool:
    title = slide.source("title")
    return slide.kind == CUSTOM_SLIDE and title is not None and not title.generated


def preflight_items(
    findings: Sequence[Finding], deck: Deck, *, lang: str, fix_url: Callable[[str], str]
) -> list[PreflightItem]:
    """The findings that matter to an investor, then the empty slides, each with its message in ``lang``."""
    zh = lang == "zh"
    items = [
        PreflightItem(
            code=finding.code,
            severity=finding.severity,
            message=finding.message_zh if zh else finding.message_en,
            excerpt=finding.excerpt,
            path=finding.path,
            slide="",
            fix_url=fix_url(finding.path),
        )
        for finding in findings
        if finding.code in PREFLIGHT_CODES
    ]
    for slide in empty_slides(deck):
        path = SLIDE_SOURCES.get(slide.kind, "deck.slides")
        title = slide.title or slide.kind
        items.append(
            PreflightItem(
                code="empty_slide",
                severity="warning",
                message=f"幻灯片“{title}”没有任何内容。" if zh else f'The slide "{title}" shows nothing.',
                excerpt=title,
                path=path,
                slide=slide.key,
                fix_url=fix_url(path),
            )
        )
    return items


def preflight_fingerprint(items: Sequence[PreflightItem]) -> str:
    """A short digest of the list, the same in either language: what the founder acknowledges having seen."""
    keys = sorted(f"{item.code}\x1f{item.path}\x1f{item.slide}\x1f{item.excerpt}" for item in items)
    return hashlib.sha256("\x1e".join(keys).encode()).hexdigest()[:16]


def preflight_lang(requested: str | None = None) -> str:
    """The language of the messages: the one asked for (en, zh), else the request's."""
    if requested in ("en", "zh"):
        return requested
    return "zh" if (get_language() or "en").startswith("zh") else "en"


def editor_fix_url(pitch_id: int, path: str) -> str:
    """The editor, scrolled to the unit at ``path`` with its field focused (editor.js reads ``#unit-<path>``)."""
    return f"{reverse('pitch-detail', args=[pitch_id])}#unit-{path}"


def pitch_preflight(*, pitch: Pitch, lang: str) -> Preflight:
    """The open pre-flight items of ``pitch`` as it is now (its live demo slides included)."""
    from pitchlab.decks.services import pitch_deck, pitch_stage_models

    deck = pitch_deck(pitch=pitch, lang=lang, demos=pitch_stage_models(pitch=pitch))
    items = preflight_items(
        check_canvas(pitch.content, titles=business_titles()),
        deck,
        lang=lang,
        fix_url=lambda path: editor_fix_url(pitch.pk, path),
    )
    return Preflight(items=tuple(items), fingerprint=preflight_fingerprint(items))


class PreflightOpen(ApplicationError):
    """Open pre-flight items and no acknowledgement: nothing was exported or shared (HTTP 409)."""

    status_code = 409


def preflight_require_posted(*, pitch: Pitch, post: Mapping[str, Any], anyway_field: str) -> Preflight:
    """The pre-flight of a page's form: its "… anyway" field ("1") and the fingerprint of the list it showed."""
    return preflight_require(
        pitch=pitch,
        lang=preflight_lang(),
        anyway=post.get(anyway_field) == "1",
        fingerprint=str(post.get("preflight_fingerprint", ""))[:64],
    )


def preflight_require(*, pitch: Pitch, lang: str, anyway: bool, fingerprint: str = "") -> Preflight:
    """Let an export or a share go ahead: with nothing open, with ``anyway``, or with the fingerprint of the
    list as it is now. Otherwise raise PreflightOpen with the list (``extra``: findings, fingerprint)."""
    preflight = pitch_preflight(pitch=pitch, lang=lang)
    if not preflight.items or anyway or (fingerprint and fingerprint == preflight.fingerprint):
        return preflight
    raise PreflightOpen(
        _("Look at these before it goes out: fix them, or confirm to go ahead anyway."), preflight.as_json()
    )
