"""The quarter's figures: the theme cube, its published form, trends, mix and lineage.

Every figure is counted from a *report frame* (valid stored reports). A report
counts once, in the quarter of its `submitted_on` (already a Finnish date),
under its main theme. The cube is counted with numpy on dense arrays
(municipality × theme × target group per quarter, then summed up the area
hierarchy and into the `all` margins), which keeps a million reports well
under a second. Everything shown to readers comes from `published_cells`;
trends are worked out from the published cubes only, so they never reveal
a hidden value.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from schemas.cells import DEFAULT_THRESHOLD, LEVELS, LOOKBACK_QUARTERS, TREND_QUARTERS
from schemas.fields import ADDRESSEE_LEVELS, REPORT_TYPES, URGENCIES
from schemas.quarter import Quarter
from schemas.reference import Reference
from tasks.figures.suppress import (
    CubeShape,
    cube_shape,
    suppressed_cells,
    suppressed_parts,
    suppression_mask,
)

AGGREGATE_COLUMNS = (
    "quarter",
    "level",
    "area_code",
    "area_name",
    "theme",
    "target_group",
    "reports",
    "clients_affected",
    "suppressed",
)
RISING_SHARE = 1.5  # rising: at least +50 % on the previous quarter …
RISING_MIN = 5  # … and at least 5 reports more (falling: the mirror image)
_TOP = pl.lit(0, pl.Int64)  # axis position of the region and of `all`
MIX_DIMENSIONS = {
    "report_type": REPORT_TYPES,
    "urgency": URGENCIES,
    "addressee_level": ADDRESSEE_LEVELS,
}


def _quarter_number(column: str) -> pl.Expr:
    """Return a date column's quarter as a running number (year × 4 + quarter − 1)."""
    day = pl.col(column)
    return day.dt.year().cast(pl.Int64) * 4 + day.dt.quarter().cast(pl.Int64) - 1


def _number(quarter: Quarter) -> int:
    return quarter.year * 4 + quarter.number - 1


def theme_cube(reports: pl.DataFrame, quarter: Quarter, reference: Reference) -> pl.DataFrame:
    """Return the quarter's unsuppressed cube: every area × theme × target group, zeros included.

    Args:
        reports: a report frame (any number of quarters).
        quarter: the quarter to count.
        reference: the code lists that span the cube.

    Returns:
        One row per area × theme × target group (`all` included), in publication
        order, with `reports`, `clients_affected` (0 when none given) and
        `clients_missing` (reports that left it empty).
    """
    shape = cube_shape(reference)
    return _cube_frame(_cube_arrays(reports, [quarter], shape), [quarter], shape)


def _cube_arrays(
    reports: pl.DataFrame, quarters: list[Quarter], shape: CubeShape
) -> dict[str, np.ndarray]:
    """Return the dense cubes (quarters × areas × themes × target groups) of each count."""
    leaves = _leaf_counts(reports, quarters, shape)
    return {name: _with_margins(leaf, shape) for name, leaf in leaves.items()}


def _leaf_counts(
    reports: pl.DataFrame, quarters: list[Quarter], shape: CubeShape
) -> dict[str, np.ndarray]:
    """Return quarters × municipalities × themes × target groups arrays of the three counts."""
    axes = {
        "municipality_code": [shape.area_codes[i] for i in shape.municipalities],
        "theme": list(shape.themes[1:]),
        "target_group": list(shape.target_groups[1:]),
    }
    size = (len(quarters), *(len(codes) for codes in axes.values()))
    numbers = {_number(q): i for i, q in enumerate(quarters)}
    rows = reports.filter(_quarter_number("submitted_on").is_in(list(numbers)))
    _check_codes(rows, axes)
    cell = _quarter_number("submitted_on").replace_strict(numbers, return_dtype=pl.Int64)
    for name, codes in axes.items():
        cell = cell * len(codes) + pl.col(name).cast(pl.Enum(codes)).to_physical().cast(pl.Int64)
    cells = rows.select(cell.alias("cell"), "clients_affected")
    weights = {
        "reports": None,
        "clients_affected": cells["clients_affected"].fill_null(0).to_numpy(),
        "clients_missing": cells["clients_affected"].is_null().to_numpy(),
    }
    index, length = cells["cell"].to_numpy(), int(np.prod(size))
    return {
        name: np.bincount(index, weight, length).round().astype(np.int64).reshape(size)
        for name, weight in weights.items()
    }


