"""Ingest one source: extract its new deliveries, then parse, redact, validate and store each.

This is the I/O step that the quarterly flow runs once per source. Each
delivery is stored in its own transaction, so a source that fails half-way
keeps what it finished and a re-run picks up the rest without duplicates.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.quarter import Quarter
from schemas.reference import Reference
from schemas.sources import SourceConfig
from tasks.intake.bounded import parsed_delivery
from tasks.intake.checked import (
    FIRST_WATERMARK,
    DeliveryRecord,
    Tally,
    checked_parts,
    delivery_record,
)
from tasks.intake.extract import Delivery, list_deliveries
from tasks.intake.parse import UnreadableDelivery
from tasks.intake.publishable import publishable_id
from tasks.intake.redact import RedactionCounts
from tasks.warehouse.load import (
    advance_watermark,
    landed_parts,
    open_delivery_load,
    read_watermark,
    stored_delivery_hashes,
)


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
            outcome = _with_skipped(outcome, publishable_id(delivery.name))
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
            publishable_id(delivery.name),
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
            tally = Tally()
            for part in checked_parts(parsed, delivery.municipality_code, reference, now):
                load.add(part.reports, part.rejections)
                tally += part
            record = delivery_record(delivery, quarter, now, tally)
            load.finish(record, watermark)
    return record


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
                "deliveries": [*outcome.deliveries, publishable_id(record.name)],
                "rows_in": outcome.rows_in + record.rows_in,
                "rows_valid": outcome.rows_valid + record.rows_valid,
                "rows_quarantined": outcome.rows_quarantined + record.rows_quarantined,
                "redactions": outcome.redactions + _redactions_of(record),
            }
        )
    )
