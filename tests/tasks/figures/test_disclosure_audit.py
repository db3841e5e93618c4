"""The independent audit: an attacker holding only aggregates.csv works out no hidden value."""

from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from demo.inbox import demo_reports
from schemas.fields import REPORT_DTYPES
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tasks.figures.aggregate import aggregates_table, published_cells, theme_cube
from tests.factories import report_frame, report_row
from tests.tasks.figures.attacker import (
    Recovery,
    additive_relations,
    public_subregions,
    recovered_values,
)

REFERENCE = load_reference()
Q3 = Quarter(2026, 3)
SUBREGIONS = public_subregions()
# Rough shares of Lapland's population: Rovaniemi most, Savukoski least.
POPULATION = {
    "698": 65, "851": 21, "240": 20, "758": 8, "241": 8, "320": 7, "148": 7, "261": 6,
    "976": 4, "273": 4, "683": 4, "854": 3, "732": 3, "614": 3, "845": 3, "751": 3,
    "498": 2, "047": 2, "890": 1, "742": 1, "583": 1,
}  # fmt: skip


def realistic_reports(count: int, seed: int, quarter: Quarter = Q3) -> pl.DataFrame:
    """Return `count` reports spread as a quarter's would be: most small, a few common themes."""
    rng = random.Random(seed)
    themes, groups = REFERENCE.theme_codes, REFERENCE.target_group_codes
    rows = [
        report_row(
            f"r{i}",
            municipality_code=rng.choices(list(POPULATION), list(POPULATION.values()))[0],
            theme=rng.choices(themes, [1 / (k + 1) for k in range(len(themes))])[0],
            target_group=rng.choices(groups, [1 / (k + 1) for k in range(len(groups))])[0],
            clients_affected=None if rng.random() < 0.25 else rng.randint(1, 40),
            submitted_on=quarter.first_day + timedelta(days=rng.randrange(90)),
        )
        for i in range(count)
    ]
    return report_frame(rows)


def _csv(cells: pl.DataFrame) -> str:
    return aggregates_table(cells).write_csv()


def _hidden_where(cube: pl.DataFrame, hidden: pl.Series) -> pl.DataFrame:
    """Return `cube` published with exactly the cells of `hidden` suppressed."""
    return cube.with_columns(suppressed=hidden).with_columns(
        pl.when("suppressed").then(None).otherwise(pl.col(c)).alias(c)
        for c in ("reports", "clients_affected")
    )


def _true_value(cube: pl.DataFrame, recovery: Recovery) -> int:
    return cube.filter(
        (pl.col("area_code") == recovery.area_code)
        & (pl.col("theme") == recovery.theme)
        & (pl.col("target_group") == recovery.target_group)
    )[recovery.measure].item()


def _leaks(cells: pl.DataFrame) -> list[Recovery]:
    """Return the attacker's recoveries, but for the documented case of no client estimates.

    When no report of the quarter gave an estimate, the published region
    total of clients_affected is 0 and every hidden sum is visibly 0 too.
    """
    no_estimates = cells.row(0, named=True)["clients_affected"] == 0
    return [
        found
        for found in recovered_values(_csv(cells), SUBREGIONS)
        if not (no_estimates and found.measure == "clients_affected" and found.high < 0.5)
    ]


def test_attacker_recovers_a_lone_hidden_count_by_subtraction() -> None:
    cube = theme_cube(realistic_reports(30, seed=1), Q3, REFERENCE)
    primary_only = _hidden_where(cube, cube["reports"].is_between(1, 4).alias("suppressed"))
    found = recovered_values(_csv(primary_only), SUBREGIONS)
    assert any(r.measure == "reports" for r in found)
    assert any(r.measure == "clients_affected" for r in found)
    for recovery in found:
        assert recovery.low - 0.5 < _true_value(cube, recovery) < recovery.high + 0.5


