"""Disclosure control for the published cube: no suppressed value can be worked out.

The cube is a three-way table (area × theme × target group) in which every
margin is published too: theme `all` is the sum of the themes, target group
`all` the sum of the target groups, a subregion the sum of its municipalities
and the region the sum of the subregions, in every combination of the other
two axes. A count from 1 to `threshold - 1` is a *primary* cell. What an
attacker can do with the published file is linear algebra over the
suppressed cells (subtraction within one relation, combinations across
relations), bounded by non-negativity, and integer reasoning on top.

**The guarantee.** A suppressed cell is safe when a second table exists that
agrees with every published figure, stays non-negative and integral, and
holds a different value in that cell: then no method whatsoever (linear
algebra, linear programming, integer programming) can tell the two apart.
Such a second table is the published one plus a *direction* `d` that is
zero on every published cell and satisfies every additive relation.

**Hypercube directions.** Along one axis, the smallest moves that keep the
axis's sums are a pair of siblings (`+1` on theme A, `-1` on theme B: `all`
does not move), a part with its total (`+1` on theme A and on `all`), and on
the area axis a municipality with its subregion and the region (`+1` on
all three), two municipalities of one subregion (`+1`, `-1`) or of two
subregions (`+1` on one and its subregion, `-1` on the other and its). The
product of one such move per axis is a direction of the whole cube: a
hypercube of 8 to 16 cells whose signs alternate. Adding it, or its
opposite, to the table is feasible when every cell that goes down is at
least 1, so a hypercube with all its cells suppressed and one side at
least 1 (for `reports`, and for `clients_affected` with the same or the
opposite orientation) certifies every cell it touches.

**The algorithm** (a hypercube method in the manner of GHMITER). Suppress the
primary cells; then, as long as some suppressed cell is not certified, take
the first one in cube order and add the cheapest feasible hypercube through
it: least hidden reports among the cells it newly suppresses, then fewest new
cells, then the first in a fixed enumeration order, so the result is
deterministic. Its cells are certified by it, and a certificate stays valid
when more cells are suppressed later, so the loop ends with every suppressed
cell certified: the pattern is safe by construction, not by a later search.
Secondary cells may be zeros (a hidden zero hides no one); a suppressed
value is therefore any count from 0 up.

A hypercube through the grand total (region × `all` × `all`) is never added:
the quarter's number of reports stays published (unless it is itself 1–4),
which `report_mix` relies on. A feasible hypercube that avoids it always
exists for `reports`, and for `clients_affected` whenever the cell's sum is
positive; a cell whose `clients_affected` is 0 and that no hypercube can
move is left *exposed* (its zero may be deducible, but its count is not).

`suppressed_parts` protects a one-way table with a known total (the report
mix): a lone suppressed part gets the smallest other part as a partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from schemas.reference import REGION_CODE, REGION_NAMES, Reference, load_reference

ALL = "all"
LEVELS = ("region", "subregion", "municipality")
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
    cube: pl.DataFrame, threshold: int = 5, reference: Reference | None = None
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
    while (cell := state.next_uncertified()) is not None:
        state.protect(cell, shape)
    return state.suppressed[:-1].copy()


_REPORTS_LOW, _CLIENTS_LOW = 1, 2  # bits of _State.low


@dataclass
class _State:
    """The growing pattern: what is suppressed and which cells a hypercube certifies.

    Every array is the cube (areas × themes × groups) plus one padding area
    at the end: short area moves point at it with sign 0.
    """

    reports: np.ndarray  # counts
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
        return cls(counts, low, primary, done, done.copy(), order)

    def next_uncertified(self) -> tuple[int, int, int] | None:
        """Return the first suppressed cell, finest level first, that still needs a hypercube."""
        pending = (self.suppressed & ~(self.certified & self.clients_done)).ravel()[self.order]
        if not pending.any():
            return None
        cell = np.unravel_index(self.order[np.argmax(pending)], self.suppressed.shape)
        return tuple(int(i) for i in cell)

    def protect(self, cell: tuple[int, int, int], shape: CubeShape) -> None:
        """Add the cheapest feasible hypercube through `cell` and certify its cells."""
        cubes = _Hypercubes.through(cell, shape)
        fits_reports, fits_clients = cubes.movable(self.low)
        usable = fits_reports & (fits_clients | ~self.certified[cell])
        if not self.suppressed[0, 0, 0]:  # keep the quarter's total published
            usable &= ~cubes.grand
        if not usable.any():
            if not self.certified[cell]:
                raise RuntimeError(f"no feasible hypercube through cube cell {cell}")
            self.pair_leaves(cell, shape)
            return
        cost = cubes.total(self.weight())
        key = np.where(usable, cost * 2 + ~fits_clients, np.iinfo(np.int64).max)
        best = np.unravel_index(np.argmin(key), key.shape)
        cells = cubes.cells(best)
        self.suppressed[cells] = self.certified[cells] = True
        self.clients_done[cells] |= bool(fits_clients[best])

    def weight(self) -> np.ndarray:
        """Return what suppressing each cell costs: its reports, then one per new cell."""
        return (self.reports * 32 + 1) * ~self.suppressed

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
