"""Tests for tasks/parse.py: every kind of delivery read into a delivered frame."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from schemas.fields import LINEAGE_DTYPES, REJECTION_DTYPES, REPORT_FIELDS
from tasks.intake.extract import Delivery
from tasks.intake.parse import (
    UnreadableDelivery,
    _polars_grid,
    _python_grid,
    field_of_header,
    parse_delivery,
)

NAME = "inbox/851/raportit.csv"


def _delivery(kind: str, content: bytes, encoding: str | None = None, name: str = NAME) -> Delivery:
    return Delivery(f"851-{kind}", "851", kind, name, content, encoding)  # type: ignore[arg-type]


def _csv(text: str, encoding: str = "utf-8", declared: str | None = None) -> Delivery:
    return _delivery("csv", text.encode(encoding), declared)


def _picked(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return frame.select(*columns, "row_number").rows()


# --- the delivered frame ------------------------------------------------------------------


def test_delivered_frame_has_every_field_as_text_then_the_lineage_columns() -> None:
    delivery = _csv("report_id;theme\nR-1;housing\n")

    result = parse_delivery(delivery, seq=7)

    expected_schema = {**dict.fromkeys(REPORT_FIELDS, pl.String()), **LINEAGE_DTYPES}
    assert result.reports.schema == pl.Schema(expected_schema)
    assert result.reports.row(0, named=True) == {
        **dict.fromkeys(REPORT_FIELDS),
        "report_id": "R-1",
        "theme": "housing",
        "source_id": "851-csv",
        "delivery": NAME,
        "delivery_sha256": delivery.sha256,
        "delivery_seq": 7,
        "row_number": 2,
    }
    assert result.rejections.schema == pl.Schema(REJECTION_DTYPES)
    assert result.rejections.is_empty()


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("report_id", "report_id"),
        ("  Raportin_Tunnus ", "report_id"),
        ("KUNTANUMERO", "municipality_code"),
        ("jätetty", "submitted_on"),
        ("Jätetty", "submitted_on"),
        ("raportin tunnus", "report_id"),
        ("kohderyhmä", "target_group"),
        ("muistiinpanot", None),
        ("", None),
    ],
)
def test_headers_are_field_names_or_finnish_headers_in_any_case(
    header: str, field: str | None
) -> None:
    assert field_of_header(header) == field


# --- CSV ------------------------------------------------------------------------------------


def test_cp1252_csv_with_finnish_headers_is_read() -> None:
    text = (
        "raportin_tunnus;kuntanumero;ilmiö;kohderyhmä\r\n"
        "R-1;851;Äiti ja isä jäävät yksin;perheet\r\n"
    )

    result = parse_delivery(_csv(text, encoding="cp1252"), seq=1)

    assert _picked(
        result.reports, "report_id", "municipality_code", "phenomenon", "target_group"
    ) == [("R-1", "851", "Äiti ja isä jäävät yksin", "perheet", 2)]


def test_utf8_bom_csv_with_comma_delimiter_is_read_without_the_bom() -> None:
    delivery = _delivery("csv", "\ufeffreport_id,phenomenon\nR-1,Yö ja päivä\n".encode())

    result = parse_delivery(delivery, seq=1)

    assert _picked(result.reports, "report_id", "phenomenon") == [("R-1", "Yö ja päivä", 2)]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_title_and_blank_lines_above_the_header_are_skipped_and_lines_still_counted(
    encoding: str,
) -> None:
    text = (
        "Sosiaaliset raportit; Tornio, Q3/2026\r\n"
        "\r\n"
        "raportin_tunnus,kuntanumero,ilmiö\r\n"
        'R-1,851,"Pitkät matkat; jonot, velat"\r\n'
    )

    result = parse_delivery(_csv(text, encoding=encoding), seq=1)

    assert _picked(result.reports, "report_id", "municipality_code", "phenomenon") == [
        ("R-1", "851", "Pitkät matkat; jonot, velat", 4)
    ]
    assert result.rejections.is_empty()


def test_the_header_line_decides_the_delimiter_not_the_lines_around_it() -> None:
    text = "\nreport_id,phenomenon\nR-1,a; b; c; d; e; f\n"

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id", "phenomenon") == [("R-1", "a; b; c; d; e; f", 3)]


def test_excel_unicode_text_in_utf16_with_tabs_is_read() -> None:
    delivery = _delivery("csv", "report_id\tphenomenon\r\nR-1\tSámi ŋ ŧ\r\n".encode("utf-16"))

    result = parse_delivery(delivery, seq=1)

    assert _picked(result.reports, "report_id", "phenomenon") == [("R-1", "Sámi ŋ ŧ", 2)]


def test_a_file_that_is_not_utf8_is_read_in_the_encoding_the_source_declares() -> None:
    delivery = _csv("report_id;causes\nR-1;maksaa 50 € kuussa\n", "iso8859_15", "iso8859_15")

    result = parse_delivery(delivery, seq=1)

    assert result.reports.get_column("causes").to_list() == ["maksaa 50 € kuussa"]


def test_a_file_that_decodes_in_no_allowed_encoding_is_unreadable_and_says_why() -> None:
    delivery = _delivery("csv", b"report_id;causes\nR-1;\x81\x8d\n")

    with pytest.raises(UnreadableDelivery, match=r"inbox/851/raportit.csv.*cp1252.*UTF-8"):
        parse_delivery(delivery, seq=1)


def test_an_unknown_declared_encoding_is_unreadable_and_names_the_setting() -> None:
    delivery = _delivery("csv", b"report_id\n\xe4\n", encoding="klingon")

    with pytest.raises(UnreadableDelivery, match=r"raportit.csv.*klingon.*sources.toml"):
        parse_delivery(delivery, seq=1)


def test_codes_stay_text_and_values_are_trimmed_with_empty_as_null() -> None:
    text = "report_id;municipality_code;clients_affected;causes\n  R-1  ;005; 007 ;   \n"

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(
        result.reports, "report_id", "municipality_code", "clients_affected", "causes"
    ) == [("R-1", "005", "007", None, 2)]


def test_quoted_fields_keep_newlines_and_delimiters_and_rows_start_on_their_line() -> None:
    text = (
        "report_id;phenomenon;proposal\r\n"
        'R-1;"rivi 1\r\nrivi 2; ""lainaus""";"a\nb\nc"\r\n'
        "R-2;yksi rivi;\r\n"
    )

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id", "phenomenon", "proposal") == [
        ("R-1", 'rivi 1\r\nrivi 2; "lainaus"', "a\nb\nc", 2),
        ("R-2", "yksi rivi", None, 6),
    ]