def _check_codes(rows: pl.DataFrame, axes: dict[str, list[str]]) -> None:
    """Raise ValueError naming every code of the quarters that the reference lists lack."""
    unknown = {
        name: sorted(set(rows[name].unique().drop_nulls().to_list()) - set(codes))
        for name, codes in axes.items()
    }
    found = {name: codes for name, codes in unknown.items() if codes}
    if found or rows.select(pl.col(*axes).null_count()).sum_horizontal().item():
        raise ValueError(f"reports hold codes outside the reference lists (or none): {found}")


def _with_margins(leaf: np.ndarray, shape: CubeShape) -> np.ndarray:
    """Return leaf counts with `all` margins added and summed up the area hierarchy."""
    n_quarters, n_municipalities, n_themes, n_groups = leaf.shape
    full = np.zeros((n_quarters, n_municipalities, n_themes + 1, n_groups + 1), dtype=np.int64)
    full[:, :, 1:, 1:] = leaf
    full[:, :, 0, 1:] = leaf.sum(axis=2)
    full[:, :, 1:, 0] = leaf.sum(axis=3)
    full[:, :, 0, 0] = leaf.sum(axis=(2, 3))
    return np.einsum("am,qmtg->qatg", shape.membership, full)


def _cube_frame(
    arrays: dict[str, np.ndarray], quarters: list[Quarter], shape: CubeShape
) -> pl.DataFrame:
    """Return dense cubes as rows in publication order, one block per quarter."""
    n_areas, n_themes, n_groups = shape.size
    per_area, cells = n_themes * n_groups, n_areas * n_themes * n_groups
    keys = pl.DataFrame(
        {
            "level": np.repeat(shape.area_levels, per_area),
            "area_code": np.repeat(shape.area_codes, per_area),
            "area_name": np.repeat(shape.area_names, per_area),
            "theme": np.tile(np.repeat(shape.themes, n_groups), n_areas),
            "target_group": np.tile(shape.target_groups, n_areas * n_themes),
        }
    )
    quarter_column = pl.Series("quarter", np.repeat([str(q) for q in quarters], cells))
    counts = pl.DataFrame(
        {name: values.reshape(-1) for name, values in arrays.items()},
        schema={name: pl.Int64 for name in arrays},
    )
    return (
        pl.concat([keys] * len(quarters))
        .with_columns(quarter_column, *counts)
        .select("quarter", *keys.columns, *counts.columns)
    )


