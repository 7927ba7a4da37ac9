"""Parse the traction rows a founder pastes, as CSV or as cells copied from a spreadsheet.

A traction row is a period ("2024-01", "Q1 2024", "2024年3月"), a metric ("users", "月活"), a number, an optional
unit ("USD", "元") and an optional source ("Stripe dashboard"): the columns of the editor's traction table. The text
comes from a textarea, so it may be comma-, semicolon- or pipe-separated CSV, or the tab-separated cells that Excel,
Google Sheets and Numbers put on the clipboard, with or without a header row in English or Chinese.

Nothing here raises on bad input: every problem becomes a ``RowError`` that names the line (1-based, counted in the
pasted text, blank lines included) and, where it is about one cell, the column, with a message a founder can act on.
The good rows are kept. Text stays text: nothing is HTML-escaped here (the templates escape); only control characters
other than tab and newline are dropped.

Standard library only (and the pure bounds of the canvas), so it can be used outside Django.
"""

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, DecimalException

from pitchlab.pitches.bounds import SMALLEST, TRACTION_VALUE, format_bound

__all__ = [
    "COLUMNS",
    "MAX_CELL_LENGTH",
    "MAX_ROWS",
    "MAX_SOURCE_LENGTH",
    "OPTIONAL_COLUMNS",
    "ParseResult",
    "RowError",
    "TractionRow",
    "parse_number",
    "parse_traction",
]

#: The columns of a traction row, in the order used when the paste has no header.
COLUMNS = ("period", "metric", "value", "unit", "source")
#: The columns a row may leave out.
OPTIONAL_COLUMNS = ("unit", "source")
#: The most characters a period, metric or unit may have.
MAX_CELL_LENGTH = 100
#: The most characters a source may have (the canvas' limit for a short text).
MAX_SOURCE_LENGTH = 200
#: The most data rows read from one paste; the rest are reported once and skipped.
MAX_ROWS = 1000


@dataclass(frozen=True)
class TractionRow:
    """One good data point: ``value`` of ``metric`` in ``period``, measured in ``unit``, taken from ``source`` (both
    may be empty)."""

    period: str
    metric: str
    value: float
    unit: str = ""
    source: str = ""


@dataclass(frozen=True)
class RowError:
    """A problem with the paste: its 1-based ``line``, the ``column`` it concerns (None for the whole row) and a
    ``message`` for the founder that already names the line, e.g. "line 3, column value: 'abc' is not a number"."""

    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ParseResult:
    """The good ``rows`` of a paste, in paste order, and the ``errors`` for the rest, in line order.

    ``data_rows`` counts the rows of data the paste holds: not the header, not blank lines, and a row whose quoted
    cell spans several lines once. Every one of them is either read (in ``rows``) or bad (``bad_rows``), so the two
    always add up to ``data_rows``; an error about the header alone (an ignored column) makes no row bad.
    """

    rows: list[TractionRow]
    errors: list[RowError]
    data_rows: int = 0

    @property
    def ok(self) -> bool:
        """Whether the whole paste was read without a problem."""
        return not self.errors

    @property
    def bad_rows(self) -> int:
        """How many rows of data could not be read."""
        return self.data_rows - len(self.rows)


# --- text clean-up -------------------------------------------------------------------------------------------------

# Unicode category Cc is exactly U+0000-U+001F and U+007F-U+009F; tab and newline are the two we keep.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")
_INVISIBLE = "\u200b\u2060\ufeff"  # zero-width space, word joiner, byte order mark


def _strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def _clean(cell: str) -> str:
    """One cell as kept: runs of whitespace (newlines inside quoted cells included) become one space, and the
    cell is trimmed."""
    return _WHITESPACE.sub(" ", cell).strip(" " + _INVISIBLE).strip()


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- numbers -------------------------------------------------------------------------------------------------------

_CURRENCY_SYMBOLS: Mapping[str, str] = {"$": "USD", "¥": "CNY", "€": "EUR", "£": "GBP"}
_CURRENCY_SUFFIXES: Mapping[str, str] = {**_CURRENCY_SYMBOLS, "元": "元"}
_MINUS_SIGNS = "-−–"  # hyphen-minus, minus sign, en dash (what Numbers and Word turn a minus into)
_SIGNS = "+" + _MINUS_SIGNS
_MULTIPLIERS: Mapping[str, int] = {
    "k": 10**3,
    "m": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "千": 10**3,
    "万": 10**4,
    "亿": 10**8,
}

