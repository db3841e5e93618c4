"""Benchmark: the whole published cube, with trends and suppression, for 1,000,000 reports.

Run: `.venv/bin/python bench/bench_aggregate.py [reports] [seed]`. Prints wall seconds per
phase, reports per second and the peak RSS. Reports are spread over the eight quarters
ending 2026Q3 as a large region's would be: municipalities by population, a few
common themes and target groups and a long tail, a quarter of the client estimates
left empty. Not a test: the budget (5 s on a 2-core machine) is checked by eye.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from schemas.fields import ADDRESSEE_LEVELS, REPORT_TYPES, URGENCIES
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tasks.figures.aggregate import (
    aggregates_table,
    also_mentioned,
    cell_lineage,
    published_cells,
    quarter_trends,
    report_mix,
    theme_cube,
)

LAST = Quarter(2026, 3)
POPULATION = {
    "698": 65, "851": 21, "240": 20, "758": 8, "241": 8, "320": 7, "148": 7, "261": 6,
    "976": 4, "273": 4, "683": 4, "854": 3, "732": 3, "614": 3, "845": 3, "751": 3,
    "498": 2, "047": 2, "890": 1, "742": 1, "583": 1,
}  # fmt: skip


def _zipf(size: int) -> np.ndarray:
    weights = 1 / np.arange(1, size + 1)
    return weights / weights.sum()


def generated_reports(count: int, seed: int) -> pl.DataFrame:
    """Return `count` reports over the eight quarters ending at `LAST`."""
    rng = np.random.default_rng(seed)
    reference = load_reference()
    themes = np.array(reference.theme_codes)
    groups = np.array(reference.target_group_codes)
    codes = np.array(list(POPULATION))
    shares = np.array(list(POPULATION.values()), dtype=float)
    first = LAST.previous(7).first_day
    days = (LAST.last_day - first).days + 1
    clients = rng.integers(1, 41, count).astype(float)
    clients[rng.random(count) < 0.25] = np.nan
    frame = pl.DataFrame(
        {
            "report_id": np.arange(count),
            "municipality_code": rng.choice(codes, count, p=shares / shares.sum()),
            "submitted_on": np.datetime64(first) + rng.integers(0, days, count).astype("m8[D]"),
            "theme": rng.choice(themes, count, p=_zipf(themes.size)),
            "second": rng.choice(themes, count),
            "third": rng.choice(themes, count),
            "mentions": rng.integers(0, 3, count),
            "target_group": rng.choice(groups, count, p=_zipf(groups.size)),
            "clients_affected": pl.Series(clients, nan_to_null=True).cast(pl.Int64),
            "report_type": rng.choice(REPORT_TYPES, count, p=[0.7, 0.2, 0.1]),
            "urgency": rng.choice(URGENCIES, count),
            "addressee_level": rng.choice(ADDRESSEE_LEVELS, count),
        }
    )
    return frame.with_columns(
        pl.format("r{}", "report_id").alias("report_id"),
        pl.col("submitted_on").cast(pl.Date),
        pl.concat_list("second", "third").list.head(pl.col("mentions")).alias("secondary_themes"),
    ).drop("second", "third", "mentions")


def _timed(label: str, step: Callable[[], object], timings: dict[str, float]) -> object:
    started = time.perf_counter()
    result = step()
    timings[label] = time.perf_counter() - started
    return result


def main(count: int = 1_000_000, seed: int = 2026) -> None:
    """Generate the reports, run every aggregation step once and print the figures."""
    reference = load_reference()
    reports = generated_reports(count, seed)
    timings: dict[str, float] = {}
    cube = _timed("theme cube (one quarter)", lambda: theme_cube(reports, LAST, reference), timings)
    cells = _timed(
        "published cells (cube + suppression)",
        lambda: published_cells(reports, LAST, reference),
        timings,
    )
    _timed(
        "trends (12 cubes, 8 suppressed)", lambda: quarter_trends(reports, LAST, reference), timings
    )
    _timed("also mentioned", lambda: also_mentioned(reports, LAST, reference), timings)
    _timed("report mix", lambda: report_mix(reports, LAST), timings)
    _timed("aggregates.csv bytes", lambda: aggregates_table(cells).write_csv().encode(), timings)
    whole = sum(timings.values()) - timings["theme cube (one quarter)"]
    lineage = _timed(
        "cell lineage (warehouse only)", lambda: cell_lineage(reports, LAST, reference), timings
    )
    _report(count, reports, cube, cells, lineage, timings, whole)


def _report(
    count: int,
    reports: pl.DataFrame,
    cube: pl.DataFrame,
    cells: pl.DataFrame,
    lineage: pl.DataFrame,
    timings: dict[str, float],
    whole: float,
) -> None:
    quarter_reports = cube.row(0, named=True)["reports"]
    lines = [
        f"reports: {count:,} over 8 quarters ({quarter_reports:,} in {LAST})",
        *(f"  {label:<40} {seconds:7.3f} s" for label, seconds in timings.items()),
        f"  {'whole cube + trends + suppression':<40} {whole:7.3f} s"
        f"  ({count / whole:,.0f} reports/s)",
        f"cells: {cells.height:,}, suppressed {cells['suppressed'].sum():,}"
        f" (primary {cube['reports'].is_between(1, 4).sum():,}); lineage rows {lineage.height:,}",
        f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB",
    ]
    print("\n".join(lines))  # noqa: T201 - a benchmark prints its figures


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
