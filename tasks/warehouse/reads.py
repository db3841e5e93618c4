"""What later stages read from the warehouse: reports, rejections, deliveries, landed bytes."""

from __future__ import annotations

import hashlib

import polars as pl
import pyarrow as pa
from sqlalchemy import Engine, Row, bindparam, text

from schemas.cells import LOOKBACK_QUARTERS
from schemas.fields import LINEAGE_DTYPES, REJECTION_DTYPES, REPORT_DTYPES
from schemas.quarter import Quarter
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import (
    as_date_series,
    as_utc_series,
)


def read_reports(engine: Engine, quarters: list[Quarter]) -> pl.DataFrame:
    """Return the stored valid reports of `quarters` as a typed report frame."""
    statement = text(sql_text("select_quarter_reports")).bindparams(
        bindparam("quarters", expanding=True)
    )
    with engine.connect() as connection:
        result = connection.execute(statement, {"quarters": [str(q) for q in quarters]})
        columns = list(result.keys())
        rows = result.fetchall()
    raw = pl.DataFrame(
        {name: [row[i] for row in rows] for i, name in enumerate(columns)}, strict=False
    )
    return _typed_reports(raw, columns)


def read_lookback_reports(engine: Engine, quarter: Quarter) -> pl.DataFrame:
    """Return the stored reports of `quarter` and of the quarters its trends look back on."""
    return read_reports(engine, [quarter.previous(n) for n in range(LOOKBACK_QUARTERS)])


def _typed_reports(raw: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    dtypes = REPORT_DTYPES | LINEAGE_DTYPES
    if raw.is_empty():
        return pl.DataFrame(schema=dtypes)
    return raw.with_columns(
        as_date_series(raw["submitted_on"]).alias("submitted_on"),
        as_utc_series(raw["updated_at"]).alias("updated_at"),
        pl.when(pl.col("secondary_themes") == "")
        .then(pl.lit([], pl.List(pl.String)))
        .otherwise(pl.col("secondary_themes").str.split("|"))
        .alias("secondary_themes"),
    ).select(pl.col(name).cast(dtypes[name]) for name in columns)


def read_open_rejections(engine: Engine, quarter: Quarter) -> pl.DataFrame:
    """Return the quarter's rejections that no later valid delivery has replaced."""
    with engine.connect() as connection:
        result = connection.execute(
            text(sql_text("select_open_rejections")), {"quarter": str(quarter)}
        )
        rows = [tuple(row) for row in result]
    return pl.DataFrame(rows, schema=REJECTION_DTYPES, orient="row")


def read_quarter_deliveries(engine: Engine, quarter: Quarter) -> pl.DataFrame:
    """Return the deliveries the quarter rests on, with their counts (never their rows)."""
    with engine.connect() as connection:
        result = connection.execute(
            text(sql_text("select_quarter_deliveries")), {"quarter": str(quarter)}
        )
        rows = [tuple(row) for row in result]
        columns = list(result.keys())
    schema = {name: (pl.Int64 if _is_count(name) else pl.String) for name in columns}
    return pl.DataFrame(rows, schema=schema, orient="row")


def _is_count(column: str) -> bool:
    return column == "seq" or column.startswith(("rows_", "redacted_"))


class LandedContentMismatch(ValueError):
    """Raised when a landed delivery reads back with another sha256 than it was landed with."""


def read_landed_content(engine: Engine, sha256: str) -> bytes:
    """Return the landed delivery `sha256` exactly as received, its sha256 verified.

    Raises:
        LookupError: nothing was landed with this sha256.
        LandedContentMismatch: the stored parts do not add up to the delivery.
    """
    with engine.connect() as connection:
        parts = connection.execute(
            text(sql_text("select_landed_content")), {"sha256": sha256}
        ).all()
    if not parts:
        raise LookupError(f"no delivery with sha256 {sha256} has been landed")
    content = b"".join(_part_as_received(part) for part in parts)
    found = hashlib.sha256(content).hexdigest()
    if found != sha256:
        raise LandedContentMismatch(
            f"landed delivery {sha256} reads back as {len(content):,} bytes with sha256 {found}: "
            "its stored parts are damaged or incomplete"
        )
    return content


def _part_as_received(part: Row) -> bytes | pa.Buffer:
    if part.codec == "none":
        return part.content
    return pa.decompress(part.content, decompressed_size=part.raw_size, codec=part.codec)


def landed_hashes_starting_with(engine: Engine, prefix: str) -> list[str]:
    """Return the sha256 of every landed delivery that starts with `prefix` (lowercase hex)."""
    with engine.connect() as connection:
        rows = connection.execute(text(sql_text("select_landed_hashes")), {"pattern": f"{prefix}%"})
        return [row.sha256 for row in rows]
