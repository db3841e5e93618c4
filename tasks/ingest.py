"""Ingest one source: extract its new deliveries, then parse, redact, validate and store each.

This is the I/O step that the quarterly flow runs once per source. Each
delivery is stored in its own transaction, so a source that fails half-way
keeps what it finished and a re-run picks up the rest without duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from schemas.fields import LINEAGE_DTYPES, REJECTION_DTYPES, REPORT_DTYPES
from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.quarter import Quarter, local_date
from schemas.reference import Reference
from schemas.sources import SourceConfig
from tasks.extract import Delivery, list_deliveries
from tasks.intake.bounded import parsed_delivery
from tasks.parse import ParsedDelivery, UnreadableDelivery
from tasks.redact import RedactionCounts, redacted_reports
from tasks.store import (
    DeliveryRecord,
    advance_watermark,
    landed_parts,
    open_delivery_load,
    read_watermark,
    stored_delivery_hashes,
)
from tasks.validate import validated_reports

FIRST_WATERMARK = datetime(1900, 1, 1, tzinfo=UTC)
CHECK_SLICE_ROWS = 250_000
_NO_REPORTS = pl.DataFrame(schema=REPORT_DTYPES | LINEAGE_DTYPES)
_NO_REJECTIONS = pl.DataFrame(schema=REJECTION_DTYPES)


class RowsDoNotAddUp(RuntimeError):
    """Raised when a delivery's rows in differ from its valid plus quarantined rows."""


@dataclass(frozen=True)
class SourceOutcome:
    """Counts for one source in one run (never rows)."""

    source_id: str
    municipality_code: str
    deliveries: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rows_in: int = 0
    rows_valid: int = 0
    rows_quarantined: int = 0
    redactions: RedactionCounts = field(default_factory=RedactionCounts)
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Return whether the source could not be read this run."""
        return self.error is not None


@dataclass(frozen=True)
class CheckedDelivery:
    """A delivery checked whole (nothing stored): its record, reports and rejections."""

    record: DeliveryRecord
    reports: pl.DataFrame
    rejections: pl.DataFrame


@dataclass(frozen=True)
class _Part:
    """A checked part of a delivery: its valid reports, rejections and counts."""

    reports: pl.DataFrame
    rejections: pl.DataFrame
    rows_in: int
    redactions: RedactionCounts


@dataclass(frozen=True)
class _Tally:
    """A delivery's counts, part by part."""

    rows_in: int = 0
    rows_valid: int = 0
    rows_quarantined: int = 0
    redactions: RedactionCounts = field(default_factory=RedactionCounts)

    def __add__(self, part: _Part) -> _Tally:
        """Return the counts with those of `part` added."""
        return _Tally(
            self.rows_in + part.rows_in,
            self.rows_valid + part.reports.height,
            self.rows_quarantined + _distinct_rows(part.rejections),
            self.redactions + part.redactions,
        )


