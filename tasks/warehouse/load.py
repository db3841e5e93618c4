"""Warehouse I/O: land deliveries, bulk-load reports, keep rejections, watermarks and lineage.

Every write of one delivery happens in one transaction: the raw bytes, the
delivery's counts, its valid reports, its rejections and (for SQL sources)
the advanced watermark. A run that dies before the commit leaves nothing
behind, and a run that is simply started again stores nothing twice.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict
from datetime import datetime
from functools import partial
from pathlib import Path

import adbc_driver_sqlite.dbapi as adbc_sqlite
import polars as pl
import pyarrow as pa
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Connection, CursorResult, Engine, text

from schemas.fields import LINEAGE_DTYPES, REJECTION_DTYPES, REPORT_DTYPES, REPORT_FIELDS
from schemas.quarter import quarter_of
from tasks.intake.checked import DeliveryRecord
from tasks.shared.processes import process_exists
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import SQLITE_PAGE_BYTES, as_utc_series, db_timestamp
from tasks.warehouse.copy_binary import COPY_HEADER, COPY_TRAILER, binary_tuples

KEY_COLUMNS: tuple[str, ...] = ("municipality_code", "report_id")
STAGED_LINEAGE_COLUMNS: tuple[str, ...] = tuple(c for c in LINEAGE_DTYPES if c != "delivery_seq")
LANDED_PART_BYTES = 256 * 1024 * 1024
COPY_SLICE_ROWS = 10_000
LANDED_CODEC = "zstd"
SCRATCH_PREFIX = "raportti-staging-"

LandedParts = Callable[[], list[dict[str, object]]]


def latest_per_key(reports: pl.DataFrame) -> pl.DataFrame:
    """Return one report per (municipality_code, report_id) of a delivery, in key order.

    The latest `updated_at` wins, then the last row. Sorting only the key columns and
    gathering the rows once keeps this cheap for large deliveries of long texts.
    """
    keys = list(KEY_COLUMNS)
    kept = (
        reports.select(*keys, "updated_at", "row_number")
        .with_row_index("position")
        .sort([*keys, "updated_at", "row_number"])
        .unique(subset=keys, keep="last", maintain_order=True)
        .get_column("position")
    )
    return reports[kept]


def warehouse_rows(reports: pl.DataFrame) -> pl.DataFrame:
    """Return valid reports in the warehouse's staging layout (delivery_seq is set on insert)."""
    return latest_per_key(reports).select(
        "municipality_code",
        "report_id",
        quarter_of("submitted_on").alias("quarter"),
        "submitted_on",
        pl.col("updated_at").dt.convert_time_zone("UTC"),
        *REPORT_FIELDS[4:6],
        pl.col("secondary_themes").list.join("|"),
        *REPORT_FIELDS[7:],
        *STAGED_LINEAGE_COLUMNS,
    )


def sqlite_text_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """Return warehouse rows with their dates and times as the text that SQLite stores."""
    return rows.with_columns(
        pl.col("submitted_on").dt.strftime("%Y-%m-%d"),
        pl.col("updated_at").dt.strftime("%Y-%m-%d %H:%M:%S.%6f+00:00"),
    )


def rejection_rows(rejections: pl.DataFrame, quarter: str, sha256: str) -> pl.DataFrame:
    """Return rejections in the warehouse's staging layout (delivery_seq is set on insert)."""
    return rejections.select(
        pl.lit(quarter).alias("quarter"),
        "source_id",
        "municipality_code",
        "report_id",
        "delivery",
        pl.lit(sha256).alias("delivery_sha256"),
        *list(REJECTION_DTYPES)[4:],
    )


