"""Benchmark: what Prefect costs around an ad hoc `raportti run` of the demo quarter, and where.

Run: `.venv/bin/python bench/bench_orchestration.py`. Makes a demo inbox for all 21
municipalities in a temporary folder and measures, each in fresh processes:

1. `raportti run` end to end, cold, without a server (Prefect starts a temporary one):
   once on a fresh PREFECT_HOME, once on a warm one; a first run (everything new) and
   a re-run (nothing new to extract);
2. the same against a running `prefect server start` (its own start-up timed apart), on
   its default SQLite database and, when PostgreSQL answers at RAPORTTI_TEST_PG_URL
   (default `postgresql+psycopg://postgres@127.0.0.1:5432/postgres`), on PostgreSQL as in
   production (a database of its own, dropped afterwards);
3. where the time goes, from an instrumented run in a child process: interpreter and
   imports, Prefect's start (temporary server or API connection, flow run creation),
   the flow body split into time inside tasks and orchestration between them, and the
   exit; plus Prefect's cost per task from a flow of 50 empty tasks.

Prints wall seconds per figure. The machine's other load shows in the figures: run it
on a quiet machine for numbers to compare.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

QUARTER = "2026Q2"
BIN = Path(sys.executable).parent
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _environment(home: Path, extra: dict[str, str]) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "RAPORTTI_"))}
    return (
        kept
        | {
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "GX_ANALYTICS_ENABLED": "false",
            "RAPORTTI_QUOTE_REVIEW_MINUTES": "0",  # no pause for a person: the run is timed
        }
        | extra
    )


def _timed(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the demo's planted faults wait for a correction
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def _run_command(inbox: Path, warehouse: Path, out: Path) -> list[str]:
    return [
        str(BIN / "raportti"),
        "run",
        "--quarter",
        QUARTER,
        "--sources",
        str(inbox / "sources.toml"),
        "--db",
        f"sqlite:///{warehouse.as_posix()}",
        "--out",
        str(out),
        "--no-deliver",
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def _server(environment: dict[str, str]) -> Iterator[tuple[str, float]]:
    """Run `prefect server start`; yield its API URL and how long it took to answer."""
    import httpx

    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            if process.poll() is not None or time.perf_counter() - started > 180:
                raise SystemExit("the Prefect server did not start")
            time.sleep(0.2)
        yield api, time.perf_counter() - started
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def _postgres_database() -> Iterator[str | None]:
    """Yield an asyncpg URL of a fresh PostgreSQL database for Prefect, or None without a server."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = os.environ.get("RAPORTTI_TEST_PG_URL", DEFAULT_PG_URL)
    name = f"raportti_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'create database "{name}"'))
    except Exception:  # noqa: BLE001 - no PostgreSQL: that figure is skipped
        admin.dispose()
        yield None
        return
    try:
        url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


def _child(
    environment: dict[str, str], inbox: Path, warehouse: Path, out: Path
) -> dict[str, float]:
    """Run an instrumented child process; return its phases in seconds."""
    command = [sys.executable, __file__, "--child", str(inbox), str(warehouse), str(out)]
    started = time.time()
    done = subprocess.run(command, env=environment, capture_output=True, text=True)
    ended = time.time()
    if done.returncode != 0:
        raise SystemExit(f"the instrumented run failed:\n{done.stderr}")
    phases = json.loads(done.stdout.strip().splitlines()[-1])
    phases["interpreter and imports"] = phases.pop("imported_at") - started
    phases["exit (temporary server stops)"] = ended - phases.pop("returned_at")
    phases["end to end"] = ended - started
    return phases


def child_main(inbox: Path, warehouse: Path, out: Path) -> None:
    """In a fresh process: import, run the flow, read its timings back from Prefect."""
    import_started = time.time()
    from flows.quarterly import quarterly_brief

    imported_at = time.time()
    os.environ["RAPORTTI_DB_URL"] = f"sqlite:///{warehouse.as_posix()}"
    called = time.time()
    state = quarterly_brief(
        quarter=QUARTER,
        sources_file=inbox / "sources.toml",
        out_dir=out,
        send=False,
        return_state=True,
    )
    returned = time.time()
    phases = _flow_phases(state.state_details.flow_run_id, called, returned)
    per_task = _per_task_cost()
    result = {"imported_at": imported_at, "returned_at": time.time()}
    result |= {"imports alone": imported_at - import_started} | phases | per_task
    print(json.dumps(result))  # noqa: T201 - the parent reads this line


