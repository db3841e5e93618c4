"""The quarterly brief: extract, validate, store, check, aggregate, publish and send."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from prefect import flow
from prefect.states import State
from pydantic import Field

from flows.artifacts import record_run_artifacts
from flows.followup import (
    collect_responses,
    follow_up,
    send_follow_up,
    with_followup,
    write_feedback_digests,
)
from flows.form import LatestOrQuarter, Municipality, municipality_codes
from flows.lock import quarter_lock
from flows.quotes import review_quotes
from flows.states import explained_failures, final_state, logged_run, quarterly_run_name
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
    summarize,
)
from tasks.figures.quality import blocks_publication

WaitMinutes = Annotated[float, Field(ge=0, le=1440)]


@flow(
    name="quarterly-brief",
    description="Social reports of one quarter to PDF briefs.",
    flow_run_name=quarterly_run_name,
)
def quarterly_brief(
    quarter: LatestOrQuarter = "",
    sources_file: Path = Path("sources.toml"),
    out_dir: Path = Path("outputs"),
    municipalities: tuple[Municipality, ...] = (),
    send: bool = True,
    wait_minutes: WaitMinutes = 30,
) -> State:
    """Publish one quarter's brief from every configured source.

    Args:
        quarter: The quarter to publish as YYYYQn, e.g. 2026Q3. Empty: the latest
            complete quarter (Europe/Helsinki) when the run starts.
        sources_file: The sources.toml naming each municipality's delivery channel,
            relative to the project folder.
        out_dir: Folder the quarter is published under, in a folder named after the
            quarter (outputs/2026Q3 for outputs).
        municipalities: Only these municipalities' sources. Empty: all of them.
        send: E-mail the briefs to the distribution list after publishing.
        wait_minutes: Minutes to wait while another run holds the same quarter before
            refusing; 0 refuses at once.

    Returns:
        Completed, or `Needs attention` when a source failed, the quality gate stopped
        publication or mail is owed; either holds the run's counts (a `RunSummary`).
    """
    settings = run_settings(out_dir, sources_file)
    period = choose_quarter(quarter)
    with (
        explained_failures(settings),
        quarter_lock(settings, period, wait_minutes),
        logged_run(settings, period, "quarterly-brief") as run_id,
    ):
        configured = read_sources(
            settings.sources_file, None, settings.reference().municipality_codes
        )
        outcomes = ingest_sources(
            configured.only(municipality_codes(municipalities)), settings, period
        )
        collect_responses(settings, configured)
        findings = check_quality(settings, period)
        rejections = read_rejections(settings, period)
        if blocks_publication(findings):
            summary = summarize(period, outcomes, None, rejections, findings, [], [])
        else:
            reports = read_stored_quarter(settings, period)
            figures = aggregate_quarter(reports, period, settings)
            record_lineage(settings, period, figures)
            follow = follow_up(settings, period)
            quotes = review_quotes(settings, period, figures.quotes, follow.response_quotes)
            facts = compose_brief(
                period, figures, quotes.published, findings, outcomes, rejections, settings
            )
            facts = with_followup(facts, follow, quotes.responses, settings)
            files = publish(
                settings, period, figures, facts, rejections, configured, outcomes, follow.files
            )
            digests = write_feedback_digests(settings, period, follow)
            owed = send_briefs(settings, period, files) if send else []
            owed += send_follow_up(settings, period, files, digests) if send else []
            summary = summarize(
                period, outcomes, figures, rejections, findings, files, owed, quotes.waiting
            )
        record_run_artifacts(summary, rejections, settings)
        finish_run_log(settings, run_id, summary)
    return final_state(summary)
