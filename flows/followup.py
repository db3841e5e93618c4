"""Proposal follow-up as thin Prefect steps over `tasks/`.

Responses in (the weekly `collect-responses` flow, and each quarterly run), the follow-up
of a quarter, response sheets and feedback digests out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from schemas.quarter import Quarter
from schemas.responses import DIGEST_QUARTERS
from schemas.settings import Settings
from schemas.sources import SourcesConfig, load_sources
from tasks.brief.facts import BriefFacts
from tasks.brief.followup_facts import followup_facts, listed_decisions
from tasks.brief.quotes import place_names, response_candidates
from tasks.figures.followup import followup_quarters, followup_table, proposal_states
from tasks.outward.digest import write_digests
from tasks.outward.followup_mail import feedback_parcels, followup_parcels, send_parcels
from tasks.outward.response_feedback import write_response_feedback
from tasks.outward.response_sheets import followup_files
from tasks.outward.send import smtp_config
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.proposals import (
    ResponsesOutcome,
    ingest_responses,
    read_proposals,
    read_response_rejections,
    read_responses,
    register_proposals,
)
from tasks.warehouse.reads import read_reports


@dataclass(frozen=True)
class FollowUp:
    """A quarter's follow-up: every proposal's state, the files it publishes, response quotes.

    `response_quotes` are the candidates among the responses of the decisions listed
    (`response_candidates`); they are printed only once a person approves them.
    """

    states: pl.DataFrame
    table: pl.DataFrame
    files: dict[str, bytes]
    digest_states: pl.DataFrame
    response_quotes: pl.DataFrame


@task(name="collect-responses-source", retries=1, timeout_seconds=900, cache_policy=NO_CACHE)
def collect_responses(settings: Settings, sources: SourcesConfig) -> list[ResponsesOutcome]:
    """Store the new response sheets of every `responses` source; write their feedback."""
    engine = connect_warehouse(settings.warehouse_url())
    outcomes = [
        ingest_responses(
            source, sources.base_dir, engine, datetime.now(UTC), settings.delivery_limits()
        )
        for source in sources.responses
    ]
    feedback = write_response_feedback(settings.out_dir, read_response_rejections(engine))
    config = smtp_config(settings)
    if config is not None:
        send_parcels(engine, config, feedback_parcels(feedback, settings.response_mail_to))
    logger = get_run_logger()
    for outcome in outcomes:
        logger.info(
            "responses: %s sheets stored, %s skipped, %s lines valid, %s rejected, %s unreadable",
            len(outcome.stored),
            len(outcome.skipped),
            outcome.rows_valid,
            outcome.rows_quarantined,
            len(outcome.unreadable),
        )
        for reason in outcome.unreadable:
            logger.error("unreadable response sheet: %s", reason)
    return outcomes


@task(name="follow-up-proposals", retries=1, timeout_seconds=600, cache_policy=NO_CACHE)
def follow_up(settings: Settings, quarter: Quarter) -> FollowUp:
    """Return the state of every proposal of the eight quarters, followup.csv and the sheets."""
    engine = connect_warehouse(settings.warehouse_url())
    register_proposals(engine)
    proposals, responses = read_proposals(engine), read_responses(engine)
    quarters = followup_quarters(quarter)
    states = proposal_states(proposals, responses, quarters)
    themes = settings.reference().theme_codes
    table = followup_table(states, quarter, themes, settings.suppression_threshold)
    digest = proposal_states(proposals, responses, followup_quarters(quarter, DIGEST_QUARTERS))
    names = place_names(settings.reference())
    quotes = response_candidates(listed_decisions(states, quarter), names)
    return FollowUp(states, table, followup_files(states, table, quarter), digest, quotes)


def with_followup(
    facts: BriefFacts, follow: FollowUp, quoted: pl.DataFrame, settings: Settings
) -> BriefFacts:
    """Return the brief's facts with its follow-up section and the approved response `quoted`."""
    quarters = followup_quarters(Quarter.parse(facts.quarter))
    threshold = settings.suppression_threshold
    section = followup_facts(follow.states, follow.table, quarters, threshold, quoted)
    return replace(facts, followup=section)


@task(name="write-digests", retries=1, timeout_seconds=600, cache_policy=NO_CACHE)
def write_feedback_digests(settings: Settings, quarter: Quarter, follow: FollowUp) -> list[Path]:
    """Write each municipality's Finnish digest next to its feedback file (never published)."""
    folder = settings.out_dir / str(quarter) / "feedback"
    quarters = followup_quarters(quarter, DIGEST_QUARTERS)
    reports = read_reports(
        connect_warehouse(settings.warehouse_url()), [Quarter.parse(q) for q in quarters]
    )
    return write_digests(
        folder, quarter, reports, follow.digest_states, quarters, settings.reference()
    )


@task(name="send-follow-up", timeout_seconds=900, cache_policy=NO_CACHE)
def send_follow_up(
    settings: Settings, quarter: Quarter, files: list[Path], digests: list[Path]
) -> list[str]:
    """Mail each addressee its response sheet with the briefs, and each municipality its digest.

    Returns:
        The recipients still owed a message (those whose sending failed).
    """
    config = smtp_config(settings)
    if config is None:
        return []
    parcels = followup_parcels(
        str(quarter), files, digests, settings.response_mail_to, settings.feedback_mail_to
    )
    failed = send_parcels(connect_warehouse(settings.warehouse_url()), config, parcels)
    get_run_logger().info("follow-up mail: %s messages, %s failed", len(parcels), len(failed))
    return failed


@flow(name="collect-responses", description="Store the filled response sheets of the drop.")
def collect_responses_flow(
    sources_file: Path = Path("sources.toml"), out_dir: Path = Path("outputs")
) -> int:
    """Store every new filled response sheet; write each sheet's rejected lines as feedback.

    Args:
        sources_file: The sources.toml with a source of kind `responses`.
        out_dir: Folder the sheets' feedback goes under, as <out_dir>/responses-feedback/.

    Returns:
        The number of response lines stored.
    """
    settings = Settings(out_dir=out_dir, sources_file=sources_file)
    sources = load_sources(settings.sources_file, settings.reference().municipality_codes)
    outcomes = collect_responses(settings, sources)
    return sum(outcome.rows_valid for outcome in outcomes)
