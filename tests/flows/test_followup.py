"""End to end over two quarters: publish, the addressees fill their sheets, publish again."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from demo.inbox import DemoInbox, write_demo_inbox
from schemas.quarter import Quarter
from schemas.responses import STATUS_LABELS_FI, STATUSES
from tasks.figures.followup import followup_quarters
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.proposals import read_response_rejections, read_responses

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

FIRST, SECOND = Quarter(2026, 2), Quarter(2026, 3)
SECRET_EMAIL = "liisa.virtanen@example.fi"
SECRET_HETU = "131052-308T"


@dataclass(frozen=True)
class TwoQuarters:
    """The inbox, the warehouse, the outputs and what the test wrote into the sheets."""

    inbox: DemoInbox
    db_url: str
    out_dir: Path
    written: dict[tuple[str, str], str]  # (municipality_code, report_id) -> status


def _run(inbox: DemoInbox, db_url: str, out_dir: Path, quarter: Quarter) -> None:
    from flows.quarterly import quarterly_brief

    os.environ.update(inbox.environment)
    os.environ["RAPORTTI_DB_URL"] = db_url
    try:
        quarterly_brief(
            quarter=str(quarter), sources_file=inbox.sources_file, out_dir=out_dir, send=False
        )
    finally:
        os.environ.pop("RAPORTTI_DB_URL")


def _fill(sheet_path: Path, target: Path, index: int) -> dict[tuple[str, str], str]:
    """Fill every other line of a published sheet as an addressee would; return what was set."""
    book = openpyxl.load_workbook(sheet_path)
    sheet = book.worksheets[0]
    written = {}
    for row in range(2, sheet.max_row + 1):
        if (row + index) % 2:
            continue
        status = STATUSES[(row + index) % len(STATUSES)]
        key = (str(sheet.cell(row, 1).value), str(sheet.cell(row, 2).value))
        sheet.cell(row, 7).value = STATUS_LABELS_FI[status] if row % 3 else status
        if status in ("decided", "implemented", "not_taken_forward"):
            sheet.cell(row, 8).value = f"Hyvinvointilautakunta 2{row % 9}.9.2026 § {row}"
            sheet.cell(row, 9).value = date(2026, 9, 20 + row % 9)
        sheet.cell(row, 10).value = f"Kysy lisää: {SECRET_EMAIL}, asiakas {SECRET_HETU}."
        written[key] = status
    book.save(target)
    return written


@pytest.fixture(scope="module")
def two_quarters(tmp_path_factory: pytest.TempPathFactory, prefect_server: None) -> TwoQuarters:
    root = tmp_path_factory.mktemp("followup")
    inbox = write_demo_inbox(root / "inbox", SECOND)
    responses = root / "inbox" / "responses"
    shutil.rmtree(responses)
    responses.mkdir()
    db_url = f"sqlite:///{(root / 'warehouse.db').as_posix()}"
    out_dir = root / "outputs"
    _run(inbox, db_url, out_dir, FIRST)
    written: dict[tuple[str, str], str] = {}
    sheets = sorted((out_dir / str(FIRST) / "responses").glob("*.xlsx"))
    for index, sheet in enumerate(sheets):
        written |= _fill(sheet, responses / f"palautus-{sheet.name}", index)
    (responses / "palautus-virhe.csv").write_text(
        "kuntanumero;raportin_tunnus;tila\n698;EI-TALLENNETTU-1;received\n", encoding="utf-8"
    )
    _run(inbox, db_url, out_dir, SECOND)
    return TwoQuarters(inbox, db_url, out_dir, written)


def _proposals(inbox: DemoInbox, quarters: list[str]) -> pl.DataFrame:
    """The ground truth's stored proposals of `quarters`, computed from the deliveries."""
    return (
        inbox.reports.filter(
            pl.col("planted_fault").is_null()
            & ~pl.col("superseded")
            & (pl.col("proposal").fill_null("").str.strip_chars() != "")
        )
        .with_columns(
            pl.format(
                "{}Q{}", pl.col("submitted_on").dt.year(), pl.col("submitted_on").dt.quarter()
            ).alias("quarter")
        )
        .filter(pl.col("quarter").is_in(quarters))
    )


def test_the_first_quarter_sends_out_sheets_listed_in_the_manifest(
    two_quarters: TwoQuarters,
) -> None:
    published = two_quarters.out_dir / str(FIRST)
    import json

    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    sheets = sorted(p.relative_to(published).as_posix() for p in published.glob("responses/*.xlsx"))
    assert "responses/welfare_region.xlsx" in sheets
    assert set(sheets) | {"followup.csv"} <= set(manifest["outputs"])
    assert len(two_quarters.written) > 20


def test_followup_counts_equal_the_responses_the_test_wrote(two_quarters: TwoQuarters) -> None:
    quarters = followup_quarters(SECOND)
    proposals = _proposals(two_quarters.inbox, quarters)
    expected: dict[tuple[str, str, str], int] = {}
    for row in proposals.iter_rows(named=True):
        status = two_quarters.written.get((row["municipality_code"], row["report_id"]), "open")
        for theme in (row["theme"], "all"):
            cell = (row["addressee_level"], theme, status)
            expected[cell] = expected.get(cell, 0) + 1

    text = (two_quarters.out_dir / str(SECOND) / "followup.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["quarter"] for row in rows} == {str(SECOND)}
    shown = [r for r in rows if r["suppressed"] == "false"]
    assert len(shown) > len(rows) / 2
    for row in shown:
        cell = (row["addressee_level"], row["theme"], row["status"])
        assert int(row["proposals"]) == expected.get(cell, 0), cell
    for row in rows:
        if row["suppressed"] == "true":
            assert row["proposals"] == ""


def test_the_unknown_proposal_is_quarantined_with_its_reason(two_quarters: TwoQuarters) -> None:
    rejections = read_response_rejections(connect_warehouse(two_quarters.db_url))
    (row,) = rejections.filter(pl.col("rule") == "unknown_proposal").rows(named=True)
    assert (row["report_id"], row["row_number"]) == ("EI-TALLENNETTU-1", 2)
    feedback = two_quarters.out_dir / "responses-feedback" / "responses_palautus-virhe.csv"
    assert "ei ole tallennettua ehdotusta" in feedback.read_text(encoding="utf-8")


def test_stored_responses_are_redacted(two_quarters: TwoQuarters) -> None:
    responses = read_responses(connect_warehouse(two_quarters.db_url))
    assert responses.height == len(two_quarters.written)
    assert not responses["response"].str.contains(SECRET_EMAIL, literal=True).any()
    assert not responses["response"].str.contains(SECRET_HETU, literal=True).any()


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_brief_has_the_followup_section_and_digests_name_no_one(two_quarters: TwoQuarters) -> None:
    published = two_quarters.out_dir / str(SECOND)
    brief = _pdf_text(published / "brief-en.pdf")
    digests = sorted((published / "feedback").glob("*-koonti.pdf"))
    assert "What became of earlier proposals" in brief
    assert "Response texts are not quoted" in brief
    assert len(digests) == 21
    texts = [brief, _pdf_text(published / "brief-fi.pdf"), *map(_pdf_text, digests)]
    assert any("[poistettu]" in text for text in texts[2:])
    for text in texts:
        assert SECRET_EMAIL not in text
        assert SECRET_HETU not in text
