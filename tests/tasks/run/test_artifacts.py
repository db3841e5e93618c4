"""The markdown and tables a run leaves in Prefect: counts, codes and paths, never report text."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from schemas.fields import REJECTION_DTYPES
from schemas.findings import Finding
from schemas.reference import load_reference
from tasks.intake.dry_run import WaitingDeliveries, rejected_rows_by_rule
from tasks.intake.redact import RedactionCounts
from tasks.run.artifacts import (
    quarantine_by_municipality,
    run_markdown,
    submissions_by_municipality,
    submissions_markdown,
)
from tasks.run.summary import RunSummary
from tasks.warehouse.ingest import SourceOutcome


def _rejections(rows: list[tuple[str, ...]]) -> pl.DataFrame:
    """Return a rejection frame from (source, municipality, report, delivery, row, field, rule)."""
    records = [
        {
            "source_id": source,
            "municipality_code": code,
            "report_id": report,
            "delivery": delivery,
            "row_number": int(row),
            "field": field,
            "rule": rule,
            "reason": f"{field} breaks {rule}",
            "reason_fi": f"{field} rikkoo {rule}",
        }
        for source, code, report, delivery, row, field, rule in rows
    ]
    return pl.DataFrame(
        records, schema=REJECTION_DTYPES | {"rule": pl.String, "reason_fi": pl.String}
    )


def _summary(**overrides: object) -> RunSummary:
    sources = [
        SourceOutcome("851-csv", "851", ["a.csv"], [], 10, 8, 2, RedactionCounts(1, 1, 0)),
        SourceOutcome("698-sql", "698", error="source 698-sql: cannot read | the database"),
    ]
    values = {
        "quarter": "2026Q2",
        "sources": sources,
        "valid_reports": 8,
        "open_rejected_rows": 2,
        "findings": [Finding("volume_drop", "soft", None, "851", 0.4)],
        "published": [Path("/srv/out/2026Q2/brief-fi.pdf")],
    }
    return RunSummary(**(values | overrides))


def test_run_markdown_states_the_quarter_counts_failures_findings_and_files() -> None:
    markdown = run_markdown(_summary(), "host-1 (worker w1)")

    assert markdown.startswith("# Quarterly brief 2026Q2")
    assert "| Sources read | 1 of 2 |" in markdown
    assert "| Sources failed | 698-sql |" in markdown
    assert "| Rows quarantined this run | 2 |" in markdown
    assert "| Redacted identity codes, phones and e-mails | 2 |" in markdown
    assert "| volume_drop | soft |  | 851 | 0.4 |" in markdown
    assert "[brief-fi.pdf](file:///srv/out/2026Q2/brief-fi.pdf)" in markdown
    assert "host-1 (worker w1)" in markdown


def test_a_pipe_in_an_error_message_does_not_break_the_table() -> None:
    markdown = run_markdown(_summary(), "here")

    failed_row = next(line for line in markdown.splitlines() if line.startswith("| 698-sql"))
    assert "cannot read \\| the database" in failed_row
    assert failed_row.count(" | ") == 6


def test_run_markdown_says_when_the_quality_gate_stopped_publication() -> None:
    summary = _summary(published=[], published_blocked=True)

    assert "| Brief | stopped by the quality gate |" in run_markdown(summary, "here")


def test_quarantine_table_counts_distinct_rows_per_municipality_by_rule() -> None:
    rejections = _rejections(
        [
            ("851-csv", "851", "R1", "a.csv", "2", "theme", "code_list"),
            ("851-csv", "851", "R1", "a.csv", "2", "urgency", "required"),
            ("851-csv", "851", "R2", "a.csv", "5", "theme", "code_list"),
            ("240-xlsx", "240", "", "b.xlsx", "3", "submitted_on", "date_range"),
        ]
    )

    table = quarantine_by_municipality(rejections, load_reference())

    assert table == [
        {
            "municipality_code": "240",
            "municipality": "Kemi",
            "rejected_rows": 1,
            "fields": "submitted_on",
            "rules": "date_range: 1",
        },
        {
            "municipality_code": "851",
            "municipality": "Tornio",
            "rejected_rows": 2,
            "fields": "theme, urgency",
            "rules": "code_list: 2, required: 1",
        },
    ]


def test_quarantine_table_counts_a_row_under_the_municipality_that_delivered_it() -> None:
    rejections = _rejections(
        [
            ("851-csv", "851", "R1", "a.csv", "2", "theme", "code_list"),
            ("851-csv", "698", "R2", "a.csv", "3", "municipality_code", "source_municipality"),
        ]
    )

    table = quarantine_by_municipality(rejections, load_reference())

    assert [(row["municipality"], row["rejected_rows"]) for row in table] == [("Tornio", 2)]


def test_quarantine_table_never_holds_a_reason_text() -> None:
    rejections = _rejections([("851-csv", "851", "R1", "a.csv", "2", "theme", "code_list")])

    table = quarantine_by_municipality(rejections, load_reference())

    assert "breaks" not in str(table)
    assert "rikkoo" not in str(table)


def test_no_rejections_give_an_empty_table() -> None:
    assert quarantine_by_municipality(_rejections([]), load_reference()) == []


def test_rejected_rows_by_rule_counts_each_row_once_per_rule() -> None:
    rejections = _rejections(
        [
            ("851-csv", "851", "R1", "a.csv", "2", "theme", "code_list"),
            ("851-csv", "851", "R1", "a.csv", "2", "target_group", "code_list"),
            ("851-csv", "851", "R2", "a.csv", "3", "phenomenon", "too_long"),
        ]
    )

    assert rejected_rows_by_rule(rejections) == {"code_list": 1, "too_long": 1}


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (WaitingDeliveries("851-csv", "851", "csv", files=2, rows_in=9, rows_valid=9), None),
        (
            WaitingDeliveries(
                "851-csv",
                "851",
                "csv",
                files=2,
                rows_in=9,
                rows_valid=8,
                rows_rejected=1,
                rules={"required": 1},
            ),
            {"rejected_rows": 1, "rules": "required: 1", "unreadable_files": 0},
        ),
        (
            WaitingDeliveries("851-csv", "851", "csv", files=1, unreadable=["a.csv: not UTF-8"]),
            {"rejected_rows": 0, "rules": "", "unreadable_files": 1},
        ),
        (WaitingDeliveries("698-sql", "698", "sql", is_file_source=False), None),
    ],
)
def test_submissions_table_lists_only_sources_that_need_a_fix(
    check: WaitingDeliveries, expected: dict[str, object] | None
) -> None:
    table = submissions_by_municipality([check], load_reference())

    if expected is None:
        assert table == []
    else:
        assert len(table) == 1
        assert {key: table[0][key] for key in expected} == expected


def test_submissions_markdown_sums_files_rows_and_names_unreadable_files() -> None:
    checks = [
        WaitingDeliveries(
            "851-csv", "851", "csv", files=2, rows_in=9, rows_valid=8, rows_rejected=1
        ),
        WaitingDeliveries(
            "240-xlsx", "240", "xlsx", files=1, unreadable=["b.xlsx: not a workbook"]
        ),
        WaitingDeliveries("698-sql", "698", "sql", is_file_source=False),
    ]

    markdown = submissions_markdown(checks, "here")

    assert "2 file sources checked, 3 files, 9 rows: 1 rows would be rejected" in markdown
    assert "- b.xlsx: not a workbook" in markdown
    assert "not a file source (sql)" in markdown