def test_empty_rows_and_empty_trailing_columns_are_ignored_but_counted_as_lines() -> None:
    text = "report_id;theme;;\nR-1;housing;;\n\n;;;\n  ;  \nR-2;debt;;\n\n\n"

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id", "theme") == [
        ("R-1", "housing", 2),
        ("R-2", "debt", 6),
    ]
    assert result.rejections.is_empty()


def test_unknown_columns_are_ignored_and_missing_fields_are_null() -> None:
    text = "muistiinpano;report_id\nsisäinen huomautus;R-1\n"

    result = parse_delivery(_csv(text), seq=1)

    assert result.reports.get_column("report_id").to_list() == ["R-1"]
    assert result.reports.get_column("theme").to_list() == [None]
    assert "muistiinpano" not in result.reports.columns


def test_a_ragged_row_is_rejected_with_its_line_number_and_the_others_are_kept() -> None:
    text = (
        "report_id;municipality_code;theme\n"
        "R-1;851;housing\n"
        '"R-2\nx";005;debt;extra;\n'
        "R-3;851;debt\n"
    )

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id") == [("R-1", 2), ("R-3", 5)]
    expected = pl.DataFrame(
        {
            "source_id": ["851-csv"],
            "municipality_code": ["005"],
            "report_id": ["R-2x"],  # a rejection keeps no control character of an id
            "delivery": [NAME],
            "row_number": [3],
            "field": ["(row)"],
            "rule": ["unreadable_row"],
        },
        schema={name: REJECTION_DTYPES[name] for name in list(REJECTION_DTYPES)[:7]},
    )
    assert_frame_equal(result.rejections.drop("reason", "reason_fi"), expected)
    assert "more cells than the header" in result.rejections.item(0, "reason")
    assert "enemmän soluja" in result.rejections.item(0, "reason_fi")


def test_extra_empty_cells_beyond_the_header_are_not_ragged() -> None:
    text = "report_id;theme\nR-1;housing;;;\nR-2;debt\n"

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id", "theme") == [
        ("R-1", "housing", 2),
        ("R-2", "debt", 3),
    ]
    assert result.rejections.is_empty()


