"""The Q&A drill's pure core: questions from canvas gaps, the question bank and the drill history."""

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from pitchlab.pitches.canvas import empty_canvas, unit_paths
from pitchlab.pitches.read_model import canvas_view
from pitchlab.rehearsals.drill import (
    BUSINESS_CATEGORIES,
    CATEGORIES,
    DEFAULT_BANK_PATH,
    Question,
    generated_questions,
    load_bank,
)
from pitchlab.rehearsals.history import AnswerRow, CategoryStats, drill_history
from tests.decks.test_render_property import canvases

CATALOGUE = json.loads(
    (Path(__file__).resolve().parents[2] / "pitchlab/checklists/data/catalogue.json").read_text(encoding="utf-8")
)
TITLES = {item["key"]: (item["title_en"], item["title_zh"]) for item in CATALOGUE["business"]}


def complete_canvas() -> dict[str, Any]:
    """A canvas with nothing left for the drill to ask: every item done, every figure sourced and compared."""
    canvas = empty_canvas()
    canvas["story"]["why_now"] = "Monthly revenue doubled since March and our recall beats the rules engine."
    canvas["data"]["traction"] = [
        {"period": "2025-02", "metric": "MRR", "value": 8000, "unit": "EUR", "source": "Stripe export"},
        {"period": "2025-03", "metric": "MRR", "value": 16000, "unit": "EUR", "source": "Stripe export"},
    ]
    canvas["data"]["experiments"] = [
        {"model": "triage-v2", "metric": "recall", "value": 0.91, "baseline": 0.84, "samples": 1200},
    ]
    for name, value in (("tam", 4.2e9), ("sam", 6e8), ("som", 3.5e7)):
        canvas["data"]["market"][name] = {"value": value, "source": "Gartner 2025", "year": 2025}
    canvas["team"] = [{"name": "Ada Li", "role": "CEO", "bio": "Ran support at a 500-person SaaS."}]
    canvas["ask"]["amount"] = 1_500_000
    canvas["business"] = {key: {"status": "done", "evidence": "See the data room."} for key in TITLES}
    canvas["risks"] = [
        risk("Compute cost", 3, 4, "Distil to a smaller model.", key="compute_cost"),
        risk("Unrated worry", None, None),
    ]
    return canvas


def questions_of(canvas: Any) -> list[Question]:
    return generated_questions(canvas, business_titles=TITLES)


def only(canvas: Any, rule: str) -> list[Question]:
    return [q for q in questions_of(canvas) if q.rule == rule]


def test_a_complete_sourced_canvas_raises_no_question() -> None:
    assert questions_of(complete_canvas()) == []


# --- business items -----------------------------------------------------------------------------------------------


def test_a_missing_business_item_asks_its_own_investor_question() -> None:
    canvas = complete_canvas()
    canvas["business"]["revenue_pricing"] = {"status": "missing", "evidence": ""}

    [question] = questions_of(canvas)

    assert question.key == "gen:business_missing:revenue_pricing"
    assert (question.rule, question.path, question.category, question.source) == (
        "business_missing",
        "business.revenue_pricing",
        "finance",
        "generated",
    )
    assert question.text_en.startswith('I didn\'t see anything on "Revenue streams and pricing". How do you charge')
    assert question.text_zh.startswith("我没看到关于“收入来源与定价”的内容。你怎么收费")
    assert question.why_en == 'The business item "Revenue streams and pricing" is still marked missing.'
    assert question.why_zh == "商业模式中的“收入来源与定价”仍标记为缺失。"


def test_a_partial_business_item_quotes_the_evidence_so_far() -> None:
    canvas = complete_canvas()
    canvas["business"]["gross_margin"] = {"status": "partial", "evidence": "  About 62%\nbefore GPU costs. "}

    [question] = questions_of(canvas)

    assert (question.key, question.path, question.category) == (
        "gen:business_partial:gross_margin",
        "business.gross_margin",
        "finance",
    )
    assert question.text_en.startswith('Under "Gross margin" you wrote: "About 62% before GPU costs". ')
    assert question.text_en.endswith("what gets you to your target margin?")
    assert question.text_zh.startswith("在“毛利率”一项你写道：“About 62% before GPU costs”。")
    assert '"About 62% before GPU costs"' in question.why_en


