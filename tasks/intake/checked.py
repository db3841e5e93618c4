"""A delivery checked whole: parsed, redacted and validated slice by slice, its rows tallied.

Nothing here touches the warehouse: `tasks.warehouse.ingest` stores what this checks,
and the steward's dry runs (`tasks.intake.dry_run`) only count it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import polars as pl

from schemas.fields import (
    LINEAGE_DTYPES,
    REJECTION_DTYPES,
    REPORT_DTYPES,
    count_rejected_rows,
)
from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.quarter import Quarter, local_date
from schemas.reference import Reference
from tasks.intake.bounded import parsed_delivery
from tasks.intake.extract import Delivery
from tasks.intake.parse import ParsedDelivery
from tasks.intake.redact import RedactionCounts, redacted_reports
from tasks.intake.validate import validated_reports

FIRST_WATERMARK = datetime(1900, 1, 1, tzinfo=UTC)
CHECK_SLICE_ROWS = 250_000
_NO_REPORTS = pl.DataFrame(schema=REPORT_DTYPES | LINEAGE_DTYPES)
_NO_REJECTIONS = pl.DataFrame(schema=REJECTION_DTYPES)


@dataclass(frozen=True)
class DeliveryRecord:
    """What the warehouse keeps about one landed delivery (never its rows)."""

    source_id: str
    sha256: str
    municipality_code: str
    kind: str
    name: str
    received_at: datetime
    quarter: str
    size_bytes: int
    rows_in: int
    rows_valid: int
    rows_quarantined: int
    redacted_identity_codes: int
    redacted_phones: int
    redacted_emails: int


class RowsDoNotAddUp(RuntimeError):
    """Raised when a delivery's rows in differ from its valid plus quarantined rows."""


@dataclass(frozen=True)
class CheckedDelivery:
    """A delivery checked whole (nothing stored): its record, reports and rejections."""

    record: DeliveryRecord
    reports: pl.DataFrame
    rejections: pl.DataFrame


@dataclass(frozen=True)
class CheckedPart:
    """A checked part of a delivery: its valid reports, rejections and counts."""

    reports: pl.DataFrame
    rejections: pl.DataFrame
    rows_in: int
    redactions: RedactionCounts


@dataclass(frozen=True)
class Tally:
    """A delivery's counts, part by part."""

    rows_in: int = 0
    rows_valid: int = 0
    rows_quarantined: int = 0
    redactions: RedactionCounts = field(default_factory=RedactionCounts)

    def __add__(self, part: CheckedPart) -> Tally:
        """Return the counts with those of `part` added."""
        return Tally(
            self.rows_in + part.rows_in,
            self.rows_valid + part.reports.height,
            self.rows_quarantined + count_rejected_rows(part.rejections),
            self.redactions + part.redactions,
        )


def checked_delivery(
    delivery: Delivery,
    reference: Reference,
    quarter: Quarter,
    now: datetime,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> CheckedDelivery:
    """Return a delivery parsed, redacted and validated whole, with its landing record."""
    parsed = parsed_delivery(delivery, 0, limits)
    parts = list(checked_parts(parsed, delivery.municipality_code, reference, now))
    return CheckedDelivery(
        delivery_record(delivery, quarter, now, sum(parts, Tally())),
        pl.concat([_NO_REPORTS, *(part.reports for part in parts)]),
        pl.concat([_NO_REJECTIONS, *(p.rejections for p in parts)], how="vertical_relaxed"),
    )


def checked_parts(
    parsed: ParsedDelivery, municipality_code: str, reference: Reference, now: datetime
) -> Iterator[CheckedPart]:
    """Yield the delivery's unreadable rows, then its readable rows slice by slice, checked."""
    if parsed.rejections.height:
        unreadable = count_rejected_rows(parsed.rejections)
        yield CheckedPart(_NO_REPORTS, parsed.rejections, unreadable, RedactionCounts())
    for rows in parsed.reports.iter_slices(CHECK_SLICE_ROWS):
        redacted, redactions = redacted_reports(rows)
        validated = validated_reports(redacted, municipality_code, reference, local_date(now))
        yield CheckedPart(validated.reports, validated.rejections, rows.height, redactions)


def delivery_record(
    delivery: Delivery, quarter: Quarter, now: datetime, tally: Tally
) -> DeliveryRecord:
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
