"""Response sheets out (CONTRACT.md §6): one workbook per addressee of its open proposals.

`<municipality_code>.xlsx` for proposals addressed to a municipality, `welfare_region.xlsx`,
`national.xlsx` and `ngo_or_other.xlsx` for the other levels. First sheet, Finnish header
row, one line per proposal still open (no response, or a latest status that is not final);
the addressee's columns are empty, `tila` offers the status list as a dropdown. Every cell
is written as a string, so no delivered text becomes a formula; the bytes are reproducible.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from schemas.quarter import Quarter
from schemas.responses import (
    CLOSED_STATUSES,
    DECISION_REF_MAX_CHARS,
    RESPONDER_ROLE_MAX_CHARS,
    RESPONSE_MAX_CHARS,
    SHEET_FIELDS,
    SHEET_HEADERS_FI,
    STATUS_LABELS_FI,
)
from tasks.shared.files import OWNER_ONLY_FILE_MODE, write_file_atomically

RESPONSES_FOLDER = "responses"
_WIDTHS = {"proposal": 70, "decision_ref": 36, "response": 50, "responder_role": 24}
_LAST_ROW = 1_048_575


def open_proposals(states: pl.DataFrame) -> pl.DataFrame:
    """Return the proposals still open (no final status), with whom each sheet line goes to."""
    is_municipality = pl.col("addressee_level") == "municipality"
    addressee = pl.when(is_municipality).then("municipality_code").otherwise("addressee_level")
    return (
        states.filter(~pl.col("status").is_in(CLOSED_STATUSES))
        .with_columns(addressee.alias("addressee"))
        .sort("addressee", "quarter", "municipality_code", "report_id")
    )


def response_sheets(states: pl.DataFrame, quarter: Quarter) -> dict[str, bytes]:
    """Return each addressee's workbook as bytes, keyed by its path under the quarter."""
    open_ = open_proposals(states)
    return {
        f"{RESPONSES_FOLDER}/{lines['addressee'][0]}.xlsx": sheet_bytes(lines, quarter)
        for lines in open_.partition_by("addressee", maintain_order=True)
    }


def sheet_bytes(lines: pl.DataFrame, quarter: Quarter) -> bytes:
    """Return one response workbook: header row, one line per proposal, dropdowns and limits."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    created = datetime.combine(quarter.next().first_day, datetime.min.time())
    workbook.set_properties({"title": f"Vastaukset ehdotuksiin {quarter}", "created": created})
    sheet = workbook.add_worksheet("vastaukset")
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for column, field in enumerate(SHEET_FIELDS):
        sheet.write_string(0, column, SHEET_HEADERS_FI[field], header)
        sheet.set_column(column, column, _WIDTHS.get(field, 14), wrap)
    for row, line in enumerate(lines.iter_rows(named=True), start=1):
        for column, field in enumerate(SHEET_FIELDS[:6]):
            sheet.write_string(row, column, str(line[field] or ""))
    _add_validations(sheet)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _add_validations(sheet: xlsxwriter.worksheet.Worksheet) -> None:
    """Offer the status list as a dropdown and hold the filled columns to the contract."""
    column = {field: SHEET_FIELDS.index(field) for field in SHEET_FIELDS}
    status = column["status"]
    sheet.data_validation(
        1,
        status,
        _LAST_ROW,
        status,
        {
            "validate": "list",
            "source": list(STATUS_LABELS_FI.values()),
            "input_title": "Tila",
            "input_message": "Valitse ehdotuksen tila luettelosta.",
            "error_title": "Tuntematon tila",
            "error_message": "Valitse tila luettelosta: " + ", ".join(STATUS_LABELS_FI.values()),
        },
    )
    day = column["decided_on"]
    sheet.data_validation(
        1,
        day,
        _LAST_ROW,
        day,
        {
            "validate": "date",
            "criteria": ">=",
            "value": datetime(2019, 1, 1),
            "input_message": "Päätöksen päivä, esim. 25.3.2027.",
        },
    )
    for field, limit in (
        ("decision_ref", DECISION_REF_MAX_CHARS),
        ("response", RESPONSE_MAX_CHARS),
        ("responder_role", RESPONDER_ROLE_MAX_CHARS),
    ):
        at = column[field]
        sheet.data_validation(
            1,
            at,
            _LAST_ROW,
            at,
            {
                "validate": "length",
                "criteria": "<=",
                "value": limit,
                "error_message": f"Enintään {limit} merkkiä.",
            },
        )


def write_followup_files(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write followup.csv and the workbooks atomically under `out_dir`; drop sheets not owed."""
    written = [
        write_file_atomically(out_dir / name, data, _mode(name)) for name, data in files.items()
    ]
    for stale in set((out_dir / RESPONSES_FOLDER).glob("*.xlsx")) - set(written):
        stale.unlink()
    return written


def followup_files(states: pl.DataFrame, table: pl.DataFrame, quarter: Quarter) -> dict[str, bytes]:
    """Return followup.csv and every addressee's response sheet, keyed by path under the quarter."""
    csv = table.write_csv(line_terminator="\n").encode("utf-8")
    return {"followup.csv": csv, **response_sheets(states, quarter)}


def is_response_sheet(path: Path) -> bool:
    """Return whether a file is a response sheet (mailed to its addressee, never published)."""
    return path.parent.name == RESPONSES_FOLDER and path.suffix == ".xlsx"


def _mode(name: str) -> int:
    """Return a file's mode: the sheets (every open proposal's text) are for the owner only."""
    return OWNER_ONLY_FILE_MODE if name.startswith(f"{RESPONSES_FOLDER}/") else 0o644
