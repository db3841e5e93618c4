"""The quarterly flow's steps as Prefect tasks: thin wrappers over `tasks/`.

Retries and timeouts sit on the I/O steps only; results are kept in memory
(never persisted: they hold report rows), so pure steps do not cache. The one
exception is a source's extraction: its outcome (counts and file names only)
is persisted as JSON and cached for the flow run, so that a retried flow run
does not extract a finished source again.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

import anyio
import polars as pl
from prefect import allow_failure, get_client, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import TaskRunContext
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.settings import get_current_settings
from prefect.states import State
from prefect.tasks import exponential_backoff

from flows import progress
from flows.lock import source_lock
from schemas.findings import Finding
from schemas.quarter import Quarter, quarter_range
from schemas.reference import Reference
from schemas.settings import Settings
from schemas.sources import SourceConfig, SourcesConfig, load_sources
from tasks.brief.accessibility import write_accessible_forms
from tasks.brief.facts import BriefFacts
from tasks.brief.inputs import QuarterFigures, quarter_brief_facts, quarter_figures
from tasks.brief.render import write_briefs
from tasks.figures.quality import quality_gate
from tasks.intake.extract import SourceUnavailable
from tasks.intake.fingerprint import source_fingerprint
from tasks.outward.publish import (
    copy_to_publication,
    published_briefs,
    source_statuses,
    write_published_quarter,
)
from tasks.outward.response_sheets import is_response_sheet
from tasks.outward.send import send_published_briefs
from tasks.run.failures import failure_reason
from tasks.run.summary import (
    EXIT_OK,
    RunSummary,
    exit_status,
    failure_json,
    run_summary,
    summary_json,
)
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.ingest import SourceOutcome, ingest_source
from tasks.warehouse.lineage import replace_cell_lineage
from tasks.warehouse.reads import (
    read_lookback_reports,
    read_open_rejections,
    read_quarter_deliveries,
)
from tasks.warehouse.runlog import record_run_end, record_run_start

SOURCE_TIMEOUT_SECONDS = 1800
SOURCE_TAG = "raportti-source"
# How many sources of each kind are read at once (tag concurrency limits `source-kind:<kind>`,
# created when missing; change them in Prefect's UI or with `prefect concurrency-limit`).
SOURCE_KIND_LIMITS = {"sql": 2, "json": 4, "xlsx": 4, "csv": 8}
_PROCESS_SETTINGS: ContextVar[Settings | None] = ContextVar("raportti_settings", default=None)


def _retry_only_unavailable(_task: object, _run: object, state: State) -> bool:
    """Retry a source only when it was unreachable: not on bad content, not after a timeout."""
    error = state.result(raise_on_failure=False, _sync=True)  # called inside the task's loop
    return isinstance(error, SourceUnavailable)  # not SourceTimedOut nor SourceMisconfigured


@contextmanager
def flows_run_on(settings: Settings) -> Iterator[None]:
    """Run the flows this process starts in the block on `settings` (the CLI's, built once).

    Prefect stores a flow's parameters, so the warehouse URL (which may hold a password)
    reaches the flow this way, never as a parameter.
    """
    token = _PROCESS_SETTINGS.set(settings)
    try:
        yield
    finally:
        _PROCESS_SETTINGS.reset(token)


def run_settings(out_dir: Path | None, sources_file: Path | None = None) -> Settings:
    """Return the settings of this run: the process's (or environment's), the flow's on top."""
    given = {"out_dir": out_dir, "sources_file": sources_file}
    overrides = {name: value for name, value in given.items() if value is not None}
    process = _PROCESS_SETTINGS.get()
    return process.model_copy(update=overrides) if process else Settings(**overrides)


def choose_quarter(quarter: str | None) -> Quarter:
    """Return the requested quarter, or the latest complete one in Europe/Helsinki."""
    return Quarter.parse(quarter) if quarter else Quarter.latest_complete(datetime.now(UTC))


@task(name="start-run-log", retries=2, cache_policy=NO_CACHE)
def start_run_log(settings: Settings, quarter: Quarter, flow_name: str) -> str:
    """Note the run in the warehouse's run log; return its id (Prefect's flow run id)."""
    run_id = str(flow_run.id) if flow_run.id else uuid.uuid4().hex
    engine = connect_warehouse(settings.warehouse_url())
    record_run_start(engine, run_id, quarter, flow_name, datetime.now(UTC))
    return run_id