def stored_delivery_hashes(engine: Engine, source_id: str) -> set[str]:
    """Return the sha256 of every delivery of `source_id` already stored."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(sql_text("select_stored_delivery_hashes")), {"source_id": source_id}
        )
        return {row.sha256 for row in rows}


class DeliveryLoad(ABC):
    """One delivery being stored, part by part in delivery order, in one transaction.

    `add` returns while its part loads in the background, so the caller can check the
    next part meanwhile; `finish` records the delivery once every part is in, and
    nothing is kept unless it is called. `landed` returns the delivery's landed parts
    (see `landed_parts`) when the load stores them, which may be before the first part.
    """

    def __init__(
        self, sha256: str, quarter: str, loader: ThreadPoolExecutor, landed: LandedParts
    ) -> None:
        self._sha256, self._quarter, self._loader = sha256, quarter, loader
        self._landed = landed
        self._loading: Future[None] | None = None
        self.finished = False

    def add(self, reports: pl.DataFrame, rejections: pl.DataFrame) -> None:
        """Start loading the next part's valid reports and rejections (after the part before)."""
        self._wait()
        self._loading = self._loader.submit(self._load_part, reports, rejections)

    def _wait(self) -> None:
        """Wait until the part being loaded is in; raise what its load raised."""
        loading, self._loading = self._loading, None
        if loading is not None:
            loading.result()

    def finish(self, record: DeliveryRecord, watermark: datetime | None) -> int:
        """Record the delivery and the watermark (if any); return the delivery's seq."""
        self._wait()
        seq = self._complete(record, watermark)
        self.finished = True
        return seq

    def _rejection_rows(self, rejections: pl.DataFrame) -> pl.DataFrame:
        return rejection_rows(rejections, self._quarter, self._sha256)

    @abstractmethod
    def _load_part(self, reports: pl.DataFrame, rejections: pl.DataFrame) -> None: ...

    @abstractmethod
    def _complete(self, record: DeliveryRecord, watermark: datetime | None) -> int: ...


class _PostgresLoad(DeliveryLoad):
    """Each part goes straight into the open transaction by COPY, the duplicate rule applied.

    Applied part by part, the rule gives what it gives on the whole delivery: a row
    replaces a stored one (an earlier part's too) when it is as recent or more recent.
    The landed parts go in first, while the caller checks the first part.
    """

    def __init__(
        self,
        connection: Connection,
        sha256: str,
        quarter: str,
        loader: ThreadPoolExecutor,
        landed: LandedParts,
    ) -> None:
        super().__init__(sha256, quarter, loader, landed)
        self._connection = connection
        self._staged: set[str] = set()
        connection.execute(text(sql_text("lock_delivery_sequence")))
        self._seq = _next_delivery_seq(connection)
        self._loading = loader.submit(lambda: _insert_landed_content(connection, landed()))

    def _load_part(self, reports: pl.DataFrame, rejections: pl.DataFrame) -> None:
        if reports.height:
            self._load_reports(warehouse_rows(reports))
        if rejections.height:
            self._stage("staging_rejection", self._rejection_rows(rejections))
            self._run("insert_rejections", {"delivery_seq": self._seq})

    def _load_reports(self, rows: pl.DataFrame) -> None:
        """Add the part's reports: replace the stored ones they outrank, skip the others."""
        self._stage("staging_key", rows.select(*KEY_COLUMNS, "updated_at"))
        outranking = self._run("delete_replaced_select_outranking_keys").all()
        if outranking:
            outranked = pl.DataFrame(
                outranking, schema=dict.fromkeys(KEY_COLUMNS, pl.String), orient="row"
            )
            rows = rows.join(outranked, on=list(KEY_COLUMNS), how="anti", maintain_order="left")
        seq = pl.lit(self._seq, pl.Int64)
        copy_into(self._connection, "report", rows.with_columns(delivery_seq=seq))

    def _stage(self, table: str, frame: pl.DataFrame) -> None:
        """Make the transaction's temporary `table` hold exactly the rows of `frame`."""
        if table in self._staged:
            self._connection.exec_driver_sql(f"truncate {table}")  # names are ours
        else:
            self._run(f"create_{table}")
            self._staged.add(table)
        copy_into(self._connection, table, frame)

    def _run(self, name: str, parameters: dict[str, object] | None = None) -> CursorResult:
        return self._connection.execute(text(sql_text(name)), parameters or {})

    def _complete(self, record: DeliveryRecord, watermark: datetime | None) -> int:
        _insert_delivery(self._connection, record, self._seq)
        if watermark is not None:
            _save_watermark(self._connection, record.source_id, watermark)
        return self._seq


