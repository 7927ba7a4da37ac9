"""Pasted traction rows: CSV or spreadsheet cells in, good rows and founder-readable errors out."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from pitchlab.pitches.models import Pitch
from pitchlab.pitches.tabular import (
    COLUMNS,
    MAX_CELL_LENGTH,
    MAX_ROWS,
    MAX_SOURCE_LENGTH,
    ParseResult,
    RowError,
    TractionRow,
    parse_number,
    parse_traction,
)


def messages(result: ParseResult) -> list[str]:
    return [error.message for error in result.errors]


# --- layouts and delimiters ----------------------------------------------------------------------------------------


def test_comma_csv_with_header_in_another_column_order_maps_cells_by_header_name() -> None:
    result = parse_traction("Unit,VALUE,Metric,period\nUSD,1200,revenue,2024-01\n,350,users,2024-01\n")

    assert result.rows == [
        TractionRow(period="2024-01", metric="revenue", value=1200.0, unit="USD"),
        TractionRow(period="2024-01", metric="users", value=350.0, unit=""),
    ]
    assert result.errors == []
    assert result.ok


def test_header_without_unit_column_gives_rows_with_empty_unit() -> None:
    result = parse_traction("value,period,metric\n10,2024-01,users\n12,2024-02,users\n")

    assert [(row.period, row.value, row.unit) for row in result.rows] == [("2024-01", 10.0, ""), ("2024-02", 12.0, "")]
    assert result.errors == []


def test_spreadsheet_cells_without_header_are_period_metric_value_unit_and_commas_stay_in_the_number() -> None:
    # As Google Sheets puts it on the clipboard: tabs between cells, numbers formatted with thousands separators,
    # an empty trailing unit cell and a row of empty cells.
    pasted = "2024-01\tMAU\t1,234\tusers\n2024-02\tMAU\t2,345,678.5\t\n\t\t\t\n2024-03\tMAU\t3 000\n"

    result = parse_traction(pasted)

    assert result.rows == [
        TractionRow("2024-01", "MAU", 1234.0, "users"),
        TractionRow("2024-02", "MAU", 2345678.5, ""),
        TractionRow("2024-03", "MAU", 3000.0, ""),
    ]
    assert result.errors == []


def test_chinese_header_and_chinese_values_with_wan_and_yi() -> None:
    pasted = "月份\t指标\t数值\t单位\n2024年3月\t月活\t3万\t人\n2024年4月\t收入\t2亿\t元\n2024年5月\t收入\t1.5万元\t\n"

    result = parse_traction(pasted)

    assert result.rows == [
        TractionRow("2024年3月", "月活", 30000.0, "人"),
        TractionRow("2024年4月", "收入", 200000000.0, "元"),
        TractionRow("2024年5月", "收入", 15000.0, "元"),
    ]
    assert result.errors == []


@pytest.mark.parametrize("header", ["期间,指标,值", "日期,指标,数值", "Date,Metric,Value", "MONTH,metric,value"])
def test_header_synonyms_in_english_and_chinese_are_recognised(header: str) -> None:
    result = parse_traction(f"{header}\n2024-01,users,5\n")

    assert result.rows == [TractionRow("2024-01", "users", 5.0, "")]
    assert result.errors == []


def test_quoted_csv_cells_keep_thousands_separators_and_commas_in_text() -> None:
    pasted = (
        "period,metric,value,unit\n"
        '"Q1 2024","revenue, net","1,234,567.89",USD\n'
        '"Q2 2024", "revenue, net", "2,000", USD\n'
    )

    result = parse_traction(pasted)

    assert result.rows == [
        TractionRow("Q1 2024", "revenue, net", 1234567.89, "USD"),
        TractionRow("Q2 2024", "revenue, net", 2000.0, "USD"),
    ]
    assert result.errors == []


def test_semicolon_csv_with_decimal_commas_is_split_on_semicolons() -> None:
    result = parse_traction("2024-01;churn;1,5;%\n2024-02;churn;2,25;%\n")

    assert result.rows == [TractionRow("2024-01", "churn", 1.5, "%"), TractionRow("2024-02", "churn", 2.25, "%")]
    assert result.errors == []


def test_pipe_separated_rows_are_split_on_pipes() -> None:
    result = parse_traction("2024-01|users|100\n2024-02|users|120\n")

    assert [(row.period, row.value) for row in result.rows] == [("2024-01", 100.0), ("2024-02", 120.0)]
    assert result.errors == []


def test_utf8_bom_and_windows_line_endings_do_not_hide_the_header_or_shift_lines() -> None:
    pasted = "\ufeffperiod,metric,value\r\n2024-01,users,10\r\n\r\n2024-02,users,oops\r\n"

    result = parse_traction(pasted)

    assert result.rows == [TractionRow("2024-01", "users", 10.0, "")]
    assert messages(result) == ["line 4, column value: 'oops' is not a number"]


def test_old_mac_line_endings_are_line_breaks() -> None:
    result = parse_traction("2024-01,users,1\r2024-02,users,2\r")

    assert [row.value for row in result.rows] == [1.0, 2.0]


def test_blank_lines_are_skipped_but_counted_in_line_numbers() -> None:
    result = parse_traction("\n\n2024-01,users,1\n   \n\n2024-02,users,x\n")

    assert len(result.rows) == 1
    assert [(error.line, error.column) for error in result.errors] == [(6, "value")]


def test_whitespace_around_cells_is_trimmed() -> None:
    csv_result = parse_traction("  2024-01 ,  users  ,  1200 , USD \n")
    cells_result = parse_traction(" 2024-01 \t users\t 1200 \t USD  \n")

    assert csv_result.rows == [TractionRow("2024-01", "users", 1200.0, "USD")]
    assert cells_result.rows == [TractionRow("2024-01", "users", 1200.0, "USD")]


def test_empty_paste_gives_no_rows_and_no_errors() -> None:
    assert parse_traction("") == ParseResult(rows=[], errors=[])
    assert parse_traction(" \n\r\n\t\n") == ParseResult(rows=[], errors=[])


# --- two-column pastes -----------------------------------------------------------------------------------------


def test_two_column_paste_uses_the_default_metric() -> None:
    result = parse_traction("2024-01\t100\n2024-02\t150\n", default_metric="users")

    assert result.rows == [TractionRow("2024-01", "users", 100.0, ""), TractionRow("2024-02", "users", 150.0, "")]
    assert result.errors == []


def test_two_column_paste_without_default_metric_is_an_error_per_row() -> None:
    result = parse_traction("2024-01\t100\n2024-02\t150\n")

    assert result.rows == []
    assert [(error.line, error.column) for error in result.errors] == [(1, None), (2, None)]
    assert result.errors[0].message.startswith(
        "line 1: expected 3 to 5 columns (period, metric, value[, unit[, source]])"
    )
    assert "default metric" in result.errors[0].message


def test_header_without_metric_column_needs_a_default_metric() -> None:
    with_default = parse_traction("month,value\n2024-01,7\n", default_metric="pilots")
    without_default = parse_traction("month,value\n2024-01,7\n")

    assert with_default.rows == [TractionRow("2024-01", "pilots", 7.0, "")]
    assert without_default.rows == []
    assert messages(without_default) == [
        "line 1: the header has no metric column (expected period, metric, value and optionally unit and source)"
    ]


def test_empty_metric_cell_takes_the_default_metric_or_is_an_error() -> None:
    assert parse_traction("2024-01,,5\n", default_metric="users").rows == [TractionRow("2024-01", "users", 5.0, "")]
    assert messages(parse_traction("2024-01,,5\n")) == ["line 1, column metric: the cell is empty"]


# --- errors --------------------------------------------------------------------------------------------------------


def test_malformed_line_in_the_middle_is_reported_by_line_and_column_and_good_rows_are_kept() -> None:
    pasted = "period,metric,value\n2024-01,users,100\n2024-02,users,abc\n2024-03,users,300\n"

    result = parse_traction(pasted)

    assert [row.period for row in result.rows] == ["2024-01", "2024-03"]
    assert result.errors == [RowError(line=3, column="value", message="line 3, column value: 'abc' is not a number")]
    assert str(result.errors[0]) == "line 3, column value: 'abc' is not a number"
    assert not result.ok


def test_every_bad_cell_of_a_row_is_reported() -> None:
    result = parse_traction(f",{'m' * (MAX_CELL_LENGTH + 1)},\n")

    assert [error.column for error in result.errors] == ["period", "metric", "value"]
    assert all(error.line == 1 for error in result.errors)


def test_duplicate_period_for_the_same_metric_names_both_lines_and_keeps_the_first() -> None:
    pasted = "2024-03,users,100\n2024-03,revenue,5\n\n2024-03,users,120\n"

    result = parse_traction(pasted)

    assert result.rows == [TractionRow("2024-03", "users", 100.0, ""), TractionRow("2024-03", "revenue", 5.0, "")]
    assert messages(result) == ["line 4: duplicate period '2024-03' for metric 'users' (first on line 1)"]
    assert result.errors[0].line == 4


def test_duplicates_are_found_regardless_of_case_and_full_width_characters() -> None:
    result = parse_traction("Q1 2024,Users,1\nq1 ２０２４,users,2\n")

    assert len(result.rows) == 1
    assert messages(result) == ["line 2: duplicate period 'q1 ２０２４' for metric 'users' (first on line 1)"]


def test_a_row_after_a_bad_row_with_the_same_period_is_not_a_duplicate() -> None:
    result = parse_traction("2024-01,users,x\n2024-01,users,5\n")

    assert result.rows == [TractionRow("2024-01", "users", 5.0, "")]
    assert [error.line for error in result.errors] == [1]


def test_wrong_number_of_cells_names_the_line_and_the_expected_columns() -> None:
    result = parse_traction("2024-01,users,1,USD,Stripe,extra\n2024-02,users,2\n2024-03\n")

    assert [row.period for row in result.rows] == ["2024-02"]
    assert [(error.line, error.column) for error in result.errors] == [(1, None), (3, None)]
    assert result.errors[0].message.startswith(
        "line 1: expected 3 to 5 columns (period, metric, value[, unit[, source]]) but found 6"
    )
    assert result.errors[1].message.startswith(
        "line 3: expected 3 to 5 columns (period, metric, value[, unit[, source]]) but found 1"
    )


def test_wrong_number_of_cells_under_a_header_names_the_header_columns() -> None:
    result = parse_traction("metric\tperiod\tvalue\nusers\t2024-01\t1\textra\nusers\t2024-02\n")

    assert messages(result) == [
        "line 2: expected 3 columns, as in the header (metric, period, value) but found 4",
        "line 3: expected 3 columns, as in the header (metric, period, value) but found 2",
    ]


def test_unquoted_thousands_separator_in_csv_is_not_silently_read_as_a_unit() -> None:
    result = parse_traction("2024-01,users,1,234\n")

    assert result.rows == []
    assert result.errors[0].column == "unit"
    assert result.errors[0].message.startswith("line 1, column unit: '234' is a number, not a unit")
    assert '"1,234"' in result.errors[0].message


def test_unclosed_double_quote_is_pointed_out() -> None:
    result = parse_traction('2024-01,users,"5\n2024-02,users,6\n')

    assert result.rows == []
    assert result.errors[0].line == 1
    assert any("double quote" in message for message in messages(result))


@pytest.mark.parametrize("column", ["period", "metric", "unit"])
def test_cell_over_the_length_limit_is_an_error_for_that_cell(column: str) -> None:
    cells = {"period": "2024-01", "metric": "users", "value": "5", "unit": "USD"}
    cells[column] = "x" * (MAX_CELL_LENGTH + 1)
    pasted = "period,metric,value,unit\n2024-02,users,4,USD\n" + ",".join(cells.values()) + "\n"

    result = parse_traction(pasted)

    assert [row.period for row in result.rows] == ["2024-02"]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.line, error.column) == (3, column)
    assert error.message.startswith(f"line 3, column {column}: '")
    assert f"is {MAX_CELL_LENGTH + 1} characters long; the limit is {MAX_CELL_LENGTH}" in error.message


def test_cell_at_the_length_limit_is_accepted() -> None:
    metric = "m" * MAX_CELL_LENGTH

    result = parse_traction(f"2024-01,{metric},5\n")

    assert result.rows == [TractionRow("2024-01", metric, 5.0, "")]


def test_only_the_first_1000_data_rows_are_read_and_one_error_states_the_limit() -> None:
    assert MAX_ROWS == 1000
    lines = ["period,metric,value"] + [f"row {n},users,{n}" for n in range(1, 1251)]

    result = parse_traction("\n".join(lines))

    assert len(result.rows) == 1000
    assert result.rows[-1].period == "row 1000"
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.line, error.column) == (1002, None)
    assert "1000" in error.message
    assert "250" in error.message
    assert error.message.startswith("line 1002:")


def test_exactly_1000_data_rows_under_a_header_are_all_read() -> None:
    lines = ["period,metric,value"] + [f"row {n},users,{n}" for n in range(1, 1001)]

    result = parse_traction("\n".join(lines))

    assert len(result.rows) == 1000
    assert result.errors == []


def test_header_with_a_column_named_twice_reads_nothing() -> None:
    result = parse_traction("date,month,metric,value\n2024-01,Jan,users,5\n")

    assert result.rows == []
    assert [(error.line, error.column) for error in result.errors] == [(1, "period")]


def test_unknown_header_column_is_reported_and_ignored() -> None:
    result = parse_traction("period,metric,value,notes\n2024-01,users,5,launched on HN\n")

    assert result.rows == [TractionRow("2024-01", "users", 5.0, "")]
    assert messages(result) == [
        "line 1: column 'notes' is not one of period, metric, value, unit, source, so it was ignored"
    ]


# --- text ----------------------------------------------------------------------------------------------------------


def test_control_characters_are_stripped_but_markup_is_kept_as_text() -> None:
    result = parse_traction("2024-01\x00,<b>users</b>\x07,\x1b5,&amp;\x7f\n")

    assert result.rows == [TractionRow("2024-01", "<b>users</b>", 5.0, "&amp;")]


# --- numbers -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", 1234.0),
        ("1,234.5", 1234.5),
        ("1 234", 1234.0),
        ("1\u00a0234", 1234.0),
        ("1'234.5", 1234.5),
        ("1.234,5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1,5", 1.5),
        (".5", 0.5),
        ("1.2E+07", 12_000_000.0),
        ("-42", -42.0),
        ("−42", -42.0),
        ("+42", 42.0),
        ("(1,200)", -1200.0),
        ("1.2k", 1200.0),
        ("1.2K", 1200.0),
        ("3M", 3_000_000.0),
        ("3m", 3_000_000.0),
        ("2.5B", 2_500_000_000.0),
        ("2.5bn", 2_500_000_000.0),
        ("3万", 30_000.0),
        ("2亿", 200_000_000.0),
        ("1.5 万", 15_000.0),
        ("-1.2k", -1200.0),
        ("-0", 0.0),
    ],
)
def test_parse_number_reads_the_ways_founders_write_numbers(text: str, expected: float) -> None:
    assert parse_number(text) == (expected, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12%", (12.0, "%")),
        ("12.5 %", (12.5, "%")),
        ("-3%", (-3.0, "%")),
        ("$1,200", (1200.0, "USD")),
        ("-$1,200", (-1200.0, "USD")),
        ("$-1,200", (-1200.0, "USD")),
        ("$3.5M", (3_500_000.0, "USD")),
        ("¥1200", (1200.0, "CNY")),
        ("￥1200", (1200.0, "CNY")),
        ("€3.5", (3.5, "EUR")),
        ("3.5 €", (3.5, "EUR")),
        ("1200元", (1200.0, "元")),
        ("3万元", (30_000.0, "元")),
    ],
)
def test_parse_number_reports_the_unit_a_percent_or_currency_sign_implies(
    text: str, expected: tuple[float, str]
) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("１２３４５", 12345.0), ("１，２３４．５", 1234.5), ("－７", -7.0), ("３万", 30_000.0), ("１２％", 12.0)],
)
def test_parse_number_reads_full_width_digits(text: str, expected: float) -> None:
    assert parse_number(text)[0] == expected


@pytest.mark.parametrize(
    "text", ["abc", "nan", "NaN", "inf", "-inf", "Infinity", "1,2,3", "1..2", "12%%", "$5%", "5k%", "--5", "1 2", "$"]
)
def test_parse_number_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a number$"):
        parse_number(text)


def test_parse_number_rejects_numbers_too_large_for_a_float() -> None:
    with pytest.raises(ValueError, match="too large"):
        parse_number("1e400")


def test_parse_number_rejects_an_empty_cell() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_number("   ")


def test_percent_and_currency_units_are_inferred_only_when_the_unit_cell_is_empty() -> None:
    pasted = (
        "period,metric,value,unit\n"
        "2024-01,growth,12%,\n"
        '2024-01,mrr,"$1,200",\n'
        "2024-01,arr,€3.5M,\n"
        "2024-01,gmv,¥900,RMB\n"
    )

    result = parse_traction(pasted)

    assert [(row.metric, row.value, row.unit) for row in result.rows] == [
        ("growth", 12.0, "%"),
        ("mrr", 1200.0, "USD"),
        ("arr", 3_500_000.0, "EUR"),
        ("gmv", 900.0, "RMB"),
    ]
    assert result.errors == []


def test_full_width_digits_in_a_pasted_value_are_read() -> None:
    result = parse_traction("2024年1月\t用户\t１２，３４５\t人\n")

    assert result.rows == [TractionRow("2024年1月", "用户", 12345.0, "人")]


def test_nan_and_infinity_in_a_paste_are_errors_for_the_value_cell() -> None:
    result = parse_traction("2024-01,users,nan\n2024-02,users,inf\n2024-03,users,1e999\n")

    assert result.rows == []
    assert messages(result) == [
        "line 1, column value: 'nan' is not a number",
        "line 2, column value: 'inf' is not a number",
        "line 3, column value: '1e999' is out of range: values go from -1,000,000,000,000,000 to "
        "1,000,000,000,000,000, and are 0 or at least 0.000001 in size (try a larger or smaller unit)",
    ]


# --- the source column and the counts (issue 16 §5) ----------------------------------------------------------------

SIX_ROWS_WITH_SOURCE = (
    "period,metric,value,unit,source\n"
    "2025-01,paying teams,12,teams,Stripe dashboard\n"
    "2025-02,paying teams,19,teams,Stripe dashboard\n"
    "2025-03,paying teams,27,teams,Stripe dashboard\n"
    '2025-01,revenue,"1,200",USD,Stripe invoices\n'
    '2025-02,revenue,"2,050",USD,Stripe invoices\n'
    '2025-03,revenue,"3,400",USD,"Stripe invoices, net of refunds"\n'
)


def test_a_source_column_lands_in_the_source_and_six_good_rows_count_as_six_read_none_bad() -> None:
    result = parse_traction(SIX_ROWS_WITH_SOURCE)

    assert result.errors == []
    assert result.data_rows == 6
    assert result.bad_rows == 0
    assert [row.source for row in result.rows] == ["Stripe dashboard"] * 3 + ["Stripe invoices"] * 2 + [
        "Stripe invoices, net of refunds"
    ]
    assert result.rows[3] == TractionRow("2025-01", "revenue", 1200.0, "USD", "Stripe invoices")


@pytest.mark.parametrize(
    "header",
    [
        "期间\t指标\t数值\t单位\t来源",
        "月份\t指標\t值\t單位\t來源",
        "日期\t指标\t数值\t单位\t数据来源",
        "期间\t指标\t数值\t单位\t出处",
    ],
)
def test_chinese_headers_name_the_source_column_too(header: str) -> None:
    result = parse_traction(f"{header}\n2025年1月\t付费团队\t12\t个\t后台统计\n")

    assert result.rows == [TractionRow("2025年1月", "付费团队", 12.0, "个", "后台统计")]
    assert result.errors == []


def test_every_column_the_traction_table_has_is_a_header_name_and_a_position_without_header() -> None:
    # The editor's traction table and the paste agree on the columns.
    from pitchlab.pitches.editor import LIST_COLUMNS

    assert tuple(column["key"] for column in LIST_COLUMNS["data.traction"]) == COLUMNS
    with_header = parse_traction(f"{','.join(reversed(COLUMNS))}\nStripe,USD,5,revenue,2025-01\n")
    without_header = parse_traction("2025-01,revenue,5,USD,Stripe\n")
    assert with_header.rows == without_header.rows == [TractionRow("2025-01", "revenue", 5.0, "USD", "Stripe")]


def test_a_source_without_a_unit_is_read_and_an_empty_source_is_empty() -> None:
    result = parse_traction("period\tmetric\tvalue\tsource\n2025-01\tusers\t5\tGA4\n2025-02\tusers\t6\t\n")

    assert result.rows == [TractionRow("2025-01", "users", 5.0, "", "GA4"), TractionRow("2025-02", "users", 6.0)]
    assert result.bad_rows == 0


def test_a_source_over_its_limit_is_an_error_for_that_cell_and_one_at_the_limit_is_read() -> None:
    at_limit = "s" * MAX_SOURCE_LENGTH
    result = parse_traction(f"2025-01,users,5,,{at_limit}\n2025-02,users,6,,{at_limit}x\n")

    assert [row.source for row in result.rows] == [at_limit]
    assert [(error.line, error.column) for error in result.errors] == [(2, "source")]
    assert (result.data_rows, result.bad_rows) == (2, 1)


def test_the_source_limit_is_the_canvas_limit() -> None:
    from pitchlab.pitches.validation import SHORT

    assert MAX_SOURCE_LENGTH == SHORT


def test_an_ignored_header_column_makes_no_row_bad() -> None:
    result = parse_traction("period,metric,value,notes\n2024-01,users,5,launched\n2024-02,users,6,\n")

    assert len(result.rows) == 2
    assert len(result.errors) == 1  # the note about the header
    assert (result.data_rows, result.bad_rows) == (2, 0)


def test_blank_lines_and_the_header_are_not_counted_and_a_bad_row_is_counted_once() -> None:
    pasted = "\n\nperiod,metric,value\n\n2024-01,users,5\n   \n2024-02,users,abc%\n2024-03,,x\n;;\n\n"

    result = parse_traction(pasted)

    assert [row.period for row in result.rows] == ["2024-01"]
    assert [error.line for error in result.errors] == [7, 8, 8]  # line 8: empty metric and empty value
    assert (result.data_rows, result.bad_rows) == (3, 2)


def test_rows_under_a_broken_header_are_all_counted_bad() -> None:
    result = parse_traction("period,period,value\n2024-01,2024-01,5\n\n2024-02,2024-02,6\n")

    assert result.rows == []
    assert (result.data_rows, result.bad_rows) == (2, 2)


def test_rows_past_the_limit_are_counted_bad() -> None:
    result = parse_traction("".join(f"{i},users,{i}\n" for i in range(MAX_ROWS + 3)))

    assert (len(result.rows), result.data_rows, result.bad_rows) == (MAX_ROWS, MAX_ROWS + 3, 3)


@pytest.mark.django_db
def test_the_paste_api_returns_the_source_and_the_counts(api: APIClient, pitch: Pitch) -> None:
    response = api.post(
        f"/api/pitches/{pitch.pk}/traction/parse/",
        {"text": SIX_ROWS_WITH_SOURCE + "2025-04,users,many\n"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["data_rows"], body["bad_rows"], len(body["rows"]), len(body["errors"])) == (7, 1, 6, 1)
    assert body["rows"][0] == {
        "period": "2025-01",
        "metric": "paying teams",
        "value": 12.0,
        "unit": "teams",
        "source": "Stripe dashboard",
    }
    # What the paste reads, the canvas takes, source included.
    saved = api.patch(
        f"/api/pitches/{pitch.pk}/canvas/",
        {"base_version": pitch.version, "changes": {"data.traction": body["rows"]}},
        format="json",
    )
    assert saved.status_code == 200, saved.content
    pitch.refresh_from_db()
    assert pitch.content["data"]["traction"][5]["source"] == "Stripe invoices, net of refunds"


# --- generated pastes: every good row is read, and the counts add up -----------------------------------------------

HEADER_NAMES = {
    "en": {"period": "period", "metric": "metric", "value": "value", "unit": "unit", "source": "source"},
    "zh": {"period": "期间", "metric": "指标", "value": "数值", "unit": "单位", "source": "来源"},
    "en-title": {"period": "Month", "metric": "Metric", "value": "Value", "unit": "Units", "source": "Sources"},
}
_ALIASES = {"period", "periods", "date", "month", "metric", "metrics", "value", "values", "unit", "units", "source"}
# Cell text: letters, digits, CJK, spaces and punctuation that is no delimiter or quote.
_TEXT = st.text(
    alphabet=st.sampled_from("abcxyzABCXYZ0129 -_./()&#@收入月活用户团队后台统计"), min_size=1, max_size=30
).map(lambda t: " ".join(t.split()))  # runs of spaces are kept as one (see _clean)
_WORDS = _TEXT.filter(lambda t: bool(t) and t.casefold() not in _ALIASES and t not in ("来源", "单位", "指标", "数值"))
_UNITS = st.sampled_from(["", "USD", "users", "teams", "元", "人", "%"])


@st.composite
def _value(draw: st.DrawFn, grouped: bool) -> tuple[str, float]:
    whole = draw(st.integers(min_value=0, max_value=10**12))
    cents = draw(st.none() | st.integers(min_value=0, max_value=99))
    text = f"{whole:,}" if grouped and draw(st.booleans()) else str(whole)
    if cents is not None:
        text += f".{cents:02d}"
    return text, float(Decimal(text.replace(",", "")))


@st.composite
def _paste(draw: st.DrawFn) -> tuple[str, list[TractionRow], set[int]]:
    """A paste, the rows it must give and the lines of its bad rows."""
    delimiter = draw(st.sampled_from(["\t", ",", ";"]))
    header_lang = draw(st.none() | st.sampled_from(sorted(HEADER_NAMES)))
    with_unit, with_source = draw(st.booleans()), draw(st.booleans())
    if header_lang is None:  # without a header the order is fixed; a source needs the unit column before it
        columns = ["period", "metric", "value"] + (["unit", "source"] if with_source else ["unit"] if with_unit else [])
    else:
        optional = [c for c, on in (("unit", with_unit), ("source", with_source)) if on]
        columns = draw(st.permutations(["period", "metric", "value", *optional]))
    kinds = draw(st.lists(st.sampled_from(["good", "good", "good", "blank", "bad value", "one cell"]), max_size=25))

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    line = 0

    def write(cells: list[str]) -> None:
        nonlocal line
        writer.writerow(cells)
        line += 1

    if header_lang is not None:
        write([HEADER_NAMES[header_lang][column] for column in columns])
    expected: list[TractionRow] = []
    bad_lines: set[int] = set()
    for index, kind in enumerate(kinds):
        if kind == "blank":
            out.write(draw(st.sampled_from(["", "   ", delimiter * 2])) + "\n")
            line += 1
            continue
        if kind == "one cell":
            write([f"oops {index}"])
            bad_lines.add(line)
            continue
        text, number = draw(_value(grouped=delimiter != ";"))
        cells = {
            "period": f"{2000 + index // 12}-{index % 12 + 1:02d}",
            "metric": draw(_WORDS),
            "value": text if kind == "good" else "n/a",
            "unit": draw(_UNITS) if "unit" in columns else "",
            "source": draw(_WORDS) if "source" in columns else "",
        }
        write([cells[column] for column in columns])
        if kind == "good":
            expected.append(TractionRow(cells["period"], cells["metric"], number, cells["unit"], cells["source"]))
        else:
            bad_lines.add(line)
    return out.getvalue(), expected, bad_lines


@settings(max_examples=150, deadline=None)
@given(_paste())
def test_every_generated_good_row_is_read_and_the_counts_add_up(
    paste: tuple[str, list[TractionRow], set[int]],
) -> None:
    text, expected, bad_lines = paste

    result = parse_traction(text)

    assert result.rows == expected
    assert {error.line for error in result.errors} == bad_lines
    assert result.bad_rows == len(bad_lines)
    assert result.data_rows == len(expected) + len(bad_lines)