def test_a_ragged_row_of_an_unknown_municipality_code_falls_back_to_the_source() -> None:
    text = "report_id;municipality_code\nR-1;Tornio;x\n"

    result = parse_delivery(_csv(text), seq=1)

    assert result.rejections.select("municipality_code", "report_id").row(0) == ("851", "R-1")


def test_a_misplaced_quote_rejects_only_its_row() -> None:
    text = 'report_id;phenomenon\nR-1;"lainaus" jatkuu\nR-2;hyvä\n'

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id") == [("R-2", 3)]
    assert result.rejections.select("row_number", "rule").rows() == [(2, "unreadable_row")]
    assert "quote" in result.rejections.item(0, "reason")


def test_a_quote_that_is_never_closed_makes_the_file_unreadable_naming_the_line() -> None:
    text = 'report_id;phenomenon\nR-1;ok\nR-2;"alkaa tästä\nR-3;ok\n'

    with pytest.raises(UnreadableDelivery, match=r"raportit.csv.*line 3.*never closed"):
        parse_delivery(_csv(text), seq=1)


def test_lines_ending_in_a_bare_carriage_return_are_read_line_by_line() -> None:
    text = "report_id;theme\rR-1;housing\r\rR-2;debt\r"

    result = parse_delivery(_csv(text), seq=1)

    assert _picked(result.reports, "report_id", "theme") == [
        ("R-1", "housing", 2),
        ("R-2", "debt", 4),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("report_id;theme;teema\nR-1;a;b\n", "theme more than once"),
        ("report_id;report_id\nR-1;R-1\n", "report_id more than once"),
        ("tunnus;aihe\nR-1;a\n", "no recognisable header"),
        ("R-1;851;2026-07-01\n", "no recognisable header"),
        ("", "empty"),
        ("\r\n\r\n", "empty"),
    ],
)
def test_a_csv_without_a_usable_header_is_unreadable(text: str, reason: str) -> None:
    with pytest.raises(UnreadableDelivery, match=rf"^inbox/851/raportit.csv: .*{reason}"):
        parse_delivery(_csv(text), seq=1)


cell_text = st.text(alphabet=st.sampled_from('ab ;,"\n\räö€'), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=6))
def test_the_fast_and_the_exact_csv_readers_agree(records: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([["a", "b", "c"], *records])
    text = buffer.getvalue()

    fast = _polars_grid(text.encode(), ";")
    exact, broken = _python_grid(text, ";", _csv(text))

    assert broken == []
    if fast is not None:
        assert_frame_equal(fast.fill_null(""), exact)


# --- XLSX -----------------------------------------------------------------------------------


def _workbook(rows: list[list[object]], first_row: int = 0) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Raportit")
    date_format = workbook.add_format({"num_format": "d.m.yyyy"})
    for index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date | datetime):
                sheet.write_datetime(first_row + index, column, value, date_format)
            elif value is not None:
                sheet.write(first_row + index, column, value)
    workbook.add_worksheet("Ohjeet").write(0, 0, "report_id")
    workbook.close()
    return buffer.getvalue()


def test_xlsx_typed_cells_become_canonical_text_on_their_excel_rows() -> None:
    content = _workbook(
        [
            ["Raportin tunnus", "kuntanumero", "jätetty", "päivitetty", "asiakkaita_arviolta"]
            + ["lupa_lainata", "ilmiö"],
            ["R-1", "005", date(2026, 7, 1), datetime(2026, 7, 1, 12, 30, 15), 12, True, "a\nb"],
            [None] * 7,
            ["R-2", 851, "1.7.2026", "2026-07-01T12:00:00+03:00", 12.5, "kyllä", " x "],
        ]
    )

    result = parse_delivery(_delivery("xlsx", content, name="inbox/240/r.xlsx"), seq=1)

    columns = ("report_id", "municipality_code", "submitted_on", "updated_at")
    assert _picked(result.reports, *columns) == [
        ("R-1", "005", "2026-07-01", "2026-07-01T12:30:15", 2),
        ("R-2", "851", "1.7.2026", "2026-07-01T12:00:00+03:00", 4),
    ]
    columns = ("clients_affected", "consent_to_quote", "phenomenon")
    assert _picked(result.reports, *columns) == [
        ("12", "true", "a\nb", 2),
        ("12.5", "kyllä", "x", 4),
    ]


