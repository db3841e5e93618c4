"""Quarters parse, order and step across year boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from schemas.quarter import Quarter, local_date, quarter_range


def test_quarter_text_round_trips() -> None:
    assert str(Quarter.parse(" 2026q3 ")) == "2026Q3"


@pytest.mark.parametrize("text", ["2026Q5", "2026-3", "26Q3", "", "2026Q0"])
def test_malformed_quarter_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="YYYYQn"):
        Quarter.parse(text)


def test_quarters_step_across_year_boundaries() -> None:
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2026, 3).previous(4) == Quarter(2025, 3)


def test_quarter_bounds() -> None:
    assert Quarter(2024, 1).first_day == date(2024, 1, 1)
    assert Quarter(2024, 1).last_day == date(2024, 3, 31)
    assert Quarter(2026, 4).last_day == date(2026, 12, 31)


def test_latest_complete_quarter_follows_helsinki_time() -> None:
    just_after_new_year_in_helsinki = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)

    assert Quarter.latest_complete(just_after_new_year_in_helsinki) == Quarter(2026, 4)
    assert local_date(just_after_new_year_in_helsinki) == date(2027, 1, 1)


def test_quarter_range_includes_both_ends() -> None:
    quarters = quarter_range(Quarter(2025, 3), Quarter(2026, 2))

    assert [str(q) for q in quarters] == ["2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    with pytest.raises(ValueError, match="empty"):
        quarter_range(Quarter(2026, 2), Quarter(2025, 3))
