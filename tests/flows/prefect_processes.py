"""A real Prefect server, its workers and the `prefect` CLI as subprocesses, for integration tests.

Every process starts in its own session and is stopped with its children,
even when a test fails. The server listens on loopback, on a free port, with
its own PREFECT_HOME, analytics off, the UI off and, as in production, its
own PREFECT_SERVER_ENCRYPTION_KEY.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    """Return a TCP port on loopback that is free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PrefectServer:
    """A running `prefect server start` and the environment that points processes at it."""

    home: Path
    environment: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        """Return the server's API URL."""
        return self.environment["PREFECT_API_URL"]

    def start(self, name: str, *command: str) -> subprocess.Popen:
        """Start a long-running process (a worker) with the server's environment."""
        with (self.home / f"{name}.log").open("w") as log:  # the process keeps its own copy
            process = subprocess.Popen(
                command,
                cwd=REPO,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return process

    def run(self, *command: str, timeout: float = 180) -> subprocess.CompletedProcess:
        """Run a command to its end with the server's environment; fail with its output."""
        done = subprocess.run(
            command,
            cwd=REPO,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """Return the JSON answer of the server's API to a POST."""
        response = httpx.post(f"{self.api_url}{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()

    def log(self, name: str) -> str:
        """Return what a started process has written so far."""
        return (self.home / f"{name}.log").read_text(errors="replace")


def _stop(process: subprocess.Popen) -> None:
    """Stop a process and its children: SIGTERM, then SIGKILL after ten seconds."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sent)
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # children left behind by a clean exit


@contextlib.contextmanager
def prefect_server(root: Path, extra: dict[str, str]) -> Iterator[PrefectServer]:
    """Run `prefect server start` on loopback until the block ends; stop everything it started."""
    home = root / "prefect-home"
    home.mkdir(parents=True)
    port = free_port()
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PREFECT_", "RAPORTTI_")) or name == "RAPORTTI_TEST_PG_URL"
    } | {
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "1",
        "RAPORTTI_PROJECT_DIR": str(REPO),
        "RAPORTTI_QUOTE_REVIEW_MINUTES": "0",  # runs pause for quote review only when asked
        "GX_ANALYTICS_ENABLED": "false",
    }
    server = PrefectServer(home, environment | extra)
    try:
        server.start(
            "server",
            str(BIN / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ui",
        )
        _wait_until_healthy(server)
        yield server
    finally:
        for process in reversed(server.processes):
            _stop(process)


def start_worker(server: PrefectServer, name: str, *options: str) -> None:
    """Start a process worker named `name` on the project's work pool."""
    command = ["worker", "start", "--pool", "raportti", "--type", "process", "--name", name]
    server.start(name, str(BIN / "prefect"), *command, *options)


def _wait_until_healthy(server: PrefectServer, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.processes[0].poll() is not None:
            raise AssertionError(f"the Prefect server stopped:\n{server.log('server')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.api_url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise AssertionError(
        f"the Prefect server did not answer in {timeout} s:\n{server.log('server')}"
    )


def wait_for_pause(server: PrefectServer, flow_run_id: str, timeout: float = 240) -> None:
    """Wait until the flow run is paused (for a person's input)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (run,) = server.post("/flow_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}})
        if run["state"]["type"] == "PAUSED":
            return
        if run["state"]["type"] in _FINAL:
            raise AssertionError(f"the flow run ended {run['state']['name']} without pausing")
        time.sleep(1)
    raise AssertionError(f"the flow run did not pause in {timeout} s")


def wait_for_flow_runs(
    server: PrefectServer, flow_run_ids: list[str], timeout: float = 240
) -> list[dict[str, Any]]:
    """Wait until every flow run is in a final state; return the runs."""
    deadline = time.monotonic() + timeout
    while True:
        runs = server.post("/flow_runs/filter", {"flow_runs": {"id": {"any_": flow_run_ids}}})
        final = [run for run in runs if run["state"]["type"] in _FINAL]
        if len(final) == len(flow_run_ids):
            return runs
        if time.monotonic() > deadline:
            states = {run["name"]: run["state"]["name"] for run in runs}
            raise AssertionError(f"flow runs not finished in {timeout} s: {states}")
        time.sleep(1)


_FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def flow_run_id_of(output: str) -> str:
    """Return the flow run id that `prefect deployment run` printed."""
    for line in output.splitlines():
        if "UUID:" in line:
            return line.split("UUID:")[1].strip()
    raise AssertionError(f"no flow run id in:\n{output}")


def markdown_artifact(server: PrefectServer, flow_run_id: str) -> str:
    """Return the markdown summary that a quarterly flow run left."""
    artifacts = server.post(
        "/artifacts/filter",
        {"artifacts": {"flow_run_id": {"any_": [flow_run_id]}, "type": {"any_": ["markdown"]}}},
    )
    (artifact,) = artifacts
    return artifact["data"]
