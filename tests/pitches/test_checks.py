"""The rational-pitch checker: hype, absolute and unbacked claims, experiment rigour, risks and the checklist."""

import json
from pathlib import Path
from typing import Any

import pytest

from pitchlab.pitches.canvas import empty_canvas, unit_paths
from pitchlab.pitches.checks import CODES, Finding, Lexicon, Terms, check_canvas, load_lexicon
from pitchlab.pitches.read_model import canvas_view


def canvas_with(**story: str) -> dict[str, Any]:
    canvas = empty_canvas()
    canvas["story"].update(story)
    return canvas


def of_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def excerpts(findings: list[Finding], code: str, path: str | None = None) -> list[str]:
    return [f.excerpt for f in findings if f.code == code and (path is None or f.path == path)]


def two_periods() -> list[dict[str, Any]]:
    return [
        {"period": "2025-01", "metric": "Monthly users", "value": 120, "unit": "users"},
        {"period": "2025-02", "metric": "Monthly users", "value": 180, "unit": "users"},
    ]


def measured_experiment(**overrides: Any) -> dict[str, Any]:
    row = {
        "model": "triage-v2",
        "metric": "recall",
        "value": 0.91,
        "baseline": 0.84,
        "dataset": "hospital A, 2024",
        "samples": 1200,
        "date": "2025-03-01",
        "measured": True,
    }
    row.update(overrides)
    return row


# --- hype and absolute claims -------------------------------------------------------------------------------------


def test_english_hype_words_are_reported_per_story_field_with_the_matched_phrase() -> None:
    findings = check_canvas(
        canvas_with(
            climax="Our revolutionary assistant is a Game-Changing, unprecedented shift.",
            vision="The world's first paradigm shift in radiology.",
        )
    )

    assert excerpts(findings, "hype", "story.climax") == ["revolutionary", "Game-Changing", "unprecedented"]
    assert excerpts(findings, "hype", "story.vision") == ["world's first", "paradigm shift"]
    hype = of_code(findings, "hype")
    assert {f.severity for f in hype} == {"info"}
    assert all(f.excerpt in f.message_en and f.excerpt in f.message_zh for f in hype)


def test_english_absolute_claims_are_warnings_with_their_excerpts() -> None:
    findings = check_canvas(
        canvas_with(conflict="There are no competitors, our model is 100% accurate, and it is zero risk.")
    )

    absolute = of_code(findings, "absolute")
    assert [f.excerpt for f in absolute] == ["no competitors", "100% accurate", "zero risk"]
    assert {f.path for f in absolute} == {"story.conflict"}
    assert {f.severity for f in absolute} == {"warning"}


def test_a_repeated_hype_word_is_reported_once_per_field_whatever_its_case() -> None:
    findings = check_canvas(
        canvas_with(
            climax="Revolutionary. Truly REVOLUTIONARY. revolutionary!",
            vision="Still revolutionary.",
        )
    )

    assert [(f.path, f.excerpt) for f in of_code(findings, "hype")] == [
        ("story.climax", "Revolutionary"),
        ("story.vision", "revolutionary"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "A counterrevolutionary idea.",
        "We work disruptively with hospitals.",
        "A non-disruptive rollout.",
        "An unguaranteedly cheap plan.",
        "Growthless? no: we want x-revolutionary-y naming.",
    ],
)
def test_english_phrases_match_whole_words_only(text: str) -> None:
    findings = check_canvas(canvas_with(insight=text))

    assert of_code(findings, "hype") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Disruptive.", "Disruptive"),
        ("(disruptive)", "disruptive"),
        ("a disruptive, cheap tool", "disruptive"),
        ("我们的产品是revolutionary的", "revolutionary"),
        ("a game changing tool", "game changing"),
        ("the world’s first tool", "world’s first"),
    ],
)
def test_english_phrases_match_at_punctuation_chinese_and_separator_variants(text: str, expected: str) -> None:
    findings = check_canvas(canvas_with(insight=text))

    assert excerpts(findings, "hype") == [expected]


