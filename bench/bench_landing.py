"""Benchmark: land a 1 GB CSV delivery's raw bytes in the warehouse, before and after zstd.

Run: `.venv/bin/python bench/bench_landing.py [rows]` (1,000,000 rows make about 950 MB of
CSV; PostgreSQL from RAPORTTI_TEST_PG_URL, in databases of its own, dropped afterwards).

On SQLite and on PostgreSQL, in fresh warehouses:
- before: a version-1 warehouse (`create_warehouse.sql` only) and the parts inserted as
  received, as raportti landed them before migration 0002; then the upgrade to the latest
  version, and `read_landed_content` on those old parts;
- after: a warehouse at the latest version and `store_delivery` (zstd parts, and on
  PostgreSQL `storage external`), then `read_landed_content`.
Prints wall seconds, this process's CPU seconds (compression is client-side) and the size
of the landed bytes on disk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import sqlalchemy as sa
from bench_extract import DEFAULT_PG_URL, drop_database, generate_reports, write_csv_drop
from sqlalchemy.engine import make_url

from schemas.fields import LINEAGE_DTYPES, REJECTION_DTYPES, REPORT_DTYPES
from tasks.intake.checked import DeliveryRecord
from tasks.shared.sqlfiles import sql_statements
from tasks.warehouse.connection import _engine, connect_warehouse, upgrade_schema
from tasks.warehouse.load import LANDED_PART_BYTES, store_delivery
from tasks.warehouse.reads import read_landed_content

OLD_INSERT = "insert into landed_content (sha256, part, content) values (:sha256, :part, :content)"
PG_SIZE = "select pg_total_relation_size('landed_content')"
SQLITE_CHECKPOINT = "pragma wal_checkpoint(truncate)"


def _seconds() -> tuple[float, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return time.perf_counter(), usage.ru_utime + usage.ru_stime


def timed(step: Callable[[], object]) -> str:
    """Run `step`; return its wall and CPU seconds as text."""
    wall, cpu = _seconds()
    step()
    wall_end, cpu_end = _seconds()
    return f"{wall_end - wall:5.1f} s (CPU {cpu_end - cpu:4.1f} s)"


def land_as_before(url: str, content: bytes, sha256: str) -> None:
    """Insert `content` as raportti did before compression: raw parts of LANDED_PART_BYTES."""
    with _engine(url).begin() as connection:
        parts = range(0, max(len(content), 1), LANDED_PART_BYTES)
        rows = [
            {"sha256": sha256, "part": n, "content": content[start : start + LANDED_PART_BYTES]}
            for n, start in enumerate(parts)
        ]
        connection.execute(sa.text(OLD_INSERT), rows)


def land_as_now(url: str, content: bytes, sha256: str) -> None:
    """Store `content` as a delivery without rows, through the project's own path."""
    record = DeliveryRecord(
        source_id="851-csv",
        sha256=sha256,
        municipality_code="851",
        kind="csv",
        name="raportit-2026-09.csv",
        received_at=datetime(2026, 10, 1, tzinfo=UTC),
        quarter="2026Q3",
        size_bytes=len(content),
        rows_in=0,
        rows_valid=0,
        rows_quarantined=0,
        redacted_identity_codes=0,
        redacted_phones=0,
        redacted_emails=0,
    )
    no_rows, no_rejections = (
        pl.DataFrame(schema=REPORT_DTYPES | LINEAGE_DTYPES),
        pl.DataFrame(schema=REJECTION_DTYPES),
    )
    store_delivery(connect_warehouse(url), record, content, no_rows, no_rejections)


def landed_megabytes(url: str) -> float:
    """Return the size on disk of the landed bytes (SQLite: the whole file, WAL checkpointed)."""
    parsed = make_url(url)
    with sa.create_engine(url).connect() as connection:
        if parsed.get_backend_name() != "sqlite":
            return connection.execute(sa.text(PG_SIZE)).scalar_one() / 1e6
        connection.execute(sa.text(SQLITE_CHECKPOINT))
    return Path(parsed.database).stat().st_size / 1e6


def measure(label: str, url: str, content: bytes) -> None:
    """Land `content` before and after compression in fresh warehouses beside `url`; print both."""
    sha256 = hashlib.sha256(content).hexdigest()
    with fresh_warehouse(url) as before:
        with _engine(before).begin() as connection:
            for statement in sql_statements("create_warehouse"):
                connection.execute(sa.text(statement))
        land = timed(lambda: land_as_before(before, content, sha256))
        size = landed_megabytes(before)
        upgrade = timed(lambda: upgrade_schema(_engine(before)))
        read = timed(lambda: read_landed_content(connect_warehouse(before), sha256))
        print(  # noqa: T201 - a benchmark prints its figures
            f"{label:<10} before (raw parts):  land {land}, {size:5,.0f} MB on disk; "
            f"upgrade {upgrade}; read back {read}",
            flush=True,
        )
    with fresh_warehouse(url) as after:
        land = timed(lambda: land_as_now(after, content, sha256))
        size = landed_megabytes(after)
        read = timed(lambda: read_landed_content(connect_warehouse(after), sha256))
        print(  # noqa: T201
            f"{label:<10} after (zstd parts):  land {land}, {size:5,.0f} MB on disk; "
            f"read back {read}",
            flush=True,
        )


@contextmanager
def fresh_warehouse(url: str) -> Iterator[str]:
    """Yield the URL of a new, empty warehouse beside `url` (a SQLite file or a PG database)."""
    parsed = make_url(url)
    name = f"raportti_bench_{uuid.uuid4().hex[:8]}"
    if parsed.get_backend_name() == "sqlite":
        yield f"sqlite:///{Path(parsed.database).parent / name}.db"
        return
    with sa.create_engine(url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    fresh = parsed.set(database=name).render_as_string(hide_password=False)
    try:
        yield fresh
    finally:
        drop_database(url, fresh)


def main() -> None:
    """Generate a CSV delivery, then land it before and after compression on both databases."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    args = parser.parse_args()
    admin_url = os.environ.get("RAPORTTI_TEST_PG_URL", DEFAULT_PG_URL)
    with tempfile.TemporaryDirectory(prefix="bench_landing_") as folder:
        content = write_csv_drop(generate_reports(args.rows), Path(folder) / "inbox").read_bytes()
        print(f"a CSV delivery of {len(content) / 1e6:,.0f} MB", flush=True)  # noqa: T201
        measure("sqlite", f"sqlite:///{folder}/warehouse.db", content)
        measure("postgresql", admin_url, content)


if __name__ == "__main__":
    main()
