"""The proposal register and its responses in the warehouse (CONTRACT.md §6).

Tracked proposals are the stored reports with a proposal; `proposal_version` keeps every
version a run has seen (a corrected report adds one). Responses are append-only: each
response sheet is landed (its bytes in `landed_content`, like a report delivery) and its
valid lines and rejections are stored in one transaction, so a crashed run stores nothing
of the sheet and the next run stores it whole; a sheet already stored is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Connection, Engine, RowMapping, text
from sqlalchemy.exc import IntegrityError

from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.sources import ResponsesSource
from tasks.intake.extract import Delivery, drop_folder, file_name, matching_files, read_drop_file
from tasks.intake.parse import UnreadableDelivery
from tasks.intake.responses import CheckedResponses, checked_sheet, sheet_kind
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import as_date_series, as_utc_series, db_timestamp
from tasks.warehouse.load import landed_parts

PROPOSAL_SCHEMA = {
    "municipality_code": pl.String,
    "report_id": pl.String,
    "quarter": pl.String,
    "submitted_on": pl.Date,
    "theme": pl.String,
    "addressee_level": pl.String,
    "urgency": pl.String,
    "proposal": pl.String,
}
RESPONSE_SCHEMA = {
    "municipality_code": pl.String,
    "report_id": pl.String,
    "status": pl.String,
    "decision_ref": pl.String,
    "decided_on": pl.Date,
    "response": pl.String,
    "responder_role": pl.String,
    "received_at": pl.Datetime("us", "UTC"),
    "delivery_seq": pl.Int64,
    "row_number": pl.Int64,
}


@dataclass(frozen=True)
class StoredResponses:
    """What storing one response sheet did (counts only)."""

    name: str
    seq: int
    rows_in: int
    rows_valid: int
    rows_quarantined: int
    redactions: int


def register_proposals(engine: Engine) -> int:
    """Add every stored report version with a proposal that the register lacks; return how many."""
    with engine.begin() as connection:
        return connection.execute(text(sql_text("insert_proposal_versions"))).rowcount


def read_proposals(engine: Engine) -> pl.DataFrame:
    """Return the tracked proposals (current versions), one row per report, in key order."""
    return _frame(_selected(engine, "select_proposals"), PROPOSAL_SCHEMA)


def read_proposal_versions(engine: Engine) -> pl.DataFrame:
    """Return every registered proposal version, oldest first per report."""
    rows = _selected(engine, "select_proposal_versions")
    return pl.DataFrame([dict(row) for row in rows], infer_schema_length=None)


def read_proposal_keys(engine: Engine) -> pl.DataFrame:
    """Return (`municipality_code`, `report_id`) of every tracked proposal."""
    schema = {"municipality_code": pl.String, "report_id": pl.String}
    rows = [dict(row) for row in _selected(engine, "select_proposal_keys")]
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_responses(engine: Engine) -> pl.DataFrame:
    """Return every stored response line (the whole history), in delivery order."""
    return _frame(_selected(engine, "select_responses"), RESPONSE_SCHEMA)


def read_response_rejections(engine: Engine) -> pl.DataFrame:
    """Return every rejected response line with its reasons, by delivery and row."""
    rows = _selected(engine, "select_response_rejections")
    schema = {
        name: pl.Int64 if name == "row_number" else pl.String
        for name in (
            "delivery",
            "row_number",
            "municipality_code",
            "report_id",
            "field",
            "rule",
            "reason",
            "reason_fi",
        )
    }
    return pl.DataFrame([dict(row) for row in rows], schema=schema, orient="row")


def stored_response_hashes(engine: Engine) -> set[str]:
    """Return the sha256 of every response sheet already stored."""
    with engine.connect() as connection:
        return {row.sha256 for row in connection.execute(text(sql_text("select_response_hashes")))}


def store_responses(
    engine: Engine, delivery: Delivery, checked: CheckedResponses, now: datetime
) -> StoredResponses:
    """Land the sheet and store its valid lines and rejections in one transaction."""
    with engine.begin() as connection:
        seq = int(connection.execute(text(sql_text("select_next_response_seq"))).scalar_one())
        connection.execute(
            text(sql_text("insert_landed_content")), landed_parts(delivery.sha256, delivery.content)
        )
        received_at = db_timestamp(now)
        _insert_lines(connection, delivery.sha256, seq, received_at, checked.valid)
        _insert_rejections(connection, delivery, checked.rejections)
        stored = StoredResponses(
            name=delivery.name,
            seq=seq,
            rows_in=checked.lines,
            rows_valid=checked.valid.height,
            rows_quarantined=checked.rejections["row_number"].n_unique(),
            redactions=checked.redactions.total,
        )
        record = {
            **vars(stored),
            "sha256": delivery.sha256,
            "received_at": received_at,
            "size_bytes": len(delivery.content),
        }
        connection.execute(text(sql_text("insert_response_delivery")), record)
    return stored


def _insert_lines(
    connection: Connection, sha256: str, seq: int, received_at: str, valid: pl.DataFrame
) -> None:
    if valid.is_empty():
        return
    lines = valid.with_columns(pl.col("decided_on").dt.strftime("%Y-%m-%d"))
    extra = {"delivery_sha256": sha256, "delivery_seq": seq, "received_at": received_at}
    connection.execute(
        text(sql_text("insert_responses")), [row | extra for row in lines.iter_rows(named=True)]
    )


def _insert_rejections(
    connection: Connection, delivery: Delivery, rejections: pl.DataFrame
) -> None:
    if rejections.is_empty():
        return
    extra = {"delivery_sha256": delivery.sha256, "delivery": delivery.name}
    rows = [row | extra for row in rejections.iter_rows(named=True)]
    connection.execute(text(sql_text("insert_response_rejections")), rows)


def _selected(engine: Engine, statement: str) -> Sequence[RowMapping]:
    """Return the rows of one of the project's select statements, by name."""
    with engine.connect() as connection:
        return connection.execute(text(sql_text(statement))).mappings().all()


