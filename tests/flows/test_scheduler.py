"""Prefect's own scheduler makes the runs: the quarterly schedule and a worker picking one up.

Runs triggered by hand work even when the scheduler is broken (Prefect 3.8.8 with
SQLAlchemy 2.1 creates no scheduled run and logs an ERROR every loop), so this
test only deploys and waits: the server's scheduler service must create
quarterly-brief's upcoming runs at 06:00 Helsinki time (and collect-responses'
weekly ones, Mondays at 07:00), and a run it creates for a deployment on a short
interval must be taken by a process worker and complete. Any ERROR in the
server's log fails the test.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from demo.inbox import write_demo_inbox
from schemas.quarter import Quarter
from tests.flows.prefect_processes import (
    BIN,
    REPO,
    PrefectServer,
    prefect_server,
    start_worker,
    wait_for_flow_runs,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

UPCOMING = 4  # a year of quarterly runs
SCHEDULER = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_RUNS": str(UPCOMING),
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS": str(UPCOMING),
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_SCHEDULED_TIME": "PT0S",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "P400D",
}
INTERVAL_SECONDS = 20


def next_quarter_starts_in_utc(now: datetime, count: int) -> list[datetime]:
    """Return 06:00 Helsinki on the next `count` first days of a quarter, in UTC.

    Helsinki is UTC+2 on 1 January and UTC+3 (summer time) on 1 April, July and October.
    """
    year, starts = now.year, []
    while len(starts) < count:
        for month in (1, 4, 7, 10):
            start = datetime(year, month, 1, 4 if month == 1 else 3, tzinfo=UTC)
            if start > now and len(starts) < count:
                starts.append(start)
        year += 1
    return starts


def next_mondays_at_seven_in_utc(now: datetime, count: int) -> list[datetime]:
    """Return 07:00 Helsinki on the next `count` Mondays (collect-responses' weekly run), in UTC."""
    helsinki = ZoneInfo("Europe/Helsinki")
    day, starts = now.astimezone(helsinki).date(), []
    while len(starts) < count:
        start = datetime.combine(day, clock(7), tzinfo=helsinki).astimezone(UTC)
        if day.weekday() == 0 and start > now:
            starts.append(start)
        day += timedelta(days=1)
    return starts


def _deployment_id(server: PrefectServer, name: str) -> str:
    (deployment,) = server.post("/deployments/filter", {"deployments": {"name": {"any_": [name]}}})
    return deployment["id"]


def _scheduled_runs(server: PrefectServer, deployment_id: str) -> list[dict[str, Any]]:
    return server.post(
        "/flow_runs/filter",
        {
            "flow_runs": {"deployment_id": {"any_": [deployment_id]}},
            "sort": "EXPECTED_START_TIME_ASC",
        },
    )


def _at_least(count: int, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return runs if len(runs) >= count else []


def _wait_for(what: str, found: Any, timeout: float, server: PrefectServer) -> Any:
    """Poll `found()` until it returns something truthy; fail with the server's log."""
    deadline = time.monotonic() + timeout
    while not (result := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not within {timeout} s:\n{server.log('server')}")
        time.sleep(1)
    return result


def _create_interval_deployment(server: PrefectServer, sources_file: Path) -> str:
    """Create check-submissions on a short interval in the work pool; return its id."""
    flow = server.post("/flows/", {"name": "check-submissions"})
    deployment = server.post(
        "/deployments/",
        {
            "name": "check-every-few-seconds",
            "flow_id": flow["id"],
            "entrypoint": "flows/steward.py:check_submissions",
            "work_pool_name": "raportti",
            "work_queue_name": "default",
            "pull_steps": [
                {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO)}}
            ],
            "parameters": {"sources_file": str(sources_file), "municipalities": ["851"]},
            "schedules": [{"schedule": {"interval": INTERVAL_SECONDS}, "active": True}],
        },
    )
    return deployment["id"]


def _server_errors(server: PrefectServer) -> list[str]:
    return [line for line in server.log("server").splitlines() if re.search(r"\bERROR\b", line)]


def test_the_scheduler_makes_the_quarterly_runs_and_a_worker_completes_a_scheduled_one(
    tmp_path: Path,
) -> None:
    inbox = write_demo_inbox(tmp_path / "inbox", Quarter(2026, 2))
    environment = inbox.environment | SCHEDULER | {"PREFECT_LOGGING_SERVER_LEVEL": "WARNING"}

    with prefect_server(tmp_path, environment) as server:
        server.run(str(BIN / "raportti"), "setup")
        server.run(str(BIN / "prefect"), "--no-prompt", "deploy", "--all")
        quarterly = _deployment_id(server, "quarterly-brief")
        weekly = _deployment_id(server, "collect-responses")
        now = datetime.now(UTC)
        runs = _wait_for(
            f"{UPCOMING} scheduled quarterly runs",
            lambda: _at_least(UPCOMING, _scheduled_runs(server, quarterly)),
            timeout=120,
            server=server,
        )
        weekly_runs = _wait_for(
            f"{UPCOMING} scheduled collect-responses runs",
            lambda: _at_least(UPCOMING, _scheduled_runs(server, weekly)),
            timeout=60,
            server=server,
        )

        interval = _create_interval_deployment(server, inbox.sources_file)
        start_worker(server, "worker-1", "--limit", "1")
        completed = _wait_for(
            "a scheduler-created check-submissions run completed by the worker",
            lambda: [
                run
                for run in _scheduled_runs(server, interval)
                if run["state"]["type"] == "COMPLETED"
            ],
            timeout=300,
            server=server,
        )
        server.post(f"/deployments/{interval}/pause_deployment", {})
        wait_for_flow_runs(server, [completed[0]["id"]])
        errors = _server_errors(server)

    starts = [datetime.fromisoformat(run["expected_start_time"]) for run in runs]
    assert starts == next_quarter_starts_in_utc(now, UPCOMING)
    assert all(run["auto_scheduled"] and run["state"]["type"] == "SCHEDULED" for run in runs)
    assert all("auto-scheduled" in run["tags"] for run in runs)
    weekly_starts = [datetime.fromisoformat(run["expected_start_time"]) for run in weekly_runs]
    assert weekly_starts == next_mondays_at_seven_in_utc(now, UPCOMING)
    assert completed[0]["auto_scheduled"]
    assert completed[0]["work_pool_name"] == "raportti"
    assert errors == []
