"""An independent attack on a published `aggregates.csv`: which hidden values can be worked out?

The attacker knows what anyone outside knows: the CSV text and the public
list of municipalities with their subregions. It shares no code with
`tasks.figures.aggregate` or `tasks.figures.suppress`. For each quarter and each of the two
published measures (`reports`, `clients_affected`) it writes every additive
relation of the table: theme `all` = sum of the themes, target group `all` =
sum of the target groups, subregion = sum of its municipalities, region =
sum of the subregions, in every combination of the other two columns. The
suppressed cells are the unknowns, published cells are constants, and every
unknown is at least 0.

A value counts as recovered when linear programming (`scipy.optimize.linprog`,
HiGHS) pins it: its minimum and maximum over everything consistent with the
published figures are less than 0.5 apart, or enclose a single integer. That
covers subtraction within one relation, any combination across relations,
and bounds from non-negativity. To save solver calls, every solution found is
remembered: a cell already seen taking two integer-separated values cannot be
pinned, so its own minimum and maximum are only solved for when needed.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

MEASURES = ("reports", "clients_affected")
PUBLIC_MUNICIPALITIES = (
    Path(__file__).resolve().parents[3] / "schemas" / "reference" / "municipalities.csv"
)
_TOLERANCE = 1e-6
_PROBES = 6

Cell = tuple[str, str, str, str]  # level, area_code, theme, target_group


@dataclass(frozen=True)
class Recovery:
    """A suppressed value the attacker worked out."""

    quarter: str
    measure: str
    level: str
    area_code: str
    theme: str
    target_group: str
    low: float
    high: float


def public_subregions(path: Path = PUBLIC_MUNICIPALITIES) -> dict[str, str]:
    """Return municipality code → subregion code from the public code list."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["subregion_code"] for row in csv.DictReader(handle)}


def recovered_values(csv_text: str, subregion_of: dict[str, str]) -> list[Recovery]:
    """Return every suppressed value in `csv_text` that the published figures pin down."""
    by_quarter: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(csv_text)):
        by_quarter[row["quarter"]].append(row)
    return [
        recovery
        for quarter, rows in sorted(by_quarter.items())
        for measure in MEASURES
        for recovery in _attack(quarter, measure, rows, subregion_of)
    ]


def additive_relations(
    cells: set[Cell], subregion_of: dict[str, str]
) -> list[tuple[Cell, list[Cell]]]:
    """Return (total, parts) for every additive relation among the published cells."""
    themes = sorted({c[2] for c in cells} - {"all"})
    groups = sorted({c[3] for c in cells} - {"all"})
    areas = sorted({(c[0], c[1]) for c in cells})
    relations = []
    for level, area in areas:
        for group in [*groups, "all"]:
            parts = [(level, area, t, group) for t in themes]
            relations.append(((level, area, "all", group), parts))
        for theme in [*themes, "all"]:
            parts = [(level, area, theme, g) for g in groups]
            relations.append(((level, area, theme, "all"), parts))
    region = next(a for lv, a in areas if lv == "region")
    subregions = sorted(a for lv, a in areas if lv == "subregion")
    children = {s: sorted(m for m, p in subregion_of.items() if p == s) for s in subregions}
    for theme in [*themes, "all"]:
        for group in [*groups, "all"]:
            relations.append(
                (
                    ("region", region, theme, group),
                    [("subregion", s, theme, group) for s in subregions],
                )
            )
            for s in subregions:
                parts = [("municipality", m, theme, group) for m in children[s]]
                relations.append((("subregion", s, theme, group), parts))
    return [(total, parts) for total, parts in relations if total in cells]


def _attack(
    quarter: str, measure: str, rows: list[dict[str, str]], subregion_of: dict[str, str]
) -> list[Recovery]:
    """Return the recovered values of one measure in one quarter."""
    values: dict[Cell, int | None] = {}
    for row in rows:
        cell = (row["level"], row["area_code"], row["theme"], row["target_group"])
        values[cell] = None if row["suppressed"] == "true" else int(row[measure])
    unknowns = sorted(cell for cell, value in values.items() if value is None)
    if not unknowns:
        return []
    system = _equations(values, unknowns, additive_relations(set(values), subregion_of))
    low, high = _ranges(len(unknowns), *system)
    return [
        Recovery(quarter, measure, *cell, low=lo, high=hi)
        for cell, lo, hi in zip(unknowns, low, high, strict=True)
        if _pinned(lo, hi)
    ]


def _equations(
    values: dict[Cell, int | None],
    unknowns: list[Cell],
    relations: list[tuple[Cell, list[Cell]]],
) -> tuple[coo_matrix, np.ndarray]:
    """Return A, b with A x = b over the unknowns: one row per relation touching one."""
    column = {cell: i for i, cell in enumerate(unknowns)}
    rows, cols, coefficients, rhs = [], [], [], []
    for total, parts in relations:
        terms = [(total, -1.0)] + [(part, 1.0) for part in parts if part in values]
        if not any(cell in column for cell, _ in terms):
            continue
        constant = 0.0
        for cell, coefficient in terms:
            if cell in column:
                rows.append(len(rhs))
                cols.append(column[cell])
                coefficients.append(coefficient)
            else:
                constant -= coefficient * values[cell]
        rhs.append(constant)
    matrix = coo_matrix((coefficients, (rows, cols)), shape=(len(rhs), len(unknowns)))
    return matrix, np.array(rhs)


def _ranges(n: int, matrix: coo_matrix, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, per unknown, its minimum and maximum (only as far as needed to judge it)."""
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    equations = matrix.tocsr()
    rng = np.random.default_rng(0)

    def solve(objective: np.ndarray) -> float | None:
        result = linprog(objective, A_eq=equations, b_eq=rhs, bounds=(0, None), method="highs")
        if result.status == 3:  # unbounded: the cell can be as large as you like
            return None
        if result.status != 0:
            raise RuntimeError(f"the published relations are inconsistent: {result.message}")
        np.minimum(low, result.x, out=low)
        np.maximum(high, result.x, out=high)
        return float(result.fun)

    for _ in range(_PROBES):
        solve(rng.normal(size=n))
    for i in range(n):
        if _pinned(low[i], high[i]):
            unit = np.zeros(n)
            unit[i] = 1.0
            solve(unit)
            if _pinned(low[i], high[i]) and solve(-unit) is None:
                high[i] = np.inf
    return low, high


def _pinned(low: float, high: float) -> bool:
    """Return whether [low, high] leaves a single value (or a single integer) possible."""
    if high == np.inf:  # unbounded above
        return False
    if high - low < 0.5:  # includes nothing solved yet (low = inf, high = -inf)
        return True
    return math.floor(high + _TOLERANCE) - math.ceil(low - _TOLERANCE) < 1
