"""followup.csv: every combination counted, small counts hidden so that none can be worked out."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, date, datetime

import polars as pl

from schemas.fields import ADDRESSEE_LEVELS
from schemas.quarter import Quarter
from schemas.reference import load_reference
from schemas.responses import DECISION_STATUSES, FOLLOWUP_STATUSES, STATUSES
from tasks.figures.followup import (
    followup_quarters,
    followup_table,
    latest_responses,
    proposal_states,
)
from tests.tasks.figures.attacker import _equations, _pinned, _ranges

Q = Quarter(2027, 1)
THEMES = load_reference().theme_codes


def _proposals(count: int, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    quarters = followup_quarters(Q, 9)  # one quarter too old to count
    rows = []
    for n in range(count):
        quarter = Quarter.parse(rng.choice(quarters))
        rows.append(
            {
                "municipality_code": rng.choice(["698", "851", "148"]),
                "report_id": f"R{n}",
                "quarter": str(quarter),
                "submitted_on": quarter.first_day,
                "theme": rng.choice(THEMES[:4]),
                "addressee_level": rng.choice(ADDRESSEE_LEVELS),
                "urgency": rng.choice(["low", "medium", "high"]),
                "proposal": "Ehdotus.",
            }
        )
    return pl.DataFrame(rows)


def _responses(proposals: pl.DataFrame, seed: int) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for seq, key in enumerate(proposals.select("municipality_code", "report_id").rows(), start=1):
        for line in range(rng.choice([0, 0, 1, 2])):
            decided = rng.choice([None, date(2026, rng.randint(1, 12), 1)])
            rows.append(
                {
                    "municipality_code": key[0],
                    "report_id": key[1],
                    "status": rng.choice(STATUSES),
                    "decision_ref": None,
                    "decided_on": decided,
                    "response": None,
                    "responder_role": None,
                    "received_at": datetime(2027, 1, 2, tzinfo=UTC),
                    "delivery_seq": seq,
                    "row_number": line + 2,
                }
            )
    return pl.DataFrame(rows)


def _expected_status(responses: pl.DataFrame, key: tuple[str, str]) -> str:
    """Latest by decided_on (no date first), then delivery order; written out plainly."""
    own = [
        r
        for r in responses.iter_rows(named=True)
        if (r["municipality_code"], r["report_id"]) == key
    ]
    if not own:
        return "open"
    own.sort(key=lambda r: (r["decided_on"] or date.min, r["delivery_seq"], r["row_number"]))
    return own[-1]["status"]


def test_counts_follow_the_latest_response_of_each_proposal_of_eight_quarters() -> None:
    proposals = _proposals(300, seed=1)
    responses = _responses(proposals, seed=2)
    states = proposal_states(proposals, responses, followup_quarters(Q))
    table = followup_table(states, Q, THEMES, threshold=2)  # 2: only ones hidden

    expected: dict[tuple[str, str, str], int] = {}
    for row in proposals.iter_rows(named=True):
        if row["quarter"] not in followup_quarters(Q):
            continue
        status = _expected_status(responses, (row["municipality_code"], row["report_id"]))
        for theme in (row["theme"], "all"):
            cell = (row["addressee_level"], theme, status)
            expected[cell] = expected.get(cell, 0) + 1
    published = {
        (r["addressee_level"], r["theme"], r["status"]): r["proposals"]
        for r in table.iter_rows(named=True)
        if not r["suppressed"]
    }
    assert table.height == len(ADDRESSEE_LEVELS) * (len(THEMES) + 1) * len(FOLLOWUP_STATUSES)
    assert published
    for cell, value in published.items():
        assert value == expected.get(cell, 0), cell


def test_latest_response_by_decision_date_then_delivery_order() -> None:
    responses = _responses(_proposals(200, seed=3), seed=4)
    latest = latest_responses(responses)
    for row in latest.iter_rows(named=True):
        key = (row["municipality_code"], row["report_id"])
        assert row["status"] == _expected_status(responses, key)


def test_no_suppressed_count_of_followup_csv_can_be_worked_out() -> None:
    for seed in range(6):
        proposals = _proposals(120, seed=seed)
        states = proposal_states(proposals, _responses(proposals, seed), followup_quarters(Q))
        table = followup_table(states, Q, THEMES, threshold=5)
        text = table.write_csv()
        rows = list(csv.DictReader(io.StringIO(text)))
        values = {
            (r["addressee_level"], r["status"], r["theme"]): (
                None if r["suppressed"] == "true" else int(r["proposals"])
            )
            for r in rows
        }
        assert all(v is None or v == 0 or v >= 5 for v in values.values())
        unknowns = sorted(cell for cell, v in values.items() if v is None)
        if not unknowns:
            continue
        relations = [
            ((level, status, "all"), [(level, status, t) for t in THEMES])
            for level in ADDRESSEE_LEVELS
            for status in FOLLOWUP_STATUSES
        ]
        low, high = _ranges(len(unknowns), *_equations(values, unknowns, relations))
        pinned = [c for c, lo, hi in zip(unknowns, low, high, strict=True) if _pinned(lo, hi)]
        assert pinned == [], seed


def _expected_days(proposal: dict, responses: pl.DataFrame) -> tuple[int | None, int | None]:
    """Days from report to first response and to first decision, written out plainly.

    A response's day is its decision's day when it names an earlier one, else the day its
    sheet was received (in Helsinki).
    """
    key = (proposal["municipality_code"], proposal["report_id"])
    days = [
        (min(r["decided_on"] or date.max, date(2027, 1, 2)), r["status"])
        for r in responses.iter_rows(named=True)
        if (r["municipality_code"], r["report_id"]) == key
    ]
    first = min((day for day, _ in days), default=None)
    decided = min((day for day, status in days if status in DECISION_STATUSES), default=None)
    since = proposal["submitted_on"]
    return (
        (first - since).days if first else None,
        (decided - since).days if decided else None,
    )


def test_days_to_first_response_and_to_decision_count_from_the_report() -> None:
    proposals = _proposals(200, seed=5)
    responses = _responses(proposals, seed=6)
    states = proposal_states(proposals, responses, followup_quarters(Q, 9))

    expected = {
        row["report_id"]: _expected_days(row, responses) for row in proposals.iter_rows(named=True)
    }
    found = {
        row["report_id"]: (row["days_to_response"], row["days_to_decision"])
        for row in states.iter_rows(named=True)
    }
    assert found == expected
    assert any(days[1] is not None for days in found.values())