@task(name="finish-run-log", retries=2, cache_policy=NO_CACHE)
def fail_run_log(settings: Settings, run_id: str, quarter: Quarter, error: BaseException) -> None:
    """Note that the run stopped on `error`: its type only, never its message's values."""
    engine = connect_warehouse(settings.warehouse_url())
    record_run_end(engine, run_id, "failed", failure_json(str(quarter), error), datetime.now(UTC))


def finish_run_log(settings: Settings, run_id: str, summary: RunSummary) -> None:
    """Note how the run ended, with its counts."""
    engine = connect_warehouse(settings.warehouse_url())
    status = "completed" if exit_status(summary) == EXIT_OK else "needs_attention"
    record_run_end(engine, run_id, status, summary_json(summary), datetime.now(UTC))


@task(name="read-sources", cache_policy=NO_CACHE)
def read_sources(
    sources_file: Path, municipalities: list[str] | None, known_codes: Collection[str]
) -> SourcesConfig:
    """Return the configured sources, limited to `municipalities` when given.

    A source of a municipality that `known_codes` lacks makes the file invalid.
    """
    return load_sources(sources_file, known_codes).only(municipalities)


def _extraction_key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
    """Return the cache key of a source's extraction: this flow run, quarter and source content."""
    source, quarter = parameters["source"], parameters["quarter"]
    content = source_fingerprint(source, parameters["base_dir"])
    return f"ingest-{context.task_run.flow_run_id}-{quarter}-{source.source_id}-{content}"


def _ingest_now(
    source: SourceConfig,
    base_dir: Path,
    settings: Settings,
    quarter: Quarter,
    logger: logging.Logger | logging.LoggerAdapter,
) -> SourceOutcome:
    """Ingest the source while holding it, so that runs of other quarters wait for this one."""
    engine = connect_warehouse(settings.warehouse_url())
    with source_lock(engine, source.source_id, wait_seconds=SOURCE_TIMEOUT_SECONDS):
        now = datetime.now(UTC)
        reference, limits = settings.reference(), settings.delivery_limits()
        return ingest_source(source, base_dir, engine, reference, quarter, now, logger, limits)


@task(
    name="ingest-source",
    retries=2,
    retry_delay_seconds=exponential_backoff(backoff_factor=5),
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_only_unavailable,
    timeout_seconds=SOURCE_TIMEOUT_SECONDS,
    cache_key_fn=_extraction_key,
    cache_expiration=timedelta(days=7),
    persist_result=True,
    result_serializer="json",
    tags=[SOURCE_TAG],
)
async def ingest(
    source: SourceConfig, base_dir: Path, settings: Settings, quarter: Quarter
) -> SourceOutcome:
    """Extract, validate and store one source's new deliveries.

    The work runs in a thread that the task abandons when the timeout strikes, so the
    timeout holds even in blocking I/O (which has its own connect and read timeouts);
    each delivery is stored in its own transaction, so the next run finishes the rest.
    """
    logger = get_run_logger()
    return await anyio.to_thread.run_sync(
        _ingest_now, source, base_dir, settings, quarter, logger, abandon_on_cancel=True
    )


def ensure_source_limits() -> None:
    """Create the tag concurrency limit of each source kind on the Prefect server when missing.

    Only a shared server (PREFECT_API_URL) needs them: they bound sources across runs. A
    temporary server serves one run, which keeps within the limits by itself (see
    `ingest_sources`) and is spared the leases' database writes.
    """
    if not get_current_settings().api.url:
        return
    with get_client(sync_client=True) as client:
        existing = {limit.tag for limit in client.read_concurrency_limits(limit=200, offset=0)}
        for kind, limit in SOURCE_KIND_LIMITS.items():
            if f"source-kind:{kind}" not in existing:
                client.create_concurrency_limit(tag=f"source-kind:{kind}", concurrency_limit=limit)