def test_xlsx_rows_keep_their_excel_row_numbers_below_empty_leading_rows() -> None:
    content = _workbook([["report_id", "theme"], ["R-1", "housing"]], first_row=2)

    result = parse_delivery(_delivery("xlsx", content), seq=1)

    assert _picked(result.reports, "report_id") == [("R-1", 4)]


def test_an_xlsx_title_row_above_the_header_is_skipped() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.merge_range(0, 0, 0, 2, "Sosiaaliset raportit, Kemi Q3/2026")
    sheet.write_row(1, 0, ["Viety 1.10.2026"])
    sheet.write_row(3, 0, ["raportin_tunnus", "kuntanumero", "teema"])
    sheet.write_row(4, 0, ["K-1", "240", "housing"])
    workbook.close()

    result = parse_delivery(_delivery("xlsx", buffer.getvalue()), seq=1)

    assert _picked(result.reports, "report_id", "municipality_code", "theme") == [
        ("K-1", "240", "housing", 5)
    ]
    assert result.rejections.is_empty()


def test_xlsx_cells_beyond_the_header_reject_their_row() -> None:
    content = _workbook([["report_id", "theme"], ["R-1", "housing", "extra"], ["R-2", "debt"]])

    result = parse_delivery(_delivery("xlsx", content), seq=1)

    assert _picked(result.reports, "report_id") == [("R-2", 3)]
    assert result.rejections.select("report_id", "row_number").rows() == [("R-1", 2)]


def test_a_file_that_is_not_a_workbook_is_unreadable_naming_it() -> None:
    delivery = _delivery("xlsx", b"report_id;theme\nR-1;a\n", name="inbox/240/r.xlsx")

    with pytest.raises(UnreadableDelivery, match=r"^inbox/240/r.xlsx: not an Excel workbook"):
        parse_delivery(delivery, seq=1)


# --- JSON -----------------------------------------------------------------------------------


def _json(document: object) -> Delivery:
    return _delivery("json", json.dumps(document).encode(), name="inbox/148/vienti.json")


def test_json_rows_take_the_export_municipality_and_canonical_text() -> None:
    document = {
        "municipality_code": "148",
        "exported_at": "2026-10-01T06:00:00+03:00",
        "reports": [
            {
                "report_id": "R-1",
                "secondary_themes": ["housing", " debt "],
                "consent_to_quote": True,
            },
            {"report_id": "R-2", "municipality_code": "005", "clients_affected": 12.0},
            {"raportin_tunnus": "R-3", "clients_affected": 7, "consent_to_quote": False},
        ],
    }

    result = parse_delivery(_json(document), seq=1)

    columns = ("report_id", "municipality_code", "secondary_themes", "clients_affected")
    assert _picked(result.reports, *columns) == [
        ("R-1", "148", "housing|debt", None, 1),
        ("R-2", "005", None, "12", 2),
        ("R-3", "148", None, "7", 3),
    ]
    assert result.reports.get_column("consent_to_quote").to_list() == ["true", None, "false"]


def test_json_items_that_are_not_rows_are_rejected_by_position() -> None:
    document = {
        "municipality_code": "148",
        "reports": [{"report_id": "R-1"}, "R-2", {"report_id": "R-3", "theme": {"code": "x"}}, {}],
    }

    result = parse_delivery(_json(document), seq=1)

    assert _picked(result.reports, "report_id") == [("R-1", 1)]
    assert result.rejections.select("row_number", "municipality_code", "report_id").rows() == [
        (2, "148", ""),
        (3, "148", "R-3"),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"municipality_code": "148", "reports": [', "not valid JSON"),
        (b"[]", "not shaped as"),
        (b'{"reports": {"report_id": "R-1"}}', "not shaped as"),
    ],
)
def test_malformed_or_misshapen_json_is_unreadable_naming_the_file(
    content: bytes, reason: str
) -> None:
    delivery = _delivery("json", content, name="inbox/148/vienti.json")

    with pytest.raises(UnreadableDelivery, match=rf"^inbox/148/vienti.json: .*{reason}"):
        parse_delivery(delivery, seq=1)


# --- SQL extracts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"), [(b"", "not an SQL extract"), (b"x,y\n1,2\n", "no recognisable header")]
)
def test_a_sql_delivery_that_is_not_an_extract_is_unreadable(content: bytes, reason: str) -> None:
    delivery = _delivery("sql", content, name="698-sql:a..b")

    with pytest.raises(UnreadableDelivery, match=rf"^698-sql:a..b: {reason}"):
        parse_delivery(delivery, seq=1)
