"""Run locks in the warehouse: who holds a quarter or a source, and since when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl
from sqlalchemy import Engine, text

from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import as_utc_series, db_timestamp


@dataclass(frozen=True)
class RunLock:
    """Who holds a lock (a quarter or a source): the run, its host and process, its last beat."""

    name: str
    run_id: str
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime


def claim_lock(
    engine: Engine, name: str, run_id: str, host: str, pid: int, now: datetime
) -> RunLock:
    """Take the lock `name` when it is free; return its holder (this run when taken)."""
    parameters = {"name": name, "run_id": run_id, "host": host, "pid": pid}
    with engine.begin() as connection:
        connection.execute(
            text(sql_text("insert_run_lock")), parameters | {"now": db_timestamp(now)}
        )
        row = connection.execute(text(sql_text("select_run_lock")), {"name": name}).one()
    return RunLock(
        name=name,
        run_id=row.run_id,
        host=row.host,
        pid=int(row.pid),
        acquired_at=as_utc_series(pl.Series([row.acquired_at])).item(),
        heartbeat_at=as_utc_series(pl.Series([row.heartbeat_at])).item(),
    )


def take_over_lock(
    engine: Engine, previous: RunLock, run_id: str, host: str, pid: int, now: datetime
) -> bool:
    """Take a lock from a holder that is gone; return False when another run was quicker."""
    parameters = {
        "name": previous.name,
        "previous_run_id": previous.run_id,
        "run_id": run_id,
        "host": host,
        "pid": pid,
        "now": db_timestamp(now),
    }
    with engine.begin() as connection:
        result = connection.execute(text(sql_text("update_run_lock_holder")), parameters)
    return result.rowcount == 1


def refresh_lock(engine: Engine, name: str, run_id: str, now: datetime) -> bool:
    """Record that the holder is alive; return False when the lock is no longer this run's."""
    parameters = {"name": name, "run_id": run_id, "now": db_timestamp(now)}
    with engine.begin() as connection:
        result = connection.execute(text(sql_text("update_run_lock_heartbeat")), parameters)
    return result.rowcount == 1


def release_lock(engine: Engine, name: str, run_id: str) -> None:
    """Give the lock back (only when this run holds it)."""
    with engine.begin() as connection:
        connection.execute(text(sql_text("delete_run_lock")), {"name": name, "run_id": run_id})
