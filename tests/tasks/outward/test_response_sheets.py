"""Response sheets: one workbook per addressee, Finnish headers, dropdowns, nothing runs."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import polars as pl

from schemas.quarter import Quarter
from schemas.responses import SHEET_FIELDS, SHEET_HEADERS_FI, STATUS_LABELS_FI
from tasks.figures.followup import proposal_states
from tasks.intake.extract import Delivery
from tasks.intake.responses import checked_responses, read_response_lines
from tasks.outward.response_sheets import response_sheets
from tasks.warehouse.proposals import RESPONSE_SCHEMA

Q = Quarter(2026, 3)
PROPOSALS = pl.DataFrame(
    {
        "municipality_code": ["698", "698", "851", "851"],
        "report_id": ["R1", "R2", "T1", "T2"],
        "quarter": ["2026Q3", "2026Q2", "2026Q3", "2026Q3"],
        "submitted_on": [date(2026, 8, 1), date(2026, 5, 1), date(2026, 7, 1), date(2026, 7, 2)],
        "theme": ["debt", "housing", "mobility", "debt"],
        "addressee_level": ["municipality", "welfare_region", "welfare_region", "national"],
        "urgency": ["high", "low", "medium", "medium"],
        "proposal": ['=HYPERLINK("http://x")', "Asuntoja lisää.", "Bussi kylään.", "Laki."],
    }
)
NO_RESPONSES = pl.DataFrame(schema=RESPONSE_SCHEMA)


def _sheets() -> dict[str, bytes]:
    states = proposal_states(PROPOSALS, NO_RESPONSES, ["2026Q2", "2026Q3"])
    return response_sheets(states, Q)


def test_one_workbook_per_addressee_with_finnish_headers_and_its_open_proposals() -> None:
    sheets = _sheets()

    assert sorted(sheets) == [
        "responses/698.xlsx",
        "responses/national.xlsx",
        "responses/welfare_region.xlsx",
    ]
    book = openpyxl.load_workbook(io.BytesIO(sheets["responses/welfare_region.xlsx"]))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == tuple(SHEET_HEADERS_FI[field] for field in SHEET_FIELDS)
    assert [row[:2] for row in rows[1:]] == [("698", "R2"), ("851", "T1")]


def test_the_status_column_offers_the_status_list_and_no_text_is_a_formula() -> None:
    book = openpyxl.load_workbook(io.BytesIO(_sheets()["responses/698.xlsx"]))
    sheet = book.worksheets[0]
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]

    (status,) = lists
    assert str(status.sqref).startswith("G2")
    assert status.formula1.strip('"').split(",") == list(STATUS_LABELS_FI.values())
    cell = sheet["F2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"  # stored as text: Excel shows it, never runs it


def test_a_filled_sheet_comes_back_as_responses() -> None:
    book = openpyxl.load_workbook(io.BytesIO(_sheets()["responses/welfare_region.xlsx"]))
    sheet = book.worksheets[0]
    sheet["G2"], sheet["H2"], sheet["I2"] = (
        "päätetty",
        "Aluehallitus 1.9.2026 § 3",
        date(2026, 9, 1),
    )
    buffer = io.BytesIO()
    book.save(buffer)
    delivery = Delivery("responses", "", "xlsx", "welfare_region.xlsx", buffer.getvalue(), None)

    checked = checked_responses(
        read_response_lines(delivery), PROPOSALS.select("municipality_code", "report_id")
    )

    assert checked.rejections.is_empty()
    assert checked.valid.select("report_id", "status", "decided_on").rows() == [
        ("R2", "decided", date(2026, 9, 1))
    ]


def test_sheets_are_byte_reproducible() -> None:
    assert _sheets() == _sheets()