def test_chinese_hype_and_absolute_claims_are_found_as_substrings() -> None:
    findings = check_canvas(canvas_with(climax="我们要颠覆医疗行业，技术遥遥领先，没有竞争对手，诊断100%准确。"))

    assert excerpts(findings, "hype", "story.climax") == ["颠覆", "遥遥领先"]
    assert excerpts(findings, "absolute", "story.climax") == ["没有竞争对手", "100%准确"]
    assert all(f.message_zh and f.message_en for f in findings)


def test_chinese_claims_survive_full_width_characters_and_spaces() -> None:
    findings = check_canvas(canvas_with(climax="诊断１００％ 准确，没有 竞争对手。"))

    assert excerpts(findings, "absolute") == ["100% 准确", "没有 竞争对手"]


def test_a_hype_word_inside_an_absolute_claim_is_reported_once_as_the_claim() -> None:
    findings = check_canvas(canvas_with(vision="数据绝对安全。"))

    assert excerpts(findings, "absolute") == ["绝对安全"]
    assert excerpts(findings, "hype") == []


def test_sober_english_and_chinese_text_gives_no_findings() -> None:
    canvas = canvas_with(
        purpose="Help radiologists triage chest scans so urgent cases are read first.",
        customer_pain="A night-shift radiologist reads 120 scans; urgent ones wait in the same queue.",
        conflict="Two vendors sell triage tools; both need a cloud upload that hospitals here cannot allow.",
        insight="我们在医院内部部署模型，影像数据不出院。",
        climax="在三家医院试点，三个月内急诊影像平均等待时间从 40 分钟降到 25 分钟。",
        vision="让每位值夜班的放射科医生先看到最紧急的片子。",
    )
    canvas["ask"]["use_of_funds"] = [{"label": "Two ML engineers", "percent": 60}, {"label": "临床验证", "percent": 40}]
    canvas["ask"]["milestones"] = [{"text": "Pilot in a fourth hospital by Q3"}]

    assert check_canvas(canvas) == []


def test_hype_in_use_of_funds_and_milestones_names_the_row() -> None:
    canvas = empty_canvas()
    canvas["ask"]["use_of_funds"] = [{"label": "Hiring"}, {"label": "A disruptive launch"}]
    canvas["ask"]["milestones"] = [{"text": "实现颠覆"}, {"text": "guaranteed exit"}]

    findings = of_code(check_canvas(canvas), "hype")

    assert [(f.path, f.excerpt) for f in findings] == [
        ("ask.use_of_funds", "disruptive"),
        ("ask.milestones", "颠覆"),
        ("ask.milestones", "guaranteed"),
    ]
    assert findings[0].message_en.startswith("Row 2")
    assert findings[0].message_zh.startswith("第 2 行")
    assert findings[2].message_en.startswith("Row 2")


def test_html_is_read_as_plain_text() -> None:
    findings = check_canvas(
        canvas_with(
            climax="<p><strong>Revolutionary</strong> care&nbsp;&amp; no&nbsp;competitors</p>",
            vision='<a href="/x" title="disruptive">our plan</a>',
        )
    )

    assert excerpts(findings, "hype", "story.climax") == ["Revolutionary"]
    assert excerpts(findings, "absolute", "story.climax") == ["no competitors"]
    assert [f for f in findings if f.path == "story.vision"] == []


def test_upper_case_lexicon_entries_match_case_sensitively() -> None:
    canvas = canvas_with(origin="My mom runs a clinic.")
    assert of_code(check_canvas(canvas), "unbacked_growth") == []

    canvas = canvas_with(origin="Signups are up 30% MoM.")
    assert excerpts(check_canvas(canvas), "unbacked_growth") == ["MoM"]


# --- unbacked growth and accuracy claims --------------------------------------------------------------------------


