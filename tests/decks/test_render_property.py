"""Every canvas that validates renders everywhere (issue 15 §2), checked with generated canvases.

The strategies are built from the validator's own bounds (imported from validation.py), so when a bound moves the
canvases move with it; each generated unit is run through ``validate_unit`` first, which asserts the strategy and the
validator agree. The pure cores (growth, checks, completeness, slides, every chart as SVG and drawn into a PDF, the
PDF bytes) take many canvases; the pages (web deck, presenter view, share page, PDF export) a few, through the
Django test client. Profiles are derandomized and bounded, so the run is the same each time and takes seconds.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import string
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas as PdfCanvas  # type: ignore[import-untyped]

from pitchlab.decks.charts.build import ALL_CHART_KINDS, build_chart
from pitchlab.decks.charts.ir import Palette
from pitchlab.decks.charts.pdf import draw_on_canvas
from pitchlab.decks.charts.svg import to_svg
from pitchlab.decks.font_catalogue import FONT_FAMILIES
from pitchlab.decks.pdf import chart_sizes, render_pdf
from pitchlab.decks.slides import build_deck
from pitchlab.decks.themes import theme_get
from pitchlab.pitches.bounds import (
    ASK_AMOUNT,
    COMPETITOR_SCORE,
    CONFUSION_COUNT,
    DATE_MAX,
    DATE_MIN,
    EXPERIMENT_LATENCY,
    EXPERIMENT_SCORE,
    EXPERIMENT_VALUE,
    MARKET_GROWTH_RATE,
    MARKET_SIZE,
    RISK_LEVEL,
    ROW_CAPS,
    SAMPLES,
    SLIDE_SECONDS,
    SMALLEST,
    TRACTION_VALUE,
    YEAR,
    Bound,
)
from pitchlab.pitches.canvas import (
    BRAND_FOOTER_LIMIT,
    DECK_THEMES,
    RISK_CATEGORIES,
    RISK_RESPONSES,
    SLIDE_KINDS,
    STORY_FIELDS,
    TARGET_MINUTES,
    TEXT_LIMIT,
    empty_canvas,
    unit_paths,
)
from pitchlab.pitches.checks import check_canvas
from pitchlab.pitches.completeness import completeness
from pitchlab.pitches.growth import MAX_PERIODS_AHEAD, analyse
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create
from pitchlab.pitches.validation import SHORT, validate_unit
from pitchlab.sharing import services as sharing

# --- strategies, from the validator's bounds ----------------------------------------------------------------------

TINY = float(SMALLEST)


def numbers(bound: Bound) -> st.SearchStrategy[float]:
    """Floats the bound lets through: its ends, 0, the smallest sizes, and anything between (mostly extremes)."""
    low, high = float(bound.low), float(bound.high)
    edges = [v for v in (low, high, 0.0, TINY, -TINY, 1.0, -1.0) if low <= v <= high]
    between = st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False).map(
        lambda v: 0.0 if abs(v) < TINY else v  # a size below the smallest is a slip the validator refuses
    )
    return st.one_of(st.sampled_from(edges), between)


def wholes(bound: Bound) -> st.SearchStrategy[int]:
    return st.one_of(st.sampled_from([int(bound.low), int(bound.high)]), st.integers(int(bound.low), int(bound.high)))


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


# Short words in both scripts, with the odd character that is hard to draw; now and then a field at its limit.
WORDS = st.text(alphabet=string.ascii_letters + string.digits + " -&<>\"'%" + "增长用户收入模型 ", max_size=24)


def texts(limit: int) -> st.SearchStrategy[str]:
    return st.one_of(WORDS, st.sampled_from(["W" * limit, ("增长 " * limit)[:limit], ""]))


def names(limit: int) -> st.SearchStrategy[str]:
    """Text a required field takes: something besides spaces."""
    return texts(limit).filter(lambda text: bool(text.strip()))


def dates() -> st.SearchStrategy[str | None]:
    low, high = int(DATE_MIN[:4]), int(DATE_MAX[:4])
    return optional(
        st.builds(
            lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(low, high), st.integers(1, 12), st.integers(1, 28)
        )
    )


PERIODS = ("2024-01", "2024-02", "2024-03", "2024-04", "2024-Q3", "2025", "wk 7", "第8周", "2024-05", "2024-06")
METRICS = ("users", "MRR", "paying teams", "净收入", "net revenue")


@st.composite
def traction(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows of up to five metrics over up to ten periods: one point, equal values, zeros, negatives, extremes."""
    metrics = draw(st.lists(st.sampled_from(METRICS), min_size=0, max_size=4, unique=True))
    rows: list[dict[str, Any]] = []
    for metric in metrics:
        periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=len(PERIODS), unique=True))
        flat = draw(st.booleans())
        first = draw(numbers(TRACTION_VALUE))
        for period in periods:
            value = first if flat else draw(numbers(TRACTION_VALUE))
            rows.append({"period": period, "metric": metric, "value": value, "unit": draw(texts(SHORT))})
    return rows


