"""The quarterly brief: extract, validate, store, check, aggregate, publish and deliver."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from prefect import flow
from pydantic import Field

from flows.steps import (
    aggregate_quarter,
    blocks_publication,
    check_quality,
    choose_quarter,
    compose_brief,
    deliver,
    finish_run_log,
    ingest_sources,
    publish,
    read_rejections,
    read_sources,
    read_stored_quarter,
    record_lineage,
    run_settings,
    start_run_log,
    summarize,
)
from tasks.summary import RunSummary

QuarterText = Annotated[str, Field(pattern=r"^\d{4}Q[1-4]$", description="A quarter, e.g. 2026Q3")]
MunicipalityCode = Annotated[str, Field(pattern=r"^\d{3}$", description="A municipality code")]


@flow(name="quarterly-brief", description="Social reports of one quarter to PDF briefs.")
def quarterly_brief(
    quarter: Annotated[
        QuarterText | None, Field(description="Quarter to publish; empty: the latest complete one")
    ] = None,
    sources_file: Annotated[Path, Field(description="The sources.toml to read")] = Path(
        "sources.toml"
    ),
    out_dir: Annotated[Path, Field(description="Folder the quarter is published under")] = Path(
        "outputs"
    ),
    municipalities: Annotated[
        list[MunicipalityCode] | None, Field(description="Only these municipalities; empty: all")
    ] = None,
    send: Annotated[bool, Field(description="E-mail the briefs to the distribution list")] = True,
) -> RunSummary:
    """Publish one quarter's brief from every configured source."""
    settings = run_settings(out_dir, sources_file)
    period = choose_quarter(quarter)
    run_id = start_run_log(settings, period, "quarterly-brief")
    sources = read_sources(settings.sources_file, municipalities)
    outcomes = ingest_sources(sources, settings, period)
    findings = check_quality(settings, period)
    reports = read_stored_quarter(settings, period)
    figures = aggregate_quarter(reports, period, settings)
    record_lineage(settings, period, figures)
    rejections = read_rejections(settings, period)
    files: list[Path] = []
    owed: list[str] = []
    if not blocks_publication(findings):
        facts = compose_brief(period, figures, findings, outcomes, rejections, settings)
        files = publish(settings, period, figures, facts, rejections, sources, outcomes)
        owed = deliver(settings, period, files) if send else []
    summary = summarize(period, outcomes, figures, rejections, findings, files, owed)
    finish_run_log(settings, run_id, summary)
    return summary
