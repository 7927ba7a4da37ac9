from pitchlab.pitches.canvas import STORY_FIELDS, empty_canvas, set_unit
from pitchlab.pitches.completeness import completeness
from pitchlab.pitches.read_model import canvas_view


def test_a_blank_canvas_is_zero_everywhere() -> None:
    score = completeness(empty_canvas())
    assert score["overall"] == 0
    assert all(section["percent"] == 0 for section in score["sections"].values())


def test_story_counts_each_filled_field_and_ignores_whitespace() -> None:
    canvas = set_unit(empty_canvas(), "story.origin", "I ran support for four years.")
    canvas = set_unit(canvas, "story.vision", "   ")
    story = completeness(canvas)["sections"]["story"]
    assert story["done"] == 1
    assert story["total"] == len(STORY_FIELDS)
    assert "story.vision" in story["missing"]
    assert "story.origin" not in story["missing"]


def test_a_partial_business_item_counts_half() -> None:
    canvas = empty_canvas()
    canvas["business"] = {
        "a": {"status": "done", "evidence": "LOI"},
        "b": {"status": "partial", "evidence": ""},
        "c": {"status": "missing", "evidence": ""},
        "d": {"status": "missing", "evidence": ""},
    }
    business = completeness(canvas)["sections"]["business"]
    assert business["done"] == 1.5
    assert business["percent"] == 38  # 1.5 of 4


def test_data_needs_two_periods_three_market_sizes_two_competitors_and_a_baselined_result() -> None:
    canvas = empty_canvas()
    canvas["data"]["traction"] = [{"period": "2025-01", "metric": "users", "value": 1}]
    canvas["data"]["experiments"] = [{"model": "m", "metric": "acc", "value": 0.9, "baseline": None, "samples": 100}]
    assert completeness(canvas)["sections"]["data"]["done"] == 0
    canvas["data"]["traction"].append({"period": "2025-02", "metric": "users", "value": 2})
    canvas["data"]["experiments"][0]["baseline"] = 0.7
    for size in ("tam", "sam", "som"):
        canvas["data"]["market"][size]["value"] = 10
    canvas["data"]["competitors"] = {"x_axis": "price", "y_axis": "accuracy", "items": [{"name": "A"}, {"name": "B"}]}
    assert completeness(canvas)["sections"]["data"]["percent"] == 100


def test_use_of_funds_counts_only_when_it_adds_up_to_100() -> None:
    canvas = empty_canvas()
    canvas["ask"]["use_of_funds"] = [{"label": "Hiring", "percent": 60}]
    assert "ask.use_of_funds" in completeness(canvas)["sections"]["team_ask"]["missing"]
    canvas["ask"]["use_of_funds"].append({"label": "Compute", "percent": 40})
    assert "ask.use_of_funds" not in completeness(canvas)["sections"]["team_ask"]["missing"]


def test_a_risk_counts_when_scored_and_mitigated() -> None:
    canvas = empty_canvas()
    canvas["risks"] = [
        {"title": "GPU supply", "likelihood": 3, "impact": 4, "mitigation": "Two clouds under contract."},
        {"title": "Runway", "likelihood": 2, "impact": 5, "mitigation": ""},
        {"title": "Talent", "likelihood": None, "impact": 3, "mitigation": "Referral programme."},
    ]
    risks = completeness(canvas)["sections"]["risks"]
    assert (risks["done"], risks["total"], risks["percent"]) == (1, 3, 33)


def test_overall_is_the_mean_of_the_sections() -> None:
    canvas = empty_canvas()
    for name in STORY_FIELDS:
        canvas = set_unit(canvas, f"story.{name}", "x")
    assert completeness(canvas)["overall"] == round(100 / 6)


def test_a_parsed_view_scores_as_its_document() -> None:
    canvas = set_unit(empty_canvas(), "story.origin", "I ran support for four years.")
    canvas["data"]["traction"] = [
        {"period": "2025-01", "metric": "users", "value": 1, "unit": "", "source": ""},
        {"period": "2025-02", "metric": "users", "value": 2, "unit": "", "source": ""},
    ]
    canvas["ask"]["use_of_funds"] = [{"label": "Hiring", "percent": 60}, {"label": "Compute", "percent": 40}]
    canvas["risks"] = [
        {"title": "GPU supply", "category": "technical", "likelihood": 3, "impact": 4, "mitigation": "Two clouds."}
    ]

    score = completeness(canvas_view(canvas))

    assert score == completeness(canvas)
    assert score["sections"]["data"]["missing"] == ["data.market", "data.competitors", "data.experiments"]
    assert "ask.use_of_funds" not in score["sections"]["team_ask"]["missing"]
    assert score["sections"]["risks"]["percent"] == 100
