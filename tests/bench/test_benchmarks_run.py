"""Every benchmark still runs (on a few rows), so `make bench` does not break unnoticed.

bench_orchestration is left out: it starts Prefect servers and workers, which the
flow tests already cover.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.parametrize(
    ("script", "arguments"),
    [
        ("bench_extract.py", ["2000"]),
        ("bench_ingest.py", ["2000"]),
        ("bench_landing.py", ["2000"]),
        ("bench_validate.py", ["2000"]),
        ("bench_aggregate.py", ["2000"]),
        ("bench_brief.py", []),
        ("bench_hostile.py", ["5"]),
    ],
)
def test_benchmark_runs_and_prints_figures(pg_url: str, script: str, arguments: list[str]) -> None:
    environment = {**os.environ, "RAPORTTI_TEST_PG_URL": pg_url}
    finished = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr[-2000:]
    assert re.search(r"\d\.\d+ s\b", finished.stdout), finished.stdout[-2000:]
