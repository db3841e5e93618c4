"""The brief's follow-up section in every language: counts as published, decisions, no text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from demo.synthetic import QUARTER, quarter_inputs, synthetic_reports
from tasks.brief.facts import brief_facts
from tasks.brief.followup import FOLLOWUP_TEXT
from tasks.brief.followup_facts import followup_facts
from tasks.brief.render import write_briefs
from tasks.figures.followup import followup_quarters, followup_table, proposal_states
from tests.tasks.brief.test_brief import pdf_text

SECRET = "Soita Marjalle 040 111 2222, hetu 010203A123B"


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    reports = synthetic_reports(240)
    quarter = QUARTER
    proposals = (
        reports.filter(pl.col("proposal").is_not_null())
        .with_columns(pl.lit(str(quarter)).alias("quarter"))
        .select(
            "municipality_code", "report_id", "quarter", "submitted_on", "theme",
            "addressee_level", "urgency", "proposal",
        )
    )  # fmt: skip
    keys = proposals.head(12)
    responses = keys.select(
        "municipality_code",
        "report_id",
        status=pl.lit("decided"),
        decision_ref=pl.lit("Aluehallitus 28.9.2026 § 1 <b>"),
        decided_on=pl.lit(quarter.last_day),
        response=pl.lit(SECRET),
        responder_role=pl.lit("sihteeri"),
        received_at=pl.lit(datetime(2026, 10, 1, tzinfo=UTC)),
        delivery_seq=pl.lit(1, pl.Int64),
        row_number=pl.int_range(2, 14, dtype=pl.Int64),
    )
    quarters = followup_quarters(quarter)
    states = proposal_states(proposals, responses, quarters)
    table = followup_table(states, quarter, reports["theme"].unique().sort().to_list(), 5)
    facts = replace(
        brief_facts(**quarter_inputs(reports)),
        followup=followup_facts(states, table, quarters, 5),
    )
    out: Path = tmp_path_factory.mktemp("followup-briefs")
    return {path.stem[-2:]: pdf_text(path) for path in write_briefs(facts, out)}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_section_is_in_every_language_with_decisions_and_no_response_text(
    briefs: dict[str, str], lang: str
) -> None:
    text = briefs[lang]
    assert FOLLOWUP_TEXT[lang]["heading"] in text
    assert FOLLOWUP_TEXT[lang]["decisions_heading"] in text
    assert "Aluehallitus 28.9.2026 § 1 <b>" in text  # a public reference, escaped, not markup
    assert FOLLOWUP_TEXT[lang]["no_quotes"] in text
    for secret in ("Marjalle", "040 111 2222", "010203A123B"):
        assert secret not in text
