"""What a quarterly run did, in counts, and the exit status it earns (contract §4)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from schemas.fields import count_rejected_rows
from schemas.findings import Finding
from tasks.figures.quality import blocks_publication, hard_failures
from tasks.warehouse.ingest import SourceOutcome

EXIT_OK = 0
EXIT_ATTENTION = 1


@dataclass(frozen=True)
class RunSummary:
    """One run's outcome: sources, counts, findings, published files and delivery."""

    quarter: str
    sources: list[SourceOutcome]
    valid_reports: int
    open_rejected_rows: int
    findings: list[Finding] = field(default_factory=list)
    published: list[Path] = field(default_factory=list)
    published_blocked: bool = False
    unsent: list[str] = field(default_factory=list)
    quotes_waiting: int = 0

    @property
    def failed_sources(self) -> list[SourceOutcome]:
        """Return the sources that could not be read."""
        return [source for source in self.sources if source.failed]

    @property
    def hard_findings(self) -> list[Finding]:
        """Return the quality findings that stop publication."""
        return hard_failures(self.findings)

    @property
    def rows_in(self) -> int:
        """Return the rows this run read from all sources."""
        return sum(source.rows_in for source in self.sources)

    @property
    def rows_quarantined(self) -> int:
        """Return the rows this run quarantined."""
        return sum(source.rows_quarantined for source in self.sources)

    @property
    def redactions(self) -> int:
        """Return how many identity codes, phones and e-mails this run redacted."""
        return sum(source.redactions.total for source in self.sources)


def run_summary(
    quarter: str,
    outcomes: list[SourceOutcome],
    valid_reports: int,
    rejections: pl.DataFrame,
    findings: list[Finding],
    files: list[Path],
    owed: list[str],
    quotes_waiting: int = 0,
) -> RunSummary:
    """Return the run's outcome in counts: open rejections as distinct rows, owed mail by name."""
    return RunSummary(
        quarter=quarter,
        sources=outcomes,
        valid_reports=valid_reports,
        open_rejected_rows=count_rejected_rows(rejections),
        findings=findings,
        published=files,
        published_blocked=blocks_publication(findings),
        unsent=owed,
        quotes_waiting=quotes_waiting,
    )


def exit_status(summary: RunSummary) -> int:
    """Return 1 when a source failed, publication was blocked, mail is owed or rows await a fix."""
    needs_attention = (
        summary.failed_sources
        or summary.published_blocked
        or summary.unsent
        or summary.open_rejected_rows
    )
    return EXIT_ATTENTION if needs_attention else EXIT_OK


def attention_lines(summary: RunSummary) -> list[str]:
    """Return one plain line for each thing a steward must act on (waiting quotes last)."""
    lines = [
        f"source {s.source_id} failed: {problem}"
        for s in summary.failed_sources
        for problem in (s.error or "").splitlines()  # one line per file that could not be read
    ]
    lines += [
        f"quality gate stopped publication: {f.check} on {f.column or 'the batch'}"
        for f in summary.hard_findings
    ]
    if summary.open_rejected_rows:
        lines.append(
            f"{summary.open_rejected_rows} rejected rows wait for a corrected delivery "
            f"(see quarantine.csv and feedback/)"
        )
    lines += [f"brief not sent to {recipient}" for recipient in summary.unsent]
    if summary.quotes_waiting:
        lines.append(quotes_waiting_line(summary.quarter, summary.quotes_waiting))
    return lines


def attention_reasons(summary: RunSummary) -> list[str]:
    """Return why the run needs the steward: failed sources, a stopped publication, owed mail.

    Rows waiting for a corrected delivery are routine (the feedback files ask for them),
    so they alone do not make a run need attention.
    """
    reasons = [f"source {s.source_id} failed: {s.error}" for s in summary.failed_sources]
    if summary.published_blocked:
        checks = ", ".join(sorted({finding.check for finding in summary.hard_findings}))
        reasons.append(f"the quality gate stopped publication ({checks})")
    if summary.unsent:
        reasons.append(f"the brief is still owed to {len(summary.unsent)} recipients")
    return reasons


def failure_json(quarter: str, error: BaseException) -> str:
    """Return a stopped run's outcome for the run log: the quarter and the error's type only."""
    return json.dumps({"quarter": quarter, "error": type(error).__name__})


def quotes_waiting_line(quarter: str, waiting: int) -> str:
    """Return how many quotes wait for a person, left out of the brief, and how to review them."""
    return (
        f"{waiting} quotes wait for review and were left out of the brief: "
        f"raportti quotes list --quarter {quarter}, then "
        f"raportti quotes approve --quarter {quarter} ID… (or --all) and run again"
    )


def summary_json(summary: RunSummary) -> str:
    """Return the run's counts as JSON for the run log (no rows, no free text)."""
    document = {
        "quarter": summary.quarter,
        "rows_in": summary.rows_in,
        "rows_quarantined": summary.rows_quarantined,
        "redactions": summary.redactions,
        "valid_reports": summary.valid_reports,
        "open_rejected_rows": summary.open_rejected_rows,
        "failed_sources": [source.source_id for source in summary.failed_sources],
        "hard_findings": [finding.check for finding in summary.hard_findings],
        "published": [path.name for path in summary.published],
        "unsent": len(summary.unsent),
        "quotes_waiting": summary.quotes_waiting,
    }
    return json.dumps(document, sort_keys=True)