def ingest_sources(
    sources: SourcesConfig, settings: Settings, quarter: Quarter
) -> list[SourceOutcome]:
    """Ingest every source concurrently, each kind within its limit; a failure stops no other.

    Within the run, a source starts when an earlier one of its kind is done, so that its
    task never waits for a slot of its kind's limit (which Prefect polls for seconds);
    the server's limits still hold across runs.
    """
    ensure_source_limits()
    reference = settings.reference()
    submitted: dict[str, list[PrefectFuture]] = {kind: [] for kind in SOURCE_KIND_LIMITS}
    futures: dict[str, PrefectFuture] = {}
    for source in _kinds_interleaved(sources.sources):
        earlier, limit = submitted[source.kind], SOURCE_KIND_LIMITS[source.kind]
        gate = [allow_failure(earlier[-limit])] if len(earlier) >= limit else []
        kind_task = ingest.with_options(
            tags=[SOURCE_TAG, f"source-kind:{source.kind}"],
            task_run_name=_ingest_run_name(source, reference),
        )
        futures[source.source_id] = kind_task.submit(
            source, sources.base_dir, settings, quarter, wait_for=gate
        )
        earlier.append(futures[source.source_id])
    states = {}
    with progress.step("reading sources", total=len(futures)) as advance:
        for source_id, future in futures.items():
            states[source_id] = future.wait() or future.state
            advance()
    return [_outcome(source, states[source.source_id]) for source in sources.sources]


def _ingest_run_name(source: SourceConfig, reference: Reference) -> str:
    """Return an ingest task run's name: the municipality by code and name, and the kind."""
    name = reference.municipality_name(source.municipality_code)
    return f"ingest {source.municipality_code} {name} ({source.kind})"


def _kinds_interleaved(sources: list[SourceConfig]) -> list[SourceConfig]:
    """Return the sources one kind after another in turn (sql, json, xlsx, csv, sql, ...)."""
    groups = [[s for s in sources if s.kind == kind] for kind in SOURCE_KIND_LIMITS]
    rounds = zip_longest(*groups)
    return [source for round_ in rounds for source in round_ if source is not None]


def _outcome(source: SourceConfig, state: State) -> SourceOutcome:
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    reason = failure_reason(error) if isinstance(error, BaseException) else "failed"
    if state.name == "TimedOut":
        reason = f"timed out: {state.message}; check that the source answers"
    get_run_logger().error("source %s failed: %s", source.source_id, reason)
    return SourceOutcome(source.source_id, source.municipality_code, error=reason)


@task(name="check-quality", retries=1, timeout_seconds=600, cache_policy=NO_CACHE)
def check_quality(settings: Settings, quarter: Quarter) -> list[Finding]:
    """Run the Great Expectations gate on the stored quarter."""
    docs_dir = (settings.out_dir / str(quarter) / "quality").resolve()
    with progress.step("checking quality"):
        findings = quality_gate(settings.reader_url(), quarter, settings.reference(), docs_dir)
    get_run_logger().info("quality gate: %s findings", len(findings))
    return findings


@task(name="read-stored-quarter", retries=2, timeout_seconds=600, cache_policy=NO_CACHE)
def read_stored_quarter(settings: Settings, quarter: Quarter) -> pl.DataFrame:
    """Return the stored reports of the quarter and of the quarters its trends look back on."""
    return read_lookback_reports(connect_warehouse(settings.warehouse_url()), quarter)


@task(name="aggregate-quarter", cache_policy=NO_CACHE)
def aggregate_quarter(
    reports: pl.DataFrame, quarter: Quarter, settings: Settings
) -> QuarterFigures:
    """Return the published cube, trends, mix, mentions, lineage and candidate quotes."""
    figures = quarter_figures(
        reports, quarter, settings.reference(), settings.suppression_threshold
    )
    get_run_logger().info("quarter %s: %s valid reports", quarter, figures.valid_reports)
    return figures


@task(name="record-lineage", retries=2, timeout_seconds=600, cache_policy=NO_CACHE)
def record_lineage(settings: Settings, quarter: Quarter, figures: QuarterFigures) -> None:
    """Keep the report keys behind every published cell in the warehouse."""
    replace_cell_lineage(connect_warehouse(settings.warehouse_url()), quarter, figures.lineage)


