"""The quarterly brief: extract, validate, store, check, aggregate, publish and send."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from prefect import flow
from pydantic import Field

from flows.artifacts import record_run_artifacts
from flows.lock import quarter_lock
from flows.steps import (
    aggregate_quarter,
    check_quality,
    choose_quarter,
    compose_brief,
    finish_run_log,
    ingest_sources,
    publish,
    read_rejections,
    read_sources,
    read_stored_quarter,
    record_lineage,
    run_settings,
    send_briefs,
    start_run_log,
    summarize,
)
from schemas.reference import load_reference
from tasks.figures.quality import blocks_publication
from tasks.run.summary import RunSummary

QuarterText = Annotated[
    str, Field(pattern=r"^\d{4}Q[1-4]$", description="A quarter as YYYYQn, e.g. 2026Q3")
]
MUNICIPALITY_CODES = tuple(load_reference().municipality_codes)
MunicipalityCode = Literal[MUNICIPALITY_CODES]  # the 21 codes of municipalities.csv


WaitMinutes = Annotated[float, Field(ge=0, le=1440)]


@flow(name="quarterly-brief", description="Social reports of one quarter to PDF briefs.")
def quarterly_brief(
    quarter: QuarterText | None = None,
    sources_file: Path = Path("sources.toml"),
    out_dir: Path = Path("outputs"),
    municipalities: list[MunicipalityCode] | None = None,
    send: bool = True,
    wait_minutes: WaitMinutes = 30,
) -> RunSummary:
    """Publish one quarter's brief from every configured source.

    Args:
        quarter: The quarter to publish as YYYYQn, e.g. 2026Q3. Empty: the latest
            complete quarter (Europe/Helsinki) when the run starts.
        sources_file: The sources.toml naming each municipality's delivery channel,
            relative to the project folder.
        out_dir: Folder the quarter is published under, as <out_dir>/<quarter>/.
        municipalities: Only these municipalities' sources (codes of municipalities.csv).
            Empty: all of them.
        send: E-mail the briefs to the distribution list after publishing.
        wait_minutes: Minutes to wait while another run holds the same quarter before
            refusing; 0 refuses at once.

    Returns:
        The run's counts: sources, valid and quarantined rows, findings, published files.
    """
    settings = run_settings(out_dir, sources_file)
    period = choose_quarter(quarter)
    with quarter_lock(settings, period, wait_minutes):
        run_id = start_run_log(settings, period, "quarterly-brief")
        configured = read_sources(
            settings.sources_file, None, settings.reference().municipality_codes
        )
        outcomes = ingest_sources(configured.only(municipalities), settings, period)
        findings = check_quality(settings, period)
        rejections = read_rejections(settings, period)
        if blocks_publication(findings):
            summary = summarize(period, outcomes, None, rejections, findings, [], [])
        else:
            reports = read_stored_quarter(settings, period)
            figures = aggregate_quarter(reports, period, settings)
            record_lineage(settings, period, figures)
            facts = compose_brief(period, figures, findings, outcomes, rejections, settings)
            files = publish(settings, period, figures, facts, rejections, configured, outcomes)
            owed = send_briefs(settings, period, files) if send else []
            summary = summarize(period, outcomes, figures, rejections, findings, files, owed)
        record_run_artifacts(summary, rejections, settings)
        finish_run_log(settings, run_id, summary)
    return summary
