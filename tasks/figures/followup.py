"""What became of the proposals: each proposal's state, and `followup.csv` (CONTRACT.md §6).

Pure transforms over the tracked proposals and the response history. The latest response
of a proposal counts: the latest `decided_on`, and on an equal (or no) date the one
delivered later (delivery order, then line). Counts are suppressed as `aggregates.csv` is:
1 to threshold−1 hidden, and within each (addressee_level, status) the smallest other
theme hidden with a lone hidden one, or with a hidden `all` nothing else to subtract from.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from schemas.fields import ADDRESSEE_LEVELS
from schemas.quarter import HELSINKI, Quarter
from schemas.responses import DECISION_STATUSES, FOLLOWUP_QUARTERS, FOLLOWUP_STATUSES, OPEN
from tasks.figures.suppress import ALL, suppressed_parts

KEY = ["municipality_code", "report_id"]
FOLLOWUP_COLUMNS = ("quarter", "addressee_level", "theme", "status", "proposals", "suppressed")


def followup_quarters(quarter: Quarter, count: int = FOLLOWUP_QUARTERS) -> list[str]:
    """Return the `count` quarters up to and including `quarter`, oldest first, as text."""
    return [str(quarter.previous(n)) for n in reversed(range(count))]


def latest_responses(responses: pl.DataFrame) -> pl.DataFrame:
    """Return the response that counts for each proposal (one row per key)."""
    order = ["decided_on", "delivery_seq", "row_number"]
    return (
        responses.sort([*KEY, *order], nulls_last=False).group_by(KEY, maintain_order=True).last()
    )


def _received_day() -> pl.Expr:
    return pl.col("received_at").dt.convert_time_zone(str(HELSINKI)).dt.date()


def first_reactions(responses: pl.DataFrame) -> pl.DataFrame:
    """Return per proposal the day of its first response and of its first decision.

    A response's day is its decision's day when it names an earlier one, else the day its
    sheet was received.
    """
    day = pl.min_horizontal("decided_on", _received_day())
    return responses.group_by(KEY).agg(
        day.min().alias("first_response_on"),
        day.filter(pl.col("status").is_in(DECISION_STATUSES)).min().alias("decision_on"),
    )


def proposal_states(
    proposals: pl.DataFrame, responses: pl.DataFrame, quarters: list[str]
) -> pl.DataFrame:
    """Return each proposal of `quarters` with its current status and first reactions.

    `status` is the latest response's, or `open`; the days count from `submitted_on`.
    """
    latest = latest_responses(responses).select(
        *KEY, "status", "decision_ref", "decided_on", "response"
    )
    return (
        proposals.filter(pl.col("quarter").is_in(quarters))
        .join(latest, on=KEY, how="left")
        .join(first_reactions(responses), on=KEY, how="left")
        .with_columns(
            pl.col("status").fill_null(OPEN),
            (pl.col("first_response_on") - pl.col("submitted_on"))
            .dt.total_days()
            .alias("days_to_response"),
            (pl.col("decision_on") - pl.col("submitted_on"))
            .dt.total_days()
            .alias("days_to_decision"),
        )
        .sort(KEY)
    )


def followup_counts(states: pl.DataFrame, theme_codes: list[str]) -> pl.DataFrame:
    """Return proposals by addressee level, theme (and `all`) and status: every combination."""
    grid = (
        pl.DataFrame({"addressee_level": list(ADDRESSEE_LEVELS)})
        .join(pl.DataFrame({"theme": [*theme_codes, ALL]}), how="cross")
        .join(pl.DataFrame({"status": list(FOLLOWUP_STATUSES)}), how="cross")
    )
    by_theme = states.group_by("addressee_level", "theme", "status").len("proposals")
    totals = states.group_by("addressee_level", "status").len("proposals")
    counts = pl.concat([by_theme, totals.with_columns(theme=pl.lit(ALL))], how="diagonal")
    return grid.join(counts, on=["addressee_level", "theme", "status"], how="left").with_columns(
        pl.col("proposals").fill_null(0).cast(pl.Int64)
    )


def suppressed_followup(counts: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """Return the counts with `suppressed`: primary cells and whatever would reveal them."""
    hidden: list[bool] = []
    for group in counts.partition_by("addressee_level", "status", maintain_order=True):
        values = group["proposals"].to_list()
        total = values[-1]  # theme `all` is last in every group
        total_hidden = 1 <= total < threshold
        parts = suppressed_parts(values[:-1], threshold, total_published=not total_hidden)
        hidden.extend([*parts, total_hidden])
    order = counts.partition_by("addressee_level", "status", maintain_order=True)
    return pl.concat(order).with_columns(suppressed=pl.Series(hidden, dtype=pl.Boolean))


def followup_table(
    states: pl.DataFrame, quarter: Quarter, theme_codes: list[str], threshold: int
) -> pl.DataFrame:
    """Return followup.csv's rows: counts over the eight quarters, suppressed ones empty."""
    cells = suppressed_followup(followup_counts(states, theme_codes), threshold)
    return cells.select(
        pl.lit(str(quarter)).alias("quarter"),
        "addressee_level",
        "theme",
        "status",
        pl.when(pl.col("suppressed")).then(None).otherwise(pl.col("proposals")).alias("proposals"),
        "suppressed",
    )


def decisions_in(states: pl.DataFrame, first_day: date, last_day: date) -> pl.DataFrame:
    """Return the proposals whose current response is a decision dated within the days."""
    return states.filter(
        pl.col("status").is_in(DECISION_STATUSES)
        & pl.col("decided_on").is_between(first_day, last_day)
        & pl.col("decision_ref").is_not_null()
    ).sort("decided_on", *KEY)
