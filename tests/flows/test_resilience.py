"""Resilience: one run per quarter, dead runs replaced, cached extractions, source timeouts.

The lock tests run on SQLite and PostgreSQL. The slow tests run the flow on a
small demo inbox: one kills a real `raportti run` with SIGKILL part-way and
runs it again; one retries a flow run; one hangs a source past its timeout.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

import flows.lock as lock
import flows.steps as steps
from flows.form import MUNICIPALITY_CODES
from flows.lock import QuarterBusy, holder_is_gone, quarter_lock, source_lock
from schemas.quarter import Quarter
from schemas.settings import Settings
from tasks.demo import DemoInbox, write_demo_inbox
from tasks.store import RunLock, claim_lock, release_lock, take_over_lock
from tasks.warehouse import connect_warehouse

QUARTER = Quarter(2026, 2)
HOST = socket.gethostname()
NOW = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
SMALL = ["851", "240", "148", "698"]  # csv, xlsx, json and sql


def _holder(**overrides: object) -> RunLock:
    values = {
        "name": "2026Q2",
        "run_id": "other-run",
        "host": HOST,
        "pid": os.getpid(),
        "acquired_at": NOW,
        "heartbeat_at": NOW,
    }
    return RunLock(**(values | overrides))


@pytest.mark.parametrize(
    ("holder", "gone"),
    [
        (_holder(), False),
        (_holder(pid=2**22 + 12345), True),
        (_holder(host="elsewhere", pid=2**22 + 12345), False),
        (_holder(host="elsewhere", heartbeat_at=NOW - timedelta(minutes=3)), True),
        (_holder(heartbeat_at=NOW - timedelta(seconds=30)), False),
    ],
    ids=["alive-here", "dead-here", "other-host-beating", "other-host-silent", "recent-beat"],
)
def test_a_holder_is_gone_when_its_process_died_here_or_it_went_silent(
    holder: RunLock, gone: bool
) -> None:
    assert holder_is_gone(holder, NOW, HOST) is gone


def test_a_free_lock_is_taken_and_the_next_claim_sees_its_holder(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)

    first = claim_lock(engine, "2026Q2", "run-a", HOST, 11, NOW)
    second = claim_lock(engine, "2026Q2", "run-b", "elsewhere", 22, NOW)

    assert (first.run_id, first.pid, first.heartbeat_at) == ("run-a", 11, NOW)
    assert (second.run_id, second.host) == ("run-a", HOST)


def test_only_one_of_two_runs_takes_over_a_dead_holder(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    dead = claim_lock(engine, "2026Q2", "dead-run", HOST, 11, NOW)

    taken = [take_over_lock(engine, dead, run, HOST, 22, NOW) for run in ("run-b", "run-c")]

    assert taken == [True, False]
    assert claim_lock(engine, "2026Q2", "run-d", HOST, 33, NOW).run_id == "run-b"


def test_a_released_lock_is_free_again(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    claim_lock(engine, "source:851-csv", "run-a", HOST, 11, NOW)
    release_lock(engine, "source:851-csv", "not-the-holder")
    assert claim_lock(engine, "source:851-csv", "run-b", HOST, 22, NOW).run_id == "run-a"

    release_lock(engine, "source:851-csv", "run-a")

    assert claim_lock(engine, "source:851-csv", "run-b", HOST, 22, NOW).run_id == "run-b"


def test_a_live_run_of_the_quarter_refuses_a_second_one(warehouse_url: str) -> None:
    settings = Settings(db_url=warehouse_url)
    engine = connect_warehouse(warehouse_url)
    claim_lock(engine, str(QUARTER), "live-run", HOST, os.getpid(), datetime.now(UTC))

    with pytest.raises(QuarterBusy) as refused, quarter_lock(settings, QUARTER, wait_minutes=0):
        pytest.fail("the quarter was taken twice")

    assert "live-run" in refused.value.message
    assert "raportti status" in refused.value.fix


def test_a_second_run_waits_for_the_first_and_then_runs(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.05)
    settings = Settings(db_url=sqlite_url)
    engine = connect_warehouse(sqlite_url)
    claim_lock(engine, str(QUARTER), "first-run", HOST, os.getpid(), datetime.now(UTC))
    threading.Timer(0.5, release_lock, (engine, str(QUARTER), "first-run")).start()
    started = time.monotonic()

    with quarter_lock(settings, QUARTER, wait_minutes=1) as run_id:
        held_by = claim_lock(engine, str(QUARTER), "third-run", HOST, 1, datetime.now(UTC))

    assert 0.4 < time.monotonic() - started < 10
    assert held_by.run_id == run_id
    assert claim_lock(engine, str(QUARTER), "third-run", HOST, 1, datetime.now(UTC)).run_id == (
        "third-run"
    )


def test_a_silent_holder_on_another_host_is_replaced(warehouse_url: str) -> None:
    settings = Settings(db_url=warehouse_url)
    engine = connect_warehouse(warehouse_url)
    silent_since = datetime.now(UTC) - timedelta(minutes=5)
    claim_lock(engine, str(QUARTER), "silent-run", "elsewhere", 1, silent_since)

    with quarter_lock(settings, QUARTER, wait_minutes=0) as run_id:
        holder = claim_lock(engine, str(QUARTER), "x", HOST, 1, datetime.now(UTC))

    assert holder.run_id == run_id


def test_a_source_being_read_by_another_run_is_waited_for(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "POLL_SECONDS", 0.05)
    engine = connect_warehouse(sqlite_url)
    claim_lock(engine, "source:851-csv", "run-of-2026Q1", HOST, os.getpid(), datetime.now(UTC))

    expected = "851-csv is still being read by flow run run-of-2026Q1"
    with (
        pytest.raises(TimeoutError, match=expected),
        source_lock(engine, "851-csv", wait_seconds=0.2),
    ):
        pytest.fail("the source was read twice at once")


# --- the flow, end to end ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> DemoInbox:
    """Return a demo inbox (eight quarters up to 2026Q2) for all 21 municipalities."""
    return write_demo_inbox(tmp_path_factory.mktemp("inbox"), QUARTER)


def _prefect_api_url() -> str:
    from prefect.settings import get_current_settings

    return str(get_current_settings().api.url)


def _cli(inbox: DemoInbox, db_url: str, out: Path) -> list[str]:
    return [
        str(Path(sys.executable).parent / "raportti"),
        "run",
        "--quarter",
        str(QUARTER),
        "--sources",
        str(inbox.sources_file),
        "--db",
        db_url,
        "--out",
        str(out),
        "--no-deliver",
    ]


def _count(db_url: str, table: str) -> int:
    with connect_warehouse(db_url).connect() as connection:
        return connection.execute(text(f"select count(*) from {table}")).scalar_one()  # noqa: S608


def _wait_for_deliveries(db_url: str, process: subprocess.Popen, at_least: int) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            stored = _count(db_url, "delivery")
        except Exception:  # noqa: BLE001 - the warehouse is not created yet
            stored = 0
        if stored >= at_least:
            return stored
        time.sleep(0.05)
    pytest.fail(f"the run stored fewer than {at_least} deliveries before it ended")
    return 0


@pytest.mark.slow
@pytest.mark.xdist_group("server")
def test_a_run_killed_outright_is_finished_by_the_next_run_without_duplicates(
    inbox: DemoInbox, prefect_server: None, tmp_path: Path
) -> None:
    db_url = f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"
    environment = os.environ | inbox.environment | {"PREFECT_API_URL": _prefect_api_url()}
    process = subprocess.Popen(
        _cli(inbox, db_url, tmp_path / "out"),
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        stored_at_kill = _wait_for_deliveries(db_url, process, at_least=10)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    with connect_warehouse(db_url).connect() as connection:
        killed_run = connection.execute(text("select run_id, status from run_log")).one()
    assert killed_run.status == "running"

    again = subprocess.run(
        _cli(inbox, db_url, tmp_path / "out"), env=environment, capture_output=True, text=True
    )

    assert again.returncode == 1, again.stderr  # the demo's planted faults wait for a fix
    assert "had crashed; this run finishes its work" in again.stderr
    total_deliveries = inbox.reports["delivery"].n_unique()
    assert stored_at_kill < total_deliveries
    assert _count(db_url, "delivery") == total_deliveries
    winners = inbox.reports.filter(pl.col("planted_fault").is_null() & ~pl.col("superseded"))
    assert _count(db_url, "report") == winners.height
    assert _count(db_url, "run_lock") == 0
    manifest = json.loads((tmp_path / "out" / str(QUARTER) / "manifest.json").read_text())
    assert sum(source["rows_in"] for source in manifest["sources"]) == inbox.reports.height
    with connect_warehouse(db_url).connect() as connection:
        statuses = dict(connection.execute(text("select run_id, status from run_log")).all())
    assert statuses.pop(killed_run.run_id) == "crashed"
    assert list(statuses.values()) == ["needs_attention"]
    assert _prefect_state(killed_run.run_id) == "Crashed"


def _prefect_state(flow_run_id: str) -> str:
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).state.name


def _flow_logs(flow_run_id: object) -> str:
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(
            log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]))
        )
    return "\n".join(log.message for log in logs)


def _ingest_states(flow_run_id: object) -> list[str]:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return [run.state.name for run in runs if run.name.startswith("ingest ")]


@pytest.mark.slow
@pytest.mark.xdist_group("server")
def test_a_retried_flow_run_does_not_repeat_finished_extractions(
    inbox: DemoInbox, prefect_server: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect import flow
    from prefect.runtime import flow_run
    from prefect.settings import get_current_settings

    monkeypatch.setenv("RAPORTTI_DB_URL", f"sqlite:///{(tmp_path / 'w.db').as_posix()}")
    for name, value in inbox.environment.items():
        monkeypatch.setenv(name, value)
    settings = Settings(out_dir=tmp_path / "out", sources_file=inbox.sources_file)

    @flow(retries=1, retry_delay_seconds=0)
    def fails_once_after_ingestion() -> list[object]:
        sources = steps.read_sources(settings.sources_file, SMALL, MUNICIPALITY_CODES)
        outcomes = steps.ingest_sources(sources, settings, QUARTER)
        if flow_run.run_count == 1:
            raise RuntimeError("the publication step broke")
        return outcomes

    state = fails_once_after_ingestion(return_state=True)

    assert state.is_completed()
    assert sum(outcome.rows_in for outcome in state.result()) > 0  # the first attempt's counts
    states = _ingest_states(state.state_details.flow_run_id)
    assert sorted(states) == ["Cached"] * len(SMALL) + ["Completed"] * len(SMALL)
    storage = Path(get_current_settings().results.local_storage_path)
    records = list(storage.rglob(f"ingest-{state.state_details.flow_run_id}-*"))
    assert len(records) == len(SMALL)
    for record in records:
        persisted = json.loads(record.read_text(encoding="utf-8"))
        assert persisted["metadata"]["serializer"]["type"] == "json"  # not a pickle
        outcome = json.loads(persisted["result"])["data"]
        assert set(outcome) >= {"source_id", "deliveries", "rows_in", "rows_quarantined"}
        assert "phenomenon" not in persisted["result"]


class _Hanging(http.server.BaseHTTPRequestHandler):
    release = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.release.wait(30)
        self.send_response(503)
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        return


@pytest.fixture
def hanging_url() -> Iterator[str]:
    """Yield the URL of a JSON export that does not answer until the test ends."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hanging)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/export.json"
    _Hanging.release.set()
    server.shutdown()


