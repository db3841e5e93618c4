"""Fuzzing the way in: any bytes become parsed rows or one clear per-file error, never a crash.

Each property runs the corpus files as explicit examples first, then what hypothesis
makes of bytes, encodings, quotes, delimiters, JSON values and workbook cells.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from schemas.limits import DeliveryLimits
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tasks.intake.checked import checked_delivery
from tasks.intake.extract import Delivery
from tasks.intake.limits import check_limits
from tasks.intake.parse import ParsedDelivery, UnreadableDelivery, parse_delivery
from tests.tasks.intake.hostile_corpus import CODE, FIXTURES, HEADER, TEXT, row

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMITS = DeliveryLimits()
REFERENCE = load_reference()
NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)


def _corpus(suffix: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Return a decorator adding every corpus file ending in `suffix` as an example."""

    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        for path in sorted(FIXTURES.glob(f"*{suffix}")):
            test = example(content=path.read_bytes())(test)
        return test

    return decorate


def _parsed_or_unreadable(kind: str, content: bytes, encoding: str | None = None) -> None:
    """Parse `content` as the checks and the parser would; only `UnreadableDelivery` may escape."""
    delivery = Delivery(f"{CODE}-{kind}", CODE, kind, f"fuzz.{kind}", content, encoding)
    outcome = _outcome(delivery)
    if isinstance(outcome, UnreadableDelivery):
        assert str(outcome).startswith(f"fuzz.{kind}: ")
        assert "\n" not in str(outcome)
    else:
        _assert_rows_are_numbered(outcome)


def _outcome(delivery: Delivery) -> ParsedDelivery | UnreadableDelivery:
    try:
        check_limits(delivery, LIMITS)
        return parse_delivery(delivery, 0)
    except UnreadableDelivery as error:
        return error


def _assert_rows_are_numbered(parsed: ParsedDelivery) -> None:
    numbers = parsed.reports.get_column("row_number")
    assert numbers.null_count() == 0
    assert numbers.is_unique().all()
    assert set(parsed.rejections.get_column("row_number")).isdisjoint(numbers)


@FUZZ
@_corpus(".csv")
@given(content=st.binary(max_size=600))
def test_any_bytes_as_csv_are_rows_or_one_clear_error(content: bytes) -> None:
    _parsed_or_unreadable("csv", content, "cp1252")


cells = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.sampled_from(["", '"', '""', '"a;b"', "a\nb", '"a\nb"', "\r", "\x00", TEXT, "31.2.2026"]),
)


@FUZZ
@given(
    rows=st.lists(st.lists(cells, min_size=1, max_size=12), max_size=6),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "latin-1"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_delimited_text_in_any_encoding_is_rows_or_one_clear_error(
    rows: list[list[str]], delimiter: str, codec: str, newline: str
) -> None:
    lines = [HEADER.replace(";", delimiter), *(delimiter.join(cells) for cells in rows)]
    content = newline.join(lines).encode(codec, errors="replace")
    _parsed_or_unreadable("csv", content, "cp1252")


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(["kyllä", "1.1.26", TEXT]),
    ),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
report_items = st.dictionaries(
    st.sampled_from([*HEADER.split(";"), "teema", "ilmiö", "x"]), json_values, max_size=10
)


@FUZZ
@_corpus(".json")
@given(
    content=st.builds(
        lambda document, cut: json.dumps(document).encode()[: cut or None],
        st.fixed_dictionaries(
            {
                "municipality_code": json_values,
                "reports": st.lists(report_items | json_values, max_size=5),
            }
        )
        | json_values,
        st.integers(min_value=0, max_value=200),
    )
)
def test_any_json_is_rows_or_one_clear_error(content: bytes) -> None:
    _parsed_or_unreadable("json", content)


@FUZZ
@given(content=st.binary(max_size=300))
def test_any_bytes_as_json_are_one_clear_error_at_worst(content: bytes) -> None:
    _parsed_or_unreadable("json", content)