# Accepted shapes of the digits once signs, currency, percent and multipliers are off, tried in this order.
# An ambiguous "1.234" is one point two three four and "1,234" is one thousand two hundred and thirty-four.
_PLAIN = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)  # 1234.5, .5, 1.2E+07
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)  # 1,234,567.8
_GROUPED_SPACE = re.compile(r"\d{1,3}(?:[ '’]\d{3})+(?:[.,]\d+)?", re.ASCII)  # 1 234 567,8 and 1'234.5
_GROUPED_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)  # 1.234.567,8
_DECIMAL_COMMA = re.compile(r"\d+,\d+", re.ASCII)  # 1,5 (not three digits after the comma: that is 1,234 above)


def _take_suffix(body: str, suffixes: Mapping[str, object]) -> tuple[str, str | None]:
    folded = body.casefold()
    for suffix in sorted(suffixes, key=len, reverse=True):
        if folded.endswith(suffix):
            return body[: -len(suffix)].rstrip(), suffix
    return body, None


def _to_decimal(digits: str) -> Decimal | None:
    if _PLAIN.fullmatch(digits):
        return Decimal(digits)
    if _GROUPED_COMMA.fullmatch(digits):
        return Decimal(digits.replace(",", ""))
    if _GROUPED_SPACE.fullmatch(digits):
        return Decimal(re.sub(r"[ '’]", "", digits).replace(",", "."))
    if _GROUPED_DOT.fullmatch(digits):
        return Decimal(digits.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.fullmatch(digits):
        return Decimal(digits.replace(",", "."))
    return None


class TooLarge(ValueError):
    """A number past what a float holds."""


def parse_number(text: str) -> tuple[float, str]:
    """Read a number as founders write it; return it with the unit it implies ("" when it implies none).

    Accepted: thousands separators ("1,234.5", "1 234", "1'234"), a decimal comma ("1,5", "1.234,5"), a sign
    ("-3", "−3", "(1,200)" for minus 1200), a percent sign ("12%" is 12.0 and implies "%"), a currency symbol before
    or after ("$1,200", "¥1200", "€3.5", "£2" imply USD, CNY, EUR, GBP; "1200元" implies "元"), a multiplier ("1.2k",
    "3M", "2.5B", "2.5bn", "3万", "2亿", "5千") and full-width characters ("１２３", "１２％"), which are read through
    NFKC. Anything else, NaN and infinity included, raises ValueError with a message for the founder, e.g.
    "'abc' is not a number".
    """
    shown = _shorten(_clean(_strip_controls(text)))
    body = _clean(unicodedata.normalize("NFKC", _strip_controls(text)))
    if not body:
        raise ValueError("the cell is empty")
    not_a_number = ValueError(f"'{shown}' is not a number")

    negative = False
    if len(body) >= 2 and body[0] == "(" and body[-1] == ")":  # accountants' negative
        negative, body = True, body[1:-1].strip()
    sign, currency = "", ""
    while body:  # a sign and a currency symbol, in either order: "-$5", "$-5"
        head = body[0]
        if head in _SIGNS and not sign and not negative:
            sign = head
        elif head in _CURRENCY_SYMBOLS and not currency:
            currency = _CURRENCY_SYMBOLS[head]
        else:
            break
        body = body[1:].lstrip()
    if sign and sign in _MINUS_SIGNS:
        negative = True

    body, currency_suffix = _take_suffix(body, _CURRENCY_SUFFIXES)
    if currency_suffix is not None:
        if currency:
            raise not_a_number
        currency = _CURRENCY_SUFFIXES[currency_suffix]
    percent = body.endswith("%")
    if percent:
        body = body[:-1].rstrip()
    body, multiplier_suffix = _take_suffix(body, _MULTIPLIERS)
    if percent and (currency or multiplier_suffix):
        raise not_a_number

    amount = _to_decimal(body)
    if amount is None:
        raise not_a_number
    try:
        if multiplier_suffix is not None:
            amount *= _MULTIPLIERS[multiplier_suffix]
        value = float(-amount if negative else amount)
    except DecimalException:
        value = math.inf
    if not math.isfinite(value):
        raise TooLarge(f"'{shown}' is too large")
    return value + 0.0, ("%" if percent else currency)  # + 0.0 turns -0.0 into 0.0


# --- rows ----------------------------------------------------------------------------------------------------------

_HEADER_NAMES: Mapping[str, str] = {
    **dict.fromkeys(["period", "periods", "date", "month", "期间", "期間", "日期", "月份"], "period"),
    **dict.fromkeys(["metric", "metrics", "指标", "指標"], "metric"),
    **dict.fromkeys(["value", "values", "数值", "數值", "值"], "value"),
    **dict.fromkeys(["unit", "units", "单位", "單位"], "unit"),
    **dict.fromkeys(["source", "sources", "来源", "來源", "数据来源", "數據來源", "出处", "出處"], "source"),
}
_SNIFF_LINES = 50
_SEPARATORS = ",;|\t "
_DIGITS = re.compile(r"\d[\d.,]*", re.ASCII)


@dataclass(frozen=True)
class _Record:
    start: int  # the line the row starts on
    end: int  # the line it ends on (later than start when a quoted cell holds a newline)
    cells: list[str]
    unreadable: bool = False


@dataclass(frozen=True)
class _Header:
    line: int
    positions: Mapping[str, int]  # column name -> index in the row
    width: int  # cells in the header row
    required_width: int  # cells a row needs so that every required column is there


def _normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return _strip_controls(text)


def _records(text: str, delimiter: str) -> Iterator[_Record]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=delimiter != "\t", strict=False)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:  # only a cell over csv.field_size_limit() gets here, as strict is off
            yield _Record(previous + 1, reader.line_num, [], unreadable=True)
            return
        yield _Record(previous + 1, reader.line_num, cells)
        previous = reader.line_num


