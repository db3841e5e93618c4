"""Benchmark: the demo quarter without a Prefect server, against a running one, and Prefect's floor.

Run: `.venv/bin/python bench/bench_server.py`. In one run, each figure the wall time of a
fresh process, as a steward starts it:

1. `raportti run` of the demo quarter without a server (Prefect starts a temporary one
   on a warmed-up PREFECT_HOME);
2. the same against a running `prefect server start` (started and warmed up beforehand);
3. Prefect's floor against that server: a flow of 30 empty tasks (submitted at once),
   in a fresh process.

Every demo run starts from an empty warehouse, so it reads and stores all 21 sources.
Targets: (2) faster than (1), and the time (2)'s flow run spends between its task runs
(Prefect's orchestration, with the little code the flow runs itself) within (3) + 3 s.
Run on a quiet machine.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_orchestration import covered  # noqa: E402
from demo.inbox import write_demo_inbox  # noqa: E402
from schemas.quarter import Quarter  # noqa: E402

QUARTER = Quarter(2026, 2)
BIN = Path(sys.executable).parent
FLOOR = """
from prefect import flow, task

@task
def nothing(n: int) -> int:
    return n

@flow
def floor() -> None:
    for future in [nothing.submit(n) for n in range(30)]:
        future.wait()

floor()
"""


def _environment(home: Path, extra: dict[str, str]) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "RAPORTTI_"))}
    return kept | {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "GX_ANALYTICS_ENABLED": "false",
        "RAPORTTI_QUOTE_REVIEW_MINUTES": "0",  # no pause for a person: the run is timed
        **extra,
    }


def _timed(command: list[str], environment: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: the demo's planted rows wait for a correction
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return elapsed


def _demo_run(root: Path, name: str, environment: dict[str, str]) -> float:
    """Return the wall seconds of `raportti run` of the demo quarter into a new warehouse."""
    command = [
        *(str(BIN / "raportti"), "run", "--quarter", str(QUARTER)),
        *("--sources", str(root / "inbox" / "sources.toml")),
        *("--db", f"sqlite:///{(root / f'{name}.db').as_posix()}"),
        *("--out", str(root / name), "--no-send"),
    ]
    return _timed(command, environment)


@contextlib.contextmanager
def _server(home: Path) -> Iterator[str]:
    """Run `prefect server start` on a free loopback port; yield its API URL."""
    from tests.flows.prefect_processes import _stop, free_port

    port = free_port()
    environment = _environment(home, {"PREFECT_SERVER_UI_ENABLED": "false"})
    command = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1"]
    command += ["--port", str(port)]
    process = subprocess.Popen(
        command,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            time.sleep(0.5)
        yield api
    finally:
        _stop(process)


def _flow_body_and_tasks(api: str) -> tuple[float, float]:
    """Return the server's latest flow run's body time and the time inside its task runs."""
    (run,) = httpx.post(
        f"{api}/flow_runs/filter", json={"sort": "START_TIME_DESC", "limit": 1}, timeout=30
    ).json()
    tasks = httpx.post(
        f"{api}/task_runs/filter",
        json={"flow_runs": {"id": {"any_": [run["id"]]}}, "limit": 200},
        timeout=30,
    ).json()
    spans = [_span(t) for t in tasks if t["start_time"] and t["end_time"]]
    start, end = _span(run)
    return end - start, covered(spans)


def _span(run: dict[str, str]) -> tuple[float, float]:
    """Return a run's start and end as POSIX seconds."""
    return tuple(datetime.fromisoformat(run[key]).timestamp() for key in ("start_time", "end_time"))


def main() -> None:
    """Print the three figures and whether the targets are met."""
    with tempfile.TemporaryDirectory(prefix="raportti-bench-server-") as scratch:
        root = Path(scratch)
        inbox = write_demo_inbox(root / "inbox", QUARTER)
        local = _environment(root / "home-local", inbox.environment)
        _demo_run(root, "warm-up-local", local)
        no_server = _demo_run(root, "no-server", local)
        with _server(root / "home-server") as api:
            remote = _environment(root / "home-client", inbox.environment)
            remote["PREFECT_API_URL"] = api
            _demo_run(root, "warm-up-server", remote)
            with_server = _demo_run(root, "with-server", remote)
            body, inside_tasks = _flow_body_and_tasks(api)
            floor = _timed([str(BIN / "python"), "-c", FLOOR], remote)
    between = body - inside_tasks
    faster, within = with_server < no_server, between <= floor + 3
    lines = [
        f"demo quarter {QUARTER}, 21 sources, fresh warehouse each (wall seconds):",
        f"  without a server               {no_server:6.1f}",
        f"  against a running server       {with_server:6.1f}",
        f"    its flow run, start to end   {body:6.1f}",
        f"    inside its task runs         {inside_tasks:6.1f}  (wall, overlaps merged)",
        f"    between task runs            {between:6.1f}  (Prefect's orchestration, flow code)",
        f"  floor: 30 empty tasks          {floor:6.1f}  (same server, fresh process)",
        f"  server faster: {faster}; between task runs within floor + 3 s: {within}",
    ]
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
