"""Every data table of the canvas editor is usable on a laptop and on a phone (issue 16 §5).

The tables hold long text and long words. At 1280, 1366 and 390 px wide, every input, select and button of every
row lies inside its table's box (on a phone: the row's card) and inside the viewport, and each row's delete button
can be seen and clicked. Bounding boxes are what the founder sees; a clipped control is one outside its container.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, FloatRect, Page, expect

from pitchlab.checklists.services import catalogue_load
from pitchlab.pitches.canvas import SLIDE_KINDS
from pitchlab.pitches.models import Pitch
from pitchlab.pitches.services import pitch_create, pitch_write
from tests.browser.conftest import PASSWORD, logged_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTHS = (1280, 1366, 390)
LONG_WORD = "Supercalifragilisticexpialidocious-enterprise-dashboard-export"
LONG_TEXT = (
    "Incumbent ticketing suites bolt a generic model onto a rules engine, so accuracy drops on every new product "
    f"line and the support team retrains it by hand every quarter; {LONG_WORD}."
)
LONG_ZH = "客服团队每天被重复工单淹没，现有规则系统准确率只有六成，而且每次上线新产品线都要人工重新训练一次模型。"

# Every row table of the editor, by unit path; market sizing, the competitors' axes and the business items are
# grids of labelled fields, measured too.
ROW_TABLES = (
    "data.traction",
    "data.competitors",
    "data.experiments",
    "demo.examples",
    "team",
    "ask.use_of_funds",
    "ask.milestones",
    "risks",
    "deck.slides",
)
# Tables whose rows the founder deletes (deck slides are fixed: they are hidden or moved, not deleted).
DELETABLE = tuple(path for path in ROW_TABLES if path != "deck.slides")


def long_changes() -> dict[str, Any]:
    """Canvas changes that fill every table with long text, long words and Chinese."""
    risks = [
        {
            "title": f"{title}: {LONG_TEXT[:120]}",
            "category": category,
            "likelihood": None,
            "impact": 3,
            "response": response,
            "mitigation": LONG_TEXT,
            "owner": "Chief technology officer and head of data",
        }
        for title, category, response in (
            ("Compute cost and supply", "financial", "mitigate"),
            ("Data privacy and security", "legal", "transfer"),
            ("Data quality and labelling", "technical", "accept"),
        )
    ]
    risks.append(
        {
            "title": LONG_WORD,
            "category": "technical",
            "likelihood": 4,
            "impact": 5,
            "response": "mitigate",
            "mitigation": LONG_ZH,
            "owner": LONG_WORD,
        }
    )
    return {
        "data.traction": [
            {
                "period": f"2025-{month:02d}",
                "metric": "paying enterprise teams on the annual plan",
                "value": 1234567.5 * month,
                "unit": "teams",
                "source": f"Stripe dashboard, reconciled with invoices in Xero; {LONG_WORD}",
            }
            for month in (1, 2)
        ],
        "data.market": {
            "currency": "USD",
            "growth_rate": 23.5,
            "tam": {
                "value": 120000000000,
                "source": f"Gartner 2024 customer service report; {LONG_WORD}",
                "year": 2024,
            },
            "sam": {"value": 9000000000, "source": LONG_TEXT[:190], "year": 2024},
            "som": {"value": 45000000, "source": LONG_ZH, "year": 2025},
        },
        "data.competitors": {
            "x_axis": "Accuracy on the customer's own tickets",
            "y_axis": "Time to deploy in a new product line",
            "items": [
                {"name": LONG_WORD, "x": 3, "y": 7, "strengths": LONG_TEXT, "weaknesses": LONG_TEXT},
                {"name": "Zendesk AI", "x": 5, "y": 4, "strengths": LONG_ZH, "weaknesses": LONG_ZH},
            ],
        },
        "data.experiments": [
            {
                "model": "lumen-classifier-v3-distilled-multilingual",
                "metric": "accuracy",
                "value": 0.91,
                "baseline": 0.62,
                "dataset": f"held-out tickets from three customers; {LONG_WORD}",
                "samples": 1200,
                "date": "2025-03-01",
                "measured": False,
            }
            for _ in range(2)
        ],
        "demo.examples": [{"text": LONG_TEXT, "label": "billing"}, {"text": LONG_ZH, "label": LONG_WORD}],
        "team": [
            {"name": "Ada Lovelace-Byron", "role": "Chief executive officer and co-founder", "bio": LONG_TEXT},
            {"name": "李明", "role": LONG_WORD, "bio": LONG_ZH},
        ],
        "ask.use_of_funds": [
            {"label": f"Hiring two machine-learning engineers; {LONG_WORD}", "percent": 60},
            {"label": "Compute", "percent": 40},
            {"label": "Reserve", "percent": 0},
        ],
        "ask.milestones": [
            {"date": "2025-09-30", "text": LONG_TEXT[:190]},
            {"date": "2026-03-31", "text": LONG_WORD},
        ],
        "risks": risks,
        "deck.slides": [
            {"kind": kind, "title": f"{kind}: {LONG_TEXT[:80]}", "notes": LONG_TEXT, "seconds": 30, "hidden": False}
            for kind in SLIDE_KINDS
        ],
    }


@pytest.fixture
def founder() -> User:
    return User.objects.create_user("ada", "ada@example.com", PASSWORD)


@pytest.fixture
def pitch(founder: User) -> Pitch:
    catalogue_load()  # a transactional test starts from a flushed database: the business items come from here
    created = pitch_create(owner=founder, name="Lumen")
    return pitch_write(pitch_id=created.pk, changes=long_changes(), base_version=created.version)


def open_editor(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    page.goto(url)
    expect(page.locator("#save-status")).to_have_text("All changes saved")
    return page


Box = FloatRect  # what Playwright's bounding_box() gives, and what MEASURE gives per element
SLACK = 1.0  # sub-pixel rounding


def inside(inner: Box, outer: Box) -> bool:
    return (
        inner["x"] >= outer["x"] - SLACK
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + SLACK
        and inner["y"] >= outer["y"] - SLACK
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + SLACK
    )


# One round trip per table: for each row, its box, its scroll box, and the box of each control in it.
MEASURE = """
(unit) => {
  const box = (node) => {
    const r = node.getBoundingClientRect();
    return {x: r.x, y: r.y, width: r.width, height: r.height};
  };
  const structured = unit.querySelector('[data-structured]');
  const rows = Array.from(structured.querySelectorAll('tbody tr'));
  return {
    viewport: document.documentElement.clientWidth,
    table: box(structured),
    scrolls: structured.scrollWidth > structured.clientWidth + 1,
    rows: rows.map((tr) => ({
      box: box(tr),
      controls: Array.from(tr.querySelectorAll('input, select, textarea, button')).map((control) => ({
        what: `${control.tagName.toLowerCase()} ${control.dataset.key || control.className}`,
        box: box(control),
        label: control.getAttribute('aria-label') || control.title || control.textContent.trim(),
        scrolls: control.tagName === 'SELECT' || control.tagName === 'INPUT'
          ? false : control.scrollWidth > control.clientWidth + 1,
      })),
    })),
  };
}
"""


def problems(measured: dict[str, Any], path: str, width: int) -> list[str]:
    found: list[str] = []
    table, viewport = measured["table"], measured["viewport"]
    if measured["scrolls"]:
        found.append(f"{path} at {width}: the table scrolls sideways")
    if table["x"] < -SLACK or table["x"] + table["width"] > viewport + SLACK:
        found.append(f"{path} at {width}: the table {table} leaves the viewport ({viewport})")
    for index, row in enumerate(measured["rows"]):
        for control in row["controls"]:
            where = f"{path} at {width}, row {index + 1}, {control['what']}"
            if not inside(control["box"], row["box"]):
                found.append(f"{where}: {control['box']} is outside its row {row['box']}")
            left, right = control["box"]["x"], control["box"]["x"] + control["box"]["width"]
            if left < table["x"] - SLACK or right > table["x"] + table["width"] + SLACK:
                found.append(f"{where}: {control['box']} is outside its table {table}")
            if left < -SLACK or right > viewport + SLACK:
                found.append(f"{where}: {control['box']} is outside the viewport ({viewport})")
            smallest = 12 if control["what"].startswith("input") and control["box"]["width"] < 24 else 24  # a checkbox
            if control["box"]["width"] < smallest or control["box"]["height"] < min(smallest, 16):
                found.append(f"{where}: {control['box']} is too small to use")
            if not control["label"]:
                found.append(f"{where}: has no label")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_table_fits_its_container_and_the_viewport(
    browser: Any, live_server: Any, pitch: Pitch, width: int
) -> None:
    context = logged_in(browser, live_server.url, width)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    found: list[str] = []
    for path in ROW_TABLES:
        unit = page.locator(f'[data-unit="{path}"]')
        unit.scroll_into_view_if_needed()
        measured = unit.evaluate(MEASURE)
        assert len(measured["rows"]) >= 2, f"{path}: the seeded rows are not shown"
        found += problems(measured, path, width)
    grids = page.locator("[data-structured] .object-grid")
    assert grids.count() >= 3  # market sizing, the competitors' axes, the business items
    for grid in grids.all():
        grid_box = grid.bounding_box()
        assert grid_box is not None
        for control in grid.locator("input, select, textarea").all():
            control_box = control.bounding_box()
            assert control_box is not None
            if not inside(control_box, grid_box) or control_box["x"] + control_box["width"] > width + SLACK:
                found.append(f"grid at {width}: {control_box} is outside {grid_box} or the viewport")
            if control_box["width"] < 120:
                found.append(f"grid at {width}: {control_box} is too narrow to read")
    assert found == [], "\n".join(found)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_delete_button_of_every_row_is_visible_and_clickable(
    browser: Any, live_server: Any, pitch: Pitch, width: int
) -> None:
    context = logged_in(browser, live_server.url, width)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    for path in DELETABLE:
        rows = page.locator(f'[data-unit="{path}"] [data-structured] tbody tr')
        before = rows.count()
        for index in range(before):
            remove = rows.nth(index).locator(".row-remove")
            expect(remove).to_be_visible()
            remove.scroll_into_view_if_needed()
            box = remove.bounding_box()
            assert box is not None
            assert box["x"] >= 0, f"{path} row {index + 1}: {box}"
            assert box["x"] + box["width"] <= width, f"{path} row {index + 1}: {box}"
            remove.click(trial=True)  # Playwright's actionability check: visible, stable, and not covered
        rows.last.locator(".row-remove").click()  # a real click removes the row and saves
        expect(rows).to_have_count(before - 1)
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=15_000)
    pitch.refresh_from_db()
    assert len(pitch.content["data"]["traction"]) == 1
    assert len(pitch.content["data"]["competitors"]["items"]) == 1
    assert len(pitch.content["risks"]) == 3
    context.close()


SIX_GOOD_ROWS = "period,metric,value,unit,source\n" + "".join(
    f"2026-0{month},paying teams,{10 * month},teams,Stripe dashboard\n" for month in range(1, 7)
)


def test_pasted_traction_with_a_source_column_is_added_whole(browser: Any, live_server: Any, founder: User) -> None:
    pitch = pitch_create(owner=founder, name="Lumen")
    context = logged_in(browser, live_server.url, 1280)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    unit = page.locator('[data-unit="data.traction"]')
    unit.locator("summary").click()
    page.fill("#paste-traction", SIX_GOOD_ROWS)
    unit.get_by_role("button", name="Read rows").click()

    expect(unit.locator("[data-paste-result]")).to_have_text("6 rows added.")
    expect(unit.locator('[data-key="source"]')).to_have_count(6)
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    pitch.refresh_from_db()
    assert [row["source"] for row in pitch.content["data"]["traction"]] == ["Stripe dashboard"] * 6
    context.close()


def test_the_paste_summary_counts_rows_not_messages(browser: Any, live_server: Any, founder: User) -> None:
    pitch = pitch_create(owner=founder, name="Lumen")
    context = logged_in(browser, live_server.url, 390)
    page = open_editor(context, f"{live_server.url}/pitches/{pitch.pk}/")
    unit = page.locator('[data-unit="data.traction"]')
    unit.locator("summary").click()
    # Six good rows, blank lines, and one row with two bad cells (no metric, no number): one bad row, two messages.
    page.fill("#paste-traction", SIX_GOOD_ROWS.replace("\n2026-03", "\n\n2026-03") + "\n2026-07,,many,teams,\n\n")
    unit.get_by_role("button", name="Read rows").click()

    expect(unit.locator("[data-paste-summary]")).to_have_text("6 rows can be read; 1 cannot:")
    expect(unit.locator("[data-paste-result] .errors li")).to_have_count(2)
    unit.locator("[data-confirm-rows]").click()
    expect(page.locator("#save-status")).to_have_text("All changes saved", timeout=10_000)
    pitch.refresh_from_db()
    assert len(pitch.content["data"]["traction"]) == 6
    context.close()
