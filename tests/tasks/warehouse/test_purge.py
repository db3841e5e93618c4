"""Retention: old landed bytes and rejected values deleted, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from schemas.fields import REJECTION_DTYPES
from schemas.quarter import Quarter
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.load import store_delivery
from tasks.warehouse.purge import parse_duration, purge_old_data
from tests.factories import delivery_record, report_frame

Q3 = Quarter(2026, 3)
OLD = datetime(2025, 1, 10, 6, tzinfo=UTC)
NEW = datetime(2026, 10, 1, 6, tzinfo=UTC)


def _store(url: str, sha: str, received_at: datetime) -> None:
    record = delivery_record(
        sha,
        name=f"raportit-{sha[:4]}.csv",
        received_at=received_at,
        quarter=str(Q3),
        size_bytes=10,
        rows_in=1,
        rows_quarantined=1,
    )
    rejection = {
        "source_id": "698-csv",
        "municipality_code": "698",
        "report_id": "R-1",
        "delivery": record.name,
        "row_number": 2,
        "field": "theme",
        "rule": "code_list",
        "reason": 'theme: unknown code (value "Matti Meikäläinen")',
        "reason_fi": 'teema: tuntematon koodi (arvo "Matti Meikäläinen")',
    }
    rejections = pl.DataFrame([rejection], schema=REJECTION_DTYPES)
    store_delivery(connect_warehouse(url), record, b"raw bytes", report_frame([]), rejections)


def _kept(url: str) -> tuple[set[str], set[str]]:
    with connect_warehouse(url).connect() as connection:
        landed = {row[0] for row in connection.execute(text("select sha256 from landed_content"))}
        reasons = {row[0] for row in connection.execute(text("select reason_fi from rejection"))}
    return landed, reasons


def test_purge_deletes_old_bytes_and_values_and_keeps_new_ones(warehouse_url: str) -> None:
    _store(warehouse_url, "a" * 64, OLD)
    _store(warehouse_url, "b" * 64, NEW)

    purged = purge_old_data(connect_warehouse(warehouse_url), NEW - timedelta(days=400))

    assert (purged.deliveries, purged.rejections) == (1, 1)
    landed, reasons = _kept(warehouse_url)
    assert landed == {"b" * 64}
    kept_value = 'teema: tuntematon koodi (arvo "Matti Meikäläinen")'
    assert reasons == {"teema: tuntematon koodi", kept_value}
    assert "deleted the landed bytes of 1 deliveries" in purged.summary()


def test_a_dry_run_deletes_nothing(warehouse_url: str) -> None:
    _store(warehouse_url, "a" * 64, OLD)

    purged = purge_old_data(connect_warehouse(warehouse_url), NEW, dry_run=True)

    assert (purged.deliveries, purged.rejections) == (1, 1)
    assert purged.summary().startswith("would delete")
    assert _kept(warehouse_url)[0] == {"a" * 64}


@pytest.mark.parametrize(("written", "days"), [("400d", 400), ("12w", 84), ("2y", 730)])
def test_durations_are_read_in_days_weeks_and_years(written: str, days: int) -> None:
    assert parse_duration(written) == timedelta(days=days)


def test_a_new_sqlite_warehouse_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    connect_warehouse(f"sqlite:///{(tmp_path / 'w.db').as_posix()}")

    assert (tmp_path / "w.db").stat().st_mode & 0o777 == 0o600