def test_a_partial_item_without_evidence_asks_the_follow_up_without_a_quote() -> None:
    canvas = complete_canvas()
    canvas["business"]["model_quality"] = {"status": "partial", "evidence": "   "}

    [question] = questions_of(canvas)

    assert (question.key, question.category) == ("gen:business_partial:model_quality", "technology")
    assert question.text_en.startswith('"Evidence of model quality" is only partly worked out. How many samples')
    assert question.why_en == '"Evidence of model quality" is marked partial, with no evidence yet.'


def test_a_long_evidence_is_shortened_when_quoted() -> None:
    canvas = complete_canvas()
    canvas["business"]["channels"] = {"status": "partial", "evidence": "word " * 100}

    [question] = questions_of(canvas)

    quoted = re.search(r'you wrote: "([^"]*)"', question.text_en)
    assert quoted is not None
    assert len(quoted.group(1)) <= 120
    assert quoted.group(1).endswith("…")


def test_an_unknown_business_key_is_a_product_question_named_after_itself() -> None:
    canvas = complete_canvas()
    canvas["business"]["pilot_pipeline"] = {"status": "missing", "evidence": ""}

    [question] = questions_of(canvas)

    assert (question.key, question.path, question.category) == (
        "gen:business_missing:pilot_pipeline",
        "business.pilot_pipeline",
        "product",
    )
    assert question.text_en.startswith('I didn\'t see anything on "Pilot pipeline". ')


def test_every_catalogue_key_has_a_category_and_its_own_questions() -> None:
    assert set(BUSINESS_CATEGORIES) == set(TITLES)
    assert set(BUSINESS_CATEGORIES.values()) <= set(CATEGORIES)
    canvas = complete_canvas()
    for status in ("missing", "partial"):
        canvas["business"] = {key: {"status": status, "evidence": "x"} for key in TITLES}
        questions = only(canvas, f"business_{status}")
        assert len(questions) == len(TITLES)
        # No catalogue key falls back to the generic wording: each asks its own question in both languages.
        assert len({q.text_en.split(". ", 1)[1] for q in questions}) == len(TITLES)
        assert len({q.text_zh.split("。", 1)[1] for q in questions}) == len(TITLES)


# --- risks --------------------------------------------------------------------------------------------------------


def risk(title: str, likelihood: Any, impact: Any, mitigation: str = "", key: str = "") -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "category": "market",
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": mitigation,
    }


def test_a_high_risk_is_asked_even_when_mitigated() -> None:
    canvas = complete_canvas()
    canvas["risks"] = [risk("Compute cost", 5, 3, "Two GPU suppliers under contract.", key="compute_cost")]

    [question] = questions_of(canvas)

    assert (question.key, question.rule, question.path, question.category) == (
        "gen:risk_high:compute_cost",
        "risk_high",
        "risks",
        "risk",
    )
    assert question.text_en == (
        'Suppose the risk "Compute cost" materialises anyway, despite "Two GPU suppliers under contract". '
        "What does it do to the business, and what is plan B?"
    )
    assert question.why_en == 'Risk "Compute cost" scores 15 (5×3), at or above the high-risk line of 15.'


def test_a_scored_risk_without_mitigation_is_asked_once_whatever_its_score() -> None:
    canvas = complete_canvas()
    canvas["risks"] = [risk("Key customer churns", 2, 2), risk("Regulator bans it", 5, 5, "  ")]

    questions = questions_of(canvas)

    assert [(q.key, q.rule) for q in questions] == [
        ("gen:risk_unmitigated:key-customer-churns", "risk_unmitigated"),
        ("gen:risk_unmitigated:regulator-bans-it", "risk_unmitigated"),
    ]
    assert "2/5 for likelihood and 2/5 for impact" in questions[0].text_en
    assert questions[1].why_en == 'Risk "Regulator bans it" scores 25 (5×5) and has no mitigation.'
    assert "“Regulator bans it”" in questions[1].text_zh


def test_unscored_and_low_mitigated_risks_raise_nothing() -> None:
    canvas = complete_canvas()
    canvas["risks"] = [risk("Half rated", 5, None), risk("Low", 2, 7, "Watch it."), risk("Zero", 0, 5)]

    assert questions_of(canvas) == []


def test_risks_with_the_same_title_get_distinct_keys() -> None:
    canvas = complete_canvas()
    canvas["risks"] = [risk("Churn!", 3, 3), risk("churn", 4, 4), risk("", 4, 4)]

    assert [q.key for q in questions_of(canvas)] == [
        "gen:risk_unmitigated:churn",
        "gen:risk_unmitigated:churn-2",
        "gen:risk_unmitigated:row-3",
    ]


# --- data -----------------------------------------------------------------------------------------------------------


