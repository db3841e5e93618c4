"""Disclosure control for the published cube: no suppressed value can be worked out.

The cube (area × theme × target group, one quarter) publishes every margin:
theme `all` is the sum of the themes, target group `all` the sum of the
target groups, a subregion the sum of its municipalities and the region the
sum of the subregions, in every combination of the other two axes. A count
from 1 to `threshold - 1` is a *primary* cell. An attacker holding the
published file can do linear algebra over the suppressed cells (subtraction
within one relation, combinations across relations), bound it with
non-negativity and round the bounds (tests/tasks/attacker.py does exactly
that, independently of this module).

**Certificates.** A hidden value is safe when a second table agrees with
every published figure, stays non-negative and differs from the true one
in that value by at least 1: the attacker's bounds then lie at least 1
apart and hold two integers. The second table is the true one plus a
*direction*: a change that is zero on every published cell and keeps every
additive relation. Every suppressed cell gets a direction for `reports` and
one for `clients_affected` (each measure is attacked on its own); a
direction stays valid when more cells are suppressed later, so certificates
are collected once and the pattern only grows.

**Hypercubes.** Along one axis the smallest moves that keep its sums are
two siblings (+1 on theme A, −1 on theme B: `all` stays), a part with its
total (+1 on theme A and on `all`), and on the area axis a municipality
with its subregion and the region, two municipalities of one subregion, or
two of different subregions each with its subregion. One move per axis,
multiplied, is a direction of the cube: a hypercube of 8 to 16 cells with
alternating signs. Adding it or its opposite keeps the table non-negative
when the side that goes down has no zero; such an integral ±1 direction
defeats integer reasoning as well.

**The algorithm** (a hypercube method in the manner of GHMITER in τ-ARGUS):

1. Suppress the primary cells.
2. While a suppressed cell has no `reports` certificate (municipalities
   first, then subregions, the region last, each in cube order), add the
   cheapest feasible hypercube through it: fewest hidden reports among the
   cells it newly suppresses (10 more when it cannot move
   `clients_affected` too, since that costs a second step), then fewest new
   cells, then the first in a fixed enumeration. It certifies all its
   cells, for `clients_affected` as well when it fits those sums.
3. A linear program looks for one direction inside the pattern that keeps
   every `clients_affected` non-negative and raises as many uncertified
   sums as it can by at least 1; it is repeated while it helps. Cells it
   cannot raise get a hypercube that fits both counts (1, then 2, 4, …
   cells per round before the next program) or, when there is none, a
   pair of leaves: +1 on a leaf under the cell and −1 on a leaf with an
   estimate; the totals holding exactly one of the two are suppressed.
   Back to step 2 until every suppressed cell is certified.

Secondary cells may be zeros (a hidden zero hides no one, and no attacker
may assume a hidden cell is at least 1). A hypercube through the grand
total (region × `all` × `all`) is never added: the quarter's number of
reports stays published unless it is itself below the threshold, which
`report_mix` relies on; for a cell of at least 1 report a hypercube avoiding
it always exists (the cell with its ancestors against a sibling).

Limits: certificates from hypercubes and leaf pairs are integral; those
from the linear program are real-valued, so they defeat linear programming
with rounding (the audit's attacker) but are not proved against a full
integer program. When no report of the quarter gave an estimate, every
`clients_affected` is 0 and the published region total already says so.
The two measures are certified separately; an attacker combining them
("no reports means no clients") is not modelled.

`suppressed_parts` protects a one-way table with a published total (the
report mix): a lone hidden part gets the smallest other part as a partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl
from scipy import sparse
from scipy.optimize import linprog

from schemas.cells import DEFAULT_THRESHOLD, LEVELS
from schemas.reference import REGION_CODE, REGION_NAMES, Reference, load_reference

ALL = "all"
COUNT_COLUMNS = ("reports", "clients_affected", "clients_missing")
_AREA_WIDTH = 4  # the longest area move: two municipalities with their subregions


@dataclass(frozen=True, eq=False)
class CubeShape:
    """The cube's axes in publication order: areas, themes and target groups, `all` first."""

    area_codes: tuple[str, ...]
    area_levels: tuple[str, ...]
    area_names: tuple[str, ...]
    area_parents: tuple[int, ...]  # index of the enclosing area; -1 for the region
    themes: tuple[str, ...]
    target_groups: tuple[str, ...]

    @property
    def size(self) -> tuple[int, int, int]:
        """Return the number of areas, themes and target groups (`all` included)."""
        return len(self.area_codes), len(self.themes), len(self.target_groups)

    @property
    def municipalities(self) -> list[int]:
        """Return the area indices of the municipalities (the leaves of the area hierarchy)."""
        return [i for i, level in enumerate(self.area_levels) if level == LEVELS[2]]

    @cached_property
    def membership(self) -> np.ndarray:
        """Return an areas × municipalities 0/1 matrix: which municipalities each area sums."""
        matrix = np.zeros((len(self.area_codes), len(self.municipalities)), dtype=np.int64)
        for column, area in enumerate(self.municipalities):
            for ancestor in self._ancestors(area):
                matrix[ancestor, column] = 1
        return matrix

    def _ancestors(self, area: int) -> list[int]:
        chain = [area]
        while self.area_parents[chain[-1]] >= 0:
            chain.append(self.area_parents[chain[-1]])
        return chain

    @cached_property
    def leaf_ancestors(self) -> np.ndarray:
        """Return, per leaf (municipality × theme × group), the 12 cells that sum it, leaf first."""
        leaves = [
            [(a, t, g) for a in self._ancestors(m) for t in (theme, 0) for g in (group, 0)]
            for m in self.municipalities
            for theme in range(1, len(self.themes))
            for group in range(1, len(self.target_groups))
        ]
        return np.array(leaves, dtype=np.int64)

    @cached_property
    def relations(self) -> sparse.csr_array:
        """Return every additive relation as a row over the flat cube: parts +1, total −1."""
        index = np.arange(int(np.prod(self.size))).reshape(self.size)
        n_themes, n_groups = self.size[1] - 1, self.size[2] - 1
        groups = [  # (totals, parts): one relation per total
            (index[:, 0, :].ravel(), index[:, 1:, :].transpose(0, 2, 1).reshape(-1, n_themes)),
            (index[:, :, 0].ravel(), index[:, :, 1:].reshape(-1, n_groups)),
        ]
        for parent in sorted(set(self.area_parents) - {-1}):
            children = [a for a, p in enumerate(self.area_parents) if p == parent]
            groups.append((index[parent].ravel(), index[children].reshape(len(children), -1).T))
        return _relation_matrix(groups, index.size)

    @cached_property
    def moves(self) -> tuple[list[_Moves], list[_Moves], list[_Moves]]:
        """Return, per axis and coordinate, every elementary move through that coordinate."""
        areas = [_area_moves(self, area) for area in range(len(self.area_codes))]
        return areas, _category_moves(len(self.themes)), _category_moves(len(self.target_groups))


