"""Evaluation metrics and the labelled-CSV reader of models_service.evaluation (pure Python, no DB)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from models_service.evaluation import (
    ClassScore,
    EvaluationInputError,
    EvaluationReport,
    evaluate,
    percentile,
    read_text_csv,
)

# Ten samples over three classes, shuffled so that nothing depends on the input order.
#
#               predicted
#               a   b   c    support
#   true  a  [  3,  1,  0 ]    4
#         b  [  0,  2,  1 ]    3
#         c  [  1,  1,  1 ]    3
#   predicted:  4   4   2
PAIRS = [
    ("b", "c"),
    ("a", "a"),
    ("c", "a"),
    ("a", "b"),
    ("b", "b"),
    ("c", "c"),
    ("a", "a"),
    ("c", "b"),
    ("b", "b"),
    ("a", "a"),
]
Y_TRUE = [true for true, _ in PAIRS]
Y_PRED = [pred for _, pred in PAIRS]


def approx(fraction: Fraction) -> object:
    return pytest.approx(float(fraction), abs=1e-12)


# -- evaluate ---------------------------------------------------------------------------------------


def test_hand_computed_three_class_metrics() -> None:
    report = evaluate(Y_TRUE, Y_PRED)

    assert report.labels == ("a", "b", "c")
    assert report.samples == 10
    assert report.confusion == ((3, 1, 0), (0, 2, 1), (1, 1, 1))
    assert report.accuracy == approx(Fraction(6, 10))

    # a: P = 3/4, R = 3/4, F1 = 3/4
    # b: P = 2/4, R = 2/3, F1 = 2·(1/2)(2/3) / (1/2 + 2/3) = 4/7
    # c: P = 1/2, R = 1/3, F1 = 2·(1/2)(1/3) / (1/2 + 1/3) = 2/5
    expected = {
        "a": (Fraction(3, 4), Fraction(3, 4), Fraction(3, 4), 4),
        "b": (Fraction(1, 2), Fraction(2, 3), Fraction(4, 7), 3),
        "c": (Fraction(1, 2), Fraction(1, 3), Fraction(2, 5), 3),
    }
    assert [score.label for score in report.per_class] == ["a", "b", "c"]
    for score in report.per_class:
        precision, recall, f1, support = expected[score.label]
        assert score.precision == approx(precision), score.label
        assert score.recall == approx(recall), score.label
        assert score.f1 == approx(f1), score.label
        assert score.support == support

    # Macro averages are unweighted means over the labels; macro F1 is the mean of the F1s
    # (241/420), not the F1 of the macro precision and recall (which would be 7/12 = 245/420).
    assert report.macro_precision == approx(Fraction(7, 12))
    assert report.macro_recall == approx(Fraction(7, 12))
    assert report.macro_f1 == approx(Fraction(241, 420))
    assert report.latency_ms_p50 is None
    assert report.latency_ms_p95 is None


def test_perfect_predictions_score_one_everywhere() -> None:
    labels = ["spam", "ham", "eggs", "ham", "spam"]
    report = evaluate(labels, list(labels))

    assert report.accuracy == 1.0
    assert (report.macro_precision, report.macro_recall, report.macro_f1) == (1.0, 1.0, 1.0)
    assert all((s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0) for s in report.per_class)
    assert report.confusion == ((1, 0, 0), (0, 2, 0), (0, 0, 2))  # eggs, ham, spam


def test_class_never_predicted_gets_zero_precision_and_lowers_the_macro() -> None:
    # "c" is a true label twice but never predicted; both of its samples are predicted "a".
    report = evaluate(["a", "a", "b", "b", "c", "c"], ["a", "a", "b", "b", "a", "a"])
    scores = {s.label: s for s in report.per_class}

    assert scores["c"] == ClassScore(label="c", precision=0.0, recall=0.0, f1=0.0, support=2)
    assert scores["a"].precision == approx(Fraction(1, 2))
    assert scores["a"].f1 == approx(Fraction(2, 3))  # P = 1/2, R = 1
    # macro P = (1/2 + 1 + 0) / 3, macro R = (1 + 1 + 0) / 3, macro F1 = (2/3 + 1 + 0) / 3
    assert report.macro_precision == approx(Fraction(1, 2))
    assert report.macro_recall == approx(Fraction(2, 3))
    assert report.macro_f1 == approx(Fraction(5, 9))


def test_predicted_label_without_support_gets_zero_recall() -> None:
    report = evaluate(["a", "a", "b"], ["a", "x", "b"])
    scores = {s.label: s for s in report.per_class}

    assert report.labels == ("a", "b", "x")
    assert scores["x"] == ClassScore(label="x", precision=0.0, recall=0.0, f1=0.0, support=0)
    assert report.macro_recall == approx((Fraction(1, 2) + 1 + 0) / 3)


def test_explicit_label_that_never_occurs_scores_zero_and_dilutes_the_macro() -> None:
    report = evaluate(["a", "b"], ["a", "b"], labels=["a", "b", "z"])

    assert report.confusion == ((1, 0, 0), (0, 1, 0), (0, 0, 0))
    assert report.per_class[2] == ClassScore(label="z", precision=0.0, recall=0.0, f1=0.0, support=0)
    assert report.accuracy == 1.0
    assert report.macro_f1 == approx(Fraction(2, 3))


def test_given_label_order_is_honoured_in_scores_and_confusion_matrix() -> None:
    report = evaluate(Y_TRUE, Y_PRED, labels=["c", "a", "b"])

    assert report.labels == ("c", "a", "b")
    assert [s.label for s in report.per_class] == ["c", "a", "b"]
    # The matrix of the hand-computed test with rows and columns both reordered to c, a, b.
    assert report.confusion == ((1, 1, 1), (0, 3, 1), (1, 0, 2))
    assert report.as_json()["confusion"] == {"labels": ["c", "a", "b"], "matrix": [[1, 1, 1], [0, 3, 1], [1, 0, 2]]}


def test_latency_percentiles_on_known_values() -> None:
    latencies = [100.0, 10.0, 90.0, 20.0, 80.0, 30.0, 70.0, 40.0, 60.0, 50.0]
    report = evaluate(["a", "b"], ["a", "b"], latencies_ms=latencies)

    # Sorted 10..100; p50 sits at rank 4.5 → 50 + 0.5·10; p95 at rank 8.55 → 90 + 0.55·10.
    assert report.latency_ms_p50 == pytest.approx(55.0)
    assert report.latency_ms_p95 == pytest.approx(95.5)


def test_empty_latencies_give_no_percentiles() -> None:
    report = evaluate(["a", "b"], ["a", "b"], latencies_ms=[])
    assert (report.latency_ms_p50, report.latency_ms_p95) == (None, None)


def test_as_json_is_plain_and_serialisable() -> None:
    report = evaluate(Y_TRUE, Y_PRED, latencies_ms=[1.0, 3.0])
    data = report.as_json()

    assert json.loads(json.dumps(data)) == data
    assert data["labels"] == ["a", "b", "c"]
    assert data["samples"] == 10
    assert data["accuracy"] == pytest.approx(0.6)
    assert data["confusion"] == {"labels": ["a", "b", "c"], "matrix": [[3, 1, 0], [0, 2, 1], [1, 1, 1]]}
    b = data["per_class"][1]
    assert {key: b[key] for key in ("label", "precision", "recall", "f1", "support")} == {
        "label": "b",
        "precision": pytest.approx(0.5),
        "recall": pytest.approx(2 / 3),
        "f1": pytest.approx(4 / 7),
        "support": 3,
    }
    # b: 2 hits of 4 predicted, 2 of 3 true — each with its Wilson interval.
    assert b["precision_ci"]["method"] == b["recall_ci"]["method"] == "wilson"
    assert b["precision_ci"]["low"] < 0.5 < b["precision_ci"]["high"]
    assert set(data["intervals"]) == {"accuracy", "macro_precision", "macro_recall", "macro_f1"}
    assert data["intervals"]["accuracy"]["method"] == "wilson"
    assert data["intervals"]["macro_f1"]["method"] == "bootstrap"
    assert data["latency_ms_p50"] == pytest.approx(2.0)
    assert data["latency_ms_p95"] == pytest.approx(2.9)
    assert set(data) == {
        "labels",
        "samples",
        "accuracy",
        "macro_precision",
        "macro_recall",
        "macro_f1",
        "per_class",
        "confusion",
        "latency_ms_p50",
        "latency_ms_p95",
        "intervals",
    }


def test_report_is_immutable() -> None:
    report = evaluate(["a", "b"], ["a", "b"])
    assert isinstance(report, EvaluationReport)
    with pytest.raises(AttributeError):
        report.accuracy = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("y_true", "y_pred", "labels", "message"),
    [
        (["a", "b"], ["a"], None, "same length"),
        ([], [], None, "no samples"),
        (["a", "b"], ["a", "c"], ["a", "b"], r"y_pred\[1\] is 'c'"),
        (["a", "c"], ["a", "b"], ["a", "b"], r"y_true\[1\] is 'c'"),
        (["a", "b"], ["a", "b"], [], "labels must not be empty"),
        (["a", "b"], ["a", "b"], ["a", "b", "a"], "more than once"),
    ],
)
def test_invalid_inputs_are_refused_with_a_clear_message(
    y_true: list[str], y_pred: list[str], labels: list[str] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        evaluate(y_true, y_pred, labels=labels)


@pytest.mark.parametrize("latency", [-1.0, float("nan"), float("inf")])
def test_negative_or_non_finite_latencies_are_refused(latency: float) -> None:
    with pytest.raises(ValueError, match=r"latencies_ms\[1\]"):
        evaluate(["a", "b"], ["a", "b"], latencies_ms=[1.0, latency])


def test_a_bare_string_is_not_taken_for_a_sequence_of_labels() -> None:
    with pytest.raises(TypeError, match="single string"):
        evaluate("ab", "ab")


# -- percentile -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        # Sorted 15, 20, 35, 40, 50; the rank is (n - 1)·q/100 = 4·q/100.
        ([50.0, 15.0, 40.0, 20.0, 35.0], 0, 15.0),
        ([50.0, 15.0, 40.0, 20.0, 35.0], 25, 20.0),  # rank 1
        ([50.0, 15.0, 40.0, 20.0, 35.0], 40, 29.0),  # rank 1.6 → 20 + 0.6·15
        ([50.0, 15.0, 40.0, 20.0, 35.0], 50, 35.0),  # rank 2
        ([50.0, 15.0, 40.0, 20.0, 35.0], 95, 48.0),  # rank 3.8 → 40 + 0.8·10
        ([50.0, 15.0, 40.0, 20.0, 35.0], 100, 50.0),
        ([1.0, 2.0], 95, 1.95),  # rank 0.95
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),  # rank 1.5: the median of an even count
        ([7.0], 95, 7.0),
        ([3.0, 3.0, 3.0], 50, 3.0),
    ],
)
def test_percentile_interpolates_linearly_between_closest_ranks(values: list[float], q: float, expected: float) -> None:
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("values", "q", "message"),
    [
        ([], 50, "no values"),
        ([1.0], -1, "between 0 and 100"),
        ([1.0], 101, "between 0 and 100"),
        ([float("nan")], 50, "NaN"),
    ],
)
def test_percentile_refuses_bad_input(values: list[float], q: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        percentile(values, q)


# -- read_text_csv ----------------------------------------------------------------------------------


def test_reads_a_plain_csv_in_file_order() -> None:
    texts, labels = read_text_csv(b"text,label\nwhat a lovely day,pos\nawful service,neg\nfine I guess,pos\n")
    assert texts == ["what a lovely day", "awful service", "fine I guess"]
    assert labels == ["pos", "neg", "pos"]


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbftext,label\ngood,pos\nbad,neg\n",
        "\ufefftext,label\ngood,pos\nbad,neg\n",
        "text,label\ngood,pos\nbad,neg\n",
    ],
    ids=["bytes-with-bom", "str-with-bom", "str"],
)
def test_utf8_with_or_without_bom(data: bytes | str) -> None:
    assert read_text_csv(data) == (["good", "bad"], ["pos", "neg"])


def test_non_ascii_text_is_decoded_as_utf8() -> None:
    data = "text,label\ncafé crème,pos\nnaïve,neg\n".encode()
    assert read_text_csv(data) == (["café crème", "naïve"], ["pos", "neg"])


def test_columns_in_either_order_and_header_case_and_spaces_ignored() -> None:
    assert read_text_csv("label,text\npos,good\nneg,bad\n") == (["good", "bad"], ["pos", "neg"])
    assert read_text_csv(" Label , TEXT \npos,good\nneg,bad\n") == (["good", "bad"], ["pos", "neg"])


def test_extra_columns_are_ignored() -> None:
    assert read_text_csv("id,label,text\n1,pos,good\n2,neg,bad\n") == (["good", "bad"], ["pos", "neg"])


def test_quoted_fields_keep_commas_quotes_and_newlines() -> None:
    data = 'text,label\n"good, really good",pos\n"line one\nline two",neg\n"she said ""no""",neg\n'
    texts, labels = read_text_csv(data)
    assert texts == ["good, really good", "line one\nline two", 'she said "no"']
    assert labels == ["pos", "neg", "neg"]


