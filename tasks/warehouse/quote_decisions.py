"""A person's decisions on quotes, kept per report key, kind and quote text (contract §6).

A quote is a proposal's text or the text of a response to it (`kind`). An approval
holds for the text the steward saw (its sha256); when a corrected report or response
changes the quote, the new text has no decision and waits again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import polars as pl
from sqlalchemy import Engine, text

from schemas.quarter import Quarter
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import db_timestamp

Decision = Literal["approved", "rejected"]
DECISION_SCHEMA = {
    "municipality_code": pl.String,
    "report_id": pl.String,
    "kind": pl.String,
    "text_sha256": pl.String,
    "decision": pl.String,
}
KEY = ["municipality_code", "report_id", "kind", "text_sha256"]


def read_quote_decisions(engine: Engine, quarter: Quarter) -> pl.DataFrame:
    """Return the decisions taken on the quarter's quotes (one row per key, kind and text)."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(sql_text("select_quote_decisions")), {"quarter": str(quarter)}
        )
        return pl.DataFrame(list(rows), schema=DECISION_SCHEMA, orient="row")


def record_quote_decisions(
    engine: Engine,
    quarter: Quarter,
    quotes: pl.DataFrame,
    decision: Decision,
    now: datetime | None = None,
) -> int:
    """Store `decision` on each quote of `quotes` (key, `kind`, `text_sha256`); return how many."""
    decided_at = db_timestamp(now or datetime.now(UTC))
    rows = [
        {**row, "quarter": str(quarter), "decision": decision, "decided_at": decided_at}
        for row in quotes.select(KEY).iter_rows(named=True)
    ]
    if rows:
        with engine.begin() as connection:
            connection.execute(text(sql_text("upsert_quote_decision")), rows)
    return len(rows)


def with_decisions(candidates: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """Return the candidates with their `decision`: approved, rejected, or null (waiting)."""
    return candidates.join(decisions, on=KEY, how="left", maintain_order="left")
