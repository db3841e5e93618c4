"""The README's commands work exactly as written: they are read out of README.md and run.

`make demo`, then "Try the steward's side": `make server` and `make serve` in the
background, and the third terminal's commands in one shell. They run in a copy
of the project (its tracked files and this virtual environment), so that the
checkout's own outputs/ are not touched; the only change is the port, a free
one instead of 4200, so that the test never meets another Prefect server.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.flows.prefect_processes import REPO, _stop, free_port, wait_for_flow_runs

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

README = REPO / "README.md"


def section(title: str) -> str:
    """Return the README's text under a `## ` heading, up to the next one."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def shell_commands(text: str) -> list[list[str]]:
    """Return each ```sh block's commands, comments and blank lines left out."""
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    return [
        [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
        for block in blocks
    ]


def _project_copy(root: Path) -> Path:
    """Copy the project's tracked files to `root` and link its virtual environment."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    for name in tracked:
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / name)
    (root / ".venv").symlink_to(REPO / ".venv")
    stamp = REPO / ".venv" / ".installed"
    if not stamp.is_file() or stamp.stat().st_mtime < (REPO / "pyproject.toml").stat().st_mtime:
        pytest.fail("the virtual environment is older than pyproject.toml: run 'make test'")
    return root


@contextlib.contextmanager
def _background(
    commands: list[str], cwd: Path, env: dict[str, str], api_url: str
) -> Iterator[Path]:
    """Run each command in the background in its own session; stop them all at the end."""
    processes = []
    try:
        for number, command in enumerate(commands):
            with (cwd / f"background-{number}.log").open("w") as log:  # the child keeps its copy
                processes.append(
                    subprocess.Popen(
                        ["bash", "-c", command],
                        cwd=cwd,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            if number == 0:
                _wait_until_healthy(api_url, cwd / "background-0.log")
        yield cwd
    finally:
        for process in reversed(processes):
            _stop(process)


def _wait_until_healthy(api_url: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise AssertionError(f"no Prefect server in {timeout} s:\n{log.read_text()}")


def _wait_for_deployment(api_url: str, name: str, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    body = {"deployments": {"name": {"any_": [name]}}}
    while time.monotonic() < deadline:
        if httpx.post(f"{api_url}/deployments/filter", json=body, timeout=10).json():
            return
        time.sleep(1)
    raise AssertionError(f"{name} not served in {timeout} s:\n{log.read_text()}")


def test_the_readme_commands_run_as_written(tmp_path: Path) -> None:
    (make_demo,) = [c for c in shell_commands(section("Two commands"))[0] if c == "make demo"]
    servers, third_terminal = shell_commands(section("Try the steward's side"))
    port = free_port()
    project = _project_copy(tmp_path / "raportti")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PREFECT_", "RAPORTTI_"))
    } | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_API_PORT": str(port),  # `make server` listens, `make serve` calls here
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    api_url = f"http://127.0.0.1:{port}/api"
    third = "set -e\n" + "\n".join(third_terminal).replace(":4200/", f":{port}/")

    demo = subprocess.run(
        ["bash", "-c", make_demo], cwd=project, env=env, capture_output=True, text=True
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    with _background(servers, project, env, api_url):
        serve_log = project / "background-1.log"
        _wait_for_deployment(api_url, "quarterly-brief", serve_log)
        done = subprocess.run(
            ["bash", "-c", third], cwd=project, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        (flow_run_id,) = re.findall(r"UUID: ([0-9a-f-]{36})", done.stdout)
        server = _Api(api_url)
        (run,) = wait_for_flow_runs(server, [flow_run_id], timeout=400)

    assert run["state"]["type"] == "COMPLETED", serve_log.read_text()
    assert run["parameters"]["sources_file"] == str(project / "outputs" / "demo" / "sources.toml")
    quarter = run["name"].removeprefix("quarterly-brief ")
    assert (project / "outputs" / quarter / "brief-fi.pdf").stat().st_size > 0
    assert "latest runs (warehouse run log)" in done.stdout


class _Api:
    """Just enough of `PrefectServer` for `wait_for_flow_runs`."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def post(self, path: str, body: dict[str, object]) -> object:
        response = httpx.post(f"{self.api_url}{path}", json=body, timeout=30)
        response.raise_for_status()
        return response.json()