def published_cells(
    reports: pl.DataFrame,
    quarter: Quarter,
    reference: Reference,
    threshold: int = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Return the quarter's cube after disclosure control (see `tasks.figures.suppress`).

    Args:
        reports: a report frame (any number of quarters).
        quarter: the quarter to publish.
        reference: the code lists that span the cube.
        threshold: the smallest count published.

    Returns:
        `theme_cube` rows with `suppressed`; counts null where it is true.
    """
    return suppressed_cells(theme_cube(reports, quarter, reference), threshold, reference)


def aggregates_table(cells: pl.DataFrame) -> pl.DataFrame:
    """Return published cells as the contract's `aggregates.csv` columns, in publication order."""
    return cells.select(
        pl.col(*AGGREGATE_COLUMNS[:6]).cast(pl.String),
        pl.col("reports", "clients_affected").cast(pl.Int64),
        pl.col("suppressed").cast(pl.Boolean),
    )


def quarter_trends(
    reports: pl.DataFrame,
    quarter: Quarter,
    reference: Reference,
    threshold: int = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Return each theme's published counts over the 8 quarters ending at `quarter`.

    Region and subregion level, target group `all`. Counts come from each
    quarter's published cube (null where it hides them); changes are null
    when either side is hidden. Status: `new` (0 published in each of the 4
    quarters before, some now), `rising` (at least +50 % and +5 reports on the
    previous quarter), `falling` (the mirror: at most two thirds and −5),
    `steady`, or null when the figures to compare are hidden.

    Args:
        reports: a report frame holding the 12 quarters ending at `quarter`
            (a quarter with no rows counts as no reports).
        quarter: the last quarter shown.
        reference: the code lists that span the cube.
        threshold: the smallest count published.

    Returns:
        quarter, level, area_code, area_name, theme, reports, suppressed,
        change_prev, change_year, status; by area, theme, then quarter.
    """
    shape = cube_shape(reference)
    quarters = [quarter.previous(n) for n in reversed(range(LOOKBACK_QUARTERS))]
    published = _published_counts(reports, quarters, shape, threshold)
    window = {str(q) for q in quarters[-TREND_QUARTERS:]}
    return (
        _trend_rows(published, quarters, shape)
        .with_columns(_changes())
        .with_columns(status=_status())
        .filter(pl.col("quarter").is_in(window))
        .drop("order", "prev_4")
    )


def _published_counts(
    reports: pl.DataFrame, quarters: list[Quarter], shape: CubeShape, threshold: int
) -> np.ndarray:
    """Return quarters × areas × themes report counts, NaN where the published cube hides them."""
    arrays = _cube_arrays(reports, quarters, shape)
    counts, clients = arrays["reports"], arrays["clients_affected"]
    published = counts.astype(float)
    for q in range(len(quarters)):
        if counts[q].any():
            published[q][suppression_mask(counts[q], clients[q], shape, threshold)] = np.nan
    return published[:, :, :, 0]


def _trend_rows(published: np.ndarray, quarters: list[Quarter], shape: CubeShape) -> pl.DataFrame:
    """Return region and subregion rows by area, theme and quarter (`order` is the quarter's)."""
    areas = [i for i, level in enumerate(shape.area_levels) if level != LEVELS[2]]
    n_quarters, n_themes = len(quarters), len(shape.themes)
    values = published[:, areas, :].transpose(1, 2, 0).reshape(-1)
    per_area = n_themes * n_quarters
    return pl.DataFrame(
        {
            "quarter": np.tile([str(q) for q in quarters], len(areas) * n_themes),
            "level": np.repeat([shape.area_levels[i] for i in areas], per_area),
            "area_code": np.repeat([shape.area_codes[i] for i in areas], per_area),
            "area_name": np.repeat([shape.area_names[i] for i in areas], per_area),
            "theme": np.tile(np.repeat(shape.themes, n_quarters), len(areas)),
            "reports": pl.Series(values, nan_to_null=True).cast(pl.Int64),
            "order": np.tile(np.arange(n_quarters), len(areas) * n_themes),
        }
    ).with_columns(suppressed=pl.col("reports").is_null())


def _changes() -> list[pl.Expr]:
    """Return change_prev, change_year and the sum of the four previous quarters."""
    reports = pl.col("reports")
    earlier = [reports.shift(n).over("area_code", "theme", order_by="order") for n in range(1, 5)]
    return [
        (reports - earlier[0]).alias("change_prev"),
        (reports - earlier[3]).alias("change_year"),
        pl.sum_horizontal(earlier, ignore_nulls=False).alias("prev_4"),
    ]


def _status() -> pl.Expr:
    """Return new / rising / falling / steady from published counts only, null when unknown."""
    now, change = pl.col("reports"), pl.col("change_prev")
    before = now - change
    return (
        pl.when(now.is_null())
        .then(None)
        .when((now > 0) & (pl.col("prev_4") == 0))
        .then(pl.lit("new"))
        .when(change.is_null())
        .then(None)
        .when((change >= RISING_MIN) & (now >= RISING_SHARE * before))
        .then(pl.lit("rising"))
        .when((change <= -RISING_MIN) & (now * RISING_SHARE <= before))
        .then(pl.lit("falling"))
        .otherwise(pl.lit("steady"))
    )


def _in_quarter(reports: pl.DataFrame, quarter: Quarter) -> pl.DataFrame:
    return reports.filter(_quarter_number("submitted_on") == _number(quarter))


def also_mentioned(
    reports: pl.DataFrame,
    quarter: Quarter,
    reference: Reference,
    threshold: int = DEFAULT_THRESHOLD,
) -> pl.DataFrame:
    """Return region-level counts of reports naming each theme as a secondary theme.

    No total is published for this table, so primary suppression is enough:
    `mentions` is null (and `suppressed` true) for counts 1 to `threshold - 1`.
    """
    counts = (
        _in_quarter(reports, quarter)
        .select(pl.col("secondary_themes").list.unique().explode().alias("theme"))
        .drop_nulls()
        .group_by("theme")
        .agg(mentions=pl.len().cast(pl.Int64))
    )
    return (
        reference.themes.select(
            pl.lit(str(quarter)).alias("quarter"), pl.col("code").alias("theme")
        )
        .join(counts, on="theme", how="left", maintain_order="left")
        .with_columns(pl.col("mentions").fill_null(0))
        .with_columns(suppressed=pl.col("mentions").is_between(1, threshold - 1))
        .with_columns(
            pl.when(pl.col("suppressed")).then(None).otherwise("mentions").alias("mentions")
        )
    )


def report_mix(
    reports: pl.DataFrame, quarter: Quarter, threshold: int = DEFAULT_THRESHOLD
) -> pl.DataFrame:
    """Return region-level counts by report type, urgency and addressee level.

    Each dimension sums to the quarter's total, which the cube publishes
    unless it is itself below `threshold`; so a lone hidden count gets the
    smallest other count of its dimension as a partner (`suppressed_parts`).
    """
    current = _in_quarter(reports, quarter)
    total_published = not 1 <= current.height < threshold
    frames = []
    for dimension, codes in MIX_DIMENSIONS.items():
        found = dict(current[dimension].value_counts().iter_rows())
        values = [found.get(code, 0) for code in codes]
        hidden = suppressed_parts(values, threshold, total_published)
        frames.append(
            pl.DataFrame(
                {
                    "quarter": [str(quarter)] * len(codes),
                    "dimension": [dimension] * len(codes),
                    "value": list(codes),
                    "reports": [None if h else v for v, h in zip(values, hidden, strict=True)],
                    "suppressed": hidden,
                },
                schema_overrides={"reports": pl.Int64, "suppressed": pl.Boolean},
            )
        )
    return pl.concat(frames)


def cell_lineage(reports: pl.DataFrame, quarter: Quarter, reference: Reference) -> pl.DataFrame:
    """Return one row per cube cell and report in it: the keys behind every figure.

    Every report sits in 12 cells: its municipality, subregion and the region,
    each under its theme and `all`, its target group and `all`. Rows are in
    publication order of the cells, then by municipality and report id.
    """
    shape = cube_shape(reference)
    _, n_themes, n_groups = shape.size
    positions = _cell_positions(_in_quarter(reports, quarter), shape, reference)
    keys = [
        positions.select(
            ((area * n_themes + theme) * n_groups + group).alias("cell"),
            "municipality_code",
            "report_id",
        )
        for area in (_TOP, pl.col("subregion"), pl.col("municipality"))
        for theme in (_TOP, pl.col("theme"))
        for group in (_TOP, pl.col("target_group"))
    ]
    return (
        pl.concat(keys)
        .sort("cell", maintain_order=True)
        .join(_cell_keys(quarter, shape), on="cell", how="left", maintain_order="left")
        .select(
            "quarter",
            "level",
            "area_code",
            "theme",
            "target_group",
            "municipality_code",
            "report_id",
        )
    )


def _cell_positions(rows: pl.DataFrame, shape: CubeShape, reference: Reference) -> pl.DataFrame:
    """Return each report's key with the axis positions of its municipality, subregion etc."""
    area = {code: i for i, code in enumerate(shape.area_codes)}
    subregion = {
        code: area[parent]
        for code, parent in reference.municipalities.select("code", "subregion_code").iter_rows()
    }
    return rows.sort("municipality_code", "report_id").select(
        "municipality_code",
        "report_id",
        _position("municipality_code", area).alias("municipality"),
        _position("municipality_code", subregion).alias("subregion"),
        _position("theme", {c: i for i, c in enumerate(shape.themes)}),
        _position("target_group", {c: i for i, c in enumerate(shape.target_groups)}),
    )


def _position(column: str, codes: dict[str, int]) -> pl.Expr:
    return pl.col(column).replace_strict(codes, return_dtype=pl.Int64)


def _cell_keys(quarter: Quarter, shape: CubeShape) -> pl.DataFrame:
    """Return the cube's cells with their flat position `cell`."""
    positions = {"cell": np.arange(int(np.prod(shape.size))).reshape(1, *shape.size)}
    return _cube_frame(positions, [quarter], shape).select(
        "cell", "quarter", "level", "area_code", "theme", "target_group"
    )
