"""Numbers out of range: every numeric slot of the canvas refuses the family with a 400 that names the bound.

The family: each side of the slot's own bound, the float extremes (1e308, -1e308, 1e200, 5e-324), what the JSON
parser turns into an infinity (1e400) or into a 401-digit integer, strings of digits, true and false, and the
NaN/Infinity tokens. The bounds come from validation.py, so the test follows the rules it checks.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from pitchlab.pitches.bounds import (
    ASK_AMOUNT,
    COMPETITOR_SCORE,
    EXPERIMENT_LATENCY,
    EXPERIMENT_SCORE,
    EXPERIMENT_VALUE,
    FUND_PERCENT,
    MARKET_GROWTH_RATE,
    MARKET_SIZE,
    RISK_LEVEL,
    ROW_CAPS,
    SAMPLES,
    SLIDE_SECONDS,
    TRACTION_VALUE,
    YEAR,
    Bound,
    format_bound,
)
from pitchlab.pitches.documents import document_from, template_document
from pitchlab.pitches.models import Pitch

pytestmark = pytest.mark.django_db

HUGE_INT = "1" + "0" * 400  # a JSON integer no float can hold


def put_raw(api: APIClient, pitch: Pitch, path: str, value_json: str) -> Any:
    """PUT a unit whose value is given as raw JSON text, so that tokens Python would not write (1e400, NaN) get sent."""
    pitch.refresh_from_db()
    body = f'{{"base_version": {pitch.version}, "value": {value_json}}}'
    return api.put(f"/api/pitches/{pitch.pk}/canvas/{path}/", body, content_type="application/json")


def patch_raw(api: APIClient, pitch: Pitch, path: str, value_json: str) -> Any:
    """The same write through PATCH /canvas/ (several units at once), whose envelope passes any JSON value on."""
    pitch.refresh_from_db()
    body = f'{{"base_version": {pitch.version}, "changes": {{"{path}": {value_json}}}}}'
    return api.patch(f"/api/pitches/{pitch.pk}/canvas/", body, content_type="application/json")


def messages_at(detail: Any, *keys: str) -> list[str]:
    """The messages under ``keys`` in a DRF error detail (nested dicts and lists of strings)."""
    node = detail
    for key in keys:
        node = node[key]
    return [str(item) for item in (node if isinstance(node, list) else [node])]


def text(bound: Bound, value: float | int) -> str:
    """``value`` as JSON text: a whole number where the bound wants whole numbers."""
    return str(int(value)) if bound.whole else repr(float(value))


def out_of_range(bound: Bound) -> list[str]:
    """JSON texts of numbers outside ``bound``: just past each end, the float extremes, huge and tiny ones."""
    step = 1 if bound.whole else 0.5
    members = [text(bound, bound.high + step), text(bound, bound.low - step)]
    members += ["1e308", "-1e308", "1e200", "1e400", "-1e400", HUGE_INT, "-" + HUGE_INT]
    members += ['"' + "9" * 30 + '"', '"' + "9" * 2000 + '"', "true", "false", '"abc"', "[]", "{}"]
    # Below the smallest size (a whole number cannot be): a subnormal float and a millionth's tenth.
    members += ["5e-324", "-5e-324", "1e-7"] if not bound.whole else ["2.5", '"3.5"']
    return members


def in_range(bound: Bound) -> list[str]:
    """JSON texts of numbers inside ``bound``: both ends, the middle, a numeric string, the smallest size."""
    members = [text(bound, bound.low), text(bound, bound.high), text(bound, (bound.low + bound.high) // 2)]
    members.append(f'"{int(bound.high)}"')
    if not bound.whole and bound.low <= 0.000001 <= bound.high:
        members.append("0.000001")
    return members


# unit path, the unit's JSON with the number put in for {}, the keys of the number's field, and its bound
SLOTS: list[tuple[str, str, tuple[str, ...], Bound]] = [
    ("data.traction", '[{{"period": "2024-01", "metric": "users", "value": {}}}]', ("0", "value"), TRACTION_VALUE),
    ("data.market", '{{"tam": {{"value": {}}}, "sam": {{}}, "som": {{}}}}', ("tam", "value"), MARKET_SIZE),
    ("data.market", '{{"tam": {{"year": {}}}, "sam": {{}}, "som": {{}}}}', ("tam", "year"), YEAR),
    (
        "data.market",
        '{{"growth_rate": {}, "tam": {{}}, "sam": {{}}, "som": {{}}}}',
        ("growth_rate",),
        MARKET_GROWTH_RATE,
    ),
    ("data.competitors", '{{"items": [{{"name": "Acme", "x": {}}}]}}', ("items", "0", "x"), COMPETITOR_SCORE),
    (
        "data.experiments",
        '[{{"model": "m", "metric": "tickets per hour", "value": {}}}]',
        ("0", "value"),
        EXPERIMENT_VALUE,
    ),
    ("data.experiments", '[{{"model": "m", "metric": "F1", "value": {}}}]', ("0", "value"), EXPERIMENT_SCORE),
    (
        "data.experiments",
        '[{{"model": "m", "metric": "Top-1 accuracy", "value": {}}}]',
        ("0", "value"),
        EXPERIMENT_SCORE,
    ),
    ("data.experiments", '[{{"model": "m", "metric": "召回率", "value": {}}}]', ("0", "value"), EXPERIMENT_SCORE),
    (
        "data.experiments",
        '[{{"model": "m", "metric": "accuracy", "value": 0.9, "baseline": {}}}]',
        ("0", "baseline"),
        EXPERIMENT_SCORE,
    ),
    (
        "data.experiments",
        '[{{"model": "m", "metric": "p95 latency (ms)", "value": {}}}]',
        ("0", "value"),
        EXPERIMENT_LATENCY,
    ),
    (
        "data.experiments",
        '[{{"model": "m", "metric": "accuracy", "value": 0.9, "samples": {}}}]',
        ("0", "samples"),
        SAMPLES,
    ),
    ("ask.amount", "{}", (), ASK_AMOUNT),
    ("ask.use_of_funds", '[{{"label": "Hiring", "percent": {}}}]', ("0", "percent"), FUND_PERCENT),
    ("risks", '[{{"title": "GPU", "category": "technical", "likelihood": {}}}]', ("0", "likelihood"), RISK_LEVEL),
    ("risks", '[{{"title": "GPU", "category": "technical", "impact": {}}}]', ("0", "impact"), RISK_LEVEL),
    ("deck.slides", '[{{"kind": "title", "seconds": {}}}]', ("0", "seconds"), SLIDE_SECONDS),
]


def _slot_id(slot: tuple[str, str, tuple[str, ...], Bound]) -> str:
    return f"{slot[0]}:{'.'.join(slot[2]) or 'value'}"


@pytest.mark.parametrize("slot", SLOTS, ids=_slot_id)
def test_numbers_out_of_range_get_400_naming_the_field_and_the_bound(
    api: APIClient, pitch: Pitch, slot: tuple[str, str, tuple[str, ...], Bound]
) -> None:
    path, template, keys, bound = slot
    before = json.dumps(pitch.content, sort_keys=True)
    low, high = format_bound(bound.low), format_bound(bound.high)
    for member in out_of_range(bound):
        for send in (patch_raw, put_raw):
            response = send(api, pitch, path, template.format(member))
            assert response.status_code == 400, (member, response.content[:300])
            extra = response.json()["extra"]
            if member.lstrip("-") == "1e400":  # parsed to an infinity: the API's parser refuses it at its field
                assert extra["reason"] == "non_finite", extra
                where = f"changes.{path}" if send is patch_raw else "value"
                assert extra["field"] == ".".join((where, *keys)), extra
                assert "too large to store" in response.json()["message"]
            else:
                found = messages_at(extra["fields"], path, *keys)
                assert any(f"from {low} to {high}" in message for message in found), (member, found)
    pitch.refresh_from_db()
    assert json.dumps(pitch.content, sort_keys=True) == before  # nothing of it was written


@pytest.mark.parametrize("slot", SLOTS, ids=_slot_id)
def test_numbers_within_the_bound_are_stored_as_numbers(
    api: APIClient, pitch: Pitch, slot: tuple[str, str, tuple[str, ...], Bound]
) -> None:
    path, template, keys, bound = slot
    for member in in_range(bound):
        if path == "ask.use_of_funds" and float(json.loads(member)) != 100:
            member_json = (
                template.format(member)[:-1]
                + ', {"label": "Rest", "percent": '
                + repr(100 - float(json.loads(member)))
                + "}]"
            )
        else:
            member_json = template.format(member)
        response = put_raw(api, pitch, path, member_json)
        assert response.status_code == 200, (member, response.content[:300])
        stored = api.get(f"/api/pitches/{pitch.pk}/canvas/{path}/").json()["value"]
        for key in keys:
            stored = stored[int(key)] if isinstance(stored, list) else stored[key]
        assert stored == pytest.approx(float(json.loads(member)))
        assert not isinstance(stored, str | bool)
        assert isinstance(stored, int) if bound.whole else isinstance(stored, float)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_tokens_are_refused(api: APIClient, pitch: Pitch, token: str) -> None:
    for path, template, _keys, _bound in SLOTS[:3] + SLOTS[-5:]:
        response = put_raw(api, pitch, path, template.format(token))
        assert response.status_code == 400, (path, token)
    pitch.refresh_from_db()
    assert pitch.version == 1


def _rows_for(path: str, count: int) -> Any:
    """``count`` valid rows of the list at ``path`` (distinct where the list wants them distinct)."""
    if path == "data.traction":
        return [{"period": f"p{i}", "metric": "users", "value": i} for i in range(count)]
    if path == "data.competitors":
        return {"items": [{"name": f"c{i}", "x": 1, "y": 1} for i in range(count)]}
    if path == "data.experiments":
        return [{"model": "m", "metric": "accuracy", "value": 0.5} for _ in range(count)]
    if path == "demo.examples":
        return [{"text": f"t{i}", "label": "a"} for i in range(count)]
    if path == "team":
        return [{"name": f"n{i}"} for i in range(count)]
    if path == "ask.use_of_funds":
        return [{"label": f"l{i}", "percent": 100 / count} for i in range(count)]
    if path == "ask.milestones":
        return [{"text": f"m{i}"} for i in range(count)]
    if path == "risks":
        return [{"title": f"r{i}", "category": "market"} for i in range(count)]
    assert path == "deck.slides"
    return [{"kind": "title"} for _ in range(count)]


@pytest.mark.parametrize("path", sorted(ROW_CAPS))
def test_a_list_past_its_row_cap_gets_400_that_says_the_cap(api: APIClient, pitch: Pitch, path: str) -> None:
    cap = ROW_CAPS[path]
    response = put_raw(api, pitch, path, json.dumps(_rows_for(path, cap + 1)))
    assert response.status_code == 400
    assert f"At most {cap} rows" in json.dumps(response.json()["extra"]["fields"][path])
    if path != "deck.slides":  # slides are one per kind, so the cap itself is never a valid deck
        assert put_raw(api, pitch, path, json.dumps(_rows_for(path, cap))).status_code == 200


def test_a_thousand_traction_rows_are_the_cap_and_a_thousand_and_one_are_refused(api: APIClient, pitch: Pitch) -> None:
    rows = _rows_for("data.traction", 1001)
    assert put_raw(api, pitch, "data.traction", json.dumps(rows)).status_code == 400
    assert put_raw(api, pitch, "data.traction", json.dumps(rows[:1000])).status_code == 200
    pitch.refresh_from_db()
    assert len(pitch.content["data"]["traction"]) == 1000


@pytest.mark.parametrize(
    ("path", "value", "needle"),
    [
        ("data.experiments", [{"model": "m", "metric": "accuracy", "value": 0.9, "date": "1899-12-31"}], "1900-01-01"),
        ("ask.milestones", [{"text": "IPO", "date": "2101-01-01"}], "2100-12-31"),
        ("ask.milestones", [{"text": "IPO", "date": "9999-12-31"}], "2100-12-31"),
        (
            "data.experiments",
            [{"model": "m", "metric": "accuracy", "value": 0.9, "confusion": {"labels": ["a"], "matrix": [[10**13]]}}],
            "1,000,000,000,000",
        ),
        (
            "data.experiments",
            [{"model": "m", "metric": "accuracy", "value": 0.9, "confusion": {"labels": ["x" * 201], "matrix": [[1]]}}],
            "200",
        ),
        ("data.traction", [{"period": "p" * 101, "metric": "users", "value": 1}], "100"),
        ("story.origin", "x" * 5001, "5000"),
    ],
)
def test_dates_counts_and_long_strings_beyond_their_bounds_get_400(
    api: APIClient, pitch: Pitch, path: str, value: Any, needle: str
) -> None:
    response = put_raw(api, pitch, path, json.dumps(value))
    assert response.status_code == 400
    assert needle in json.dumps(response.json()["extra"]["fields"][path])


@pytest.mark.parametrize("member", ["1e308", "-1e308", "5e-324", "1e400", HUGE_INT, '"1e20"', "true"])
def test_the_json_import_applies_the_same_bounds(api: APIClient, member: str) -> None:
    document = template_document("support_nlp")
    assert document is not None
    text_document = json.dumps(document)
    first_value = json.dumps(document["canvas"]["data"]["traction"][0]["value"])
    marker = f'"value": {first_value}'
    assert marker in text_document
    body = text_document.replace(marker, f'"value": {member}', 1)
    response = api.post("/api/pitches/import/", body, content_type="application/json")
    assert response.status_code == 400
    if member == "1e400":  # an infinity once parsed: the parser refuses it at its field
        assert response.json()["extra"]["field"] == "canvas.data.traction.0.value"
    else:
        found = messages_at(response.json()["extra"]["fields"], "data.traction", "0", "value")
        assert any("1,000,000,000,000,000" in message for message in found)
    assert not Pitch.objects.exists()


def test_an_export_within_the_bounds_imports_again(api: APIClient, owner: User) -> None:
    document = template_document("support_nlp")
    assert document is not None
    canvas = document["canvas"]
    canvas["data"]["traction"][0]["value"] = float(TRACTION_VALUE.high)
    canvas["data"]["traction"][1]["value"] = -float(TRACTION_VALUE.high)
    canvas["ask"]["amount"] = float(ASK_AMOUNT.high)
    response = api.post("/api/pitches/import/", document_from(name="Edge", content=canvas), format="json")
    assert response.status_code == 201
    pitch = Pitch.objects.get(pk=response.json()["id"])
    assert pitch.content["ask"]["amount"] == 1e15


@pytest.mark.parametrize(
    ("cell", "ok"),
    [
        ("1000000000000000", True),
        ("-1000000000000000", True),
        ("1000000000000001", False),
        ("2000000000000000000", False),
        ("9" * 400, False),
        ("0.000001", True),
        ("0.0000001", False),
        ("-0.0000001", False),
        ("0", True),
        ("2,5亿", True),
        ("999999999亿", False),
    ],
)
def test_pasted_traction_gets_the_canvas_bound(api: APIClient, pitch: Pitch, cell: str, ok: bool) -> None:
    response = api.post(f"/api/pitches/{pitch.pk}/traction/parse/", {"text": f"2024-01\tusers\t{cell}"}, format="json")
    assert response.status_code == 200
    body = response.json()
    if ok:
        assert len(body["rows"]) == 1
        assert not body["errors"]
        # What the paste reads, the canvas takes.
        assert put_raw(api, pitch, "data.traction", json.dumps(body["rows"])).status_code == 200
    else:
        assert body["rows"] == []
        assert "1,000,000,000,000,000" in body["errors"][0]["message"]
        assert body["errors"][0]["column"] == "value"


@pytest.fixture
def edge_pitch(api: APIClient, pitch: Pitch) -> Pitch:
    """A pitch whose traction sits at the bounds: ±10^15, the smallest size, zeros, one point, equal values."""
    rows = [
        {"period": "2024-01", "metric": "revenue", "value": 0.000001},
        {"period": "2024-02", "metric": "revenue", "value": 1e15},
        {"period": "2024-01", "metric": "margin", "value": -1e15},
        {"period": "2024-02", "metric": "margin", "value": 1e15},
        {"period": "2024-03", "metric": "margin", "value": -1e15},
        {"period": "2024-01", "metric": "flat", "value": 7},
        {"period": "2024-02", "metric": "flat", "value": 7},
        {"period": "2024-01", "metric": "zeros", "value": 0},
        {"period": "2024-02", "metric": "zeros", "value": 0},
        {"period": "2024-01", "metric": "single", "value": 5},
    ]
    assert put_raw(api, pitch, "data.traction", json.dumps(rows)).status_code == 200
    return pitch


@pytest.mark.parametrize("ahead", ["1", "3", "120"])
def test_growth_of_values_at_the_bounds_answers_200_with_finite_json(
    api: APIClient, edge_pitch: Pitch, ahead: str
) -> None:
    response = api.get(f"/api/pitches/{edge_pitch.pk}/growth/?periods_ahead={ahead}")
    assert response.status_code == 200
    # Strict JSON: Python's parser would take Infinity and NaN, which no browser would.
    metrics = json.loads(response.content, parse_constant=lambda token: pytest.fail(f"{token} in the growth JSON"))
    metrics = metrics["metrics"]
    assert set(metrics) == {"revenue", "margin", "flat", "zeros", "single"}
    assert "error" in metrics["single"]  # one point: no trend, said so
    assert metrics["flat"]["linear_fit"]["slope"] == 0
    assert metrics["zeros"]["growth_rates"][0]["rate"] is None
    margin = metrics["margin"]
    assert margin["exponential_fit"] is None  # negative values: no exponential curve
    assert margin["linear_fit"]["rmse"] > 0
    revenue = metrics["revenue"]
    assert "error" in revenue or all(abs(p["value"]) < 1.8e308 for p in revenue["projections"])


@pytest.mark.parametrize("ahead", ["0", "121", "-1", "1e308", "99999999999999999999999", "true", "3.5", "abc"])
def test_growth_periods_ahead_out_of_range_gets_400(api: APIClient, edge_pitch: Pitch, ahead: str) -> None:
    response = api.get(f"/api/pitches/{edge_pitch.pk}/growth/?periods_ahead={ahead}")
    assert response.status_code == 400