def ingest_source(
    source: SourceConfig,
    base_dir: Path,
    engine: Engine,
    reference: Reference,
    quarter: Quarter,
    now: datetime,
    logger: logging.Logger | logging.LoggerAdapter,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> SourceOutcome:
    """Store every new delivery of `source`; raise when one of them cannot be read.

    A delivery that cannot be read at all does not hold back the others: they are
    stored first, then `UnreadableDelivery` names every one that could not be read
    (and an SQL source's watermark stays where it was).

    Args:
        source: the configured source.
        base_dir: the folder of sources.toml (paths are relative to it).
        engine: the warehouse.
        reference: the code lists rows are validated against.
        quarter: the quarter of the run (rejections are filed under it).
        now: the run's clock; SQL sources are read up to it and it bounds "future" dates.
        logger: where counts are logged.
        limits: a delivery over one of them is refused (the others go on).

    Returns:
        The source's counts for this run.
    """
    since = read_watermark(engine, source.source_id) or FIRST_WATERMARK
    deliveries = list_deliveries(source, base_dir, since, now, limits)
    already = stored_delivery_hashes(engine, source.source_id)
    outcome = SourceOutcome(source.source_id, source.municipality_code)
    unreadable: list[str] = []
    for delivery in deliveries:
        if delivery.sha256 in already:
            outcome = _with_skipped(outcome, delivery.name)
            continue
        watermark = now if source.kind == "sql" else None
        try:
            record = ingest_delivery(engine, delivery, reference, quarter, now, watermark, limits)
        except UnreadableDelivery as error:
            unreadable.append(str(error))
            continue
        already.add(delivery.sha256)
        outcome = _with_stored(outcome, record)
        logger.info(
            "%s: %s rows in, %s valid, %s quarantined, %s redactions",
            delivery.name,
            record.rows_in,
            record.rows_valid,
            record.rows_quarantined,
            _redactions_of(record).total,
        )
    if unreadable:
        raise UnreadableDelivery("\n".join(unreadable))
    if source.kind == "sql":
        advance_watermark(engine, source.source_id, now)
    return outcome


def ingest_delivery(
    engine: Engine,
    delivery: Delivery,
    reference: Reference,
    quarter: Quarter,
    now: datetime,
    watermark: datetime | None,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> DeliveryRecord:
    """Parse, redact, validate and store one delivery in one transaction; return its record.

    The delivery is read whole (line numbers and headers need it), then checked slice by
    slice: each slice is redacted and validated while the one before it loads into the
    warehouse, and its raw bytes are compressed for landing meanwhile.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="raportti-land") as compressor:
        landed = compressor.submit(landed_parts, delivery.sha256, delivery.content)
        parsed = parsed_delivery(delivery, 0, limits)
        with open_delivery_load(engine, delivery.sha256, str(quarter), landed.result) as load:
            tally = _Tally()
            for part in _checked_parts(parsed, delivery.municipality_code, reference, now):
                load.add(part.reports, part.rejections)
                tally += part
            record = _record(delivery, quarter, now, tally)
            load.finish(record, watermark)
    return record


def checked_delivery(
    delivery: Delivery,
    reference: Reference,
    quarter: Quarter,
    now: datetime,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> CheckedDelivery:
    """Return a delivery parsed, redacted and validated whole, with its landing record."""
    parsed = parsed_delivery(delivery, 0, limits)
    parts = list(_checked_parts(parsed, delivery.municipality_code, reference, now))
    return CheckedDelivery(
        _record(delivery, quarter, now, sum(parts, _Tally())),
        pl.concat([_NO_REPORTS, *(part.reports for part in parts)]),
        pl.concat([_NO_REJECTIONS, *(p.rejections for p in parts)], how="vertical_relaxed"),
    )


def _checked_parts(
    parsed: ParsedDelivery, municipality_code: str, reference: Reference, now: datetime
) -> Iterator[_Part]:
    """Yield the delivery's unreadable rows, then its readable rows slice by slice, checked."""
    if parsed.rejections.height:
        unreadable = _distinct_rows(parsed.rejections)
        yield _Part(_NO_REPORTS, parsed.rejections, unreadable, RedactionCounts())
    for rows in parsed.reports.iter_slices(CHECK_SLICE_ROWS):
        redacted, redactions = redacted_reports(rows)
        validated = validated_reports(redacted, municipality_code, reference, local_date(now))
        yield _Part(validated.reports, validated.rejections, rows.height, redactions)


def _distinct_rows(rejections: pl.DataFrame) -> int:
    return (
        rejections.select(pl.struct("delivery", "row_number").n_unique()).item()
        if rejections.height
        else 0
    )


def _record(delivery: Delivery, quarter: Quarter, now: datetime, tally: _Tally) -> DeliveryRecord:
    """Return the delivery's landing record; raise when its rows do not add up."""
    if tally.rows_in != tally.rows_valid + tally.rows_quarantined:
        raise RowsDoNotAddUp(
            f"{delivery.name}: {tally.rows_in} rows in but {tally.rows_valid} valid "
            f"and {tally.rows_quarantined} quarantined"
        )
    return DeliveryRecord(
        source_id=delivery.source_id,
        sha256=delivery.sha256,
        municipality_code=delivery.municipality_code,
        kind=delivery.kind,
        name=delivery.name,
        received_at=now,
        quarter=str(quarter),
        size_bytes=len(delivery.content),
        rows_in=tally.rows_in,
        rows_valid=tally.rows_valid,
        rows_quarantined=tally.rows_quarantined,
        redacted_identity_codes=tally.redactions.identity_codes,
        redacted_phones=tally.redactions.phones,
        redacted_emails=tally.redactions.emails,
    )


def _redactions_of(record: DeliveryRecord) -> RedactionCounts:
    return RedactionCounts(
        identity_codes=record.redacted_identity_codes,
        phones=record.redacted_phones,
        emails=record.redacted_emails,
    )


def _with_skipped(outcome: SourceOutcome, name: str) -> SourceOutcome:
    return SourceOutcome(**(vars(outcome) | {"skipped": [*outcome.skipped, name]}))


def _with_stored(outcome: SourceOutcome, record: DeliveryRecord) -> SourceOutcome:
    return SourceOutcome(
        **(
            vars(outcome)
            | {
                "deliveries": [*outcome.deliveries, record.name],
                "rows_in": outcome.rows_in + record.rows_in,
                "rows_valid": outcome.rows_valid + record.rows_valid,
                "rows_quarantined": outcome.rows_quarantined + record.rows_quarantined,
                "redactions": outcome.redactions + _redactions_of(record),
            }
        )
    )