def test_a_growth_claim_without_traction_rows_is_unbacked() -> None:
    findings = check_canvas(canvas_with(climax="Usage doubled since the pilot.", vision="用户数量快速增长。"))

    unbacked = of_code(findings, "unbacked_growth")
    assert [(f.path, f.excerpt) for f in unbacked] == [("story.climax", "doubled"), ("story.vision", "增长")]
    assert {f.severity for f in unbacked} == {"warning"}
    assert "traction" in unbacked[0].message_en


def test_a_growth_claim_with_one_period_per_metric_is_still_unbacked() -> None:
    canvas = canvas_with(climax="We are growing fast.")
    canvas["data"]["traction"] = [
        {"period": "2025-01", "metric": "Monthly users", "value": 120, "unit": "users"},
        {"period": "2025-02", "metric": "Paying teams", "value": 4, "unit": "teams"},
        {"period": "2025-03", "metric": "Monthly users", "value": None, "unit": "users"},
    ]

    assert excerpts(check_canvas(canvas), "unbacked_growth") == ["growing"]


def test_a_growth_claim_with_two_periods_of_one_metric_is_backed() -> None:
    canvas = canvas_with(climax="We are growing fast.", vision="用户增长翻倍。")
    canvas["data"]["traction"] = two_periods()

    assert of_code(check_canvas(canvas), "unbacked_growth") == []


def test_an_accuracy_claim_without_a_measured_experiment_is_unbacked() -> None:
    canvas = canvas_with(insight="Our model outperforms GPT-4 on triage.", climax="召回率很高。")
    canvas["data"]["experiments"] = [measured_experiment(value=None), measured_experiment(value="")]

    unbacked = of_code(check_canvas(canvas), "unbacked_accuracy")

    assert [(f.path, f.excerpt) for f in unbacked] == [("story.insight", "outperforms"), ("story.climax", "召回率")]
    assert {f.severity for f in unbacked} == {"warning"}


def test_an_accuracy_claim_with_a_numeric_experiment_value_is_backed() -> None:
    canvas = canvas_with(insight="Our model outperforms GPT-4 on triage.", climax="召回率很高。")
    canvas["data"]["experiments"] = [measured_experiment()]

    assert of_code(check_canvas(canvas), "unbacked_accuracy") == []


# --- experiments --------------------------------------------------------------------------------------------------


def test_experiment_rows_without_baseline_or_sample_count_name_the_row_and_model() -> None:
    canvas = empty_canvas()
    canvas["data"]["experiments"] = [
        measured_experiment(),
        measured_experiment(model="triage-v3", metric="F1", baseline=None),
        measured_experiment(model="triage-v4", metric="AUC", baseline="  ", samples=0),
        measured_experiment(model="triage-v5", metric="precision", samples=300.0),
        measured_experiment(model="triage-v6", metric="recall", value=None, baseline=None, samples=12.5),
    ]

    findings = check_canvas(canvas)

    no_baseline = of_code(findings, "no_baseline")
    assert [f.path for f in no_baseline] == ["data.experiments", "data.experiments"]
    assert [f.message_en.split(":")[0] for f in no_baseline] == ["Row 2 (triage-v3 · F1)", "Row 3 (triage-v4 · AUC)"]
    assert "第 2 行" in no_baseline[0].message_zh
    assert "triage-v3" in no_baseline[0].message_zh
    no_samples = of_code(findings, "no_sample_count")
    assert [f.message_en.split(":")[0] for f in no_samples] == [
        "Row 3 (triage-v4 · AUC)",
        "Row 5 (triage-v6 · recall)",
    ]
    assert {f.severity for f in no_baseline + no_samples} == {"warning"}


def test_a_fully_described_experiment_gives_no_findings() -> None:
    canvas = empty_canvas()
    canvas["data"]["experiments"] = [measured_experiment()]

    assert check_canvas(canvas) == []


