"""A configuration problem ends a quarterly run in one line with its fix, the run log closed."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.states import State
from sqlalchemy import text
from typer.testing import CliRunner

from flows.cli import app
from tasks.warehouse.connection import connect_warehouse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

QUARTER = "2026Q2"
UNREACHABLE = "postgresql+psycopg://raportti@127.0.0.1:9/raportti?connect_timeout=2"


@pytest.fixture
def warehouse(sqlite_url: str, prefect_server: None) -> Iterator[str]:
    """Point this process at a fresh SQLite warehouse for one test."""
    os.environ["RAPORTTI_DB_URL"] = sqlite_url
    yield sqlite_url
    os.environ.pop("RAPORTTI_DB_URL", None)


def _run(sources_file: Path, out_dir: Path) -> State:
    from flows.quarterly import quarterly_brief

    return quarterly_brief(
        quarter=QUARTER, sources_file=sources_file, out_dir=out_dir, send=False, return_state=True
    )


def _error_logs(state: State) -> list[str]:
    """Return the ERROR lines of the flow run's log as Prefect's UI shows them."""
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId, LogFilterLevel
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    flow_run_id = state.state_details.flow_run_id
    log_filter = LogFilter(
        flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]), level=LogFilterLevel(ge_=40)
    )
    with get_client(sync_client=True) as client:
        return [log.message for log in client.read_logs(log_filter=log_filter)]


def test_a_missing_sources_file_fails_the_run_in_one_line_and_closes_its_run_log(
    tmp_path: Path, warehouse: str
) -> None:
    state = _run(tmp_path / "sources.toml", tmp_path / "out")

    assert state.is_failed()
    assert state.message.endswith(
        "sources.toml: no such sources file — give its path as sources_file (run form) or "
        "--sources (CLI); 'make demo' writes outputs/demo/sources.toml"
    )
    assert "\n" not in state.message
    errors = _error_logs(state)
    assert any("no such sources file" in message for message in errors), errors
    assert all("Traceback" not in message and "\n" not in message for message in errors)
    with connect_warehouse(warehouse).connect() as connection:
        (status, finished, summary) = connection.execute(
            text("select status, finished_at, summary from run_log")
        ).one()
    assert (status, finished is not None) == ("failed", True)
    assert json.loads(summary) == {"quarter": QUARTER, "error": "FileNotFoundError"}


def test_an_unreachable_warehouse_fails_the_run_in_one_line(
    tmp_path: Path, warehouse: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPORTTI_DB_URL", UNREACHABLE)
    sources = tmp_path / "sources.toml"
    sources.write_text("", encoding="utf-8")

    state = _run(sources, tmp_path / "out")

    assert state.is_failed()
    assert "cannot reach the warehouse postgresql+psycopg://raportti@127.0.0.1:9/raportti" in (
        state.message
    )
    assert state.message.endswith("— check --db or RAPORTTI_DB_URL, and that the database is up")
    assert "\n" not in state.message


def test_the_cli_says_the_same_line_for_an_unreachable_warehouse(
    tmp_path: Path, prefect_server: None
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text("", encoding="utf-8")

    result = CliRunner().invoke(
        app, ["run", "--quarter", QUARTER, "--sources", str(sources), "--db", UNREACHABLE]
    )

    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1
    assert "cannot reach the warehouse" in errors[0]
    assert "check --db or RAPORTTI_DB_URL" in errors[0]
    assert not [line for line in lines if "Traceback" in line or "ERROR" in line]