@dataclass(frozen=True)
class _Moves:
    """Elementary moves along one axis: coordinates and signs, padded with sign 0."""

    index: np.ndarray  # (moves, width) int
    sign: np.ndarray  # (moves, width) int, 0 where padded


def cube_shape(reference: Reference) -> CubeShape:
    """Return the cube's axes: the region, its subregions by code, municipalities by code."""
    subregions = reference.subregions()
    municipalities = reference.municipalities.sort("code")
    sub_codes = subregions["subregion_code"].to_list()
    position = {code: 1 + i for i, code in enumerate(sub_codes)}
    levels = [LEVELS[0]] + [LEVELS[1]] * len(sub_codes) + [LEVELS[2]] * municipalities.height
    parents = [-1] + [0] * len(sub_codes) + [position[c] for c in municipalities["subregion_code"]]
    return CubeShape(
        area_codes=(REGION_CODE, *sub_codes, *municipalities["code"]),
        area_levels=tuple(levels),
        area_names=(REGION_NAMES["fi"], *subregions["subregion_fi"], *municipalities["name_fi"]),
        area_parents=tuple(parents),
        themes=(ALL, *reference.theme_codes),
        target_groups=(ALL, *reference.target_group_codes),
    )


def _relation_matrix(groups: list[tuple[np.ndarray, np.ndarray]], size: int) -> sparse.csr_array:
    """Return one row per total: −1 on the total, +1 on each of its parts."""
    rows, columns, values, count = [], [], [], 0
    for totals, parts in groups:
        ids = count + np.arange(totals.size)
        rows += [ids, np.repeat(ids, parts.shape[1])]
        columns += [totals, parts.ravel()]
        values += [-np.ones(totals.size), np.ones(parts.size)]
        count += totals.size
    entries = (np.concatenate(values), (np.concatenate(rows), np.concatenate(columns)))
    return sparse.csr_array(entries, shape=(count, size))