@st.composite
def market(draw: st.DrawFn) -> dict[str, Any]:
    raw = [draw(optional(numbers(MARKET_SIZE))) for _ in range(3)]
    # TAM ≥ SAM ≥ SOM among those given (the validator's rule); a missing size may sit anywhere.
    ordered = iter(sorted((v for v in raw if v is not None), reverse=True))
    values = [None if v is None else next(ordered) for v in raw]
    return {
        "currency": draw(st.sampled_from(["USD", "CNY", "€€€€€€€€"])),
        "growth_rate": draw(optional(numbers(MARKET_GROWTH_RATE))),
        **{
            level: {"value": value, "source": draw(texts(SHORT)), "year": draw(optional(wholes(YEAR)))}
            for level, value in zip(("tam", "sam", "som"), values, strict=True)
        },
    }


@st.composite
def competitors(draw: st.DrawFn) -> dict[str, Any]:
    items = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "name": names(SHORT),
                    "x": optional(numbers(COMPETITOR_SCORE)),
                    "y": optional(numbers(COMPETITOR_SCORE)),
                }
            ),
            max_size=8,
        )
    )
    return {"x_axis": draw(texts(SHORT)), "y_axis": draw(texts(SHORT)), "items": items}


EXPERIMENT_METRICS = {
    "accuracy": EXPERIMENT_SCORE,
    "macro F1": EXPERIMENT_SCORE,
    "召回率": EXPERIMENT_SCORE,
    "p95 latency (ms)": EXPERIMENT_LATENCY,
    "tickets per hour": EXPERIMENT_VALUE,
    "loss": EXPERIMENT_VALUE,
}


@st.composite
def experiment(draw: st.DrawFn) -> dict[str, Any]:
    metric = draw(st.sampled_from(sorted(EXPERIMENT_METRICS)))
    bound = EXPERIMENT_METRICS[metric]
    row: dict[str, Any] = {
        "model": draw(names(SHORT)),
        "metric": metric,
        "value": draw(numbers(bound)),
        "baseline": draw(optional(numbers(bound))),
        "dataset": draw(texts(SHORT)),
        "samples": draw(optional(wholes(SAMPLES))),
        "date": draw(dates()),
        "measured": False,
    }
    if draw(st.booleans()):
        size = draw(st.integers(1, 6))
        labels = draw(st.lists(texts(SHORT), min_size=size, max_size=size))
        cells = st.lists(wholes(CONFUSION_COUNT), min_size=size, max_size=size)
        row["confusion"] = {"labels": labels, "matrix": draw(st.lists(cells, min_size=size, max_size=size))}
    return row