class _SqliteLoad(DeliveryLoad):
    """Parts are staged through Arrow in a scratch SQLite file, then merged in one transaction.

    Python's sqlite3 has no bulk path, and a second SQLite library (ADBC's) must never
    open the warehouse file itself (their POSIX locks would clobber each other's), so
    the rows go through a scratch file of their own that the warehouse attaches at the
    end. Rows of one key in two parts are resolved by `latest_per_key` before the merge.
    """

    def __init__(
        self,
        engine: Engine,
        scratch: Path,
        sha256: str,
        quarter: str,
        loader: ThreadPoolExecutor,
        landed: LandedParts,
    ) -> None:
        super().__init__(sha256, quarter, loader, landed)
        self._engine, self._scratch = engine, scratch
        self._keys: list[pl.DataFrame] = []
        self._staged_rows = 0

    def _load_part(self, reports: pl.DataFrame, rejections: pl.DataFrame) -> None:
        if reports.height:
            position = pl.int_range(pl.len(), dtype=pl.Int64) + self._staged_rows
            rows = sqlite_text_rows(warehouse_rows(reports)).with_columns(staged_position=position)
            self._keys.append(
                rows.select(*KEY_COLUMNS, "updated_at", "row_number", "staged_position")
            )
            self._staged_rows += rows.height
            self._ingest("staging_report", rows)
        if rejections.height:
            self._ingest("staging_rejection", self._rejection_rows(rejections))

    def _ingest(self, table: str, frame: pl.DataFrame) -> None:
        with _scratch_cursor(self._scratch) as cursor:
            arrow = frame.to_arrow(compat_level=pl.CompatLevel.newest())  # no string copy
            cursor.adbc_ingest(table, arrow, mode="create_append")

    def _complete(self, record: DeliveryRecord, watermark: datetime | None) -> int:
        self._stage_latest_keys()
        landed = self._landed()
        with _attached_transaction(self._engine, self._scratch) as connection:
            seq = _next_delivery_seq(connection)
            for name in ("delete_replaced_reports", "insert_staged_reports", "insert_rejections"):
                connection.execute(text(sql_text(name)), {"delivery_seq": seq})
            _insert_delivery(connection, record, seq)
            _insert_landed_content(connection, landed)
            if watermark is not None:
                _save_watermark(connection, record.source_id, watermark)
        return seq

    def _stage_latest_keys(self) -> None:
        """Stage one key per report (the latest row of the delivery) and drop the other rows."""
        if not self._keys:
            return
        keys = pl.concat(self._keys)
        latest = latest_per_key(keys)
        self._ingest("staging_key", latest.select(*KEY_COLUMNS, "updated_at"))
        if latest.height < keys.height:
            replaced = keys.join(latest, on="staged_position", how="anti")
            self._ingest("staging_replaced", replaced.select("staged_position"))
            with _scratch_cursor(self._scratch) as cursor:
                cursor.execute(sql_text("delete_staged_replaced"))


@contextmanager
def open_delivery_load(
    engine: Engine, sha256: str, quarter: str, landed: LandedParts
) -> Iterator[DeliveryLoad]:
    """Open one delivery's load; everything is kept when it finishes, nothing otherwise.

    `landed` returns the delivery's landed parts (see `landed_parts`); it is called once,
    from the load's own thread on PostgreSQL.

    Raises:
        RuntimeError: the block ended without `DeliveryLoad.finish`.
    """
    with ExitStack() as stack:
        loader = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="raportti-load"))
        if engine.dialect.name == "sqlite":
            scratch = stack.enter_context(_sqlite_scratch())
            load: DeliveryLoad = _SqliteLoad(engine, scratch, sha256, quarter, loader, landed)
        else:
            connection = stack.enter_context(engine.begin())
            load = _PostgresLoad(connection, sha256, quarter, loader, landed)
        stack.callback(loader.shutdown)  # runs first: no part loads after the block
        yield load
        if not load.finished:
            raise RuntimeError(f"the load of delivery {sha256} ended before it finished")


