"""Every run leaves artifacts in Prefect: a markdown summary and a table of counts per municipality.

Artifacts are stored in Prefect's database and shown in its UI, so they hold
counts, codes, file names and paths only, never a report's text.
"""

from __future__ import annotations

import os
import socket
from dataclasses import replace

import polars as pl
from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from schemas.settings import Settings
from tasks.intake.dry_run import WaitingDeliveries
from tasks.run.artifacts import (
    quarantine_by_municipality,
    run_markdown,
    submissions_by_municipality,
    submissions_markdown,
)
from tasks.run.summary import RunSummary


def ran_on() -> str:
    """Return where this run ran: the host, and the Prefect worker that started it if any."""
    worker = os.environ.get("PREFECT__WORKER_NAME")
    return f"{socket.gethostname()} ({f'worker {worker}' if worker else 'no worker'})"


@task(name="record-run-artifacts", retries=2, cache_policy=NO_CACHE)
def record_run_artifacts(summary: RunSummary, rejections: pl.DataFrame, settings: Settings) -> None:
    """Publish the run's summary and its quarantined rows per municipality as artifacts."""
    key = summary.quarter.lower()
    resolved = replace(summary, published=[path.resolve() for path in summary.published])
    create_markdown_artifact(
        markdown=run_markdown(resolved, ran_on()),
        key=f"quarterly-brief-{key}",
        description=f"What the quarterly run of {summary.quarter} read, kept and published",
    )
    create_table_artifact(
        table=quarantine_by_municipality(rejections, settings.reference()),
        key=f"quarantine-{key}",
        description=f"Rejected rows of {summary.quarter} waiting for a correction (counts only)",
    )


@task(name="record-check-artifacts", retries=2, cache_policy=NO_CACHE)
def record_waiting_artifacts(checks: list[WaitingDeliveries], settings: Settings) -> None:
    """Publish what the waiting submissions hold, per source and per municipality."""
    create_markdown_artifact(
        markdown=submissions_markdown(checks, ran_on()),
        key="check-submissions",
        description="Rows in the waiting deliveries that the quarterly run would reject",
    )
    create_table_artifact(
        table=submissions_by_municipality(checks, settings.reference()),
        key="check-submissions-rejected",
        description="Waiting deliveries with rejected rows or unreadable files (counts only)",
    )
