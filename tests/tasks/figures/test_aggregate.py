"""The quarter's figures: the cube against plain counting, trends, mix, mentions and lineage."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from schemas.cells import PublishedCell
from schemas.quarter import Quarter, quarter_of
from schemas.reference import load_reference
from tasks.figures.aggregate import (
    AGGREGATE_COLUMNS,
    aggregates_table,
    also_mentioned,
    cell_lineage,
    published_cells,
    quarter_trends,
    report_mix,
    theme_cube,
)
from tests.factories import report_frame, report_row

REFERENCE = load_reference()
Q1 = Quarter(2026, 1)
SUBREGION = dict(REFERENCE.municipalities.select("code", "subregion_code").iter_rows())


def _reports(rows: list[dict]) -> pl.DataFrame:
    return report_frame([report_row(f"r{i}", **row) for i, row in enumerate(rows)])


def _in(quarter: Quarter, day: int = 0) -> date:
    return quarter.first_day + timedelta(days=day)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 12, 31), "2025Q4"),
        (date(2026, 1, 1), "2026Q1"),
        (date(2026, 3, 31), "2026Q1"),
        (date(2026, 4, 1), "2026Q2"),
        (date(2026, 9, 30), "2026Q3"),
    ],
)
def test_quarter_of_writes_year_and_quarter(day: date, expected: str) -> None:
    result = pl.DataFrame({"day": [day]}).select(quarter_of("day")).item()
    assert result == expected


def test_cube_holds_every_area_theme_and_group_in_publication_order() -> None:
    cube = theme_cube(_reports([{"submitted_on": _in(Q1)}]), Q1, REFERENCE)
    assert cube.height == 28 * 18 * 12
    assert cube.columns == [
        "quarter",
        "level",
        "area_code",
        "area_name",
        "theme",
        "target_group",
        "reports",
        "clients_affected",
        "clients_missing",
    ]
    areas = cube.select("level", "area_code", "area_name").unique(maintain_order=True)
    assert areas.row(0) == ("region", "19", "Lappi")
    assert areas.row(1) == ("subregion", "191", "Rovaniemen seutukunta")
    assert areas.filter(pl.col("level") == "municipality")["area_code"].to_list() == sorted(
        REFERENCE.municipality_codes
    )
    assert cube["theme"].unique(maintain_order=True).to_list() == ["all", *REFERENCE.theme_codes]
    groups = cube["target_group"].head(12).to_list()
    assert groups == ["all", *REFERENCE.target_group_codes]


def test_counts_sum_reports_and_their_client_estimates() -> None:
    reports = _reports(
        [
            {"submitted_on": _in(Q1), "clients_affected": 4},
            {"submitted_on": _in(Q1, 5), "clients_affected": None},
            {"submitted_on": _in(Q1, 9), "clients_affected": 7, "municipality_code": "683"},
        ]
    )
    cube = theme_cube(reports, Q1, REFERENCE)
    cells = {
        ("698", "mobility", "older_people"): (2, 4, 1),
        ("191", "mobility", "older_people"): (3, 11, 1),
        ("19", "all", "all"): (3, 11, 1),
        ("683", "all", "older_people"): (1, 7, 0),
        ("698", "housing", "all"): (0, 0, 0),
    }
    for (area, theme, group), counts in cells.items():
        row = cube.filter(
            (pl.col("area_code") == area)
            & (pl.col("theme") == theme)
            & (pl.col("target_group") == group)
        )
        assert row.select("reports", "clients_affected", "clients_missing").row(0) == counts


def test_reports_count_only_in_the_quarter_of_their_submitted_on() -> None:
    reports = _reports(
        [
            {"submitted_on": date(2025, 12, 31)},
            {"submitted_on": date(2026, 1, 1)},
            {"submitted_on": date(2026, 3, 31)},
            {"submitted_on": date(2026, 4, 1)},
        ]
    )
    cube = theme_cube(reports, Q1, REFERENCE)
    assert cube.filter(pl.col("area_code") == "19").row(0, named=True)["reports"] == 2


def test_a_quarter_with_no_reports_gives_all_zeros() -> None:
    reports = _reports([{"submitted_on": date(2025, 5, 5)}])
    cells = published_cells(reports, Q1, REFERENCE)
    assert cells.height == 28 * 18 * 12
    assert cells.select(pl.col("reports", "clients_affected", "clients_missing").max()).row(0) == (
        0,
        0,
        0,
    )
    assert not cells["suppressed"].any()


def test_codes_outside_the_reference_lists_are_refused() -> None:
    reports = _reports([{"submitted_on": _in(Q1), "theme": "astrology"}])
    with pytest.raises(ValueError, match="astrology"):
        theme_cube(reports, Q1, REFERENCE)


_REPORT = st.tuples(
    st.sampled_from(REFERENCE.municipality_codes),
    st.sampled_from(REFERENCE.theme_codes),
    st.sampled_from(REFERENCE.target_group_codes),
    st.none() | st.integers(0, 60),
    st.integers(-20, 100),  # day from the quarter's start: some fall outside it
)


@settings(max_examples=25, deadline=None)
@given(st.lists(_REPORT, max_size=40))
def test_cube_counts_match_plain_counting(drawn: list[tuple]) -> None:
    reports = _reports(
        [
            {
                "municipality_code": m,
                "theme": t,
                "target_group": g,
                "clients_affected": c,
                "submitted_on": _in(Q1, d),
            }
            for m, t, g, c, d in drawn
        ]
    )
    expected_reports, expected_clients = Counter(), Counter()
    for m, t, g, c, d in drawn:
        if not Q1.first_day <= _in(Q1, d) <= Q1.last_day:
            continue
        for area in ("19", SUBREGION[m], m):
            for theme in ("all", t):
                for group in ("all", g):
                    expected_reports[area, theme, group] += 1
                    expected_clients[area, theme, group] += c or 0
    cube = theme_cube(reports, Q1, REFERENCE)
    for area, theme, group, count, clients in cube.select(
        "area_code", "theme", "target_group", "reports", "clients_affected"
    ).iter_rows():
        assert count == expected_reports[area, theme, group]
        assert clients == expected_clients[area, theme, group]


def test_aggregates_table_has_the_contract_columns_and_validates() -> None:
    reports = _reports(
        [
            {"submitted_on": _in(Q1, d), "municipality_code": "683" if d < 2 else "698"}
            for d in range(7)
        ]
    )
    table = aggregates_table(published_cells(reports, Q1, REFERENCE))
    assert tuple(table.columns) == AGGREGATE_COLUMNS
    PublishedCell.validate(table, lazy=True)
    lines = table.write_csv().splitlines()
    assert lines[0] == ",".join(AGGREGATE_COLUMNS)
    assert lines[1] == "2026Q1,region,19,Lappi,all,all,7,21,false"
    assert "2026Q1,municipality,683,Ranua,all,all,,,true" in lines


def test_same_reports_in_any_order_give_identical_csv_bytes() -> None:
    rows = [
        {"municipality_code": m, "theme": t, "submitted_on": _in(Q1, d), "clients_affected": d}
        for d, (m, t) in enumerate(
            [("698", "housing"), ("148", "debt"), ("698", "debt"), ("890", "housing")] * 4
        )
    ]
    forward = _reports(rows)
    backward = forward.reverse()
    first = aggregates_table(published_cells(forward, Q1, REFERENCE)).write_csv()
    again = aggregates_table(published_cells(forward, Q1, REFERENCE)).write_csv()
    reversed_rows = aggregates_table(published_cells(backward, Q1, REFERENCE)).write_csv()
    assert first.encode() == again.encode() == reversed_rows.encode()


def _totals(counts: dict[Quarter, int]) -> pl.DataFrame:
    """Return reports giving each quarter `counts[quarter]` reports, spread over the region."""
    municipalities = REFERENCE.municipality_codes
    rows = [
        {"submitted_on": _in(quarter, i % 85), "municipality_code": municipalities[i % 21]}
        for quarter, count in counts.items()
        for i in range(count)
    ]
    return _reports(rows)


def _region_all(trends: pl.DataFrame) -> pl.DataFrame:
    return trends.filter((pl.col("area_code") == "19") & (pl.col("theme") == "all")).drop(
        "level", "area_code", "area_name", "theme"
    )


def test_trends_compare_across_the_year_boundary() -> None:
    counts = {Q1.previous(4): 6, Q1.previous(1): 10, Q1: 20}
    trends = quarter_trends(_totals(counts), Q1, REFERENCE)
    result = _region_all(trends).filter(pl.col("quarter").is_in(["2025Q4", "2026Q1"]))
    expected = pl.DataFrame(
        {
            "quarter": ["2025Q4", "2026Q1"],
            "reports": [10, 20],
            "suppressed": [False, False],
            "change_prev": [10, 10],
            "change_year": [10, 14],
            "status": ["rising", "rising"],
        },
        schema_overrides={"reports": pl.Int64, "change_prev": pl.Int64, "change_year": pl.Int64},
    )
    assert_frame_equal(result, expected)


def test_trends_cover_eight_quarters_for_the_region_and_each_subregion() -> None:
    trends = quarter_trends(_totals({Q1: 6}), Q1, REFERENCE)
    assert trends.height == 8 * 7 * 18
    assert trends["quarter"].unique().sort().to_list() == [
        str(Q1.previous(n)) for n in range(7, -1, -1)
    ]
    assert set(trends["level"]) == {"region", "subregion"}
    assert trends.columns == [
        "quarter",
        "level",
        "area_code",
        "area_name",
        "theme",
        "reports",
        "suppressed",
        "change_prev",
        "change_year",
        "status",
    ]


@pytest.mark.parametrize(
    ("before", "now", "status"),
    [
        ({1: 10}, 15, "rising"),
        ({1: 10}, 14, "steady"),
        ({1: 15}, 10, "falling"),
        ({1: 15}, 11, "steady"),
        ({5: 9}, 7, "new"),
        ({}, 0, "steady"),
        ({1: 3}, 9, None),  # the previous quarter's 3 is hidden
        ({1: 9}, 2, None),  # this quarter's 2 is hidden
    ],
)
def test_trend_status_follows_published_counts(
    before: dict[int, int], now: int, status: str | None
) -> None:
    counts = {Q1.previous(back): count for back, count in before.items()} | {Q1: now}
    current = _region_all(quarter_trends(_totals(counts), Q1, REFERENCE)).row(-1, named=True)
    assert current["status"] == status


def test_hidden_counts_stay_hidden_in_trends() -> None:
    reports = _totals({Q1: 12}).with_columns(
        theme=pl.when(pl.col("report_id") == "r0").then(pl.lit("food_aid")).otherwise("theme")
    )
    trends = quarter_trends(reports, Q1, REFERENCE)
    food = trends.filter(
        (pl.col("area_code") == "19")
        & (pl.col("theme") == "food_aid")
        & (pl.col("quarter") == "2026Q1")
    ).row(0, named=True)
    assert food["reports"] is None
    assert food["suppressed"] is True
    assert food["change_prev"] is None
    assert food["status"] is None


def test_also_mentioned_counts_secondary_themes_and_hides_small_ones() -> None:
    reports = _reports(
        [{"submitted_on": _in(Q1), "secondary_themes": ["housing", "debt"]}] * 5
        + [{"submitted_on": _in(Q1), "secondary_themes": ["food_aid"]}]
    )
    result = also_mentioned(reports, Q1, REFERENCE).filter(
        pl.col("theme").is_in(["housing", "food_aid", "mobility"])
    )
    expected = pl.DataFrame(
        {
            "quarter": ["2026Q1"] * 3,
            "theme": ["housing", "mobility", "food_aid"],
            "mentions": [5, 0, None],
            "suppressed": [False, False, True],
        },
        schema_overrides={"mentions": pl.Int64},
    )
    assert_frame_equal(result, expected)


def test_report_mix_hides_a_lone_small_count_with_the_smallest_other() -> None:
    types = ["problem"] * 8 + ["good_practice"] * 2
    reports = _reports(
        [{"submitted_on": _in(Q1), "report_type": kind, "urgency": "high"} for kind in types]
    )
    result = report_mix(reports, Q1).filter(pl.col("dimension") != "addressee_level")
    expected = pl.DataFrame(
        {
            "quarter": ["2026Q1"] * 6,
            "dimension": ["report_type"] * 3 + ["urgency"] * 3,
            "value": ["problem", "good_practice", "weak_signal", "low", "medium", "high"],
            "reports": [8, None, None, 0, 0, 10],
            "suppressed": [False, True, True, False, False, False],
        },
        schema_overrides={"reports": pl.Int64},
    )
    assert_frame_equal(result, expected)


def test_report_mix_of_a_tiny_quarter_hides_only_the_small_counts() -> None:
    reports = _reports([{"submitted_on": _in(Q1), "urgency": "low"}] * 3)
    result = report_mix(reports, Q1).filter(pl.col("dimension") == "urgency")
    assert result["reports"].to_list() == [None, 0, 0]
    assert result["suppressed"].to_list() == [True, False, False]


def test_lineage_puts_each_report_in_its_twelve_cells() -> None:
    reports = _reports(
        [
            {"submitted_on": _in(Q1), "municipality_code": "890", "theme": "debt"},
            {"submitted_on": _in(Q1.previous()), "municipality_code": "890"},
        ]
    )
    result = cell_lineage(reports, Q1, REFERENCE)
    areas = [("region", "19")] * 4 + [("subregion", "197")] * 4 + [("municipality", "890")] * 4
    cells = [("all", "all"), ("all", "older_people"), ("debt", "all"), ("debt", "older_people")]
    expected = pl.DataFrame(
        {
            "quarter": ["2026Q1"] * 12,
            "level": [level for level, _ in areas],
            "area_code": [code for _, code in areas],
            "theme": [theme for theme, _ in cells] * 3,
            "target_group": [group for _, group in cells] * 3,
            "municipality_code": ["890"] * 12,
            "report_id": ["r0"] * 12,
        }
    )
    assert_frame_equal(result, expected)


def test_lineage_holds_as_many_keys_as_each_cell_counts() -> None:
    reports = _totals({Q1: 30})
    lineage = cell_lineage(reports, Q1, REFERENCE)
    sizes = lineage.group_by("area_code", "theme", "target_group").len()
    cube = theme_cube(reports, Q1, REFERENCE).filter(pl.col("reports") > 0)
    joined = cube.join(sizes, on=["area_code", "theme", "target_group"], how="full")
    assert (joined["reports"] == joined["len"]).all()
