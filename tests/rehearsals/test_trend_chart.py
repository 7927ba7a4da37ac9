"""The rehearsals trend chart: Trend JSON in, SVG out; points land where the totals say (pure, no database)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest

from pitchlab.decks.charts.common import text_width
from pitchlab.rehearsals.trend_chart import NARROW, WIDE, build_trend, clock, trend_svg

NS = "{http://www.w3.org/2000/svg}"


def point(n: int, total: float, *, target: int = 420, complete: bool = True) -> dict[str, Any]:
    return {
        "id": n,
        "started_at": f"2026-03-{n:02d}T10:00:00+00:00",
        "total": total,
        "target": target,
        "complete": complete,
    }


def trend(*points: object) -> dict[str, Any]:
    return {"points": list(points), "long_runners": []}


def root_of(data: dict[str, Any], **options: Any) -> ET.Element:
    return ET.fromstring(trend_svg(data, **options))


def by_role(root: ET.Element, tag: str, role: str) -> list[ET.Element]:
    return [el for el in root.iter(NS + tag) if el.get("data-role") == role]


def coords(polyline: ET.Element) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in polyline.get("points", "").split())]


def centre(circle: ET.Element) -> tuple[float, float]:
    return float(circle.get("cx", "nan")), float(circle.get("cy", "nan"))


SAMPLE = trend(
    point(1, 498.0),
    point(2, 211.0, complete=False),
    point(3, 463.0),
    point(4, 441.5),
)


def test_no_rehearsal_draws_nothing() -> None:
    assert trend_svg(trend()) == ""
    assert trend_svg({}) == ""
    assert build_trend({"points": "nonsense"}) is None


def test_complete_rehearsals_are_filled_and_joined_in_order() -> None:
    root = root_of(SAMPLE)
    points = by_role(root, "circle", "point")
    assert [p.get("data-id") for p in points] == ["1", "2", "3", "4"]
    complete = [p for p in points if p.get("data-complete") == "true"]
    (line,) = by_role(root, "polyline", "total-line")
    assert coords(line) == [centre(p) for p in complete]
    assert all(p.get("fill") != "#ffffff" for p in complete)


def test_an_incomplete_rehearsal_is_hollow_and_not_joined() -> None:
    root = root_of(SAMPLE)
    (cut,) = [p for p in by_role(root, "circle", "point") if p.get("data-complete") == "false"]
    assert cut.get("data-id") == "2"
    assert cut.get("fill") == "#ffffff"
    assert cut.get("stroke")
    (line,) = by_role(root, "polyline", "total-line")
    assert centre(cut) not in coords(line)
    legend = " ".join(el.text or "" for el in by_role(root, "text", "legend"))
    assert "incomplete (not counted)" in legend


def test_longer_rehearsals_are_drawn_higher_and_later_ones_further_right() -> None:
    points = by_role(root_of(SAMPLE), "circle", "point")
    ys = {p.get("data-id"): centre(p)[1] for p in points}
    assert ys["1"] < ys["3"] < ys["4"] < ys["2"]  # 498 s > 463 s > 441.5 s > 211 s; y grows downwards
    xs = [centre(p)[0] for p in points]
    assert xs == sorted(xs)
    assert len(set(xs)) == len(xs)


def test_the_target_is_a_dashed_line_at_its_height() -> None:
    root = root_of(trend(point(1, 420.0), point(2, 480.0)))
    (target,) = by_role(root, "polyline", "target")
    assert target.get("stroke-dasharray")
    line = coords(target)
    assert len({y for _, y in line}) == 1  # one target: one horizontal line
    on_target = next(p for p in by_role(root, "circle", "point") if p.get("data-total") == "420.0")
    assert centre(on_target)[1] == pytest.approx(line[0][1], abs=0.02)
    legend = " ".join(el.text or "" for el in by_role(root, "text", "legend"))
    assert "target 7:00" in legend


def test_a_changed_target_steps_between_rehearsals() -> None:
    root = root_of(trend(point(1, 400.0, target=420), point(2, 400.0, target=480)))
    (target,) = by_role(root, "polyline", "target")
    heights = [y for _, y in coords(target)]
    assert len(set(heights)) == 2
    assert heights[0] > heights[-1]  # 8:00 sits above 7:00
    assert target.get("data-targets") == "420 480"


def test_the_latest_complete_total_is_written_on_the_chart() -> None:
    root = root_of(trend(point(1, 470.0), point(2, 462.4), point(3, 100.0, complete=False)))
    (latest,) = by_role(root, "text", "latest")
    assert latest.text == "7:42"


def test_axis_labels_are_minutes_and_seconds() -> None:
    texts = [el.text or "" for el in root_of(SAMPLE).iter(NS + "text")]
    assert "8:00" in texts
    assert {"#1", "#4", "1 Mar", "4 Mar"} <= set(texts)


def test_chinese_labels() -> None:
    root = root_of(SAMPLE, lang="zh")
    texts = [el.text or "" for el in root.iter(NS + "text")]
    assert "3月1日" in texts
    assert root.findtext(NS + "title") == "排练时长与目标"
    assert "未完成（不计入）" in " ".join(texts)


@pytest.mark.parametrize("size", [WIDE, NARROW])
def test_every_text_stays_inside_the_chart(size: tuple[float, float]) -> None:
    many = trend(*(point(n, 380.0 + (n * 37) % 90, complete=n % 4 != 0) for n in range(1, 29)))
    for lang in ("en", "zh"):
        root = root_of(many, lang=lang, width=size[0], height=size[1])
        for el in root.iter(NS + "text"):
            x, y, font = float(el.get("x", "0")), float(el.get("y", "0")), float(el.get("font-size", "0"))
            w = text_width(el.text or "", font)
            left = {"start": x, "middle": x - w / 2, "end": x - w}[el.get("text-anchor", "start")]
            assert left >= -0.5
            assert left + w <= size[0] + 0.5, el.text
            assert font <= y <= size[1] + 0.5


def test_x_labels_are_thinned_on_a_narrow_chart_but_the_latest_is_kept() -> None:
    many = trend(*(point(n, 400.0) for n in range(1, 29)))
    root = root_of(many, width=NARROW[0], height=NARROW[1])
    numbers = [el.text for el in root.iter(NS + "text") if (el.text or "").startswith("#")]
    assert 2 <= len(numbers) < 28
    assert numbers[-1] == "#28"


def test_odd_input_is_skipped_or_escaped_never_markup() -> None:
    data = trend(
        {"id": '"><script>alert(1)</script>', "started_at": "<b>", "total": 300, "target": 420, "complete": True},
        {"id": 2, "started_at": "2026-03-02", "total": "lots", "target": 420, "complete": True},
        {"id": 3, "started_at": "2026-03-03", "total": 310, "target": None, "complete": True},
        "not a point",
        {"id": 4, "started_at": "2026-03-04", "total": 320, "target": 420, "complete": "yes"},
    )
    svg = trend_svg(data)
    assert "<script" not in svg
    assert "<b>" not in svg
    root = ET.fromstring(svg)
    points = by_role(root, "circle", "point")
    assert [p.get("data-id") for p in points] == ['"><script>alert(1)</script>', "4"]
    assert points[1].get("data-complete") == "false"  # only true is complete


def test_a_single_rehearsal_sits_in_the_middle() -> None:
    root = root_of(trend(point(1, 400.0)), width=400, height=260)
    (only,) = by_role(root, "circle", "point")
    assert 150 < centre(only)[0] < 250
    assert not by_role(root, "polyline", "total-line")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0:00"), (59.6, "1:00"), (462.4, "7:42"), (3599, "59:59"), (3723, "1:02:03"), (-4, "0:00")],
)
def test_clock(seconds: float, text: str) -> None:
    assert clock(seconds) == text


def test_the_same_trend_always_gives_the_same_svg() -> None:
    assert trend_svg(SAMPLE) == trend_svg(SAMPLE)
