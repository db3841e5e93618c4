"""Take the README's pictures of Prefect's UI: the run form, upcoming runs, a run needing attention.

Run after `make demo`, from the project folder: `.venv/bin/python docs/screenshots.py`.
It starts a Prefect server with its UI (own PREFECT_HOME, free port),
`raportti serve --demo`, and one `raportti run` without the demo's SQL variable
(Rovaniemi fails: the run needs attention, published under a scratch folder),
then photographs each page with headless Chromium into docs/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.flows.prefect_processes import _stop, free_port  # noqa: E402

DOCS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _wait(what: str, found: object, timeout: float = 180) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if result := found():  # type: ignore[operator]
                return result
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit(f"{what}: not within {timeout} s")


def _post(api: str, path: str, body: dict[str, object]) -> list[dict[str, object]]:
    return httpx.post(f"{api}{path}", json=body, timeout=30).json()


def screenshot(url: str, path: Path, height: int = 1000) -> None:
    """Save a PNG of the page at `url` as headless Chromium draws it."""
    subprocess.run(
        [
            "chromium",
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--window-size=1400,{height}",
            "--virtual-time-budget=30000",
            f"--screenshot={path}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def main() -> None:
    """Start the server and the deployments, make an attention run, photograph three pages."""
    scratch = Path(tempfile.mkdtemp(prefix="raportti-screens-"))
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "RAPORTTI_"))}
    env |= {
        "PREFECT_HOME": str(scratch / "home"),
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }
    processes = []
    try:
        for name, command in (
            ("server", [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1"]),
            ("serve", [str(BIN / "raportti"), "serve", "--demo"]),
        ):
            log = (scratch / f"{name}.log").open("w")
            processes.append(
                subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
            )
            _wait(name, lambda: httpx.get(f"{api}/health", timeout=2).status_code == 200)
        (deployment,) = _wait(
            "quarterly-brief deployed",
            lambda: _post(
                api, "/deployments/filter", {"deployments": {"name": {"any_": ["quarterly-brief"]}}}
            ),
        )
        _wait(
            "upcoming runs",
            lambda: _post(
                api,
                "/flow_runs/filter",
                {"flow_runs": {"deployment_id": {"any_": [deployment["id"]]}}},
            ),
        )
        demo = Path("outputs/demo").resolve()
        subprocess.run(
            [
                *(str(BIN / "raportti"), "run", "--sources", str(demo / "sources.toml")),
                *("--db", f"sqlite:///{demo / 'warehouse.db'}", "--out", str(scratch / "out")),
                "--no-send",
            ],
            env=env,
            check=False,
            capture_output=True,
        )
        (attention,) = _post(
            api,
            "/flow_runs/filter",
            {"flow_runs": {"state": {"name": {"any_": ["Needs attention"]}}}},
        )
        ui = f"http://127.0.0.1:{port}"
        screenshot(
            f"{ui}/deployments/deployment/{deployment['id']}/run", DOCS / "run-form.png", 1300
        )
        screenshot(
            f"{ui}/deployments/deployment/{deployment['id']}?tab=Upcoming",
            DOCS / "upcoming-runs.png",
        )
        screenshot(f"{ui}/runs/flow-run/{attention['id']}", DOCS / "attention-run.png")
    finally:
        for process in reversed(processes):
            _stop(process)
    print(f"screenshots in {DOCS}; logs in {scratch}")  # noqa: T201


if __name__ == "__main__":
    main()