def _category_moves(size: int) -> list[_Moves]:
    """Return the moves of a flat axis (index 0 is `all`): part with total, or two siblings."""
    total = [[0, j] for j in range(1, size)]
    moves = [_Moves(np.array(total, np.int32), np.ones((size - 1, 2), np.int8))]
    for i in range(1, size):
        index = [[i, 0]] + [[i, j] for j in range(1, size) if j != i]
        sign = [[1, 1]] + [[1, -1]] * (size - 2)
        moves.append(_Moves(np.array(index, np.int32), np.array(sign, np.int8)))
    return moves


def _area_moves(shape: CubeShape, area: int) -> _Moves:
    """Return every elementary area move that changes `area` (its own sign is +1)."""
    parents, municipalities = shape.area_parents, shape.municipalities
    rows: list[tuple[list[int], list[int]]] = []
    for m in municipalities:
        chain = shape._ancestors(m)
        if area in chain:
            rows.append((chain, [1] * len(chain)))
        for other in municipalities:
            if other == m or area not in chain:
                continue
            if parents[other] == parents[m] and area == m:
                rows.append(([m, other], [1, -1]))
            elif parents[other] != parents[m] and area != 0:
                rows.append(([m, parents[m], other, parents[other]], [1, 1, -1, -1]))
    return _padded(rows, len(shape.area_codes))


def _padded(rows: list[tuple[list[int], list[int]]], padding: int) -> _Moves:
    """Return moves as arrays, short ones padded with the virtual area `padding` and sign 0."""
    index = np.full((len(rows), _AREA_WIDTH), padding, dtype=np.int32)
    sign = np.zeros((len(rows), _AREA_WIDTH), dtype=np.int8)
    for row, (cells, signs) in enumerate(rows):
        index[row, : len(cells)] = cells
        sign[row, : len(signs)] = signs
    return _Moves(index, sign)


def suppressed_cells(
    cube: pl.DataFrame, threshold: int = DEFAULT_THRESHOLD, reference: Reference | None = None
) -> pl.DataFrame:
    """Return the cube with `suppressed` added and every suppressed count made null.

    Args:
        cube: a `theme_cube` frame, one or more quarters, every cell present once.
        threshold: the smallest count published; 1 to `threshold - 1` are primary cells.
        reference: the code lists the cube was built from (the packaged ones by default).

    Returns:
        The same rows in the same order, `reports`, `clients_affected` and
        `clients_missing` null where `suppressed` is true.
    """
    shape = cube_shape(reference or load_reference())
    flat = _flat_index(cube, shape)
    reports, clients = cube["reports"].to_numpy(), cube["clients_affected"].to_numpy()
    mask = np.zeros(cube.height, dtype=bool)
    for quarter in cube["quarter"].unique().sort():
        rows = np.flatnonzero((cube["quarter"] == quarter).to_numpy())
        dense = [_dense(values[rows], flat[rows], shape) for values in (reports, clients)]
        mask[rows] = suppression_mask(*dense, shape, threshold).ravel()[flat[rows]]
    hidden = pl.Series("suppressed", mask)
    counts = [name for name in COUNT_COLUMNS if name in cube.columns]
    return cube.with_columns(
        *(pl.when(hidden).then(None).otherwise(pl.col(name)).alias(name) for name in counts),
        hidden,
    )


def _flat_index(cube: pl.DataFrame, shape: CubeShape) -> np.ndarray:
    """Return each row's position in the dense area × theme × target-group array."""
    if cube.select(pl.col("reports", "clients_affected").null_count()).sum_horizontal().item():
        raise ValueError("cube counts must not be null before suppression")
    _, n_themes, n_groups = shape.size
    index = {
        name: cube[name].replace_strict(
            {code: i for i, code in enumerate(codes)}, default=None, return_dtype=pl.Int64
        )
        for name, codes in (
            ("area_code", shape.area_codes),
            ("theme", shape.themes),
            ("target_group", shape.target_groups),
        )
    }
    unknown = [name for name, values in index.items() if values.null_count()]
    if unknown:
        raise ValueError(f"cube holds codes outside the reference lists in: {', '.join(unknown)}")
    flat = (index["area_code"] * n_themes + index["theme"]) * n_groups + index["target_group"]
    _check_complete(cube["quarter"], flat, shape)
    return flat.to_numpy()


