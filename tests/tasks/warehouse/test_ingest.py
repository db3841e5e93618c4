"""A delivery is checked and stored slice by slice in one transaction, as if it were whole."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine

import tasks.intake.checked as checked
from schemas.quarter import Quarter
from schemas.reference import load_reference
from schemas.sources import SourceConfig
from tasks.intake.checked import DeliveryRecord, checked_delivery
from tasks.intake.extract import Delivery
from tasks.intake.parse import UnreadableDelivery
from tasks.intake.validate import validated_reports
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.ingest import ingest_delivery, ingest_source
from tasks.warehouse.load import store_delivery, stored_delivery_hashes
from tasks.warehouse.reads import read_open_rejections, read_quarter_deliveries, read_reports
from tests.factories import report_frame, report_row

Q3 = Quarter(2026, 3)
NOW = datetime(2026, 10, 1, 6, tzinfo=UTC)
HEADER = (
    "report_id;municipality_code;submitted_on;updated_at;reporter_role;theme;target_group;"
    "phenomenon;addressee_level;urgency;consent_to_quote"
)


def _line(report_id: str, updated: str, theme: str, text: str, extra: str = "") -> str:
    cells = [report_id, "851", "3.8.2026", f"2026-08-{updated}T09:00:00+03:00", "social_worker"]
    phenomenon = f"{text} Asiakkaat jäävät ilman palveluja."
    return ";".join([*cells, theme, "older_people", phenomenon, "national", "high", "ei"]) + extra


LINES = [  # lines 2-10; in slices of two readable rows, each pair is a part of its own
    _line("R1", "10", "debt", "Velat."),
    _line("R2", "05", "housing", "Asunnot."),
    _line("R3", "05", "nonsense", "Koodi."),
    _line("R1", "01", "food_aid", "Ruoka."),  # older than line 2, in another part
    _line("R7", "05", "debt", "Liikaa.", extra=";x;y"),  # ragged: unreadable
    _line("R2", "05", "mobility", "Matkat."),  # as recent as line 3: the later row wins
    _line("R4", "05", "debt", "Soita 040 123 4567."),
    _line("R5", "05", "housing", "Uusi."),
    _line("R6", "05", "housing", "Vanha."),
]


def _delivery() -> Delivery:
    content = "\r\n".join([HEADER, *LINES, ""]).encode("utf-8")
    return Delivery("851-csv", "851", "csv", "inbox/851/raportit.csv", content, None)


def _store_earlier_delivery(engine: Engine) -> None:
    """R5 stored older than the delivery's row, R6 stored newer than it."""
    stored = report_frame(
        [
            report_row("R5", municipality_code="851", updated_at=datetime(2026, 8, 1, tzinfo=UTC)),
            report_row("R6", municipality_code="851", updated_at=datetime(2026, 9, 1, tzinfo=UTC)),
        ]
    )
    record = DeliveryRecord(
        "851-csv", "e" * 64, "851", "csv", "earlier.csv", NOW, str(Q3), 1, 2, 2, 0, 0, 0, 0
    )
    store_delivery(engine, record, b"earlier", stored, pl.DataFrame())


@pytest.mark.parametrize("slice_rows", [2, 100_000])
def test_a_delivery_stored_in_slices_keeps_what_the_duplicate_rule_keeps(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch, slice_rows: int
) -> None:
    monkeypatch.setattr(checked, "CHECK_SLICE_ROWS", slice_rows)
    engine = connect_warehouse(warehouse_url)
    _store_earlier_delivery(engine)

    record = ingest_delivery(engine, _delivery(), load_reference(), Q3, NOW, None)

    reports = read_reports(engine, [Q3]).sort("report_id")
    assert reports.select("report_id", "theme", "delivery").rows() == [
        ("R1", "debt", "inbox/851/raportit.csv"),
        ("R2", "mobility", "inbox/851/raportit.csv"),
        ("R4", "debt", "inbox/851/raportit.csv"),
        ("R5", "housing", "inbox/851/raportit.csv"),
        ("R6", "mobility", "698-sql:test"),
    ]
    assert "[poistettu]" in reports.filter(pl.col("report_id") == "R4")["phenomenon"].item()
    rejected = read_open_rejections(engine, Q3).sort("row_number")
    assert rejected.select("report_id", "row_number", "rule").rows() == [
        ("R3", 4, "code_list"),
        ("R7", 6, "unreadable_row"),
    ]
    assert (record.rows_in, record.rows_valid, record.rows_quarantined) == (9, 7, 2)
    assert record.redacted_phones == 1
    whole = checked_delivery(_delivery(), load_reference(), Q3, NOW).record
    assert record == whole


def test_a_failure_after_some_slices_keeps_nothing_and_a_rerun_stores_all(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checked, "CHECK_SLICE_ROWS", 2)
    engine = connect_warehouse(warehouse_url)
    calls: list[int] = []

    def failing_on_the_third_slice(*args: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the run died while checking the third slice")
        return validated_reports(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(checked, "validated_reports", failing_on_the_third_slice)
    with pytest.raises(RuntimeError, match="third slice"):
        ingest_delivery(engine, _delivery(), load_reference(), Q3, NOW, NOW)

    assert stored_delivery_hashes(engine, "851-csv") == set()
    assert read_reports(engine, [Q3]).is_empty()
    assert read_open_rejections(engine, Q3).is_empty()

    monkeypatch.setattr(checked, "validated_reports", validated_reports)
    ingest_delivery(engine, _delivery(), load_reference(), Q3, NOW, NOW)

    assert read_reports(engine, [Q3])["report_id"].sort().to_list() == [
        "R1",
        "R2",
        "R4",
        "R5",
        "R6",
    ]
    assert read_quarter_deliveries(engine, Q3)["rows_in"].to_list() == [9]


def test_an_unreadable_file_does_not_hold_back_the_readable_ones_of_its_source(
    warehouse_url: str, tmp_path: Path
) -> None:
    engine = connect_warehouse(warehouse_url)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a-broken.csv").write_text("no header here\n1;2;3\n", encoding="utf-8")
    (inbox / "b-reports.csv").write_bytes(_delivery().content)
    source = SourceConfig(municipality_code="851", kind="csv", path="inbox/*.csv")
    logger = logging.getLogger("test")

    with pytest.raises(UnreadableDelivery, match="a-broken.csv: no recognisable header"):
        ingest_source(source, tmp_path, engine, load_reference(), Q3, NOW, logger)

    assert len(stored_delivery_hashes(engine, "851-csv")) == 1
    assert set(read_reports(engine, [Q3])["report_id"]) == {"R1", "R2", "R4", "R5", "R6"}


def test_a_control_character_in_a_report_id_rejects_only_its_row(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    lines = [_line("R\x001", "05", "debt", "Nolla."), _line("R2", "05", "housing", "Hyvä.")]
    content = "\r\n".join([HEADER, *lines, ""]).encode("utf-8")
    delivery = Delivery("851-csv", "851", "csv", "inbox/851/nul.csv", content, None)

    record = ingest_delivery(engine, delivery, load_reference(), Q3, NOW, None)

    assert (record.rows_valid, record.rows_quarantined) == (1, 1)
    assert read_reports(engine, [Q3])["report_id"].to_list() == ["R2"]
    rejection = read_open_rejections(engine, Q3).row(0, named=True)
    assert (rejection["report_id"], rejection["field"]) == ("R1", "report_id")
    assert "control characters" in rejection["reason"]