def test_an_experiment_without_baseline_asks_what_it_is_compared_with() -> None:
    canvas = complete_canvas()
    canvas["data"]["experiments"].append({"model": "triage-v3", "metric": "F1", "value": 0.874, "baseline": None})

    [question] = questions_of(canvas)

    assert (question.key, question.path, question.category) == (
        "gen:no_baseline:triage-v3-f1",
        "data.experiments",
        "technology",
    )
    assert question.text_en.startswith("What do you compare 0.874 F1 of triage-v3 against")
    assert question.text_zh.startswith("“triage-v3”的“F1”为 0.874")


def test_an_experiment_without_a_value_or_with_a_baseline_even_zero_is_not_asked() -> None:
    canvas = complete_canvas()
    canvas["data"]["experiments"] += [
        {"model": "a", "metric": "recall", "value": None, "baseline": None, "samples": 100},
        {"model": "b", "metric": "recall", "value": 0.8, "baseline": 0.0, "samples": 100},
    ]

    assert questions_of(canvas) == []


def test_a_traction_metric_is_asked_when_none_of_its_rows_has_a_source() -> None:
    canvas = complete_canvas()
    canvas["data"]["traction"] += [
        # Rows saved before traction had a source lack the key: they count as unsourced.
        {"period": "2025-02", "metric": "Active teams", "value": 40, "unit": "teams"},
        {"period": "2025-03", "metric": "active teams ", "value": 1250, "unit": "teams", "source": ""},
        {"period": "2025-02", "metric": "NPS", "value": 41, "unit": ""},
        {"period": "2025-03", "metric": "NPS", "value": 45, "unit": "", "source": "Delighted survey"},
    ]

    [question] = questions_of(canvas)

    assert (question.key, question.path, question.category) == (
        "gen:traction_unsourced:active-teams",
        "data.traction",
        "market",
    )
    assert question.text_en == 'Where do the "Active teams" figures come from, and can we verify them?'
    assert question.why_en == 'None of the 2 "Active teams" rows names a source (last: 1,250 teams in 2025-03).'


def test_market_sizes_without_a_source_are_asked_about() -> None:
    canvas = complete_canvas()
    canvas["data"]["market"]["tam"]["source"] = ""
    canvas["data"]["market"]["som"] = {"value": 3.5e7, "source": " ", "year": None}

    questions = questions_of(canvas)

    assert [(q.key, q.path, q.category) for q in questions] == [
        ("gen:market_unsourced:tam", "data.market", "market"),
        ("gen:market_unsourced:som", "data.market", "market"),
    ]
    assert questions[0].text_en.startswith("Where does your TAM of 4.2B USD come from?")
    assert questions[0].text_zh.startswith("你的 TAM（42亿 USD）")
    assert questions[1].why_en == "The SOM of 35M USD has no source."


def test_unbacked_growth_and_accuracy_claims_quote_the_flagged_phrase() -> None:
    canvas = complete_canvas()
    canvas["story"]["why_now"] = "Usage doubled since March."
    canvas["story"]["climax"] = "Our triage reaches 94% accuracy on real tickets."
    canvas["data"]["traction"] = []
    canvas["data"]["experiments"] = []

    questions = questions_of(canvas)

    assert [(q.key, q.path, q.category) for q in questions] == [
        ("gen:growth_claim:why_now-growth", "story.why_now", "market"),
        ("gen:growth_claim:climax-accuracy", "story.climax", "technology"),
    ]
    assert questions[0].text_en.startswith('You say "doubled". Which number shows that growth')
    assert "“doubled”" in questions[0].text_zh
    assert questions[0].why_en == '"Why now" claims growth ("doubled") but no traction metric has two periods.'
    assert questions[1].text_en.startswith('You say "accuracy". Measured on what data')
    assert "“解决方案与高潮”" in questions[1].why_zh


def test_an_empty_team_and_a_missing_amount_are_asked() -> None:
    canvas = complete_canvas()
    canvas["team"] = [{"name": "  ", "role": "CTO", "bio": ""}]
    canvas["ask"]["amount"] = None

    questions = questions_of(canvas)

    assert [(q.key, q.path, q.category) for q in questions] == [
        ("gen:team_empty:team", "team", "team"),
        ("gen:ask_missing:amount", "ask.amount", "finance"),
    ]
    assert questions[1].why_en == "The ask has no amount."


# --- order, stability, odd canvases ---------------------------------------------------------------------------------


