"""The run log: when each run started and ended, and how."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from sqlalchemy import Engine, text

from schemas.quarter import Quarter
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import db_timestamp


def record_run_start(
    engine: Engine, run_id: str, quarter: Quarter, flow: str, now: datetime
) -> None:
    """Note in the run log that a run of `flow` for `quarter` has started."""
    parameters = {
        "run_id": run_id,
        "quarter": str(quarter),
        "flow": flow,
        "started_at": db_timestamp(now),
    }
    with engine.begin() as connection:
        connection.execute(text(sql_text("insert_run_log")), parameters)


def record_run_end(engine: Engine, run_id: str, status: str, summary: str, now: datetime) -> None:
    """Note in the run log how a run ended, with its counts as JSON."""
    parameters = {
        "run_id": run_id,
        "status": status,
        "summary": summary,
        "finished_at": db_timestamp(now),
    }
    with engine.begin() as connection:
        connection.execute(text(sql_text("update_run_log")), parameters)


def read_runs(engine: Engine, limit: int = 20) -> pl.DataFrame:
    """Return the latest runs from the run log, newest first."""
    with engine.connect() as connection:
        result = connection.execute(text(sql_text("select_run_log")), {"limit": limit})
        rows = [tuple(str(v) if v is not None else None for v in row) for row in result]
        columns = list(result.keys())
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")


def mark_crashed_runs(
    engine: Engine, quarter: Quarter, flow: str, run_id: str, now: datetime
) -> list[str]:
    """Mark every other run of `flow` for `quarter` still 'running' as crashed; return their ids.

    Called by the run that holds the quarter's lock: any other run still noted as running
    cannot be alive, since it would hold the lock.
    """
    parameters = {"quarter": str(quarter), "flow": flow, "run_id": run_id}
    with engine.begin() as connection:
        rows = connection.execute(text(sql_text("select_unfinished_runs")), parameters)
        crashed = [row.run_id for row in rows]
        for stale in crashed:
            ended = {"run_id": stale, "status": "crashed", "summary": None}
            connection.execute(
                text(sql_text("update_run_log")), ended | {"finished_at": db_timestamp(now)}
            )
    return crashed