@pytest.mark.slow
@pytest.mark.xdist_group("server")
def test_a_hanging_source_times_out_alone_and_the_log_stays_clean(
    inbox: DemoInbox,
    prefect_server: None,
    tmp_path: Path,
    hanging_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect import flow

    quick = steps.ingest.with_options(timeout_seconds=5, retry_delay_seconds=0)
    monkeypatch.setattr(steps, "ingest", quick)
    sources_file = inbox.sources_file.parent / "hanging.toml"
    sources_file.write_text(
        inbox.sources_file.read_text(encoding="utf-8")
        + f'\n[[source]]\nmunicipality_code = "851"\nkind = "json"\nurl = "{hanging_url}"\n'
        + '\n[[source]]\nmunicipality_code = "851"\nkind = "sql"\nurl_env = "RAPORTTI_NOWHERE"\n',
        encoding="utf-8",
    )
    settings = Settings(db_url=f"sqlite:///{(tmp_path / 'w.db').as_posix()}")

    @flow
    def ingest_only() -> list[object]:
        sources = steps.read_sources(sources_file, ["851"], MUNICIPALITY_CODES)
        return steps.ingest_sources(sources, settings, QUARTER)

    started = time.monotonic()
    state = ingest_only(return_state=True)
    elapsed = time.monotonic() - started

    outcomes = {outcome.source_id: outcome for outcome in state.result()}
    assert elapsed < 30
    assert (outcomes["851-json"].error or "").startswith("timed out: Task run exceeded timeout")
    assert "RAPORTTI_NOWHERE is not set" in (outcomes["851-sql"].error or "")
    assert outcomes["851-csv"].error is None
    attempts = _ingest_attempts(state.state_details.flow_run_id)
    assert attempts["source-kind:json"] == [1]  # a timeout is not retried
    assert attempts["source-kind:sql"] == [3]  # an unreachable source is, twice
    logs = _flow_logs(state.state_details.flow_run_id)
    assert "exceeded timeout of 5" in logs
    assert "worker thread" not in logs


def _ingest_attempts(flow_run_id: object) -> dict[str, list[int]]:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    attempts: dict[str, list[int]] = {}
    for run in runs:
        for tag in run.tags:
            attempts.setdefault(tag, []).append(run.run_count)
    return attempts