@contextmanager
def _sqlite_scratch() -> Iterator[Path]:
    """Create a scratch SQLite file for one delivery's staged rows; remove it afterwards."""
    _remove_abandoned_scratch(Path(tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-") as folder:
        path = Path(folder) / "staging.db"
        with _scratch_cursor(path) as cursor:
            for table, empty in _empty_staging().items():
                cursor.adbc_ingest(table, empty.to_arrow(), mode="create")
        yield path


def _empty_staging() -> dict[str, pl.DataFrame]:
    """Return the scratch file's tables, empty: the merge reads them even when a part had none."""
    no_reports = sqlite_text_rows(
        warehouse_rows(pl.DataFrame(schema=REPORT_DTYPES | LINEAGE_DTYPES))
    )
    no_rejections = rejection_rows(pl.DataFrame(schema=REJECTION_DTYPES), "", "")
    return {
        "staging_report": no_reports.with_columns(staged_position=pl.lit(0, pl.Int64)),
        "staging_key": no_reports.select(*KEY_COLUMNS, "updated_at"),
        "staging_rejection": no_rejections,
    }


@contextmanager
def _scratch_cursor(path: Path) -> Iterator[adbc_sqlite.Cursor]:
    """Open the scratch file through ADBC (no journal, no syncs: it is thrown away)."""
    with adbc_sqlite.connect(str(path), autocommit=True) as scratch, scratch.cursor() as cursor:
        cursor.execute(f"pragma page_size={SQLITE_PAGE_BYTES}")
        cursor.execute("pragma journal_mode=off")
        cursor.execute("pragma synchronous=off")
        yield cursor


@contextmanager
def _attached_transaction(engine: Engine, scratch: Path) -> Iterator[Connection]:
    """Open a write transaction on the warehouse with the scratch file attached as `staging`."""
    with engine.connect() as connection:
        driver = connection.connection.driver_connection
        driver.execute("attach database ? as staging", (str(scratch),))
        try:
            with connection.begin():
                yield connection
        finally:
            driver.execute("detach database staging")


def _remove_abandoned_scratch(folder: Path) -> None:
    """Remove scratch folders left by processes that were killed while storing."""
    for scratch in folder.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = scratch.name.removeprefix(SCRATCH_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not process_exists(int(pid)):
            shutil.rmtree(scratch, ignore_errors=True)


def store_delivery(
    engine: Engine,
    record: DeliveryRecord,
    content: bytes,
    reports: pl.DataFrame,
    rejections: pl.DataFrame,
    watermark: datetime | None = None,
) -> int:
    """Store one delivery, its valid reports and its rejections in one transaction.

    Bulk paths only: the rows go in through Arrow (a scratch SQLite file, attached) or
    PostgreSQL's COPY, and the contract's duplicate rule is applied by set-based SQL.

    Returns:
        The delivery's sequence number (its place in the delivery order).
    """
    landed = partial(landed_parts, record.sha256, content)
    with open_delivery_load(engine, record.sha256, record.quarter, landed) as load:
        load.add(reports, rejections)
        return load.finish(record, watermark)


def _next_delivery_seq(connection: Connection) -> int:
    return int(connection.execute(text(sql_text("select_next_delivery_seq"))).scalar_one())


def copy_into(connection: Connection, table: str, frame: pl.DataFrame) -> None:
    """Bulk-load `frame` into PostgreSQL's `table` with binary COPY, streamed in slices.

    The frame's column types must be those of the table's columns (see
    `tasks.warehouse.copy_binary`). A queued writer sends each slice from a thread of its own,
    so the next slice is encoded while the server reads the one before.
    """
    columns = ", ".join(frame.columns)
    statement = f"copy {table} ({columns}) from stdin with (format binary)"  # names are ours
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy:
        copy.write(COPY_HEADER)
        for part in frame.iter_slices(COPY_SLICE_ROWS):
            copy.write(binary_tuples(part))
        copy.write(COPY_TRAILER)


def advance_watermark(engine: Engine, source_id: str, until: datetime) -> None:
    """Move the watermark of `source_id` forward to `until` (never backwards)."""
    with engine.begin() as connection:
        _save_watermark(connection, source_id, until)


def read_watermark(engine: Engine, source_id: str) -> datetime | None:
    """Return how far `source_id` has been extracted, or None before its first run."""
    with engine.connect() as connection:
        value = connection.execute(
            text(sql_text("select_watermark")), {"source_id": source_id}
        ).scalar_one_or_none()
    if value is None:
        return None
    return as_utc_series(pl.Series([value])).item()


def _save_watermark(connection: Connection, source_id: str, until: datetime) -> None:
    parameters = {"source_id": source_id, "extracted_until": db_timestamp(until)}
    connection.execute(text(sql_text("upsert_watermark")), parameters)


def _insert_delivery(connection: Connection, record: DeliveryRecord, seq: int) -> None:
    parameters = asdict(record) | {"seq": seq, "received_at": db_timestamp(record.received_at)}
    connection.execute(text(sql_text("insert_delivery")), parameters)


def _insert_landed_content(connection: Connection, parts: list[dict[str, object]]) -> None:
    connection.execute(text(sql_text("insert_landed_content")), parts)


def landed_parts(sha256: str, content: bytes) -> list[dict[str, object]]:
    """Return `content` as `landed_content` rows: parts of at most LANDED_PART_BYTES, compressed."""
    view = memoryview(content)
    starts = range(0, max(len(content), 1), LANDED_PART_BYTES)
    return [
        {
            "sha256": sha256,
            "part": n,
            "codec": LANDED_CODEC,
            "raw_size": len(part),
            "content": pa.compress(part, codec=LANDED_CODEC, asbytes=True),
        }
        for n, part in enumerate(view[start : start + LANDED_PART_BYTES] for start in starts)
    ]