def test_crlf_line_endings_and_blank_lines() -> None:
    data = b'text,label\r\n\r\ngood,pos\r\n"two\r\nlines",neg\r\n\r\n'
    assert read_text_csv(data) == (["good", "two\r\nlines"], ["pos", "neg"])


def test_labels_are_stripped_and_texts_kept_as_written() -> None:
    texts, labels = read_text_csv("text,label\n  padded text ,  pos \nbad,neg\n")
    assert texts == ["  padded text ", "bad"]
    assert labels == ["pos", "neg"]


def test_max_rows_is_inclusive() -> None:
    texts, _ = read_text_csv("text,label\na,x\nb,y\nc,x\n", max_rows=3)
    assert texts == ["a", "b", "c"]


def raises_at(data: bytes | str, line: int, message: str, *, max_rows: int = 50_000) -> EvaluationInputError:
    with pytest.raises(EvaluationInputError, match=message) as caught:
        read_text_csv(data, max_rows=max_rows)
    error = caught.value
    assert error.line == line
    assert str(error).startswith(f"line {line}: ")
    assert isinstance(error, ValueError)
    return error


@pytest.mark.parametrize(
    ("data", "missing"),
    [
        ("text,category\na,b\n", "'label'"),
        ("body,label\na,b\n", "'text'"),
        ("content,tag\na,b\n", "'text' and 'label'"),
    ],
)
def test_missing_header_column_is_named_on_line_one(data: str, missing: str) -> None:
    raises_at(data, 1, f"lacks {missing}")