def test_questions_come_in_category_order_then_canvas_order() -> None:
    canvas = complete_canvas()
    canvas["risks"] = [risk("Churn", 3, 3)]
    canvas["ask"]["amount"] = None
    canvas["business"]["data_rights"]["status"] = "missing"
    canvas["business"]["unit_economics"]["status"] = "missing"
    canvas["business"]["channels"]["status"] = "missing"
    canvas["data"]["market"]["sam"]["source"] = ""
    canvas["data"]["experiments"][0]["baseline"] = None
    canvas["business"]["model_quality"]["status"] = "partial"

    assert [q.key for q in questions_of(canvas)] == [
        "gen:market_unsourced:sam",  # market: data.market comes before the business items
        "gen:business_missing:channels",
        "gen:no_baseline:triage-v2-recall",  # technology
        "gen:business_partial:model_quality",
        "gen:ask_missing:amount",  # finance: ask before business
        "gen:business_missing:unit_economics",
        "gen:business_missing:data_rights",  # risk: business before the risk register
        "gen:risk_unmitigated:churn",
    ]


def test_keys_are_stable_across_calls_and_unique() -> None:
    canvas = empty_canvas()
    canvas["business"] = {key: {"status": "missing", "evidence": ""} for key in TITLES}
    canvas["risks"] = [risk("Churn", 3, 3), risk("Churn", 5, 5, "Annual contracts.")]
    canvas["story"]["vision"] = "Growth is exponential."

    first = questions_of(canvas)
    second = questions_of(copy.deepcopy(canvas))

    assert first == second
    keys = [q.key for q in first]
    assert len(keys) == len(set(keys))
    for question in first:
        assert re.fullmatch(rf"gen:{question.rule}:\S+", question.key)


@pytest.mark.parametrize(
    "canvas",
    [
        {},
        {"business": ["missing"], "risks": "many", "data": [], "team": "us", "ask": 5},
        {"business": {"x": "missing", "y": {"status": 3}, "z": {"status": "PARTIAL", "evidence": ["a"]}}},
        {"risks": [None, 1, {"likelihood": True, "impact": 5}, {"likelihood": "4", "impact": 4.0, "title": 7}]},
        {
            "data": {
                "traction": [None, 3, {"metric": 5}, {"metric": "Users", "value": "n/a", "source": None}],
                "experiments": [{"value": "92%"}, {"value": float("nan")}, "row"],
                "market": {"tam": {"value": True}, "sam": {"value": "1e9"}, "som": None, "currency": 9},
            }
        },
        {"team": [{"name": None}, None], "ask": {"amount": "lots"}, "story": {"why_now": 42, "vision": None}},
    ],
)
def test_an_odd_canvas_never_raises(canvas: Any) -> None:
    questions = questions_of(canvas)

    keys = [q.key for q in questions]
    assert len(keys) == len(set(keys))
    assert {"gen:team_empty:team", "gen:ask_missing:amount"} <= set(keys)
    assert all(q.category in CATEGORIES and q.text_en and q.text_zh for q in questions)


def test_odd_business_titles_fall_back_to_the_key() -> None:
    canvas = empty_canvas()
    canvas["business"] = {"gross_margin": {"status": "missing"}}

    titles: dict[str, Any] = {"gross_margin": ("", 3)}

    [question] = [q for q in generated_questions(canvas, business_titles=titles) if q.rule == "business_missing"]

    assert question.text_en.startswith('I didn\'t see anything on "Gross margin".')


def test_a_question_as_json_speaks_the_asked_language() -> None:
    canvas = complete_canvas()
    canvas["ask"]["amount"] = None
    [question] = questions_of(canvas)

    assert question.as_json("zh") == {
        "key": "gen:ask_missing:amount",
        "category": "finance",
        "text": "这轮打算融多少钱？钱花在哪里，能支撑多久？",
        "text_en": "How much are you raising, what will it buy, and how long will it last?",
        "text_zh": "这轮打算融多少钱？钱花在哪里，能支撑多久？",
        "source": "generated",
        "path": "ask.amount",
        "rule": "ask_missing",
        "why": "融资需求还没有填写金额。",
    }
    assert question.as_json("en")["why"] == "The ask has no amount."
    assert question.text("fr") == question.text_en


# --- the bank ---------------------------------------------------------------------------------------------------------


