"""What a run shows in Prefect's UI: markdown summaries and tables of counts (never rows).

Pure builders: the flows turn their output into Prefect artifacts. Free text
of a report never reaches them; rejected rows appear only as counts per
municipality, field and rule.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from schemas.fields import delivering_municipality, distinct_rejected_rows
from schemas.findings import Finding
from schemas.reference import Reference
from tasks.intake.dry_run import WaitingDeliveries
from tasks.run.summary import RunSummary, attention_lines
from tasks.warehouse.ingest import SourceOutcome

_SOURCE_COLUMNS = ("source", "deliveries", "rows in", "valid", "quarantined", "redacted", "status")


def _cell(value: object) -> str:
    """Return `value` as one markdown table cell (no pipes, no line breaks)."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]


def _file_link(path: Path) -> str:
    return f"[{path.name}]({path.as_uri()})" if path.is_absolute() else f"`{path}`"


def _source_row(source: SourceOutcome) -> tuple[object, ...]:
    status = f"failed: {source.error}" if source.failed else "ok"
    return (
        source.source_id,
        len(source.deliveries),
        source.rows_in,
        source.rows_valid,
        source.rows_quarantined,
        source.redactions.total,
        status,
    )


def _finding_row(finding: Finding) -> tuple[object, ...]:
    observed = "" if finding.observed is None else f"{finding.observed:g}"
    return (
        finding.check,
        finding.severity,
        finding.column or "",
        finding.municipality_code or "",
        observed,
    )


def run_markdown(summary: RunSummary, ran_on: str) -> str:
    """Return the markdown summary of a quarterly run: sources, counts, findings and files."""
    read = len(summary.sources) - len(summary.failed_sources)
    published = "stopped by the quality gate" if summary.published_blocked else "published"
    facts = [
        ("Sources read", f"{read} of {len(summary.sources)}"),
        ("Sources failed", ", ".join(s.source_id for s in summary.failed_sources) or "none"),
        ("Rows read this run", summary.rows_in),
        ("Rows quarantined this run", summary.rows_quarantined),
        ("Redacted identity codes, phones and e-mails", summary.redactions),
        (f"Valid reports in {summary.quarter}", summary.valid_reports),
        ("Rejected rows waiting for a correction", summary.open_rejected_rows),
        ("Quality findings", f"{len(summary.findings)} ({len(summary.hard_findings)} hard)"),
        ("Brief", published),
        ("Ran on", ran_on),
    ]
    lines = [f"# Quarterly brief {summary.quarter}", "", *_table(("", ""), facts), ""]
    lines += [f"- **attention:** {_cell(line)}" for line in attention_lines(summary)]
    lines += [
        "",
        "## Sources",
        "",
        *_table(_SOURCE_COLUMNS, [_source_row(s) for s in summary.sources]),
    ]
    if summary.findings:
        header = ("check", "severity", "column", "municipality", "observed")
        lines += [
            "",
            "## Quality findings",
            "",
            *_table(header, [_finding_row(f) for f in summary.findings]),
        ]
    if summary.published:
        files = [(_file_link(path), f"`{path}`") for path in summary.published]
        lines += ["", "## Published files", "", *_table(("file", "path"), files)]
    return "\n".join(lines) + "\n"


def quarantine_by_municipality(
    rejections: pl.DataFrame, reference: Reference
) -> list[dict[str, object]]:
    """Return one row per delivering municipality with rejected rows: counts by field and rule."""
    if rejections.is_empty():
        return []
    delivered = rejections.with_columns(municipality_code=delivering_municipality())
    per_rule = delivered.group_by("municipality_code", "rule").agg(rows=distinct_rejected_rows())
    counted = delivered.group_by("municipality_code").agg(
        rejected_rows=distinct_rejected_rows(),
        fields=pl.col("field").unique().sort().str.join(", "),
    )
    return [
        {
            "municipality_code": row["municipality_code"],
            "municipality": _municipality_name(reference, row["municipality_code"]),
            "rejected_rows": row["rejected_rows"],
            "fields": row["fields"],
            "rules": _rule_counts(
                per_rule.filter(pl.col("municipality_code") == row["municipality_code"])
            ),
        }
        for row in counted.sort("municipality_code").iter_rows(named=True)
    ]


def _rule_counts(per_rule: pl.DataFrame) -> str:
    return ", ".join(
        f"{rule}: {rows}" for rule, rows in per_rule.sort("rule").select("rule", "rows").iter_rows()
    )


def _municipality_name(reference: Reference, code: str) -> str:
    return reference.municipality_name(code) if code in reference.municipality_codes else ""


def submissions_markdown(checks: list[WaitingDeliveries], ran_on: str) -> str:
    """Return the markdown summary of a submissions check: per source rows, rejections, files."""
    checked = [check for check in checks if check.is_file_source]
    waiting = sum(check.rows_rejected for check in checked)
    lines = [
        "# Waiting submissions",
        "",
        f"{len(checked)} file sources checked, {sum(c.files for c in checked)} files, "
        f"{sum(c.rows_in for c in checked)} rows: {waiting} rows would be rejected, "
        f"{sum(len(c.unreadable) for c in checked)} files cannot be read. Ran on {ran_on}.",
        "",
    ]
    header = ("source", "files", "rows", "valid", "rejected", "rules", "unreadable files")
    rows = [_waiting_row(check) for check in checks]
    lines += _table(header, rows)
    unreadable = [problem for check in checks for problem in check.unreadable]
    if unreadable:
        lines += ["", "## Unreadable files", "", *[f"- {_cell(problem)}" for problem in unreadable]]
    return "\n".join(lines) + "\n"


def _waiting_row(check: WaitingDeliveries) -> tuple[object, ...]:
    if not check.is_file_source:
        return (check.source_id, "", "", "", "", f"not a file source ({check.kind})", "")
    if check.error is not None:
        return (check.source_id, "", "", "", "", f"failed: {check.error}", "")
    rules = ", ".join(f"{rule}: {rows}" for rule, rows in check.rules.items())
    return (
        check.source_id,
        check.files,
        check.rows_in,
        check.rows_valid,
        check.rows_rejected,
        rules,
        len(check.unreadable),
    )


def submissions_by_municipality(
    checks: list[WaitingDeliveries], reference: Reference
) -> list[dict[str, object]]:
    """Return one row per source whose waiting files hold rejected rows or unreadable files."""
    return [
        {
            "municipality_code": check.municipality_code,
            "municipality": _municipality_name(reference, check.municipality_code),
            "source": check.source_id,
            "rows": check.rows_in,
            "rejected_rows": check.rows_rejected,
            "unreadable_files": len(check.unreadable),
            "rules": ", ".join(f"{rule}: {rows}" for rule, rows in check.rules.items()),
            "error": check.error or "",
        }
        for check in sorted(checks, key=lambda c: c.source_id)
        if check.is_file_source and not check.clean
    ]