# --- risks --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "impact", "mitigation", "flagged"),
    [
        (4, 4, "", True),
        (3, 4, "", False),
        (5, 3, "", True),
        (3, 5, None, True),
        (5, 5, "   \n", True),
        (5, 5, "<p></p>", True),
        (4, 4, "Keep scans on premises; yearly audit.", False),
        (None, 5, "", False),
        (4.0, 4.0, "", True),
    ],
)
def test_high_scoring_risks_need_a_mitigation(likelihood: Any, impact: Any, mitigation: Any, flagged: bool) -> None:
    canvas = empty_canvas()
    canvas["risks"] = [
        {
            "key": "data_leak",
            "title": "Patient data leak",
            "category": "legal",
            "likelihood": likelihood,
            "impact": impact,
            "response": "mitigate",
            "mitigation": mitigation,
            "owner": "CTO",
        }
    ]

    findings = of_code(check_canvas(canvas), "unmitigated_risk")

    assert len(findings) == (1 if flagged else 0)
    if flagged:
        score = str(int(likelihood) * int(impact))
        assert findings[0].path == "risks"
        assert findings[0].severity == "warning"
        assert "Patient data leak" in findings[0].message_en
        assert score in findings[0].message_en
        assert "Patient data leak" in findings[0].message_zh
        assert score in findings[0].message_zh


# --- business checklist ---------------------------------------------------------------------------------------------


def test_missing_checklist_items_and_done_items_without_evidence_are_info() -> None:
    canvas = empty_canvas()
    canvas["business"] = {
        "unit_economics": {"status": "missing", "evidence": ""},
        "pricing": {"status": "partial", "evidence": ""},
        "data_rights": {"status": "done", "evidence": "  "},
        "go_to_market": {"status": "done", "evidence": "Signed LOI with hospital B"},
    }

    findings = check_canvas(canvas)

    assert [(f.code, f.path, f.severity) for f in findings] == [
        ("missing_checklist", "business.unit_economics", "info"),
        ("no_evidence", "business.data_rights", "info"),
    ]
    assert "Unit economics and cost to serve" in findings[0].message_en
    assert "单位经济与单次服务成本" in findings[0].message_zh


CATALOGUE = json.loads(
    (Path(__file__).resolve().parents[2] / "pitchlab" / "checklists" / "data" / "catalogue.json").read_text("utf-8")
)


@pytest.mark.parametrize("item", CATALOGUE["business"], ids=lambda item: item["key"])
@pytest.mark.parametrize("status", ["missing", "done"])
def test_checklist_messages_name_each_catalogue_item_by_its_title_in_each_language(
    item: dict[str, Any], status: str
) -> None:
    canvas = empty_canvas()
    canvas["business"] = {item["key"]: {"status": status, "evidence": ""}}

    (finding,) = check_canvas(canvas)

    assert f"“{item['title_zh']}”" in finding.message_zh
    assert f'"{item["title_en"]}"' in finding.message_en
    spaced = item["key"].replace("_", " ")
    for english in (item["key"], spaced, item["title_en"]):
        assert english.casefold() not in finding.message_zh.casefold()


def test_checklist_titles_can_come_from_the_edited_catalogue_and_unknown_keys_stay_the_founders_word() -> None:
    canvas = empty_canvas()
    canvas["business"] = {
        "gross_margin": {"status": "missing"},
        "data_flywheel": {"status": "missing"},
    }

    findings = check_canvas(canvas, titles={"gross_margin": ("Margin after compute", "算力后毛利")})

    messages = {f.path: f.message_zh for f in findings}
    assert "“算力后毛利”" in messages["business.gross_margin"]
    assert "“data flywheel”" in messages["business.data_flywheel"]


# --- robustness, order, output --------------------------------------------------------------------------------------


def test_an_empty_canvas_gives_no_warnings() -> None:
    assert [f for f in check_canvas(empty_canvas()) if f.severity == "warning"] == []
    assert check_canvas(empty_canvas()) == []


ODD_VALUES: list[Any] = [
    None,
    0,
    -3,
    1.5,
    float("nan"),
    float("inf"),
    10**400,
    True,
    "",
    "  ",
    "x",
    [],
    {},
    [None],
    {"a": 1},
]


