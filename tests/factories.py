"""Tiny typed frames for tests, written where they are used."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from schemas.fields import LINEAGE_DTYPES, REPORT_DTYPES

PHENOMENON = "Asiakkaiden matkat palveluihin ovat pitkiä ja kalliita."


def report_row(report_id: str, **overrides: Any) -> dict[str, Any]:
    """Return one valid report as a dict of typed values, with `overrides` applied."""
    submitted = overrides.get("submitted_on", date(2026, 8, 3))
    row = {
        "report_id": report_id,
        "municipality_code": "698",
        "submitted_on": submitted,
        "updated_at": datetime(submitted.year, submitted.month, submitted.day, 9, tzinfo=UTC),
        "reporter_role": "social_worker",
        "theme": "mobility",
        "secondary_themes": [],
        "target_group": "older_people",
        "clients_affected": 3,
        "phenomenon": PHENOMENON,
        "causes": None,
        "consequences": None,
        "proposal": None,
        "addressee_level": "welfare_region",
        "urgency": "medium",
        "consent_to_quote": False,
        "report_type": "problem",
        "language": "fi",
        "source_id": "698-sql",
        "delivery": "698-sql:test",
        "delivery_sha256": "0" * 64,
        "delivery_seq": 1,
        "row_number": 1,
    }
    return row | overrides


def report_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Return a typed report frame (contract fields and lineage) from row dicts."""
    return pl.DataFrame(rows, schema=REPORT_DTYPES | LINEAGE_DTYPES)