def test_header_after_leading_blank_lines_is_reported_on_its_own_line() -> None:
    raises_at("\n\ntext,lbl\na,b\n", 3, "lacks 'label'")


def test_duplicate_header_column_is_refused() -> None:
    raises_at("text,label,text\na,b,c\n", 1, "'text' more than once")


def test_empty_input_has_no_header() -> None:
    raises_at(b"", 1, "no header")
    raises_at("\ufeff\n\n", 1, "no header")


def test_empty_text_names_its_line() -> None:
    raises_at("text,label\ngood,pos\n   ,neg\nbad,neg\n", 3, "empty text")


def test_empty_label_names_its_line_after_a_multiline_record() -> None:
    # The quoted text spans lines 2–4, so the row with the empty label starts on line 5.
    raises_at('text,label\n"one\ntwo\nthree",pos\nbad, \nfine,neg\n', 5, "empty label")


def test_wrong_field_count_names_its_line() -> None:
    raises_at("text,label\ngood,pos\nhello, world,pos\n", 3, "found 3; quote text that contains commas")
    raises_at("text,label\ngood,pos\nlonely\n", 3, "expected 2 fields as in the header but found 1")


def test_too_many_rows_names_the_first_row_over_the_limit() -> None:
    raises_at("text,label\na,x\nb,y\nc,x\nd,y\n", 4, "at most 2", max_rows=2)


def test_fewer_than_two_distinct_labels_is_refused() -> None:
    raises_at("text,label\ngood,pos\nnice,pos\n", 3, "every row has the label 'pos'")
    raises_at("text,label\n", 1, "no data rows")


def test_invalid_utf8_names_its_line() -> None:
    raises_at(b"text,label\ngood,pos\nbad \xff byte,neg\n", 3, "not valid UTF-8")


def test_malformed_quoting_names_the_line_where_the_record_starts() -> None:
    raises_at('text,label\ngood,pos\n"never closed,neg\nmore,pos\n', 3, "malformed CSV")
    raises_at('text,label\n"quoted"trailing,pos\n', 2, "malformed CSV")


def test_max_rows_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_rows"):
        read_text_csv("text,label\na,x\nb,y\n", max_rows=0)
