"""The data steward's flows: check waiting submissions, backfill quarters, resend a brief."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from flows.artifacts import record_waiting_artifacts
from flows.form import Municipality, QuarterText, municipality_codes
from flows.quarterly import quarterly_brief
from flows.states import backfill_state
from flows.steps import quarters_between, read_sources, resend_briefs, run_settings
from schemas.settings import Settings
from schemas.sources import SourceConfig
from tasks.intake.dry_run import WaitingDeliveries, count_waiting_deliveries


@flow(name="backfill", description="Publish every quarter in a range, oldest first.")
def backfill(
    first: QuarterText,
    last: QuarterText,
    sources_file: Path = Path("sources.toml"),
    out_dir: Path = Path("outputs"),
    send: bool = False,
) -> State:
    """Run the quarterly brief for each quarter from `first` to `last`.

    Args:
        first: The first quarter to publish as YYYYQn, e.g. 2025Q1.
        last: The last quarter to publish as YYYYQn, e.g. 2026Q3.
        sources_file: The sources.toml naming each municipality's delivery channel.
        out_dir: Folder the quarters are published under.
        send: E-mail each quarter's briefs to the distribution list.

    Returns:
        Completed, or `Needs attention` naming the quarters that need it; either holds each
        quarter's run summary, oldest first.
    """
    states = [
        quarterly_brief(
            quarter=quarter,
            sources_file=sources_file,
            out_dir=out_dir,
            send=send,
            return_state=True,
        )
        for quarter in quarters_between(first, last)
    ]
    return backfill_state(states)


@flow(name="resend", description="E-mail a published brief again to the distribution list.")
def resend_brief(
    quarter: QuarterText, out_dir: Path = Path("outputs"), owed_only: bool = False
) -> list[str]:
    """Send the quarter's published briefs again to the distribution list.

    Args:
        quarter: The published quarter as YYYYQn, e.g. 2026Q3.
        out_dir: Folder the quarter was published under.
        owed_only: Only the recipients the ledger says are still owed this version.

    Returns:
        The recipients still owed the brief.
    """
    return resend_briefs(run_settings(out_dir), quarter, again=not owed_only)


@task(name="check-source", retries=2, retry_delay_seconds=[5, 20], cache_policy=NO_CACHE)
def count_waiting(source: SourceConfig, base_dir: Path, settings: Settings) -> WaitingDeliveries:
    """Validate one source's waiting files without storing anything."""
    reference, limits = settings.reference(), settings.delivery_limits()
    check = count_waiting_deliveries(source, base_dir, reference, datetime.now(UTC), limits)
    get_run_logger().info(
        "%s: %s files, %s rows, %s rejected, %s unreadable",
        source.source_id,
        check.files,
        check.rows_in,
        check.rows_rejected,
        len(check.unreadable),
    )
    return check


@flow(
    name="check-submissions",
    description="Validate the deliveries waiting in every file source, without storing them.",
)
def check_submissions(
    sources_file: Path = Path("sources.toml"),
    municipalities: tuple[Municipality, ...] = (),
) -> list[WaitingDeliveries]:
    """Check every file source's waiting deliveries and report rejected rows per municipality.

    Args:
        sources_file: The sources.toml naming each municipality's delivery channel.
        municipalities: Only these municipalities' sources. Empty: all of them.

    Returns:
        Each source's counts: files, rows, valid rows, rejected rows by rule, unreadable files.
    """
    settings = run_settings(None, sources_file)
    sources = read_sources(
        settings.sources_file,
        municipality_codes(municipalities),
        settings.reference().municipality_codes,
    )
    futures = count_waiting.map(sources.sources, unmapped(sources.base_dir), unmapped(settings))
    checks = [
        _waiting_or_failure(source, future.wait() or future.state)
        for source, future in zip(sources.sources, futures, strict=True)
    ]
    record_waiting_artifacts(checks, settings)
    return checks


def _waiting_or_failure(source: SourceConfig, state: State) -> WaitingDeliveries:
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    reason = str(error) if isinstance(error, BaseException) else state.message or "failed"
    return WaitingDeliveries(source.source_id, source.municipality_code, source.kind, error=reason)
