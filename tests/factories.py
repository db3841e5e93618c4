"""Tiny typed frames for tests, written where they are used."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from schemas.fields import LINEAGE_DTYPES, REPORT_DTYPES
from tasks.intake.checked import DeliveryRecord

PHENOMENON = "Asiakkaiden matkat palveluihin ovat pitkiä ja kalliita."
# A delivered CSV's Finnish header, with the fields a quote needs (contract §2).
FINNISH_HEADER = (
    "raportin_tunnus;kuntanumero;jätetty;raportoijan_rooli;teema;kohderyhmä;ilmiö;ehdotus;"
    "kenelle;kiireellisyys;lupa_lainata"
)


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


def delivery_record(sha256: str, **overrides: Any) -> DeliveryRecord:
    """Return a landed delivery's record: an empty CSV of Rovaniemi's, 2026Q3, unless overridden."""
    fields: dict[str, Any] = {
        "source_id": "698-csv",
        "sha256": sha256,
        "municipality_code": "698",
        "kind": "csv",
        "name": "raportit.csv",
        "received_at": datetime(2026, 10, 1, 6, tzinfo=UTC),
        "quarter": "2026Q3",
        "size_bytes": 0,
        "rows_in": 0,
        "rows_valid": 0,
        "rows_quarantined": 0,
        "redacted_identity_codes": 0,
        "redacted_phones": 0,
        "redacted_emails": 0,
    }
    return DeliveryRecord(**(fields | overrides))