def _width(cells: list[str]) -> int:
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _detect_delimiter(text: str) -> str:
    """Tab when any line has one (cells copied from a spreadsheet); otherwise what csv.Sniffer finds among ",;|",
    unless another of those splits the first lines into traction-shaped rows (3 to 5 cells) more often, as with
    "2024-01;users;1,5" where the sniffer's preference for the comma would win; comma when nothing is found."""
    if "\t" in text:
        return "\t"
    sample = "\n".join([line for line in text.split("\n") if line.strip()][:_SNIFF_LINES])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;|").delimiter
    except csv.Error:
        sniffed = ","

    def score(delimiter: str) -> int:
        rows = csv.reader(io.StringIO(sample), delimiter=delimiter, skipinitialspace=True, strict=False)
        try:
            return sum(3 <= _width(cells) <= len(COLUMNS) for cells in rows)
        except csv.Error:
            return -1

    scores = {delimiter: score(delimiter) for delimiter in ",;|"}
    best = max(",;|", key=lambda delimiter: scores[delimiter])
    return sniffed if scores.get(sniffed, -1) >= scores[best] else best


def _header_key(cell: str) -> str:
    return _clean(unicodedata.normalize("NFKC", cell)).casefold()


def _read_header(cells: list[str], line: int, default_metric: str | None, errors: list[RowError]) -> _Header | None:
    """The header in the first row, or None when that row is data. A header is a row with at least two known column
    names; a header without the columns a row needs is an error (added to ``errors``), and so is a column named
    twice: both leave a header whose ``positions`` lack "period" or "value", so that nothing is read."""
    names = [_HEADER_NAMES.get(_header_key(cell)) for cell in cells]
    if sum(name is not None for name in names) < 2:
        return None
    positions: dict[str, int] = {}
    broken = False
    for index, (cell, name) in enumerate(zip(cells, names, strict=True)):
        if name is None:
            if cell:
                errors.append(
                    RowError(
                        line,
                        None,
                        f"line {line}: column '{_shorten(cell)}' is not one of {', '.join(COLUMNS)}, so it was ignored",
                    )
                )
        elif name in positions:
            errors.append(
                RowError(
                    line,
                    name,
                    f"line {line}: column '{_shorten(cell)}' is a second {name} column "
                    f"(the first is column {positions[name] + 1})",
                )
            )
            broken = True
        else:
            positions[name] = index
    required = ["period", "value"] if default_metric else ["period", "metric", "value"]
    missing = [name for name in required if name not in positions]
    if missing:
        errors.append(
            RowError(
                line,
                None,
                f"line {line}: the header has no {' or '.join(missing)} column "
                f"(expected {', '.join(COLUMNS[:3])} and optionally {' and '.join(OPTIONAL_COLUMNS)})",
            )
        )
    if missing or broken:
        return _Header(line, {}, len(cells), 0)
    required_width = max(positions[name] for name in positions if name not in OPTIONAL_COLUMNS) + 1
    return _Header(line, positions, len(cells), required_width)


