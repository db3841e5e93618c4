"""The published cell of CONTRACT.md §5: one row of `aggregates.csv`, as a pandera model.

`tasks.figures.aggregate.published_cells` returns these rows (with `clients_missing`
riding along for the brief); `aggregates_table` keeps the contract's columns
in order. Validate with `PublishedCell` for the default threshold of 5, or
with `published_cell_schema(threshold)` for another.
"""

from __future__ import annotations

import copy

import pandera.polars as pa
import polars as pl

DEFAULT_THRESHOLD = 5
LEVELS = ("region", "subregion", "municipality")
TREND_QUARTERS = 8  # the quarters a trend shows
LOOKBACK_QUARTERS = TREND_QUARTERS + 4  # the quarters read: a year before the first shown
GRAIN = ("quarter", "level", "area_code", "theme", "target_group")


class PublishedCell(pa.DataFrameModel):
    """A published figure: one row per quarter × area × theme × target group.

    `reports` and `clients_affected` are empty exactly where `suppressed` is
    true; a published count is 0 or at least the threshold (5 by default).
    """

    quarter: str = pa.Field(
        str_matches=r"^[0-9]{4}Q[1-4]$", description="Calendar quarter of submitted_on, YYYYQn."
    )
    level: str = pa.Field(isin=LEVELS, description="region, subregion or municipality.")
    area_code: str = pa.Field(
        description="19 for the region, the subregion_code, or the municipality code."
    )
    area_name: str = pa.Field(description="The area's Finnish name (Lappi for the region).")
    theme: str = pa.Field(description="A theme code, or `all` for every theme together.")
    target_group: str = pa.Field(
        description="A target-group code, or `all` for every target group together."
    )
    reports: pl.Int64 = pa.Field(
        nullable=True,
        ge=0,
        description="Valid reports with this main theme and target group; empty when suppressed.",
    )
    clients_affected: pl.Int64 = pa.Field(
        nullable=True,
        ge=0,
        description="Sum of the client estimates (0 when none given); empty when suppressed.",
    )
    suppressed: bool = pa.Field(
        description="True when the figure is hidden: a count of 1 to threshold − 1, or a "
        "figure from which a hidden one could be worked out."
    )

    class Config:
        """Extra columns (`clients_missing`) may ride along; the grain is unique."""

        name = "published_cell"
        strict = False
        coerce = False
        unique = list(GRAIN)

    @pa.dataframe_check(name="suppressed_iff_empty")
    @classmethod
    def _suppressed_iff_empty(cls, data: pa.PolarsData) -> pl.LazyFrame:
        hidden = pl.col("suppressed")
        return data.lazyframe.select(
            (hidden == pl.col("reports").is_null())
            & (hidden == pl.col("clients_affected").is_null())
        )

    @pa.dataframe_check(name="published_count")
    @classmethod
    def _published_count(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(_publishable(DEFAULT_THRESHOLD))


def _publishable(threshold: int) -> pl.Expr:
    """Return whether each row's count may be shown: empty, 0, or at least `threshold`."""
    reports = pl.col("reports")
    return reports.is_null() | (reports == 0) | (reports >= threshold)


def published_cell_schema(threshold: int = DEFAULT_THRESHOLD) -> pa.DataFrameSchema:
    """Return `PublishedCell` as a schema whose published counts are 0 or at least `threshold`."""
    schema = copy.deepcopy(PublishedCell.to_schema())
    check = pa.Check(
        lambda data: data.lazyframe.select(_publishable(threshold)), name="published_count"
    )
    schema.checks = [c for c in schema.checks if c.name != "published_count"] + [check]
    return schema
