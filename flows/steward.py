"""The data steward's flows: backfill a range of quarters and resend a published brief."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from prefect import flow
from pydantic import Field

from flows.quarterly import QuarterText, quarterly_brief
from flows.steps import owed_after_resend, quarters_between
from tasks.summary import RunSummary


@flow(name="backfill", description="Publish every quarter in a range, oldest first.")
def backfill(
    first: Annotated[QuarterText, Field(description="First quarter, e.g. 2025Q1")],
    last: Annotated[QuarterText, Field(description="Last quarter, e.g. 2026Q3")],
    sources_file: Annotated[Path, Field(description="The sources.toml to read")] = Path(
        "sources.toml"
    ),
    out_dir: Annotated[Path, Field(description="Folder quarters are published under")] = Path(
        "outputs"
    ),
    send: Annotated[bool, Field(description="E-mail each quarter's briefs")] = False,
) -> list[RunSummary]:
    """Run the quarterly brief for each quarter from `first` to `last`."""
    return [
        quarterly_brief(quarter=quarter, sources_file=sources_file, out_dir=out_dir, send=send)
        for quarter in quarters_between(first, last)
    ]


@flow(name="resend", description="E-mail a published brief to every recipient still owed it.")
def resend_brief(
    quarter: Annotated[QuarterText, Field(description="The published quarter, e.g. 2026Q3")],
    out_dir: Annotated[Path, Field(description="Folder the quarter was published under")] = Path(
        "outputs"
    ),
) -> list[str]:
    """Send the quarter's published briefs to the recipients the ledger says are owed."""
    return owed_after_resend(quarter, out_dir)
