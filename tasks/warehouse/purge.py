"""Retention: raw deliveries and rejected rows' values deleted once they are old enough.

The raw landing area (`landed_content`) holds every delivery as received,
personal data included, and a rejection's reasons quote its delivered value
(redacted, at most 40 characters). Both serve corrections and audits for a
while (`RAPORTTI_RETENTION_DAYS`, 400 days by default: a year and a quarter);
after that `purge` deletes the bytes and strips the values. What stays is
what the published quarters rest on: the delivery records (name, sha256,
counts), the valid reports, and each rejection's key, field and rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl
from sqlalchemy import Engine, text

from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import db_timestamp

_DURATION = re.compile(r"^\s*([0-9]+)\s*(d|w|y|days?|weeks?|years?)\s*$", re.IGNORECASE)
_DAYS_PER_UNIT = {"d": 1, "w": 7, "y": 365}
_QUOTED_VALUE = r' \((?:value|arvo) ".*"\)$'


@dataclass(frozen=True)
class Purged:
    """What a purge deleted (or, on a dry run, would delete)."""

    deliveries: int
    landed_parts: int
    rejections: int
    before: datetime
    dry_run: bool

    def summary(self) -> str:
        """Return one line saying what was deleted, for the command line and the log."""
        verb = "would delete" if self.dry_run else "deleted"
        return (
            f"{verb} the landed bytes of {self.deliveries} deliveries ({self.landed_parts} parts) "
            f"and the values of {self.rejections} rejections received before "
            f"{self.before:%Y-%m-%d %H:%M} UTC"
        )


def parse_duration(duration: str) -> timedelta:
    """Return a duration written as `400d`, `12w` or `2y` (days, weeks, years of 365 days)."""
    match = _DURATION.match(duration)
    if match is None:
        raise ValueError(f"{duration!r} is not a duration: write it as 400d, 12w or 2y")
    return timedelta(days=int(match[1]) * _DAYS_PER_UNIT[match[2][0].lower()])


def without_quoted_values(rejections: pl.DataFrame) -> pl.DataFrame:
    """Return rejections whose reasons no longer quote the delivered value."""
    return rejections.with_columns(
        pl.col("reason").str.replace(_QUOTED_VALUE, ""),
        pl.col("reason_fi").str.replace(_QUOTED_VALUE, ""),
    )


def purge_old_data(engine: Engine, before: datetime, dry_run: bool = False) -> Purged:
    """Delete the landed bytes and rejected values of deliveries received before `before`."""
    cutoff = {"before": db_timestamp(before)}
    with engine.begin() as connection:
        landed = connection.execute(text(sql_text("select_purgeable_deliveries")), cutoff).all()
        rows = connection.execute(text(sql_text("select_purgeable_rejections")), cutoff)
        rejections = pl.DataFrame(list(rows), schema=list(rows.keys()), orient="row")
        if not dry_run:
            for sha256, _parts in landed:
                connection.execute(text(sql_text("delete_landed_content")), {"sha256": sha256})
            if rejections.height:
                stripped = without_quoted_values(rejections).to_dicts()
                connection.execute(text(sql_text("update_rejection_reasons")), stripped)
    parts = sum(int(parts) for _sha256, parts in landed)
    return Purged(len(landed), parts, rejections.height, before, dry_run)
