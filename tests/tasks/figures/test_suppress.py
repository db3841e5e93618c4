"""Disclosure control: small counts are hidden, with partners enough that none can be worked out."""

from __future__ import annotations

import random
from datetime import timedelta

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from schemas.cells import published_cell_schema
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tasks.figures.aggregate import theme_cube
from tasks.figures.suppress import cube_shape, suppressed_cells, suppressed_parts
from tests.factories import report_frame, report_row

REFERENCE = load_reference()
Q1 = Quarter(2026, 1)


def _scattered(count: int, seed: int, quarter: Quarter = Q1) -> pl.DataFrame:
    """Return `count` reports of `quarter` scattered over areas, themes and target groups."""
    rng = random.Random(seed)
    rows = [
        report_row(
            f"r{i}",
            municipality_code=rng.choice(["698"] * 6 + REFERENCE.municipality_codes),
            theme=rng.choice(REFERENCE.theme_codes[:6] * 3 + REFERENCE.theme_codes),
            target_group=rng.choice(
                REFERENCE.target_group_codes[:3] * 3 + REFERENCE.target_group_codes
            ),
            clients_affected=rng.choice([None, 0, 1, 2, 5, 12, 40]),
            submitted_on=quarter.first_day + timedelta(days=rng.randrange(90)),
        )
        for i in range(count)
    ]
    return report_frame(rows)


def _cube(count: int, seed: int) -> pl.DataFrame:
    return theme_cube(_scattered(count, seed), Q1, REFERENCE)


@pytest.mark.parametrize("threshold", [3, 5, 10])
def test_counts_below_the_threshold_are_hidden(threshold: int) -> None:
    cube = _cube(60, seed=threshold)
    cells = suppressed_cells(cube, threshold)
    primary = cube["reports"].is_between(1, threshold - 1)
    assert cells.filter(primary)["suppressed"].all()
    published_cell_schema(threshold).validate(cells, lazy=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_relation_holds_exactly_one_hidden_cell(seed: int) -> None:
    hidden = suppressed_cells(_cube(40, seed))["suppressed"].to_numpy().astype(np.int64)
    per_relation = np.abs(cube_shape(REFERENCE).relations) @ hidden
    assert not (per_relation == 1).any()


def test_clients_are_hidden_exactly_where_counts_are() -> None:
    cells = suppressed_cells(_cube(40, seed=4))
    hidden = cells["suppressed"]
    for column in ("reports", "clients_affected", "clients_missing"):
        assert (cells[column].is_null() == hidden).all()


def test_the_quarters_total_is_never_a_secondary_cell() -> None:
    for seed in range(5):
        cells = suppressed_cells(_cube(8 + seed, seed))
        assert cells.row(0, named=True)["suppressed"] is False


def test_a_lone_report_hides_exactly_its_twelve_cells() -> None:
    cube = theme_cube(report_frame([report_row("r0", submitted_on=Q1.first_day)]), Q1, REFERENCE)
    cells = suppressed_cells(cube)
    assert_frame_equal(
        cells.filter("suppressed").select(cube.columns[:6]),
        cube.filter(pl.col("reports") == 1).select(cube.columns[:6]),
    )


def test_a_small_municipality_is_hidden_together_with_its_cheapest_sibling() -> None:
    rows = [report_row(f"r{i}", submitted_on=Q1.first_day) for i in range(10)]
    rows.append(report_row("r10", submitted_on=Q1.first_day, municipality_code="683"))
    hidden = suppressed_cells(theme_cube(report_frame(rows), Q1, REFERENCE)).filter("suppressed")
    expected = pl.DataFrame(
        {
            "area_code": ["683"] * 4 + ["698"] * 4,
            "theme": ["all", "all", "mobility", "mobility"] * 2,
            "target_group": ["all", "older_people"] * 4,
        }
    )
    assert_frame_equal(hidden.select(expected.columns), expected)


def test_suppression_does_not_depend_on_row_order() -> None:
    cube = _cube(50, seed=7)
    forward = suppressed_cells(cube)
    shuffled = suppressed_cells(cube.sample(fraction=1.0, shuffle=True, seed=3))
    keys = ["area_code", "theme", "target_group"]
    assert_frame_equal(forward.sort(keys), shuffled.sort(keys))


def test_each_quarter_of_a_longer_cube_is_protected_on_its_own() -> None:
    reports = pl.concat([_scattered(30, seed=8), _scattered(30, seed=9, quarter=Q1.next())])
    first, second = theme_cube(reports, Q1, REFERENCE), theme_cube(reports, Q1.next(), REFERENCE)
    together = suppressed_cells(pl.concat([first, second]))
    assert_frame_equal(together, pl.concat([suppressed_cells(first), suppressed_cells(second)]))


def test_a_quarter_without_reports_hides_nothing() -> None:
    cube = theme_cube(_scattered(5, seed=1, quarter=Q1.next()), Q1, REFERENCE)
    assert not suppressed_cells(cube)["suppressed"].any()


@pytest.mark.parametrize(
    ("cube", "message"),
    [
        (lambda cube: cube.slice(1), "every area"),
        (lambda cube: pl.concat([cube, cube.head(1)]), "every area"),
        (lambda cube: cube.with_columns(reports=pl.lit(None, pl.Int64)), "null"),
        (lambda cube: cube.with_columns(theme=pl.lit("astrology")), "theme"),
    ],
)
def test_a_cube_that_is_not_whole_is_refused(cube, message: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=message):
        suppressed_cells(cube(_cube(10, seed=1)))


@pytest.mark.parametrize(
    ("values", "total_published", "hidden"),
    [
        ([8, 2, 0], True, [False, True, True]),
        ([8, 2, 3], True, [False, True, True]),
        ([9, 2, 6], True, [False, True, True]),
        ([2, 7, 7], True, [True, True, False]),
        ([5, 5, 0], True, [False, False, False]),
        ([3, 0, 0], False, [True, False, False]),
        ([3], True, [True]),
    ],
)
def test_a_lone_hidden_part_gets_the_smallest_other_as_partner(
    values: list[int], total_published: bool, hidden: list[bool]
) -> None:
    assert suppressed_parts(values, 5, total_published) == hidden
