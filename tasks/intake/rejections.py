"""Rejected rows counted where their feedback goes: per delivering municipality."""

from __future__ import annotations

import polars as pl

from schemas.fields import delivering_municipality, distinct_rejected_rows


def rejected_rows_per_municipality(rejections: pl.DataFrame) -> pl.DataFrame:
    """Return distinct rejected rows (`rows`) per delivering `municipality_code`, in code order.

    A row is counted where its feedback goes: under the municipality whose source delivered
    it, not the one its own `municipality_code` column names.
    """
    return (
        rejections.group_by(delivering_municipality().alias("municipality_code"))
        .agg(rows=distinct_rejected_rows())
        .sort("municipality_code")
    )