@task(name="compose-brief", cache_policy=NO_CACHE)
def compose_brief(
    quarter: Quarter,
    figures: QuarterFigures,
    quotes: pl.DataFrame,
    findings: list[Finding],
    outcomes: list[SourceOutcome],
    rejections: pl.DataFrame,
    settings: Settings,
) -> BriefFacts:
    """Return the facts the brief states, in every language, with the approved `quotes`."""
    reference, threshold = settings.reference(), settings.suppression_threshold
    return quarter_brief_facts(
        quarter, figures, quotes, findings, outcomes, rejections, reference, threshold
    )


@task(name="read-open-rejections", retries=2, cache_policy=NO_CACHE)
def read_rejections(settings: Settings, quarter: Quarter) -> pl.DataFrame:
    """Return the quarter's rejected rows still waiting for a correction."""
    return read_open_rejections(connect_warehouse(settings.warehouse_url()), quarter)


@task(name="publish-quarter", retries=1, timeout_seconds=600, cache_policy=NO_CACHE)
def publish(
    settings: Settings,
    quarter: Quarter,
    figures: QuarterFigures,
    facts: BriefFacts,
    rejections: pl.DataFrame,
    sources: SourcesConfig,
    outcomes: list[SourceOutcome],
    followup: dict[str, bytes] | None = None,
) -> list[Path]:
    """Write the briefs, tables and manifest atomically under `<out>/<quarter>/`.

    `sources` are all the configured ones: the manifest lists each with its stored
    deliveries, also those a run limited to some municipalities did not read.
    """
    engine = connect_warehouse(settings.warehouse_url())
    out_dir = settings.out_dir / str(quarter)
    with progress.step("writing briefs"):
        briefs = write_briefs(facts, out_dir)
        briefs += write_accessible_forms(facts, out_dir, settings.accessibility_feedback)
    statuses = source_statuses(sources, outcomes)
    deliveries = read_quarter_deliveries(engine, quarter)
    files = write_published_quarter(
        out_dir,
        quarter,
        figures.cells,
        rejections,
        deliveries,
        statuses,
        figures.valid_reports,
        briefs,
        followup,
    )
    if settings.publish_dir:
        public = [path for path in files if not is_response_sheet(path)]
        copy_to_publication(public, settings.publish_dir, str(quarter))
    get_run_logger().info("published %s files under %s", len(files), out_dir)
    return files


def summarize(
    quarter: Quarter,
    outcomes: list[SourceOutcome],
    figures: QuarterFigures | None,
    rejections: pl.DataFrame,
    findings: list[Finding],
    files: list[Path],
    owed: list[str],
    quotes_waiting: int = 0,
) -> RunSummary:
    """Return the run's outcome in counts (no figures when publication was stopped)."""
    valid_reports = figures.valid_reports if figures else 0
    return run_summary(
        str(quarter), outcomes, valid_reports, rejections, findings, files, owed, quotes_waiting
    )


@task(name="send-brief", timeout_seconds=900, cache_policy=NO_CACHE)
def send_briefs(
    settings: Settings, quarter: Quarter, files: list[Path], again: bool = False
) -> list[str]:
    """E-mail the briefs to those on the list not yet sent them (all of them when `again`).

    Returns:
        The recipients still owed the briefs (those whose sending failed).
    """
    outcome = send_published_briefs(settings, str(quarter), files, again)
    if outcome is None:
        get_run_logger().info("no SMTP server or distribution list configured: nothing sent")
        return []
    get_run_logger().info(outcome.summary())
    return sorted(outcome.failed)


def quarters_between(first: str, last: str) -> list[str]:
    """Return every quarter from `first` to `last` as text."""
    return [str(q) for q in quarter_range(Quarter.parse(first), Quarter.parse(last))]


@task(name="resend-brief", timeout_seconds=900, cache_policy=NO_CACHE)
def resend_briefs(settings: Settings, quarter: str, again: bool) -> list[str]:
    """Send the published briefs of `quarter` (to all when `again`); return who is still owed."""
    files = published_briefs(settings.out_dir, quarter)
    return send_briefs.fn(settings, Quarter.parse(quarter), files, again)