def _wrong_width(line: int, found: int, expected: str, delimiter: str, hint: str = "") -> RowError:
    message = f"line {line}: expected {expected} but found {found}"
    if hint:
        message += f"; {hint}"
    elif delimiter == "," and found > 3:
        message += '; put numbers with thousands separators in double quotes, e.g. "1,234"'
    return RowError(line, None, message)


def _fields(
    cells: list[str], line: int, header: _Header | None, default_metric: str | None, delimiter: str
) -> dict[str, str] | RowError:
    """The row's cells by column name, or the error for a row with the wrong number of cells."""
    found = _width(cells)
    if header is None:
        if found == 2 and default_metric:
            return {"period": cells[0], "value": cells[1]}
        if 3 <= found <= len(COLUMNS) or (found < 3 and len(cells) >= 3):  # "2024-01,users," has an empty value
            return dict(zip(COLUMNS, cells[: len(COLUMNS)], strict=False))
        hint = "to paste only periods and values, choose a default metric" if found == 2 else ""
        return _wrong_width(line, found, "3 to 5 columns (period, metric, value[, unit[, source]])", delimiter, hint)
    if found > header.width or len(cells) < header.required_width:
        order = sorted(header.positions, key=header.positions.__getitem__)
        count = (
            str(header.width) if header.width == header.required_width else f"{header.required_width} to {header.width}"
        )
        return _wrong_width(
            line,
            found if found > header.width else len(cells),
            f"{count} columns, as in the header ({', '.join(order)})",
            delimiter,
        )
    return {name: cells[index] if index < len(cells) else "" for name, index in header.positions.items()}


def _too_long(line: int, column: str, text: str, limit: int = MAX_CELL_LENGTH) -> RowError | None:
    if len(text) <= limit:
        return None
    return RowError(
        line,
        column,
        f"line {line}, column {column}: '{_shorten(text)}' is {len(text)} characters long; the limit is {limit}",
    )


def _read_row(
    fields: Mapping[str, str], line: int, default_metric: str | None, delimiter: str
) -> TractionRow | list[RowError]:
    errors: list[RowError] = []
    period = fields.get("period", "")
    metric = fields.get("metric", "") or default_metric or ""
    unit = fields.get("unit", "")
    source = fields.get("source", "")
    for column, text in (("period", period), ("metric", metric)):
        if not text:
            errors.append(RowError(line, column, f"line {line}, column {column}: the cell is empty"))
    for column, text in (("period", period), ("metric", metric), ("unit", unit)):
        if error := _too_long(line, column, text):
            errors.append(error)
    if error := _too_long(line, "source", source, MAX_SOURCE_LENGTH):
        errors.append(error)
    if _DIGITS.fullmatch(unicodedata.normalize("NFKC", unit)):  # "2024-01,users,1,234" is value 1 and unit 234
        message = f"line {line}, column unit: '{_shorten(unit)}' is a number, not a unit"
        if delimiter == ",":
            message += '; put numbers with thousands separators in double quotes, e.g. "1,234"'
        errors.append(RowError(line, "unit", message))
    value = 0.0
    shown = _shorten(_clean(_strip_controls(fields.get("value", ""))))
    out_of_range = (
        f"line {line}, column value: '{shown}' is out of range: values go from {format_bound(TRACTION_VALUE.low)} "
        f"to {format_bound(TRACTION_VALUE.high)}, and are 0 or at least {format_bound(SMALLEST)} in size (try a "
        "larger or smaller unit)"
    )
    try:
        value, implied_unit = parse_number(fields.get("value", ""))
    except TooLarge:
        errors.append(RowError(line, "value", out_of_range))
    except ValueError as exc:
        errors.append(RowError(line, "value", f"line {line}, column value: {exc}"))
    else:
        unit = unit or implied_unit
        if not TRACTION_VALUE.holds(value):  # the canvas' own bound, so a paste never yields rows it would refuse
            errors.append(RowError(line, "value", out_of_range))
    return errors or TractionRow(period=period, metric=metric, value=value, unit=unit, source=source)


