"""The CLI around runs: examples in --help, one-line errors with the fix, status from two places."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo.inbox import write_demo_inbox
from flows.cli import app
from schemas.quarter import Quarter
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.locks import claim_lock
from tasks.warehouse.runlog import record_run_start

COMMANDS = [
    "run",
    "demo",
    "check",
    "backfill",
    "resend",
    "serve",
    "setup",
    "status",
    "lineage",
    "landed",
    "purge",
]


@pytest.fixture
def runner() -> CliRunner:
    """Return a CLI runner with a wide terminal, so that lines are not wrapped."""
    return CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(app, [command, "--help"])

    assert result.exit_code == 0
    assert f"Example: raportti {command}" in result.output or "Example: " in result.output


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("arguments", "message", "fix"),
    [
        (["run", "--quarter", "2026Q5"], "not a quarter: '2026Q5'", "give the quarter as YYYYQn"),
        (["run", "--sources", "nowhere.toml"], "nowhere.toml: no such sources file", "--sources"),
        (
            ["run", "--sources", "{sources}", "--municipality", "999"],
            "unknown municipality code '999'",
            "municipalities.csv",
        ),
        (["backfill", "--from", "2026Q3", "--to", "2026Q1"], "is after --to", "swap"),
    ],
)
def test_bad_usage_is_one_line_with_its_fix(
    runner: CliRunner, tmp_path: Path, arguments: list[str], message: str, fix: str
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text("", encoding="utf-8")

    result = runner.invoke(app, [a.format(sources=sources) for a in arguments])

    assert result.exit_code == 2
    (line,) = _error_lines(result.output)
    assert message in line
    assert f"— {fix}" in line or fix in line.split("—")[1]


def test_setup_without_a_prefect_server_says_how_to_name_one(runner: CliRunner) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):  # even beside a test server
        result = runner.invoke(app, ["setup"])

    assert result.exit_code == 2
    (line,) = _error_lines(result.output)
    assert "set PREFECT_API_URL" in line


@pytest.mark.slow
@pytest.mark.xdist_group("server")
def test_a_quarter_held_by_a_live_run_is_refused_in_one_line(
    runner: CliRunner, prefect_server: None, tmp_path: Path
) -> None:
    inbox = write_demo_inbox(tmp_path / "inbox", Quarter(2026, 2))
    db_url = f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"
    engine = connect_warehouse(db_url)
    claim_lock(engine, "2026Q2", "the-other-run", socket.gethostname(), os.getpid(), _now())

    arguments = ["run", "--quarter", "2026Q2", "--sources", str(inbox.sources_file)]
    result = runner.invoke(app, [*arguments, "--db", db_url, "--out", str(tmp_path / "out")])

    assert result.exit_code == 2, result.output
    (line,) = _error_lines(result.output)
    assert "quarter 2026Q2 is being run by flow run the-other-run" in line
    assert "add --wait 30" in line
    assert "Traceback" not in result.output


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.mark.slow
@pytest.mark.xdist_group("server")
def test_status_shows_the_run_log_and_prefects_flow_runs(
    runner: CliRunner, prefect_server: None, tmp_path: Path
) -> None:
    from prefect import flow

    @flow(name="status-probe")
    def probe(quarter: str) -> str:
        return quarter

    probe(quarter="2025Q4")
    db_url = f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"
    record_run_start(
        connect_warehouse(db_url), "run-1", Quarter(2025, 4), "quarterly-brief", _now()
    )

    result = runner.invoke(app, ["status", "--db", db_url, "--limit", "5"])

    assert result.exit_code == 0, result.output
    assert "latest runs (warehouse run log)" in result.output
    assert "run-1" in result.output
    assert "latest flow runs" in result.output
    flow_runs = result.output.split("latest flow runs", 1)[1].splitlines()
    # rich may shorten names in a narrow terminal ("status-p…"), so match the start
    probe_lines = [line for line in flow_runs if "status-p" in line]
    assert probe_lines, result.output
    assert "2025Q4" in probe_lines[0]
    assert "Completed" in probe_lines[0]