xlsx_cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.text(max_size=30).filter(lambda text: not text.startswith(("=", "{"))),
)


def _workbook(rows: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    date_format = book.add_format({"num_format": "d.m.yyyy"})
    sheet.write_row(0, 0, HEADER.split(";"))
    for at, cells_of_row in enumerate(rows, start=1):
        for column, value in enumerate(cells_of_row):
            if isinstance(value, date):
                sheet.write_datetime(at, column, value, date_format)
            elif value is not None:
                sheet.write(at, column, value)
    book.close()
    return buffer.getvalue()


@FUZZ
@_corpus(".xlsx")
@given(content=st.lists(st.lists(xlsx_cells, max_size=10), max_size=5).map(_workbook))
def test_any_workbook_cells_become_canonical_text_or_one_clear_error(content: bytes) -> None:
    _parsed_or_unreadable("xlsx", content)


field_texts = st.one_of(
    st.text(max_size=15),
    st.sampled_from(
        [
            "31.2.2026",
            "2026-13-01",
            "1.1.26",
            "29.2.2025",
            "29.2.2024",
            "0.0.0",
            "2026-07-01T25:00",
            "kyllä",
            "KYLLÄ",
            "ei",
            "1",
            "0",
            "true",
            "yes",
            "3,5",
            "4,0",
            "1e3",
            "-0",
            "٣",
            "Toimeentulo",
            "asuminen",
            "housing",
            "",
            " ",
            "\x00",
        ]
    ),
)
varied = [
    "submitted_on",
    "updated_at",
    "consent_to_quote",
    "clients_affected",
    "theme",
    "target_group",
    "urgency",
    "reporter_role",
    "secondary_themes",
]


EXTRA = ("updated_at", "consent_to_quote", "secondary_themes")


def _csv_cell(value: str) -> str:
    """Return one fuzzed value as a single-line CSV cell."""
    flat = " ".join(value.replace(";", ",").splitlines())
    return f'"{flat.replace(chr(34), chr(34) * 2)}"' if '"' in flat else flat


def _value_line(at: int, overrides: dict[str, str]) -> str:
    """Return a valid report line with the fuzzed values in place.

    Delimiters and line breaks are kept out; a value with a quote is quoted as CSV
    quotes it, since a bare leading quote opens a field that may span lines.
    """
    cells = dict(zip(HEADER.split(";"), row(f"V-{at}").split(";"), strict=True))
    cells |= {key: _csv_cell(value) for key, value in overrides.items()}
    return ";".join(cells[field] for field in [*HEADER.split(";"), *EXTRA])


@FUZZ
@given(
    values=st.lists(
        st.fixed_dictionaries(dict.fromkeys(varied, field_texts)), min_size=1, max_size=5
    )
)
@example(values=[dict.fromkeys(varied, "") | {"secondary_themes": '"'}] * 2)
def test_dates_booleans_numbers_and_labels_are_valid_or_rejected_by_name(
    values: list[dict[str, str]],
) -> None:
    lines = [";".join([HEADER, *EXTRA]), *(_value_line(at, v) for at, v in enumerate(values))]
    delivery = Delivery(f"{CODE}-csv", CODE, "csv", "fuzz.csv", "\n".join(lines).encode(), None)
    try:
        checked = checked_delivery(delivery, REFERENCE, Quarter.of(NOW.date()), NOW, LIMITS)
    except UnreadableDelivery:
        return
    rejected = set(checked.rejections.get_column("row_number"))
    valid = set(checked.reports.get_column("row_number"))
    assert rejected.isdisjoint(valid)
    assert len(rejected | valid) == len(values)
    assert checked.record.rows_in == checked.record.rows_valid + checked.record.rows_quarantined
    assert checked.rejections.filter(pl.col("field") == "").is_empty()
    assert checked.reports.get_column("submitted_on").dtype == pl.Date
