"""Deployment wiring: the quarterly schedule and the steward's flows, served from one process."""

from __future__ import annotations

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.quarterly import quarterly_brief
from flows.steward import backfill, resend_brief

QUARTERLY_CRON = "0 6 1 1,4,7,10 *"
TIMEZONE = "Europe/Helsinki"


def deployments() -> list[RunnerDeployment]:
    """Return the project's deployments; only the quarterly brief is scheduled."""
    return [
        quarterly_brief.to_deployment(
            name="quarterly-brief", schedules=[Cron(QUARTERLY_CRON, timezone=TIMEZONE)]
        ),
        backfill.to_deployment(name="backfill"),
        resend_brief.to_deployment(name="resend"),
    ]


def serve_deployments() -> None:
    """Serve every deployment from this process until it is stopped."""
    serve(*deployments())