@st.composite
def use_of_funds(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Shares that add up to 100, each 0 or at least the smallest size (cut points, rounded to a millionth)."""
    if not draw(st.booleans()):
        return []
    cuts = sorted(round(c, 6) for c in draw(st.lists(st.floats(0, 100), max_size=7)))
    edges = [0.0, *cuts, 100.0]
    shares = [round(b - a, 6) for a, b in itertools.pairwise(edges)]
    return [{"label": draw(names(SHORT)), "percent": share} for share in shares]


@st.composite
def deck_slides(draw: st.DrawFn) -> list[dict[str, Any]]:
    kinds = draw(st.one_of(st.just([]), st.permutations(SLIDE_KINDS)))
    return [
        {
            "kind": kind,
            "title": draw(texts(SHORT)),
            "notes": draw(st.sampled_from(["", "Pause here.", "N" * TEXT_LIMIT])),
            "seconds": draw(optional(wholes(SLIDE_SECONDS))),
            "hidden": draw(st.booleans()),
        }
        for kind in kinds
    ]


@st.composite
def canvases(draw: st.DrawFn) -> dict[str, Any]:
    """A canvas every unit of which the validator accepts (asserted, unit by unit, as it is built)."""
    units: dict[str, Any] = {
        **{f"story.{name}": draw(texts(TEXT_LIMIT)) for name in STORY_FIELDS},
        "story.target_minutes": draw(st.sampled_from(TARGET_MINUTES)),
        "data.traction": draw(traction()),
        "data.market": draw(market()),
        "data.competitors": draw(competitors()),
        "data.experiments": draw(st.lists(experiment(), max_size=6)),
        "demo.script": draw(texts(TEXT_LIMIT)),
        "demo.examples": draw(
            st.lists(st.fixed_dictionaries({"text": texts(2000), "label": texts(SHORT)}), max_size=4)
        ),
        "team": draw(st.lists(st.fixed_dictionaries({"name": names(SHORT), "role": texts(SHORT)}), max_size=4)),
        "ask.amount": draw(optional(numbers(ASK_AMOUNT))),
        "ask.currency": draw(st.sampled_from(["USD", "CNY", "¥"])),
        "ask.use_of_funds": draw(use_of_funds()),
        "ask.milestones": draw(st.lists(st.fixed_dictionaries({"date": dates(), "text": names(1000)}), max_size=4)),
        "risks": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "title": names(SHORT),
                        "category": st.sampled_from(RISK_CATEGORIES),
                        "likelihood": optional(wholes(RISK_LEVEL)),
                        "impact": optional(wholes(RISK_LEVEL)),
                        "response": st.sampled_from(RISK_RESPONSES),
                        "mitigation": texts(2000),
                    }
                ),
                max_size=6,
            )
        ),
        "deck.slides": draw(deck_slides()),
        "deck.theme": draw(st.sampled_from(DECK_THEMES)),
        "deck.notes_appendix": draw(st.booleans()),
        "deck.brand": {
            "primary": draw(st.sampled_from([None, "#e11d48", "#4f46e5"])),  # readable in every theme
            "accent": draw(st.sampled_from([None, "#0e7490", "#a99507"])),
            "heading_font": draw(st.sampled_from(sorted(FONT_FAMILIES))),
            "body_font": draw(st.sampled_from(sorted(FONT_FAMILIES))),
            "footer": draw(texts(BRAND_FOOTER_LIMIT)),
        },
    }
    canvas = empty_canvas()
    for path, value in units.items():
        node = canvas
        *parents, last = path.split(".")
        for part in parents:
            node = node[part]
        node[last] = validate_unit(path, value)  # raises if the strategy strayed outside the rules
    assert set(units) == set(unit_paths(canvas))
    return canvas


FAST = settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
PAGES = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# --- the pure cores, on many canvases -------------------------------------------------------------------------------


def growth_json(canvas: dict[str, Any], periods_ahead: int) -> dict[str, Any]:
    """What GET /growth/ answers, from the same pure core: per metric the report, or the reason there is none."""
    by_metric: dict[str, list[tuple[str, float]]] = {}
    for row in canvas["data"]["traction"]:
        by_metric.setdefault(row["metric"], []).append((row["period"], row["value"]))
    result: dict[str, Any] = {}
    for metric, points in by_metric.items():
        try:
            result[metric] = analyse(points, periods_ahead=periods_ahead).as_json()
        except ValueError as exc:  # the one way a series may fail: with a message for the founder
            result[metric] = {"error": str(exc)}
    return result


@FAST
@given(canvas=canvases(), periods_ahead=st.integers(1, MAX_PERIODS_AHEAD))
def test_growth_checks_and_completeness_of_any_valid_canvas(canvas: dict[str, Any], periods_ahead: int) -> None:
    report = growth_json(canvas, periods_ahead)
    text = json.dumps(report, allow_nan=False)  # strict JSON: no infinity, no NaN anywhere in a report
    assert set(report) == {row["metric"] for row in canvas["data"]["traction"]}
    for metric, figures in report.items():
        points = [row for row in canvas["data"]["traction"] if row["metric"] == metric]
        if len(points) >= 2 and "error" not in figures:
            assert len(figures["projections"]) == periods_ahead
            assert figures["linear_fit"]["rmse"] >= 0
    assert "Infinity" not in text
    findings = check_canvas(canvas)
    assert all(finding.as_json()["code"] for finding in findings)
    score = completeness(canvas)
    assert 0 <= score["overall"] <= 100


@FAST
@given(canvas=canvases(), lang=st.sampled_from(["en", "zh"]))
def test_every_chart_of_any_valid_canvas_draws_as_svg_and_in_a_pdf(canvas: dict[str, Any], lang: str) -> None:
    palette = theme_get(canvas["deck"]["theme"]).palette
    for kind in ALL_CHART_KINDS:
        drawing = build_chart(kind, canvas, palette=palette, lang=lang, company="Lumen")
        if drawing is None:
            continue
        assert to_svg(drawing).startswith("<svg")
        for shape in drawing.shapes:  # every coordinate finite: what a browser and a PDF reader can place
            values = [v for v in vars(shape).values() if isinstance(v, float)]
            values += [c for point in getattr(shape, "points", ()) for c in point]
            assert all(math.isfinite(v) for v in values), (kind, shape)
        pdf = PdfCanvas(io.BytesIO(), pagesize=(960, 540))
        draw_on_canvas(drawing, pdf, x=0, y=0, width=960, height=540)
        pdf.showPage()
        pdf.save()


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(canvas=canvases(), lang=st.sampled_from(["en", "zh"]))
def test_the_deck_and_its_pdf_of_any_valid_canvas(canvas: dict[str, Any], lang: str) -> None:
    deck = build_deck(name="Lumen", canvas=canvas, lang=lang, business_titles={})
    assert deck.slides
    charts = {}
    for kind, (width, height) in chart_sizes(deck).items():
        drawing = build_chart(
            kind, canvas, palette=theme_get(deck.theme).palette, width=width, height=height, lang=lang
        )
        if drawing is not None:
            charts[kind] = drawing
    data = render_pdf(deck, charts=charts)
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


# --- at the row caps: the most a canvas may hold ------------------------------------------------------------------


def _full_canvas() -> dict[str, Any]:
    """Every list at its row cap, every number at a bound: the heaviest canvas the validator lets through."""
    cap = ROW_CAPS
    traction = [
        {"period": f"p{i:04d}", "metric": f"m{i % 4}", "value": (TRACTION_VALUE.high if i % 3 else -TINY) * (-1) ** i}
        for i in range(cap["data.traction"])
    ]
    units: dict[str, Any] = {
        "data.traction": traction,
        "data.competitors": {
            "items": [{"name": f"c{i}", "x": i % 11, "y": TINY} for i in range(cap["data.competitors"])]
        },
        "data.experiments": [
            {"model": "m", "metric": "accuracy" if i % 2 else "p95 latency (ms)", "value": [0, 100, TINY][i % 3]}
            for i in range(cap["data.experiments"])
        ],
        "team": [{"name": "W" * SHORT, "bio": "增" * 1000} for _ in range(cap["team"])],
        "ask.amount": float(ASK_AMOUNT.high),
        "ask.use_of_funds": [{"label": f"l{i}", "percent": 2.0} for i in range(cap["ask.use_of_funds"])],
        "ask.milestones": [{"date": DATE_MAX, "text": "M" * 1000} for _ in range(cap["ask.milestones"])],
        "risks": [{"title": f"r{i}", "category": "market", "likelihood": 5, "impact": 5} for i in range(cap["risks"])],
        "deck.notes_appendix": True,
    }
    canvas = empty_canvas()
    for path, value in units.items():
        section, _, name = path.partition(".")
        target = canvas if not name else canvas[section]
        target[name or section] = validate_unit(path, value)
    return canvas


def test_a_canvas_at_every_row_cap_renders() -> None:
    canvas = _full_canvas()
    report = growth_json(canvas, MAX_PERIODS_AHEAD)
    json.dumps(report, allow_nan=False)
    assert len(report) == 4
    deck = build_deck(name="Lumen", canvas=canvas, lang="en", business_titles={})
    charts = {}
    for kind, (width, height) in chart_sizes(deck).items():
        drawing = build_chart(kind, canvas, palette=Palette(), width=width, height=height)
        assert drawing is not None
        to_svg(drawing)
        charts[kind] = drawing
    assert {"traction", "competition", "performance", "risks", "funds"} <= set(charts)
    assert render_pdf(deck, charts=charts).startswith(b"%PDF-")


# --- the pages, on a few canvases, and on canvases stored before the bounds ---------------------------------------


def _pages_render(client: Client, owner: User, canvas: dict[str, Any]) -> None:
    """The growth API, the web deck, the presenter view, the share page and the PDF export all answer 200."""
    from pitchlab.decks.services import export_render_pdf

    pitch = pitch_create(owner=owner, name="Lumen", content=canvas)
    client.force_login(owner)
    growth = client.get(f"/api/pitches/{pitch.pk}/growth/?periods_ahead={MAX_PERIODS_AHEAD}")
    assert growth.status_code == 200
    json.loads(growth.content, parse_constant=lambda token: pytest.fail(f"{token} in the growth JSON"))
    for lang in ("en", "zh"):
        for url in (f"/pitches/{pitch.pk}/deck/?lang={lang}", f"/pitches/{pitch.pk}/present/?lang={lang}"):
            assert client.get(url).status_code == 200, url
    link = sharing.share_link_create(pitch=pitch, user=owner, label="VC", include_pdf=True)
    client.logout()
    page = client.get(f"/s/{link.token}/")
    assert page.status_code == 200
    assert b'class="slide' in page.content
    for lang in ("en", "zh"):
        data = export_render_pdf(name=pitch.name, canvas=pitch.content, theme="dark", lang=lang)
        assert data.startswith(b"%PDF-")


@pytest.mark.django_db
@pytest.mark.usefixtures("app_broker")  # share pages count visits against a rate limit in Redis
@PAGES
@given(canvas=canvases())
def test_the_pages_of_a_few_valid_canvases(
    client: Client, make_user: Callable[..., User], canvas: dict[str, Any]
) -> None:
    owner = User.objects.filter(username="owner").first() or make_user("owner")
    _pages_render(client, owner, canvas)


def _legacy(canvas: dict[str, Any], huge: float | int) -> dict[str, Any]:
    """``canvas`` with numbers past every bound, as a database may hold them from before the bounds existed."""
    canvas["data"]["traction"] = [
        {"period": f"2024-{m:02d}", "metric": "users", "value": huge if m % 2 else -huge, "unit": ""}
        for m in range(1, 7)
    ] + [{"period": f"2024-{m:02d}", "metric": "tiny", "value": 5e-324 * m, "unit": ""} for m in range(1, 4)]
    canvas["data"]["market"].update(
        growth_rate=huge,
        tam={"value": huge, "source": "", "year": 99999},
        sam={"value": 5e-324, "source": "", "year": None},
    )
    canvas["data"]["competitors"]["items"] = [{"name": "Acme", "x": huge, "y": -huge}]
    canvas["data"]["experiments"] = [
        {"model": "m", "metric": "accuracy", "value": huge, "baseline": -huge, "samples": huge},
        {"model": "m", "metric": "latency ms", "value": -huge, "confusion": {"labels": ["a"], "matrix": [[10**400]]}},
    ]
    canvas["ask"].update(amount=huge, use_of_funds=[{"label": "a", "percent": huge}, {"label": "b", "percent": 5e-324}])
    canvas["risks"] = [{"title": "r", "category": "market", "likelihood": huge, "impact": huge}]
    canvas["deck"]["slides"] = [{"kind": "title", "seconds": huge}]
    return canvas


@pytest.mark.django_db
@pytest.mark.usefixtures("app_broker")
@pytest.mark.parametrize("huge", [1e308, 1e200, 10**400], ids=["1e308", "1e200", "10**400"])
def test_a_canvas_stored_before_the_bounds_still_renders(
    client: Client, make_user: Callable[..., User], huge: float | int
) -> None:
    canvas = _legacy(empty_canvas(), huge)
    owner = make_user("owner")
    _pages_render(client, owner, canvas)
    # Stored as it was, drawn within reason. PostgreSQL's jsonb hands 1e308 back as a 309-digit integer.
    stored = Pitch.objects.get(owner=owner).content["ask"]["amount"]
    assert stored == huge or float(stored) == huge