def _check_complete(quarters: pl.Series, flat: pl.Series, shape: CubeShape) -> None:
    counts = pl.DataFrame({"quarter": quarters, "cell": flat}).group_by("quarter", "cell").len()
    expected = quarters.n_unique() * int(np.prod(shape.size))
    if counts.height != expected or counts.height != quarters.len():
        raise ValueError("cube must hold every area × theme × target group once per quarter")


def _dense(values: np.ndarray, flat: np.ndarray, shape: CubeShape) -> np.ndarray:
    dense = np.zeros(int(np.prod(shape.size)), dtype=np.int64)
    dense[flat] = values
    return dense.reshape(shape.size)


def suppression_mask(
    reports: np.ndarray, clients: np.ndarray, shape: CubeShape, threshold: int
) -> np.ndarray:
    """Return the suppressed cells of one quarter's dense cube (areas × themes × groups)."""
    state = _State.start(reports, clients, shape, threshold)
    batch = 1
    while True:
        while (cell := state.next_uncertified()) is not None:
            state.protect(cell, shape)
        if not state.lift_clients(shape):
            return state.suppressed[:-1].copy()
        for _ in range(batch):  # cells no direction inside the pattern can raise
            if (cell := state.next_unlifted()) is None:
                break
            state.protect(cell, shape, clients=True)
        batch *= 2


_REPORTS_LOW, _CLIENTS_LOW = 1, 2  # bits of _State.low
_REPORT_WEIGHT = 32  # a hidden report outweighs any number of new cells in one hypercube (≤ 16)
_CLIENTS_PENALTY = 10  # reports: a hypercube that cannot move clients_affected needs a 2nd step


