"""The brief's shared fixtures: a quarter with Sámi quotes, a failed source and follow-up."""

from __future__ import annotations

from dataclasses import replace

import polars as pl
import pytest

from demo.synthetic import (
    REFERENCE,
    approved_quotes,
    quarter_inputs,
    synthetic_followup,
    synthetic_reports,
)
from tasks.brief.facts import BriefFacts, brief_facts
from tasks.brief.followup_facts import FollowupFacts
from tasks.brief.quotes import place_names


@pytest.fixture(scope="module")
def reports() -> pl.DataFrame:
    """Return 240 reports, every one consenting to a quote, every other one in Sámi."""
    return synthetic_reports(240).with_columns(
        consent_to_quote=pl.lit(True),
        language=pl.when(pl.col("report_id").str.contains("[02468]$"))
        .then(pl.lit("se"))
        .otherwise(pl.lit("fi")),
    )


@pytest.fixture(scope="module")
def followup(reports: pl.DataFrame) -> tuple[FollowupFacts, pl.DataFrame]:
    """Return the follow-up facts of the reports' proposals and followup.csv's rows."""
    return synthetic_followup(reports)


@pytest.fixture(scope="module")
def facts(reports: pl.DataFrame, followup: tuple[FollowupFacts, pl.DataFrame]) -> BriefFacts:
    """Return the reports' facts: quotes approved, Savukoski's source failed, follow-up."""
    inputs = quarter_inputs(reports, quotes=approved_quotes(reports, place_names(REFERENCE)))
    return replace(brief_facts(**inputs), followup=followup[0])
