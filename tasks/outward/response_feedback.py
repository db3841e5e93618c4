"""Rejected response lines back to their sender: one Finnish CSV per returned sheet."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import polars as pl

from tasks.outward.publish import csv_bytes
from tasks.shared.files import write_file_atomically

FEEDBACK_FOLDER = "responses-feedback"
HEADERS_FI = {
    "delivery": "tiedosto",
    "row_number": "rivi",
    "municipality_code": "kuntanumero",
    "report_id": "raportin_tunnus",
    "field": "kenttä",
    "reason_fi": "syy",
}


def response_feedback_tables(rejections: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Return each returned sheet's rejected lines in Finnish, keyed by the sheet's file stem."""
    return {
        _stem(part["delivery"][0]): part.select(list(HEADERS_FI)).rename(HEADERS_FI)
        for part in rejections.partition_by("delivery", maintain_order=True)
    }


def write_response_feedback(out_dir: Path, rejections: pl.DataFrame) -> list[Path]:
    """Write `<out_dir>/responses-feedback/<sheet>.csv` for every sheet with rejected lines."""
    folder = out_dir / FEEDBACK_FOLDER
    return [
        write_file_atomically(folder / f"{stem}.csv", csv_bytes(table))
        for stem, table in response_feedback_tables(rejections).items()
    ]


def _stem(name: str) -> str:
    """Return a sheet's delivery name as one file stem (`2027w12/698.xlsx` → `2027w12_698`)."""
    return PurePosixPath(name).with_suffix("").as_posix().replace("/", "_")
