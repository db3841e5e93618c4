"""Calendar quarters as the contract writes them (`2026Q3`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import polars as pl

HELSINKI = ZoneInfo("Europe/Helsinki")
_QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """One calendar quarter, ordered in time."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Return the quarter written as `YYYYQn`; raise ValueError on anything else."""
        match = _QUARTER_PATTERN.match(text.strip().upper())
        if match is None:
            raise ValueError(f"not a quarter: {text!r} (expected YYYYQn, for example 2026Q3)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Quarter:
        """Return the quarter that holds `day`."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def latest_complete(cls, now: datetime) -> Quarter:
        """Return the last quarter that has ended by `now`, in Europe/Helsinki."""
        return cls.of(now.astimezone(HELSINKI).date()).previous()

    @property
    def first_day(self) -> date:
        """Return the quarter's first day."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        """Return the quarter's last day."""
        following = self.next().first_day
        return date.fromordinal(following.toordinal() - 1)

    def previous(self, steps: int = 1) -> Quarter:
        """Return the quarter `steps` quarters earlier."""
        return self._shifted(-steps)

    def next(self, steps: int = 1) -> Quarter:
        """Return the quarter `steps` quarters later."""
        return self._shifted(steps)

    def _shifted(self, steps: int) -> Quarter:
        index = self.year * 4 + self.number - 1 + steps
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def quarter_of(column: str) -> pl.Expr:
    """Return the quarter of a date column as text, for example `2026Q3`."""
    day = pl.col(column)
    return pl.format("{}Q{}", day.dt.year(), day.dt.quarter())


def local_date(moment: datetime) -> date:
    """Return the calendar day of `moment` in Europe/Helsinki."""
    return moment.astimezone(HELSINKI).date()


def quarter_range(first: Quarter, last: Quarter) -> list[Quarter]:
    """Return every quarter from `first` to `last`, both included."""
    if last < first:
        raise ValueError(f"empty quarter range: {first} is after {last}")
    quarters = [first]
    while quarters[-1] < last:
        quarters.append(quarters[-1].next())
    return quarters
