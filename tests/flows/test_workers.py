"""More than one machine: two process workers share quarterly runs on PostgreSQL.

Prefect's own database and the warehouse are both PostgreSQL, as in
production. Four runs for four quarters are started at once; each worker
takes at most two, so both must work. The runs read the same sources at the
same time: the warehouse's source locks make the later ones wait and skip
what the first stored, so every run completes and nothing is stored twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from demo.inbox import write_demo_inbox
from schemas.quarter import Quarter
from tasks.warehouse.connection import connect_warehouse
from tests.conftest import fresh_pg_database
from tests.flows.prefect_processes import (
    BIN,
    markdown_artifact,
    prefect_server,
    start_worker,
    wait_for_flow_runs,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.xdist_group("server")]

QUARTERS = ["2026Q2", "2026Q1", "2025Q4", "2025Q3"]
SMALL = ["851", "240", "148", "698"]


@pytest.fixture
def prefect_database_url() -> Iterator[str]:
    """Yield an asyncpg URL of a fresh PostgreSQL database for Prefect's own tables."""
    with fresh_pg_database("raportti_prefect") as url:
        yield (
            make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        )


def _start_runs(server: object, inbox: object, out: Path) -> list[str]:
    (deployment,) = server.post(
        "/deployments/filter", {"deployments": {"name": {"any_": ["quarterly-brief"]}}}
    )
    return [
        server.post(
            f"/deployments/{deployment['id']}/create_flow_run",
            {
                "parameters": {
                    "quarter": quarter,
                    "sources_file": str(inbox.sources_file),
                    "out_dir": str(out),
                    "municipalities": SMALL,
                    "send": False,
                }
            },
        )["id"]
        for quarter in QUARTERS
    ]


def test_two_workers_share_quarterly_runs_on_one_postgresql_warehouse(
    tmp_path: Path, pg_url: str, prefect_database_url: str
) -> None:
    inbox = write_demo_inbox(tmp_path / "inbox", Quarter(2026, 2))
    out = tmp_path / "published"
    environment = inbox.environment | {
        "RAPORTTI_DB_URL": pg_url,
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": prefect_database_url,
    }

    with prefect_server(tmp_path, environment) as server:
        server.run(str(BIN / "raportti"), "setup")
        server.run(str(BIN / "prefect"), "--no-prompt", "deploy", "--name", "quarterly-brief")
        start_worker(server, "worker-1", "--limit", "2")
        start_worker(server, "worker-2", "--limit", "2")
        flow_run_ids = _start_runs(server, inbox, out)
        runs = wait_for_flow_runs(server, flow_run_ids, timeout=300)
        logs = server.log("worker-1") + server.log("worker-2")
        assert [run["state"]["type"] for run in runs] == ["COMPLETED"] * 4, logs
        summaries = [markdown_artifact(server, flow_run_id) for flow_run_id in flow_run_ids]

    workers = {
        name for summary in summaries for name in ("worker-1", "worker-2") if name in summary
    }
    assert workers == {"worker-1", "worker-2"}
    for summary in summaries:
        assert "| Sources read | 4 of 4 |" in summary
        assert "| Sources failed | none |" in summary
    for quarter in QUARTERS:
        assert (out / quarter / "brief-fi.pdf").stat().st_size > 0, quarter
    expected = inbox.reports.filter(inbox.reports["source_id"].str.head(3).is_in(SMALL))
    with connect_warehouse(pg_url).connect() as connection:
        deliveries = connection.execute(text("select count(*) from delivery")).scalar_one()
        locks = connection.execute(text("select count(*) from run_lock")).scalar_one()
        statuses = connection.execute(text("select status from run_log")).scalars().all()
    assert deliveries == expected["delivery"].n_unique()
    assert locks == 0
    assert len(statuses) == 4
    assert "running" not in statuses