def test_attacker_pins_hidden_parts_of_a_zero_total_by_non_negativity() -> None:
    cube = theme_cube(report_frame([report_row("r0", submitted_on=Q3.first_day)]), Q3, REFERENCE)
    keys = pl.struct("area_code", "theme", "target_group")
    pair = [{"area_code": "148", "theme": "debt", "target_group": g} for g in ("sami", "other")]
    found = recovered_values(
        _csv(_hidden_where(cube, keys.is_in(pair).alias("suppressed"))), SUBREGIONS
    )
    assert {(r.measure, r.target_group, r.high) for r in found} == {
        (measure, group, 0.0)
        for measure in ("reports", "clients_affected")
        for group in ("sami", "other")
    }


def _relation_cells() -> list[np.ndarray]:
    """Return the cube rows (in publication order) of every additive relation."""
    cube = theme_cube(report_frame([]), Q3, REFERENCE)
    keys = cube.select("level", "area_code", "theme", "target_group").iter_rows()
    row = {key: i for i, key in enumerate(keys)}
    return [
        np.array([row[total], *(row[part] for part in parts)])
        for total, parts in additive_relations(set(row), SUBREGIONS)
    ]


def _two_per_relation(cube: pl.DataFrame) -> pl.Series:
    """Return the classic heuristic: add the smallest open cell to a relation with one hidden."""
    counts = cube["reports"].to_numpy()
    hidden = (counts >= 1) & (counts <= 4)
    relations = _relation_cells()
    while lonely := [cells for cells in relations if hidden[cells].sum() == 1]:
        open_cells = lonely[0][~hidden[lonely[0]]]
        hidden[open_cells[np.argmin(counts[open_cells])]] = True
    return pl.Series("suppressed", hidden)


def test_attacker_sees_through_two_hidden_cells_in_every_relation() -> None:
    cube = theme_cube(realistic_reports(60, seed=9), Q3, REFERENCE)
    hidden = _two_per_relation(cube)
    assert all(hidden.to_numpy()[cells].sum() != 1 for cells in _relation_cells())
    found = recovered_values(_csv(_hidden_where(cube, hidden)), SUBREGIONS)
    assert any(r.measure == "reports" for r in found)
    for recovery in found:
        assert recovery.low - 0.5 < _true_value(cube, recovery) < recovery.high + 0.5


@pytest.mark.parametrize("seed", [1, 2])
def test_a_sparse_quarter_of_thirty_reports_leaks_nothing(seed: int) -> None:
    cells = published_cells(realistic_reports(30, seed), Q3, REFERENCE)
    municipal = cells.filter(pl.col("level") == "municipality")
    assert municipal["suppressed"].sum() > 50  # most municipality cells are small
    assert _leaks(cells) == []


def _demo_quarter_reports() -> pl.DataFrame:
    delivered = demo_reports(Q3)
    valid = delivered.filter(pl.col("planted_fault").is_null() & ~pl.col("superseded"))
    return valid.select(list(REPORT_DTYPES))


def test_the_demo_quarter_leaks_nothing() -> None:
    assert _leaks(published_cells(_demo_quarter_reports(), Q3, REFERENCE)) == []


@pytest.mark.slow
@pytest.mark.parametrize("back", range(1, 8))
def test_earlier_demo_quarters_leak_nothing(back: int) -> None:
    quarter = Q3.previous(back)
    assert _leaks(published_cells(_demo_quarter_reports(), quarter, REFERENCE)) == []


_REPORTS = st.lists(
    st.tuples(
        st.sampled_from([code for code, share in POPULATION.items() for _ in range(min(share, 8))]),
        st.sampled_from(REFERENCE.theme_codes[:5] * 3 + REFERENCE.theme_codes),
        st.sampled_from(REFERENCE.target_group_codes[:3] * 3 + REFERENCE.target_group_codes),
        st.none() | st.integers(0, 50),
    ),
    max_size=80,
)


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_REPORTS)
def test_generated_quarters_leak_nothing(drawn: list[tuple]) -> None:
    rows = [
        report_row(
            f"r{i}",
            municipality_code=m,
            theme=t,
            target_group=g,
            clients_affected=c,
            submitted_on=Q3.first_day,
        )
        for i, (m, t, g, c) in enumerate(drawn)
    ]
    cells = published_cells(report_frame(rows), Q3, REFERENCE)
    assert _leaks(cells) == []