@pytest.mark.parametrize(
    "canvas",
    [
        {},
        {"story": None, "data": None, "ask": None, "business": None, "risks": None},
        {"story": "text", "data": [], "ask": "x", "business": [], "risks": {}},
        {"story": {"climax": None, "vision": 42, "insight": ["revolutionary"]}},
        {"data": {"traction": [None, 3, {"period": None, "value": "x"}], "experiments": [None, "row", {}]}},
        {"data": {"experiments": [{"value": 10**400, "baseline": float("nan"), "samples": "9" * 5000}]}},
        {"ask": {"use_of_funds": [None, 3, {"label": None}], "milestones": {"text": "x"}}},
        {"business": {"a": None, "b": "done", "c": {"status": None}, 7: {"status": "missing"}}},
        {"risks": [None, "risk", {"likelihood": "high", "impact": 5}, {"likelihood": 1e200, "impact": 1e200}]},
        {"risks": [{"likelihood": -5, "impact": -5, "mitigation": ""}]},
    ],
)
def test_the_checker_never_raises_on_a_partial_or_odd_canvas(canvas: dict[str, Any]) -> None:
    findings = check_canvas(canvas)

    assert all(isinstance(f, Finding) and f.code in CODES for f in findings)


@pytest.mark.parametrize("value", ODD_VALUES)
def test_the_checker_never_raises_whatever_value_any_unit_holds(value: Any) -> None:
    base = empty_canvas()
    base["business"] = {"pricing": {"status": "missing", "evidence": ""}}
    for path in unit_paths(base):
        canvas = empty_canvas()
        canvas["business"] = {"pricing": {"status": "missing", "evidence": ""}}
        section, _, name = path.partition(".")
        if name:
            canvas[section][name] = value
        else:
            canvas[section] = value
        check_canvas(canvas)


def test_findings_follow_the_editor_order_of_units_then_code() -> None:
    canvas = canvas_with(
        vision="No competitors, a revolutionary tool.",
        purpose="Revolutionary, and it grew 3x.",
    )
    canvas["risks"] = [{"title": "Leak", "likelihood": 5, "impact": 5, "mitigation": ""}]
    canvas["business"] = {"pricing": {"status": "missing"}}
    canvas["data"]["experiments"] = [{"model": "m", "value": 0.9}]

    findings = check_canvas(canvas)

    assert [(f.path, f.code) for f in findings] == [
        ("story.purpose", "hype"),
        ("story.purpose", "unbacked_growth"),
        ("story.vision", "absolute"),
        ("story.vision", "hype"),
        ("data.experiments", "no_baseline"),
        ("data.experiments", "no_sample_count"),
        ("business.pricing", "missing_checklist"),
        ("risks", "unmitigated_risk"),
    ]
    assert check_canvas(canvas) == findings


def test_a_finding_serialises_to_plain_json() -> None:
    [finding] = check_canvas(canvas_with(climax="A revolutionary tool."))

    data = json.loads(json.dumps(finding.as_json()))

    assert data == {
        "code": "hype",
        "path": "story.climax",
        "severity": "info",
        "message_en": finding.message_en,
        "message_zh": finding.message_zh,
        "excerpt": "revolutionary",
    }


# --- lexicon ------------------------------------------------------------------------------------------------------


def test_the_packaged_lexicon_is_substantial_and_read_once() -> None:
    lexicon = load_lexicon()

    assert load_lexicon() is lexicon
    for language in ("en", "zh"):
        assert len(getattr(lexicon.hype, language)) >= 15
        assert len(getattr(lexicon.absolute, language)) >= 10
        assert getattr(lexicon.growth_claims, language)
        assert getattr(lexicon.accuracy_claims, language)
    assert {"颠覆", "遥遥领先", "降维打击"} <= set(lexicon.hype.zh)
    assert {"没有竞争对手", "100%准确", "零风险"} <= set(lexicon.absolute.zh)