def _row_key(row: TractionRow) -> tuple[str, str]:
    return (
        unicodedata.normalize("NFKC", row.period).casefold(),
        unicodedata.normalize("NFKC", row.metric).casefold(),
    )


def parse_traction(text: str, *, default_metric: str | None = None) -> ParseResult:
    """Read pasted traction rows: CSV (comma, semicolon or pipe) or tab-separated spreadsheet cells.

    The first non-blank row is a header when at least two of its cells name columns, case-insensitively, in English
    or Chinese: period/date/month/期间/日期/月份, metric/指标, value/数值/值, unit/单位, source/来源/出处. With a header
    the columns may come in any order and unit and source may be left out; without one they are period, metric,
    value and optionally unit, then source.
    Given ``default_metric``, rows of just period and value are read too (and a header needs no metric column), and
    a row with an empty metric cell gets the default. Values are read by ``parse_number``; when a row's unit is empty
    it takes the unit its value implies ("%", "USD", ...).

    Blank lines are skipped (but counted in line numbers), as are a UTF-8 byte order mark, Windows or old Mac line
    endings, whitespace around cells and control characters other than tab and newline. A row with the same period
    and metric as an earlier good row, compared case-insensitively and after NFKC, is an error, as are periods,
    metrics and units over ``MAX_CELL_LENGTH`` characters, sources over ``MAX_SOURCE_LENGTH`` and rows with the wrong
    number of cells. Only the first ``MAX_ROWS`` data rows are read; one error says how many more there were.
    ``data_rows`` counts every row of data, read or not, so the good and the bad rows add up to it.
    """
    metric_default = _clean(_strip_controls(default_metric or "")) or None
    if metric_default is not None and len(metric_default) > MAX_CELL_LENGTH:
        raise ValueError(f"default_metric is longer than {MAX_CELL_LENGTH} characters")

    text = _normalise_text(text)
    delimiter = _detect_delimiter(text)
    rows: list[TractionRow] = []
    errors: list[RowError] = []
    first_lines: dict[tuple[str, str], int] = {}
    header: _Header | None = None
    seen_first_row = False
    unusable_header = False
    data_rows = 0
    first_skipped_line = 0

    for record in _records(text, delimiter):
        line = record.start
        if record.unreadable:
            errors.append(
                RowError(
                    line,
                    None,
                    f"line {line}: a cell is longer than {csv.field_size_limit()} characters (is a double quote not "
                    "closed?), so this line and the rest of the paste were not read",
                )
            )
            data_rows += 1
            break
        cells = [_clean(cell) for cell in record.cells]
        # A row of empty cells is blank, whatever separated them: ";;" is blank even when the paste is comma-separated.
        if not any(cell.strip(_SEPARATORS) for cell in cells):
            continue
        if not seen_first_row:
            seen_first_row = True
            header = _read_header(cells, line, metric_default, errors)
            if header is not None:
                unusable_header = not header.positions
                continue
        data_rows += 1
        if unusable_header:  # no row can be read under it, but each is counted
            continue
        if data_rows > MAX_ROWS:
            first_skipped_line = first_skipped_line or line
            continue

        fields = _fields(cells, line, header, metric_default, delimiter)
        result = _read_row(fields, line, metric_default, delimiter) if isinstance(fields, dict) else [fields]
        if isinstance(result, TractionRow):
            key = _row_key(result)
            if key in first_lines:
                result = [
                    RowError(
                        line,
                        "period",
                        f"line {line}: duplicate period '{_shorten(result.period)}' for metric "
                        f"'{_shorten(result.metric)}' (first on line {first_lines[key]})",
                    )
                ]
            else:
                first_lines[key] = line
                rows.append(result)
                continue
        errors.extend(result)
        if record.end > record.start:
            errors.append(
                RowError(
                    line,
                    None,
                    f"line {line}: lines {record.start} to {record.end} were read as one row because of a double "
                    "quote; check that every double quote is closed",
                )
            )

    if data_rows > MAX_ROWS and not unusable_header:
        errors.append(
            RowError(
                first_skipped_line,
                None,
                f"line {first_skipped_line}: at most {MAX_ROWS} rows can be pasted at once; the first {MAX_ROWS} "
                f"were read and the other {data_rows - MAX_ROWS}, from this line on, were not",
            )
        )
    return ParseResult(rows=rows, errors=errors, data_rows=data_rows)
