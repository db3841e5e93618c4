"""What a run shows in Prefect's UI: markdown summaries and tables of counts (never rows).

Pure builders: the flows turn their output into Prefect artifacts. Free text
of a report never reaches them; rejected rows appear only as counts per
municipality, field and rule.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import polars as pl

from schemas.fields import delivering_municipality, distinct_rejected_rows
from schemas.findings import Finding
from schemas.reference import Reference
from tasks.intake.dry_run import WaitingDeliveries
from tasks.run.summary import RunSummary, attention_lines
from tasks.warehouse.ingest import SourceOutcome


def _cell(value: object) -> str:
    """Return `value` as one markdown table cell (no pipes, no line breaks)."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]


def _file_link(path: Path, quarter: str, publish_url: str | None) -> str:
    """Return a link to the published file under `publish_url`, else its name (no file:// link).

    Browsers do not open file:// links from a web page, so without a web address of the
    publication folder the file is named, with its path in the next column.
    """
    if publish_url:
        return f"[{path.name}]({publish_url.rstrip('/')}/{quote(quarter)}/{quote(path.name)})"
    return path.name


def quarter_sources(deliveries: pl.DataFrame) -> pl.DataFrame:
    """Return per source what the warehouse holds for the quarter: deliveries and row counts."""
    redacted = pl.sum_horizontal(pl.col("^redacted_.*$"))
    return (
        deliveries.group_by("source_id")
        .agg(
            deliveries=pl.len(),
            rows_in=pl.col("rows_in").sum(),
            rows_valid=pl.col("rows_valid").sum(),
            rows_quarantined=pl.col("rows_quarantined").sum(),
            redacted=redacted.sum(),
        )
        .sort("source_id")
    )


def _source_row(source: SourceOutcome, held: dict[str, dict[str, int]]) -> tuple[object, ...]:
    status = f"failed: {source.error}" if source.failed else "ok"
    counts = held.get(source.source_id, {})
    return (
        source.source_id,
        *(counts.get(column, 0) for column in _HELD_COLUMNS),
        len(source.deliveries),
        status,
    )


_HELD_COLUMNS = ("deliveries", "rows_in", "rows_valid", "rows_quarantined", "redacted")
_SOURCE_COLUMNS = (
    "source",
    "deliveries",
    "rows",
    "valid",
    "quarantined",
    "redacted",
    "new this run",
    "status",
)
_CHECK_WORDS = {
    "key_unique": "report ids that occur more than once",
    "not_null": "required values missing",
    "accepted_codes": "codes that are not in the code lists",
    "completeness": "values left empty",
    "volume_drop": "no reports this quarter, after reports in the two quarters before",
}


def finding_sentence(finding: Finding, reference: Reference) -> str:
    """Return a quality finding as a sentence a steward can act on."""
    what = _CHECK_WORDS.get(finding.check, finding.check.replace("_", " "))
    where = f" in {finding.column}" if finding.column else ""
    if finding.municipality_code:
        name = _municipality_name(reference, finding.municipality_code)
        where += f" for {finding.municipality_code} {name}".rstrip()
    observed = _observed_words(finding)
    effect = "publication stopped" if finding.severity == "hard" else "published anyway"
    return f"{what.capitalize()}{where}{observed} ({finding.severity}: {effect})."


def _observed_words(finding: Finding) -> str:
    if finding.observed is None:
        return ""
    if finding.check == "completeness":
        return f": {finding.observed:.0%} of rows"
    if finding.check == "volume_drop":
        return f" ({finding.observed:g} reports the quarter before)"
    return f": {finding.observed:g} rows"


def run_markdown(
    summary: RunSummary,
    ran_on: str,
    held: pl.DataFrame,
    reference: Reference,
    publish_url: str | None = None,
) -> str:
    """Return the markdown summary of a quarterly run: sources, counts, findings and files.

    `held` is `quarter_sources`: what the warehouse holds for the quarter per source, so
    that a re-run that found nothing new still shows what the brief rests on.
    """
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
        ("Quotes waiting for review (left out)", summary.quotes_waiting),
        ("Brief", published),
        ("Ran on", ran_on),
    ]
    lines = [f"# Quarterly brief {summary.quarter}", "", *_table(("run", "outcome"), facts), ""]
    lines += [f"- **attention:** {_cell(line)}" for line in attention_lines(summary)]
    counts = {row["source_id"]: row for row in held.iter_rows(named=True)}
    lines += [
        "",
        f"## Sources: what the warehouse holds for {summary.quarter}",
        "",
        *_table(_SOURCE_COLUMNS, [_source_row(s, counts) for s in summary.sources]),
    ]
    if summary.findings:
        lines += ["", "## Quality findings", ""]
        lines += [f"- {_cell(finding_sentence(f, reference))}" for f in summary.findings]
    if summary.published:
        files = [
            (_file_link(path, summary.quarter, publish_url), f"`{path}`")
            for path in summary.published
        ]
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
