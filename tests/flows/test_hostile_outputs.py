"""The output folder full or read-only: the run fails in one line, nothing is half-written.

No partial file stands under a final name, and the next run publishes the quarter with no
row stored twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tasks.warehouse.connection import connect_warehouse
from tests.tasks.intake.hostile_corpus import CODE, csv_text, row

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

QUARTER = "2026Q2"
SOURCES = f'[[source]]\nmunicipality_code = "{CODE}"\nkind = "csv"\npath = "inbox/*.csv"\n'
# Runs the real command with a cap on the size of any file it writes (and EFBIG, not a signal).
LIMITED = (
    "import resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "limit = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "from flows.cli import app\n"
    "sys.argv[0] = 'raportti'\n"
    "app()\n"
)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Return the sources.toml of a drop with six valid reports."""
    (tmp_path / "inbox").mkdir()
    rows = [row(f"O-{n}", submitted=f"{n + 1}.5.2026") for n in range(6)]
    (tmp_path / "inbox" / "raportit.csv").write_text(csv_text(*rows), encoding="utf-8")
    (tmp_path / "sources.toml").write_text(SOURCES, encoding="utf-8")
    return tmp_path / "sources.toml"


def _run(sources: Path, db_url: str, out: Path, max_file_bytes: int) -> subprocess.CompletedProcess:
    from prefect.settings import get_current_settings

    environment = os.environ | {
        "PREFECT_API_URL": str(get_current_settings().api.url),
        "COLUMNS": "2000",
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            LIMITED,
            str(max_file_bytes),
            "run",
            "--quarter",
            QUARTER,
            "--sources",
            str(sources),
            "--db",
            db_url,
            "--out",
            str(out),
            "--no-send",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _assert_second_run_completes(
    inbox: Path, pg_url: str, out: Path, before: dict[str, bytes]
) -> None:
    second = _run(inbox, pg_url, out, 1 << 40)
    assert second.returncode == 0, second.stdout + second.stderr
    after = _files(out / QUARTER)
    assert {"brief-fi.pdf", "brief-en.pdf", "manifest.json", "aggregates.csv"} <= set(after)
    partial = {name for name, data in before.items() if after.get(name) != data}
    assert not partial, f"left under a final name but not the finished file: {partial}"
    assert not [name for name in after if name.endswith(".part")]
    with connect_warehouse(pg_url).connect() as connection:
        stored = connection.execute(text("select count(*) from report")).scalar_one()
        deliveries = connection.execute(text("select count(*) from delivery")).scalar_one()
    assert (stored, deliveries) == (6, 1)


def test_a_full_output_folder_fails_the_run_in_one_line_and_the_next_run_publishes(
    inbox: Path, pg_url: str, tmp_path: Path, prefect_server: None
) -> None:
    out = tmp_path / "out"

    first = _run(inbox, pg_url, out, 40_000)  # the briefs do not fit; the warehouse is elsewhere

    assert first.returncode != 0
    error_lines = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, first.stderr
    assert "File too large" in error_lines[0]
    assert "Traceback" not in first.stderr
    _assert_second_run_completes(inbox, pg_url, out, _files(out / QUARTER))


@pytest.fixture
def read_only_quarter(tmp_path: Path) -> Iterator[Path]:
    """Yield an output folder whose quarter folder cannot be written, even by root."""
    folder = tmp_path / "out" / QUARTER
    folder.mkdir(parents=True)
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode:
        pytest.skip("chattr +i is not permitted here (no CAP_LINUX_IMMUTABLE)")
    try:
        yield tmp_path / "out"
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_output_folder_fails_the_run_in_one_line_and_the_next_run_publishes(
    inbox: Path, pg_url: str, read_only_quarter: Path, prefect_server: None
) -> None:
    first = _run(inbox, pg_url, read_only_quarter, 1 << 40)

    assert first.returncode != 0
    error_lines = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, first.stderr
    assert "Operation not permitted" in error_lines[0]
    assert _files(read_only_quarter / QUARTER) == {}
    subprocess.run(["chattr", "-i", str(read_only_quarter / QUARTER)], check=True)
    _assert_second_run_completes(inbox, pg_url, read_only_quarter, {})
