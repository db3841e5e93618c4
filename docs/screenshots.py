"""Take the README's pictures of Prefect's UI: the run form, upcoming runs, a run needing attention.

Run after `make demo`, from the project folder: `.venv/bin/python docs/screenshots.py`.
It starts a Prefect server with its UI (own PREFECT_HOME, free port),
`raportti serve --demo`, and one `raportti run` without the demo's SQL variable
(Rovaniemi fails: the run needs attention, published under a scratch folder),
then photographs each page with headless Chromium, driven by selenium, into docs/.
The run form is taken with the municipalities pick-list open and one name picked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

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


PICKED = "698 Rovaniemi"
PICK_LIST = ".schema-form-property-array .p-select-button__control"
# Headless Chromium reports no hover-capable pointer, and Prefect's UI then draws a bare
# native <select>; these settings make it a desktop with a mouse, as a steward has.
DESKTOP_POINTER = (
    "primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4"
)


def chromium() -> webdriver.Chrome:
    """Return headless Chromium under selenium, drawing pages as a desktop browser does."""
    options = Options()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_argument(f"--blink-settings={DESKTOP_POINTER}")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def _open(browser: webdriver.Chrome, url: str, shows: str, height: int) -> None:
    """Load `url` in a 1400 px wide viewport and wait until its text holds `shows`."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1400, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    browser.get(url)
    WebDriverWait(browser, 60).until(lambda b: shows in b.find_element(By.TAG_NAME, "body").text)
    time.sleep(2)  # let fade-ins and charts finish drawing


def screenshot(
    browser: webdriver.Chrome, url: str, shows: str, path: Path, height: int = 1000
) -> None:
    """Save a PNG of the page at `url` once it shows the text `shows`."""
    _open(browser, url, shows, height)
    browser.save_screenshot(str(path))


def run_form_screenshot(browser: webdriver.Chrome, url: str, path: Path) -> None:
    """Save a PNG of the run form with the municipalities pick-list open and one name picked.

    A mouse click opens the list, but in headless Chromium it closes again as its search
    box takes focus; the keyboard (focus the control, press Down) keeps it open.
    """
    _open(browser, url, "municipalities", 1300)
    browser.find_element(By.CSS_SELECTOR, PICK_LIST).send_keys(Keys.ARROW_DOWN)
    options = WebDriverWait(browser, 30).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, ".p-select__options .p-select-option")
    )
    (picked,) = (option for option in options if option.text.strip() == PICKED)
    browser.execute_script("arguments[0].scrollIntoView({block: 'nearest'})", picked)
    picked.click()
    WebDriverWait(browser, 30).until(
        lambda b: PICKED in b.find_element(By.CSS_SELECTOR, PICK_LIST).text
    )
    time.sleep(1)
    if not browser.find_elements(By.CSS_SELECTOR, ".p-select__options"):
        raise SystemExit("the municipalities pick-list closed before the screenshot")
    browser.save_screenshot(str(path))


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
        browser = chromium()
        try:
            run_form_screenshot(
                browser,
                f"{ui}/deployments/deployment/{deployment['id']}/run",
                DOCS / "run-form.png",
            )
            screenshot(
                browser,
                f"{ui}/deployments/deployment/{deployment['id']}?tab=Upcoming",
                "Scheduled for",
                DOCS / "upcoming-runs.png",
            )
            screenshot(
                browser,
                f"{ui}/runs/flow-run/{attention['id']}",
                "Beginning flow run",
                DOCS / "attention-run.png",
            )
        finally:
            browser.quit()
    finally:
        for process in reversed(processes):
            _stop(process)
    print(f"screenshots in {DOCS}; logs in {scratch}")  # noqa: T201


if __name__ == "__main__":
    main()