def _frame(rows: Sequence[RowMapping], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return stored rows as a frame of `schema`; dates and times arrive as text on SQLite."""
    timed = [name for name, dtype in schema.items() if dtype == pl.Date or dtype == pl.Datetime]
    texts = [{k: str(v) if k in timed and v is not None else v for k, v in r.items()} for r in rows]
    frame = pl.DataFrame(texts, schema=schema | dict.fromkeys(timed, pl.String), orient="row")
    dates = [as_date_series(frame[n]) for n in timed if schema[n] == pl.Date]
    times = [as_utc_series(frame[n]) for n in timed if schema[n] != pl.Date]
    return frame.with_columns(*dates, *times)


@dataclass(frozen=True)
class ResponsesOutcome:
    """What one run did with the response sheets (counts and file names, never text)."""

    stored: list[StoredResponses]
    skipped: list[str]
    unreadable: list[str]

    @property
    def rows_valid(self) -> int:
        """Return the response lines stored in this run."""
        return sum(sheet.rows_valid for sheet in self.stored)

    @property
    def rows_quarantined(self) -> int:
        """Return the response lines rejected in this run."""
        return sum(sheet.rows_quarantined for sheet in self.stored)


def response_deliveries(source: ResponsesSource, base_dir: Path, max_bytes: int) -> list[Delivery]:
    """Return the filled sheets of the drop in name order (their delivery order).

    A sheet too large or linked out of its drop comes refused, unread, as a report file would.
    """
    drop = drop_folder(source, base_dir)
    deliveries = []
    for path in matching_files(source, base_dir):
        name = file_name(path, base_dir)
        content, refused = read_drop_file(source.source_id, path, name, drop, max_bytes)
        kind = sheet_kind(name)
        deliveries.append(
            Delivery(source.source_id, "", kind, name, content, source.encoding, refused)
        )
    return deliveries


def ingest_responses(
    source: ResponsesSource,
    base_dir: Path,
    engine: Engine,
    now: datetime,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> ResponsesOutcome:
    """Store every new sheet of the drop; a sheet unreadable or over a limit is named."""
    register_proposals(engine)
    keys = read_proposal_keys(engine)
    already = stored_response_hashes(engine)
    stored, skipped, unreadable = [], [], []
    for delivery in response_deliveries(source, base_dir, limits.max_bytes):
        if delivery.sha256 in already:
            skipped.append(delivery.name)
            continue
        try:
            checked = checked_sheet(delivery, keys, limits)
        except UnreadableDelivery as error:
            unreadable.append(str(error))
            continue
        try:
            stored.append(store_responses(engine, delivery, checked, now))
        except IntegrityError:  # another run stored the same sheet since `already` was read
            if delivery.sha256 not in stored_response_hashes(engine):
                raise
            skipped.append(delivery.name)
        already.add(delivery.sha256)
    return ResponsesOutcome(stored, skipped, unreadable)