def test_a_lexicon_file_can_be_given_and_is_used(tmp_path: Path) -> None:
    path = tmp_path / "words.json"
    path.write_text(
        json.dumps({"_about": "test", "hype": {"en": ["stellar"], "zh": ["炸裂"]}, "absolute": {"en": ["always"]}}),
        encoding="utf-8",
    )

    lexicon = load_lexicon(path)
    findings = check_canvas(canvas_with(climax="A stellar, revolutionary, always-on, 炸裂 tool."), lexicon=lexicon)

    assert lexicon.absolute == Terms(en=("always",))
    assert excerpts(findings, "hype") == ["stellar", "炸裂"]
    assert excerpts(findings, "absolute") == []  # "always-on" is one hyphenated word


def test_an_empty_lexicon_finds_no_wording_issues() -> None:
    findings = check_canvas(canvas_with(climax="Revolutionary, no competitors, doubled."), lexicon=Lexicon())

    assert findings == []


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"hype": ["revolutionary"]},
        {"hype": {"fr": ["révolutionnaire"]}},
        {"buzz": {"en": ["x"]}},
        {"hype": {"en": ["ok", ""]}},
    ],
)
def test_a_malformed_lexicon_file_is_refused_with_a_clear_error(tmp_path: Path, data: Any) -> None:
    path = tmp_path / "words.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match=r"(?i)lexicon|must|unknown"):
        load_lexicon(path)


# --- a time without its unit ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "metric", ["latency", "p95 latency", "response time", "inference time (p50)", "延迟", "响应时间"]
)
def test_a_time_without_a_unit_gets_no_unit_in_both_languages(metric: str) -> None:
    canvas = empty_canvas()
    canvas["data"]["experiments"] = [measured_experiment(metric=metric, value=80, baseline=1400, measured=False)]

    found = of_code(check_canvas(canvas), "no_unit")

    assert [(f.path, f.severity) for f in found] == [("data.experiments", "warning")]
    assert found[0].message_en.startswith(f"Row 1 (triage-v2 · {metric})")
    assert "ms or s" in found[0].message_en
    assert "单位" in found[0].message_zh


@pytest.mark.parametrize(
    "row",
    [
        {"metric": "latency", "value": 80, "unit": "ms"},  # the unit is said
        {"metric": "latency", "value": 14.0, "unit": " s "},
        {"metric": "accuracy", "value": 0.91},  # a score needs no unit
        {"metric": "timeline slip", "value": 3},  # "time" inside another word is no time
        {"metric": "latency", "value": None},  # no figure yet: nothing is claimed
    ],
)
def test_a_time_with_its_unit_or_no_time_at_all_gets_no_no_unit(row: dict[str, Any]) -> None:
    canvas = empty_canvas()
    canvas["data"]["experiments"] = [measured_experiment(**row)]

    assert of_code(check_canvas(canvas), "no_unit") == []


# --- the read model ---------------------------------------------------------------------------------------------------


def test_a_parsed_view_and_its_document_give_the_same_findings() -> None:
    canvas = canvas_with(climax="A revolutionary tool; usage doubled.", vision="No competitors.")
    canvas["ask"]["milestones"] = [{"date": None, "text": "A guaranteed exit"}]
    canvas["data"]["experiments"] = [measured_experiment(baseline=None, samples=40, overlap=3, sample_model=True)]
    canvas["risks"] = [{"title": "Leak", "category": "legal", "likelihood": 5, "impact": 4, "mitigation": ""}]
    canvas["business"] = {"pricing": {"status": "missing", "evidence": ""}}

    findings = check_canvas(canvas_view(canvas))

    assert findings == check_canvas(canvas)
    assert {f.code for f in findings} == {
        "hype",
        "absolute",
        "unbacked_growth",
        "no_baseline",
        "small_sample",
        "eval_overlap",
        "sample_model_result",
        "unmitigated_risk",
        "missing_checklist",
    }


def test_values_validation_refuses_read_as_not_given() -> None:
    """The read model parses the canvas once: a figure stored as text (validation stores numbers) is no figure."""
    canvas = empty_canvas()
    canvas["data"]["experiments"] = [measured_experiment(baseline="the rules engine", samples="300")]

    assert {f.code for f in check_canvas(canvas)} == {"no_baseline", "no_sample_count"}