@dataclass
class _State:
    """The growing pattern: what is suppressed and which cells a hypercube certifies.

    Every array is the cube (areas × themes × groups) plus one padding area
    at the end: short area moves point at it with sign 0.
    """

    reports: np.ndarray  # counts
    clients: np.ndarray  # sums of clients_affected
    low: np.ndarray  # uint8 bits: reports < 1, clients_affected < 1
    suppressed: np.ndarray
    certified: np.ndarray  # a hypercube moves its reports
    clients_done: np.ndarray  # a hypercube moves its clients, or none can (exposed)
    order: np.ndarray  # flat cells, municipalities first, then subregions, then the region

    @classmethod
    def start(
        cls, reports: np.ndarray, clients: np.ndarray, shape: CubeShape, threshold: int
    ) -> _State:
        """Return the state after primary suppression."""
        padding = np.zeros((1, *reports.shape[1:]), dtype=np.int64)
        counts, sums = (np.concatenate([cube, padding]) for cube in (reports, clients))
        low = ((counts < 1) * _REPORTS_LOW + (sums < 1) * _CLIENTS_LOW).astype(np.uint8)
        primary = (counts >= 1) & (counts < threshold)
        done = np.zeros_like(primary)
        primary[-1] = done[-1] = True  # padding: never new, never pending
        rank = np.array([-LEVELS.index(level) for level in shape.area_levels] + [0])
        order = np.argsort(np.repeat(rank, reports[0].size), kind="stable")
        return cls(counts, sums, low, primary, done, done.copy(), order)

    def next_uncertified(self) -> tuple[int, int, int] | None:
        """Return the first suppressed cell, finest level first, whose reports lack a hypercube."""
        return self._first((self.suppressed & ~self.certified).ravel())

    def _first(self, pending: np.ndarray) -> tuple[int, int, int] | None:
        ordered = pending[self.order]
        if not ordered.any():
            return None
        cell = np.unravel_index(self.order[np.argmax(ordered)], self.suppressed.shape)
        return tuple(int(i) for i in cell)

    def protect(self, cell: tuple[int, int, int], shape: CubeShape, clients: bool = False) -> None:
        """Add the cheapest feasible hypercube through `cell` (for both counts if `clients`)."""
        cubes = _Hypercubes.through(cell, shape)
        fits_reports, fits_clients = cubes.movable(self.low)
        usable = fits_reports & fits_clients if clients else fits_reports
        if not self.suppressed[0, 0, 0]:  # keep the quarter's total published
            usable &= ~cubes.grand
        if not usable.any():
            if not clients:
                raise RuntimeError(f"no feasible hypercube through cube cell {cell}")
            self.pair_leaves(cell, shape)
            return
        penalty = ~fits_clients * (_CLIENTS_PENALTY * _REPORT_WEIGHT)
        key = 2 * (cubes.total(self.weight()) + penalty) + ~fits_clients
        key = np.where(usable, key, np.iinfo(np.int64).max)
        best = np.unravel_index(np.argmin(key), key.shape)
        cells = cubes.cells(best)
        self.suppressed[cells] = self.certified[cells] = True
        self.clients_done[cells] |= bool(fits_clients[best])

    def next_unlifted(self) -> tuple[int, int, int] | None:
        """Return the first suppressed cell whose clients no certificate moves yet."""
        return self._first((self.suppressed & ~self.clients_done).ravel())

    def lift_clients(self, shape: CubeShape) -> bool:
        """Certify clients by directions inside the pattern; return whether some cells need more.

        Linear programming looks for one direction, zero on every published
        cell, that keeps every `clients_affected` non-negative and raises as
        many uncertified cells as it can by at least 1; repeated while it helps.
        """
        cube = self.suppressed.shape
        while (pending := self.suppressed & ~self.clients_done).any():
            raised = _raised(shape.relations, self.suppressed[:-1], self.clients[:-1], pending[:-1])
            if not raised.any():
                return True
            self.clients_done[np.unravel_index(raised, cube)] = True
        return False

    def weight(self) -> np.ndarray:
        """Return what suppressing each cell costs: its reports first, then 1 for the cell."""
        return (self.reports * _REPORT_WEIGHT + 1) * ~self.suppressed

    def pair_leaves(self, cell: tuple[int, int, int], shape: CubeShape) -> None:
        """Certify a zero `clients_affected` that no hypercube can move, by two leaves.

        +1 on a leaf under `cell` and −1 on a leaf with clients elsewhere move
        exactly the totals holding one of the two but not both. The cells that go
        down sum the second leaf, which has clients and so at least one report:
        the move certifies all of them for both counts. The cheapest pair wins.
        """
        leaves = shape.leaf_ancestors  # (leaves, 12, 3)
        given = np.flatnonzero((self.low[tuple(leaves[:, 0].T)] & _CLIENTS_LOW) == 0)
        if not given.size:  # no estimate in the whole quarter: every sum is a published 0
            self.clients_done[cell] = True
            return
        first = leaves[np.flatnonzero((leaves == cell).all(axis=2).any(axis=1))[0]]
        weight = self.weight()
        own = (leaves[given][:, :, None, :] == first[None, None, :, :]).all(axis=3).any(axis=1)
        cost = weight[tuple(leaves[given].T)].sum(axis=0) - 2 * own @ weight[tuple(first.T)]
        second = leaves[given[np.argmin(cost)]]
        cells = {tuple(c) for c in first} ^ {tuple(c) for c in second}
        support = tuple(np.array(sorted(cells)).T)
        self.suppressed[support] = self.certified[support] = self.clients_done[support] = True


def _raised(
    relations: sparse.csr_array, suppressed: np.ndarray, clients: np.ndarray, pending: np.ndarray
) -> np.ndarray:
    """Return the flat pending cells that one feasible clients direction raises by at least 1.

    Variables: the direction `d` on every suppressed cell (at least −clients,
    so no sum goes negative) and `y` ≤ min(d, 1) on the pending cells; the
    relations keep every published total unchanged. Maximise Σ y.
    """
    hidden = np.flatnonzero(suppressed.ravel())
    targets = np.flatnonzero(pending.ravel()[hidden])
    n, k = hidden.size, targets.size
    equations = relations[:, hidden]
    equations = equations[np.diff(equations.indptr) > 0]
    y_below_d = sparse.hstack(
        [
            sparse.csr_array((-np.ones(k), (np.arange(k), targets)), shape=(k, n)),
            sparse.eye_array(k),
        ]
    )
    result = linprog(
        np.r_[np.zeros(n), -np.ones(k)],
        A_ub=y_below_d,
        b_ub=np.zeros(k),
        A_eq=sparse.hstack([equations, sparse.csr_array((equations.shape[0], k))]),
        b_eq=np.zeros(equations.shape[0]),
        bounds=np.r_[
            np.c_[-clients.ravel()[hidden], np.full(n, np.inf)], np.c_[np.zeros(k), np.ones(k)]
        ],
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"clients direction search failed: {result.message}")
    return hidden[targets[result.x[n:] > 1 - 1e-6]]