def _flow_phases(flow_run_id: object, called: float, returned: float) -> dict[str, float]:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        run = client.read_flow_run(flow_run_id)
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    start, end = run.start_time.timestamp(), run.end_time.timestamp()
    busy = covered([(t.start_time.timestamp(), t.end_time.timestamp()) for t in tasks])
    return {
        "Prefect start (server, flow run)": start - called,
        "flow body": end - start,
        "  inside tasks (wall, overlaps merged)": busy,
        "  orchestration between tasks": (end - start) - busy,
        "after the flow (results, state)": returned - end,
        "task runs": float(len(tasks)),
    }


def covered(intervals: list[tuple[float, float]]) -> float:
    """Return the time covered by at least one interval."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def _per_task_cost(count: int = 50) -> dict[str, float]:
    from prefect import flow, task
    from prefect.cache_policies import NO_CACHE

    @task(cache_policy=NO_CACHE)
    def nothing(number: int) -> int:
        return number

    @flow
    def empty_tasks() -> None:
        for number in range(count):
            nothing(number)

    started = time.perf_counter()
    empty_tasks()
    return {"Prefect per task (50 empty tasks, ms)": (time.perf_counter() - started) / count * 1000}


def main() -> None:
    """Measure and print every figure."""
    from demo.inbox import write_demo_inbox
    from schemas.quarter import Quarter

    root = Path(tempfile.mkdtemp(prefix="raportti-bench-orchestration-"))
    inbox = write_demo_inbox(root / "inbox", Quarter.parse(QUARTER))
    extra = inbox.environment
    figures: dict[str, float] = {}

    fresh = _environment(root / "home-fresh", extra)
    command = _run_command(root / "inbox", root / "w1.db", root / "out1")
    figures["cold, no server, fresh PREFECT_HOME, first run"] = _timed(command, fresh)
    figures["cold, no server, warm PREFECT_HOME, re-run"] = _timed(command, fresh)
    command = _run_command(root / "inbox", root / "w2.db", root / "out2")
    figures["cold, no server, warm PREFECT_HOME, first run"] = _timed(command, fresh)

    server_environment = _environment(root / "home-server", extra)
    with _server(server_environment) as (api, startup):
        figures["prefect server start (until it answers)"] = startup
        with_server = server_environment | {"PREFECT_API_URL": api}
        command = _run_command(root / "inbox", root / "w3.db", root / "out3")
        figures["running server, first run"] = _timed(command, with_server)
        figures["running server, re-run"] = _timed(command, with_server)
        served = _child(with_server, root / "inbox", root / "w5.db", root / "out5")

    with _postgres_database() as database:
        if database is not None:
            pg_environment = _environment(root / "home-pg", extra) | {
                "PREFECT_SERVER_DATABASE_CONNECTION_URL": database
            }
            with _server(pg_environment) as (api, startup):
                figures["prefect server start on PostgreSQL"] = startup
                with_pg = pg_environment | {"PREFECT_API_URL": api}
                command = _run_command(root / "inbox", root / "w6.db", root / "out6")
                figures["running server on PostgreSQL, first run"] = _timed(command, with_pg)
                figures["running server on PostgreSQL, re-run"] = _timed(command, with_pg)
                on_postgres = _child(with_pg, root / "inbox", root / "w7.db", root / "out7")

    _print("raportti run, end to end (s)", figures)
    first = _child(fresh, root / "inbox", root / "w4.db", root / "out4")
    _print("where the time goes: no server, warm PREFECT_HOME, first run (s)", first)
    again = _child(fresh, root / "inbox", root / "w4.db", root / "out4")
    _print("where the time goes: no server, warm PREFECT_HOME, re-run (s)", again)
    _print("where the time goes: running server, first run (s)", served)
    if "running server on PostgreSQL, first run" in figures:
        _print("where the time goes: running server on PostgreSQL, first run (s)", on_postgres)
    print(f"({datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, load {os.getloadavg()})")  # noqa: T201


def _print(title: str, figures: dict[str, float]) -> None:
    print(title)  # noqa: T201 - a benchmark prints its figures
    for name, value in figures.items():
        print(f"  {name:<52} {value:8.2f}")  # noqa: T201


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, type=Path, metavar=("INBOX", "WAREHOUSE", "OUT"))
    arguments = parser.parse_args()
    if arguments.child:
        child_main(*arguments.child)
    else:
        main()
