"""Published tables are formula-safe, free of free text, and byte-reproducible."""

from __future__ import annotations

import json

import polars as pl

from schemas.fields import REJECTION_DTYPES
from schemas.quarter import Quarter
from tasks.intake.rejections import rejected_rows_per_municipality
from tasks.outward.publish import (
    SourceStatus,
    csv_bytes,
    feedback_table,
    manifest_bytes,
    quarantine_table,
)


def _rejections() -> pl.DataFrame:
    rows = [
        (
            "851-csv",
            "851",
            "T-2",
            "inbox/851/b.csv",
            7,
            "theme",
            "code_list",
            "theme: unknown code",
            "teema: tuntematon koodi",
        ),
        (
            "851-csv",
            "851",
            "=HYPERLINK(1)",
            "inbox/851/a.csv",
            3,
            "phenomenon",
            "too_short",
            "phenomenon: under 20 characters",
            "ilmiö: alle 20 merkkiä",
        ),
        (
            "698-sql",
            "698",
            "R-1",
            "698-sql:x",
            1,
            "urgency",
            "code_list",
            "urgency: unknown code",
            "kiireellisyys: tuntematon koodi",
        ),
    ]
    return pl.DataFrame(rows, schema=REJECTION_DTYPES, orient="row")


def _deliveries() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "source_id": ["851-csv", "851-csv"],
            "municipality_code": ["851", "851"],
            "kind": ["csv", "csv"],
            "name": ["inbox/851/a.csv", "inbox/851/b.csv"],
            "sha256": ["a" * 64, "b" * 64],
            "seq": [1, 2],
            "rows_in": [10, 5],
            "rows_valid": [9, 4],
            "rows_quarantined": [1, 1],
            "redacted_identity_codes": [1, 0],
            "redacted_phones": [2, 0],
            "redacted_emails": [0, 1],
        }
    )


def test_quarantine_csv_has_the_contract_columns_and_escapes_formulas() -> None:
    text = csv_bytes(quarantine_table(_rejections())).decode()

    lines = text.splitlines()
    assert lines[0] == "source,municipality_code,report_id,field,reason"
    assert "698-sql,698,R-1,urgency,urgency: unknown code" in lines
    assert "851-csv,851,'=HYPERLINK(1),phenomenon,phenomenon: under 20 characters" in lines
    assert len(lines) == 4


def test_feedback_is_one_municipality_in_finnish() -> None:
    feedback = feedback_table(_rejections(), "851")

    assert feedback.columns == ["tiedosto", "rivi", "raportin_tunnus", "kenttä", "syy"]
    assert feedback.rows()[0] == (
        "inbox/851/a.csv",
        3,
        "=HYPERLINK(1)",
        "ilmiö",
        "ilmiö: alle 20 merkkiä",
    )
    assert feedback.height == 2


def test_manifest_counts_sources_and_is_reproducible() -> None:
    statuses = [
        SourceStatus("851-csv", "851", "csv", None),
        SourceStatus("698-sql", "698", "sql", "database unreachable"),
        SourceStatus("240-xlsx", "240", "xlsx", None, read=False),
    ]
    arguments = (Quarter(2026, 3), statuses, _deliveries(), 13, _rejections(), {"a.csv": b"x"})

    first = manifest_bytes(*arguments)
    document = json.loads(first)

    assert first == manifest_bytes(*arguments)
    assert document["failed_sources"] == ["698-sql"]
    assert [source["status"] for source in document["sources"]] == ["ok", "failed", "not_read"]
    assert document["sources"][0]["rows_in"] == 15
    assert document["sources"][0]["deliveries"][1]["sha256"] == "b" * 64
    assert document["counts"]["redacted"] == {"identity_codes": 1, "phones": 2, "emails": 1}
    assert document["counts"]["quarantined_rows"] == 3
    assert "run_id" not in first.decode()


def test_feedback_goes_to_the_municipality_that_delivered_the_row() -> None:
    foreign_code = _rejections().with_columns(
        municipality_code=pl.when(pl.col("report_id") == "T-2")
        .then(pl.lit("241"))
        .otherwise(pl.col("municipality_code"))
    )

    assert feedback_table(foreign_code, "851").height == 2
    assert feedback_table(foreign_code, "241").is_empty()


def test_an_identity_code_used_as_a_report_id_is_not_published() -> None:
    ids = _rejections().with_columns(
        report_id=pl.when(pl.col("report_id") == "T-2")
        .then(pl.lit("131052-308T"))
        .otherwise(pl.col("report_id"))
    )

    published = csv_bytes(quarantine_table(ids)).decode() + str(feedback_table(ids, "851").rows())

    assert "131052-308T" not in published
    assert "851-csv,851,[henkilötunnus],theme,theme: unknown code" in published
    assert "R-1" in published


def test_rejected_rows_are_counted_once_under_the_municipality_that_delivered_them() -> None:
    foreign_code = pl.concat(
        [
            _rejections(),
            _rejections().head(1).with_columns(field=pl.lit("urgency"), rule=pl.lit("required")),
        ]
    ).with_columns(
        municipality_code=pl.when(pl.col("report_id") == "T-2")
        .then(pl.lit("698"))
        .otherwise(pl.col("municipality_code"))
    )

    counts = rejected_rows_per_municipality(foreign_code)

    assert counts.rows() == [("698", 1), ("851", 2)]
    assert counts.columns == ["municipality_code", "rows"]
