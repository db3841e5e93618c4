"""The PostgreSQL warehouse dropping the loading connection mid-store: the next run finishes."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from schemas.quarter import Quarter
from schemas.reference import load_reference
from schemas.sources import SourceConfig
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.ingest import ingest_source
from tests.tasks.intake.hostile_corpus import CODE, csv_text, row

pytestmark = pytest.mark.slow

SOURCE = SourceConfig(municipality_code=CODE, kind="csv", path="inbox/*.csv")
NOW = datetime(2026, 7, 15, 9, tzinfo=UTC)
BIG_ROWS = 120_000
_WRITING_BACKENDS = """
    select pid from pg_stat_activity
    where datname = :database and pid <> pg_backend_pid() and backend_xid is not null
"""


def _ingest(engine: object, root: Path) -> object:
    return ingest_source(
        SOURCE,
        root,
        engine,
        load_reference(),
        Quarter.of(NOW.date()),
        NOW,
        logging.getLogger("test"),
    )


def _terminate_the_loading_connection(url: str, database: str, done: threading.Event) -> list[int]:
    """Wait for a connection writing to `database`, terminate it, and return its pid."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    killed: list[int] = []
    try:
        with admin.connect() as connection:
            while not killed and not done.is_set():
                pids = connection.execute(text(_WRITING_BACKENDS), {"database": database}).scalars()
                for pid in pids:
                    connection.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
                    killed.append(pid)
                time.sleep(0.02)
    finally:
        admin.dispose()
    return killed


def test_a_warehouse_dropping_the_load_mid_store_keeps_nothing_half_and_the_rerun_finishes(
    pg_url: str, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a_small.csv").write_text(csv_text(row("A-1"), row("A-2")), encoding="utf-8")
    big = csv_text(*(row(f"B-{n}") for n in range(BIG_ROWS)))
    engine = connect_warehouse(pg_url)
    _ingest(engine, tmp_path)  # the small file, stored before the big one arrives
    (inbox / "b_big.csv").write_text(big, encoding="utf-8")
    database = engine.url.database
    done = threading.Event()
    killed: list[int] = []
    killer = threading.Thread(
        target=lambda: killed.extend(_terminate_the_loading_connection(pg_url, database, done))
    )
    killer.start()
    try:
        with pytest.raises(Exception) as caught:  # noqa: PT011 - whatever the driver raises
            _ingest(engine, tmp_path)
    finally:
        done.set()
        killer.join()

    assert killed, "no loading connection was seen"
    assert "terminat" in str(caught.value).lower() or "closed" in str(caught.value).lower()
    assert _counts(pg_url) == (2, 1, 2)  # the big file left nothing behind
    outcome = _ingest(connect_warehouse(pg_url), tmp_path)
    assert outcome.deliveries == ["inbox/b_big.csv"]
    assert outcome.skipped == ["inbox/a_small.csv"]
    assert _counts(pg_url) == (2 + BIG_ROWS, 2, 2 + BIG_ROWS)


def _counts(url: str) -> tuple[int, int, int]:
    """Return stored reports, deliveries, and distinct report keys."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            reports = connection.execute(text("select count(*) from report")).scalar_one()
            deliveries = connection.execute(text("select count(*) from delivery")).scalar_one()
            keys = connection.execute(
                text("select count(distinct (municipality_code, report_id)) from report")
            ).scalar_one()
    finally:
        engine.dispose()
    return reports, deliveries, keys