@dataclass(frozen=True)
class _Hypercubes:
    """Every hypercube through one cell, as an (area move × theme move × group move) grid.

    A hypercube's cells are its area coordinates (up to 4) × 4 corners: the
    cell's own theme and group, the theme partner, the group partner, both.
    """

    cell: tuple[int, int, int]
    areas: _Moves  # (n_area_moves, 4)
    themes: _Moves  # (n_theme_moves, 2): the cell's theme and its partner
    groups: _Moves  # (n_group_moves, 2)

    @classmethod
    def through(cls, cell: tuple[int, int, int], shape: CubeShape) -> _Hypercubes:
        """Return the hypercubes through `cell`."""
        area_moves, theme_moves, group_moves = shape.moves
        return cls(cell, area_moves[cell[0]], theme_moves[cell[1]], group_moves[cell[2]])

    def _corners(self, cube: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return (values per area × theme move × group move, corner sign) for the 4 corners."""
        _, theme, group = self.cell
        partner_t, partner_g = self.themes.index[:, 1], self.groups.index[:, 1]
        sign_t = self.themes.sign[None, :, None, 1]
        sign_g = self.groups.sign[None, None, :, 1]
        return [
            (cube[:, theme, group][:, None, None], np.ones((1, 1, 1), np.int8)),
            (cube[:, partner_t, group][:, :, None], sign_t),
            (cube[:, theme, partner_g][:, None, :], sign_g),
            (cube[:, partner_t][:, :, partner_g], sign_t * sign_g),
        ]

    def movable(self, low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return, for reports and for clients, whether the hypercube or its opposite fits.

        Adding it lowers its −1 cells, subtracting it lowers its +1 cells: one of
        the two keeps every cell non-negative when that side has no zero.
        """
        on_minus, on_plus = self._low_sides(low)
        return tuple(
            ((on_minus & bit) == 0) | ((on_plus & bit) == 0) for bit in (_REPORTS_LOW, _CLIENTS_LOW)
        )

    def _low_sides(self, low: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the low bits found among each hypercube's −1 cells and among its +1 cells."""
        area_plus, area_minus = self.areas.sign > 0, self.areas.sign < 0
        on_minus = on_plus = np.uint8(0)
        for values, corner_sign in self._corners(low):
            plus = minus = np.uint8(0)
            for position, area in enumerate(self.areas.index.T):
                found = values[area]
                plus = plus | found * area_plus[:, position, None, None]
                minus = minus | found * area_minus[:, position, None, None]
            corner_plus, corner_minus = corner_sign > 0, corner_sign < 0
            on_minus = on_minus | plus * corner_minus | minus * corner_plus
            on_plus = on_plus | plus * corner_plus | minus * corner_minus
        return on_minus, on_plus

    def total(self, cube: np.ndarray) -> np.ndarray:
        """Return, per hypercube, the sum of `cube` over its cells (padding holds 0)."""
        result = 0
        for values, _ in self._corners(cube):
            for area in self.areas.index.T:
                result = result + values[area]
        return result

    @property
    def grand(self) -> np.ndarray:
        """Return whether each hypercube holds the grand total (region × all × all)."""
        region = ((self.areas.index == 0) & (self.areas.sign != 0)).any(axis=1)
        all_theme = (self.themes.index == 0).any(axis=1)
        all_group = (self.groups.index == 0).any(axis=1)
        return region[:, None, None] & all_theme[None, :, None] & all_group[None, None, :]

    def cells(self, best: tuple[np.intp, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the cells of hypercube `best` as index arrays into the cube."""
        a, t, g = best
        areas = self.areas.index[a][self.areas.sign[a] != 0]
        theme, group = self.themes.index[t], self.groups.index[g]
        grid = np.array([(x, y, z) for x in areas for y in theme for z in group])
        return grid[:, 0], grid[:, 1], grid[:, 2]


def suppressed_parts(values: list[int], threshold: int, total_published: bool) -> list[bool]:
    """Return which parts of a one-way table to hide so that none can be worked out.

    Primary parts (1 to `threshold - 1`) are hidden; when the total is published
    and exactly one part is hidden, the smallest other part (the first on a tie)
    is hidden with it, so the hidden parts' known sum never pins one of them.
    """
    hidden = [1 <= value < threshold for value in values]
    if total_published and sum(hidden) == 1 and len(values) > 1:
        partner = min((v, i) for i, v in enumerate(values) if not hidden[i])[1]
        hidden[partner] = True
    return hidden