def test_the_bank_has_at_least_eight_questions_per_category_in_both_languages() -> None:
    rows = load_bank()

    counts = {category: sum(row["category"] == category for row in rows) for category in CATEGORIES}
    assert min(counts.values()) >= 8, counts
    assert len({row["key"] for row in rows}) == len(rows)
    assert all(row["key"].startswith("bank:") for row in rows)
    assert all(re.search(r"[\u4e00-\u9fff]", row["zh"]) and row["en"].isascii() for row in rows)
    assert set(rows[0]) == {"key", "category", "en", "zh"}


def write_bank(tmp_path: Path, questions: Any) -> Path:
    path = tmp_path / "bank.json"
    path.write_text(json.dumps({"_about": "test", "questions": questions}), encoding="utf-8")
    return path


GOOD = {"key": "bank:why-now", "category": "market", "en": "Why now?", "zh": "为什么是现在？"}


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([GOOD, {**GOOD, "key": "bank:moat", "category": "moats"}], "question 2 (bank:moat): unknown category 'moats'"),
        ([GOOD, GOOD], "question 2 (bank:why-now): key bank:why-now is already used by question 1"),
        ([{**GOOD, "zh": "  "}], "question 1 (bank:why-now): 'zh' must be a non-empty string"),
        ([{**GOOD, "key": "why-now"}], "question 1 (why-now): a key is 'bank:' and a lower-case slug"),
        ([{**GOOD, "key": "bank:Why Now"}], "question 1 (bank:Why Now): a key is"),
        ([{**GOOD, "key": "bank:" + "a" * 80}], "a key is 'bank:' and a lower-case slug"),
        ([GOOD, {**GOOD, "key": "bank:x", "text": "?"}], "question 2 (bank:x): unexpected field(s) text"),
        ([GOOD, "Why now?"], "question 2 is not an object"),
        ([{"category": "market", "en": "a", "zh": "b"}], "question 1: 'key' must be a non-empty string"),
        ({"key": "bank:x"}, 'expected an object with a "questions" list'),
    ],
)
def test_a_bad_bank_file_raises_naming_the_row(tmp_path: Path, rows: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        load_bank(write_bank(tmp_path, rows))


def test_the_default_bank_path_is_the_packaged_file() -> None:
    assert load_bank(DEFAULT_BANK_PATH) == load_bank()


# --- history ----------------------------------------------------------------------------------------------------------


def answer(key: str, rating: int, at: str, category: str = "market", better: str = "") -> AnswerRow:
    return AnswerRow(
        question_key=key,
        category=category,
        rating=rating,
        created_at=at,
        text=f"Question {key}?",
        path="data.market" if key.startswith("gen:") else "",
        better_answer=better,
    )


def test_an_empty_history_lists_every_category_unanswered() -> None:
    history = drill_history([])

    assert history.categories == tuple(CategoryStats(c, 0, 0, None, None, False) for c in CATEGORIES)
    assert (history.never_well, history.answered_total, history.well_total, history.answers_total) == ((), 0, 0, 0)


def test_category_means_and_weakness() -> None:
    answers = [
        answer("bank:a", 2, "2025-03-01T10:00:00Z", "market"),
        answer("bank:b", 3, "2025-03-01T10:01:00Z", "market"),  # 2 answers, mean 2.5 < 3: weak
        # Given newest first: 4 at 10:05 then 2 at 10:06 is the real order, so the latest rating is 2: weak.
        answer("bank:c", 2, "2025-03-01T10:06:00Z", "product"),
        answer("bank:c", 4, "2025-03-01T10:05:00Z", "product"),
        answer("bank:d", 1, "2025-03-01T10:00:00Z", "technology"),
        answer("bank:e", 5, "2025-03-01T10:01:00Z", "technology"),  # mean 3.0, latest 5: not weak
        answer("bank:f", 2, "2025-03-01T10:00:00Z", "team"),  # one answer rated 2: weak
        answer("bank:g", 3, "2025-03-01T10:00:00Z", "finance"),  # one answer rated 3: not weak
        answer("bank:h", 1, "2025-03-01T10:00:00Z", "risk"),
        answer("bank:h", 2, "2025-03-01T10:01:00Z", "risk"),
        answer("bank:i", 2, "2025-03-01T10:02:00Z", "risk"),  # mean 5/3 = 1.67 -> 1.7
    ]

    stats = {c.category: c for c in drill_history(answers).categories}

    assert list(stats) == list(CATEGORIES)
    assert stats["market"] == CategoryStats("market", 2, 2, 2.5, 3, True)
    assert stats["product"] == CategoryStats("product", 2, 1, 3.0, 2, True)
    assert stats["technology"] == CategoryStats("technology", 2, 2, 3.0, 5, False)
    assert stats["team"] == CategoryStats("team", 1, 1, 2.0, 2, True)
    assert stats["finance"] == CategoryStats("finance", 1, 1, 3.0, 3, False)
    assert stats["risk"] == CategoryStats("risk", 3, 2, 1.7, 2, True)


def test_time_zones_are_compared_as_instants() -> None:
    answers = [
        answer("bank:a", 1, "2025-03-01T09:30:00Z"),  # 09:30 UTC: the later one
        answer("bank:a", 5, "2025-03-01T10:00:00+02:00"),  # 08:00 UTC
    ]

    [market] = [c for c in drill_history(answers).categories if c.category == "market"]

    assert (market.last_rating, market.weak) == (1, True)


def test_never_well_lists_questions_never_rated_four_worst_first() -> None:
    answers = [
        answer("bank:q1", 1, "2025-03-01T10:00:00Z", better="Lead with the churn figure."),
        answer("bank:q1", 2, "2025-03-02T10:00:00Z"),
        answer("bank:q2", 3, "2025-03-01T11:00:00Z", "finance", better="Quote CAC payback in months."),
        answer("bank:q3", 2, "2025-03-01T12:00:00Z"),
        answer("bank:q3", 4, "2025-03-02T12:00:00Z"),  # answered well once: off the list
        answer("gen:market_unsourced:tam", 1, "2025-03-01T13:00:00Z"),
        answer("bank:q5", 2, "2025-03-01T14:00:00Z", "team", better="first note"),
        answer("bank:q5", 2, "2025-03-02T14:00:00Z", "team", better="Name the two hires."),
        answer("bank:q5", 1, "2025-03-03T14:00:00Z", "team"),
    ]

    history = drill_history(answers)

    assert [(q.key, q.best, q.attempts) for q in history.never_well] == [
        ("gen:market_unsourced:tam", 1, 1),
        ("bank:q5", 2, 3),
        ("bank:q1", 2, 2),
        ("bank:q2", 3, 1),
    ]
    q5 = history.never_well[1]
    assert (q5.text, q5.category, q5.path, q5.last_rating, q5.last_at) == (
        "Question bank:q5?",
        "team",
        "",
        1,
        "2025-03-03T14:00:00Z",
    )
    assert q5.last_better_answer == "Name the two hires."  # the latest note, though the last attempt had none
    assert history.never_well[0].path == "data.market"
    assert (history.answered_total, history.well_total, history.answers_total) == (5, 1, 9)


def test_history_as_json_is_plain_json() -> None:
    history = drill_history([answer("bank:a", 2, "2025-03-01T10:00:00Z", better="Use numbers.")])

    data = json.loads(json.dumps(history.as_json()))

    assert data["categories"][0] == {
        "category": "market",
        "answered": 1,
        "questions": 1,
        "mean_rating": 2.0,
        "last_rating": 2,
        "weak": True,
    }
    assert data["never_well"] == [
        {
            "key": "bank:a",
            "text": "Question bank:a?",
            "category": "market",
            "path": "",
            "attempts": 1,
            "best": 2,
            "last_rating": 2,
            "last_better_answer": "Use numbers.",
            "last_at": "2025-03-01T10:00:00Z",
        }
    ]
    assert (data["answered_total"], data["well_total"], data["answers_total"]) == (1, 0, 1)


@pytest.mark.parametrize("rating", [0, 6, True, 2.5])
def test_a_rating_outside_one_to_five_raises_naming_the_answer(rating: Any) -> None:
    answers = [answer("bank:a", 3, "2025-03-01T10:00:00Z"), answer("bank:b", rating, "2025-03-01T10:01:00Z")]

    with pytest.raises(ValueError, match=r"Answer 2 \(bank:b\): a rating is 1 to 5"):
        drill_history(answers)


# --- any validated canvas ---------------------------------------------------------------------------------------


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(document=canvases())
def test_any_validated_canvas_gives_unique_questions_on_its_own_units(document: dict[str, Any]) -> None:
    view = canvas_view(document)

    questions = generated_questions(view, business_titles=TITLES)

    assert questions == generated_questions(document, business_titles=TITLES)
    keys = [q.key for q in questions]
    assert len(keys) == len(set(keys))
    assert {q.path for q in questions} <= set(unit_paths(document))
    assert all(q.category in CATEGORIES and q.text_en and q.text_zh for q in questions)
    order = [CATEGORIES.index(q.category) for q in questions]
    assert order == sorted(order)
