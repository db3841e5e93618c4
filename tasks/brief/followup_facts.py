"""The facts of the brief's follow-up section: what became of earlier proposals.

Built from the proposals' states (`tasks.figures.followup.proposal_states`) and the
suppressed follow-up table; counts are None where `followup.csv` hides them. No proposal
text is kept; a decision's response text only when a person approved it as a quote
(`tasks.brief.quotes.approved_responses`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from schemas.fields import ADDRESSEE_LEVELS
from schemas.placeholders import placeholders_in
from schemas.quarter import Quarter
from schemas.responses import FOLLOWUP_STATUSES
from tasks.figures.followup import KEY, decisions_in
from tasks.figures.suppress import ALL

OLDEST_ROWS = 8
DECISION_ROWS = 15
RESPONSE_LANGUAGE = "fi"  # response sheets carry no language; addressees answer in Finnish


@dataclass(frozen=True)
class OpenGroup:
    """Open urgent proposals of one theme and addressee level; municipalities only when many."""

    theme: str
    addressee_level: str
    proposals: int | None
    oldest_days: int
    municipalities: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """A decision made in the quarter: its public reference; its response once approved."""

    theme: str
    addressee_level: str
    status: str
    decided_on: date
    reference: str
    response: str | None = None  # the approved quote of the response (Finnish placeholders)
    response_language: str = RESPONSE_LANGUAGE

    def response_in(self, lang: str) -> str | None:
        """Return the approved response quote with its placeholders in the brief's language."""
        return None if self.response is None else placeholders_in(self.response, lang)


@dataclass(frozen=True)
class FollowupFacts:
    """What the follow-up section states; counts None where hidden."""

    first_quarter: str
    last_quarter: str
    by_status: tuple[tuple[str, str, int | None], ...]  # addressee level, status, proposals
    median_days_to_response: int | None
    responded: int
    median_days_to_decision: int | None
    decided: int
    oldest_open_urgent: tuple[OpenGroup, ...]
    decisions: tuple[Decision, ...]
    responses_quoted: bool = False


def status_counts(table: pl.DataFrame) -> tuple[tuple[str, str, int | None], ...]:
    """Return (addressee level, status, proposals) of followup.csv's theme `all` rows."""
    totals = table.filter(pl.col("theme") == ALL)
    found = {
        (r["addressee_level"], r["status"]): r["proposals"] for r in totals.iter_rows(named=True)
    }
    return tuple(
        (level, status, found.get((level, status), 0))
        for level in ADDRESSEE_LEVELS
        for status in FOLLOWUP_STATUSES
    )


def median_days(days: pl.Series, threshold: int) -> int | None:
    """Return the median of the days, rounded; None for fewer than `threshold` values."""
    known = days.drop_nulls()
    return None if known.len() < threshold else round(float(known.median()))


def oldest_open_urgent(states: pl.DataFrame, as_of: date, threshold: int) -> tuple[OpenGroup, ...]:
    """Return the open urgent proposals by theme and addressee level, oldest group first.

    A group's count is None when it is below `threshold`; a municipality is named only
    when at least `threshold` of the group's proposals are its own.
    """
    urgent = states.filter((pl.col("status") == "open") & (pl.col("urgency") == "high"))
    groups = (
        urgent.group_by("theme", "addressee_level")
        .agg(
            pl.len().alias("proposals"),
            pl.col("submitted_on").min().alias("oldest"),
            pl.col("municipality_code").value_counts().alias("by_municipality"),
        )
        .sort("oldest", "theme", "addressee_level")
        .head(OLDEST_ROWS)
    )
    return tuple(
        OpenGroup(
            theme=row["theme"],
            addressee_level=row["addressee_level"],
            proposals=row["proposals"] if row["proposals"] >= threshold else None,
            oldest_days=(as_of - row["oldest"]).days,
            municipalities=tuple(
                sorted(
                    entry["municipality_code"]
                    for entry in row["by_municipality"]
                    if entry["count"] >= threshold
                )
            ),
        )
        for row in groups.iter_rows(named=True)
    )


def listed_decisions(states: pl.DataFrame, quarter: Quarter) -> pl.DataFrame:
    """Return the decisions the section lists: the quarter's, earliest first, a few at most."""
    return decisions_in(states, quarter.first_day, quarter.last_day).head(DECISION_ROWS)


def decisions_made(
    decided: pl.DataFrame, quoted: pl.DataFrame | None = None
) -> tuple[Decision, ...]:
    """Return the decisions with their references and approved response quotes, earliest first.

    `quoted` holds the approved response quotes (`municipality_code`, `report_id`, `text`).
    """
    rows = () if quoted is None else quoted.select(*KEY, "text").iter_rows()
    quotes = {(code, report_id): text for code, report_id, text in rows}
    return tuple(
        Decision(
            row["theme"],
            row["addressee_level"],
            row["status"],
            row["decided_on"],
            row["decision_ref"],
            quotes.get((row["municipality_code"], row["report_id"])),
        )
        for row in decided.iter_rows(named=True)
    )


def followup_facts(
    states: pl.DataFrame,
    table: pl.DataFrame,
    quarters: list[str],
    threshold: int,
    quoted: pl.DataFrame | None = None,
) -> FollowupFacts:
    """Return the follow-up section's facts for the last of `quarters` (oldest first).

    `quoted` are the approved response quotes; without them no response text is kept.
    """
    last = Quarter.parse(quarters[-1])
    decisions = decisions_made(listed_decisions(states, last), quoted)
    return FollowupFacts(
        first_quarter=quarters[0],
        last_quarter=quarters[-1],
        by_status=status_counts(table),
        median_days_to_response=median_days(states["days_to_response"], threshold),
        responded=states["days_to_response"].drop_nulls().len(),
        median_days_to_decision=median_days(states["days_to_decision"], threshold),
        decided=states["days_to_decision"].drop_nulls().len(),
        oldest_open_urgent=oldest_open_urgent(states, last.last_day, threshold),
        decisions=decisions,
        responses_quoted=any(decision.response is not None for decision in decisions),
    )
