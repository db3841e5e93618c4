"""The published quarter's tables and manifest (contract §5).

Pure builders turn frames into reproducible bytes; `write_published_quarter`
at the edge writes them atomically.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from schemas.fields import FIELD_HEADERS_FI, count_rejected_rows, delivering_municipality
from schemas.quarter import Quarter
from schemas.sources import SourcesConfig
from tasks.figures.aggregate import aggregates_table
from tasks.intake.publishable import publishable_id, publishable_text
from tasks.outward.response_sheets import write_followup_files
from tasks.shared.files import write_file_atomically
from tasks.warehouse.ingest import SourceOutcome
from tasks.warehouse.purge import without_quoted_values

QUARANTINE_COLUMNS = ("source", "municipality_code", "report_id", "field", "reason")
FEEDBACK_HEADERS_FI = {
    "delivery": "tiedosto",
    "row_number": "rivi",
    "report_id": "raportin_tunnus",
    "field": "kenttä",
    "reason_fi": "syy",
}
FEEDBACK_FOLDER = "feedback"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class SourceStatus:
    """How one configured source fared in the run (for the manifest); `read` False: not in it."""

    source_id: str
    municipality_code: str
    kind: str
    error: str | None
    read: bool = True

    @property
    def status(self) -> str:
        """Return `failed`, `ok`, or `not_read` for a source the run left out."""
        if not self.read:
            return "not_read"
        return "failed" if self.error else "ok"


def source_statuses(sources: SourcesConfig, outcomes: list[SourceOutcome]) -> list[SourceStatus]:
    """Return every configured source's status; one the run did not read is `not_read`."""
    errors = {outcome.source_id: outcome.error for outcome in outcomes}
    return [
        SourceStatus(
            s.source_id, s.municipality_code, s.kind, errors.get(s.source_id), s.source_id in errors
        )
        for s in sources.sources
    ]


def published_briefs(out_dir: Path, quarter: str) -> list[Path]:
    """Return the PDF briefs published for `quarter` under `out_dir`, in name order."""
    return sorted((out_dir / quarter).glob("brief-*.pdf"))


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with text that a spreadsheet would run as a formula prefixed by `'`."""
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    return frame.with_columns(
        pl.when(_is_formula(name))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text_columns
    )


def _is_formula(column: str) -> pl.Expr:
    return pl.any_horizontal(pl.col(column).str.starts_with(start) for start in _FORMULA_START)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """Return `frame` as UTF-8 CSV with a header row, formula-safe and byte-reproducible."""
    return spreadsheet_safe(frame).write_csv(line_terminator="\n").encode("utf-8")


def quarantine_table(rejections: pl.DataFrame) -> pl.DataFrame:
    """Return the contract's quarantine.csv rows: one per rejected row and failed field.

    The published reason is the field and the rule's words only: never the delivered value,
    which only the municipality's own feedback file quotes (redacted).
    """
    return (
        without_quoted_values(_with_ids_redacted(rejections))
        .sort("source_id", "delivery", "row_number", "field", "rule")
        .select(pl.col("source_id").alias("source"), *QUARANTINE_COLUMNS[1:])
    )


def _with_ids_redacted(rejections: pl.DataFrame) -> pl.DataFrame:
    """Return rejections whose report ids and file names hold nothing identifying.

    An id is not free text, but a municipality may have used an identity code as one;
    the warehouse keeps it (a correction must find its rejection), a published file not.
    """
    return _published(rejections, publishable_id, "report_id", "delivery")


def _published(frame: pl.DataFrame, redaction: Callable[[str], str], *columns: str) -> pl.DataFrame:
    """Return `frame` with `columns` through a publication redaction (each distinct text once)."""
    replaced = []
    for column in columns:
        texts = [text for text in frame[column].unique().to_list() if text is not None]
        redacted = [redaction(text) for text in texts]
        replaced.append(
            pl.col(column).replace_strict(texts, redacted, default=None, return_dtype=pl.String)
        )
    return frame.with_columns(replaced)


def feedback_table(rejections: pl.DataFrame, municipality_code: str) -> pl.DataFrame:
    """Return the rows one municipality delivered that were rejected, with Finnish headers."""
    own = _with_ids_redacted(rejections.filter(delivering_municipality() == municipality_code))
    return (
        _published(own, publishable_text, "reason_fi")
        .sort("delivery", "row_number", "field", "rule")
        .select(*FEEDBACK_HEADERS_FI)
        .with_columns(pl.col("field").replace_strict(FIELD_HEADERS_FI, default=pl.col("field")))
        .rename(FEEDBACK_HEADERS_FI)
    )


def sha256_hex(data: bytes) -> str:
    """Return the sha256 of `data` in hex."""
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(
    quarter: Quarter,
    statuses: list[SourceStatus],
    deliveries: pl.DataFrame,
    valid_reports: int,
    open_rejections: pl.DataFrame,
    outputs: dict[str, bytes],
) -> bytes:
    """Return manifest.json: what the published quarter rests on, with no clock time or run id."""
    document = {
        "quarter": str(quarter),
        "sources": [_source_entry(status, deliveries) for status in statuses],
        "counts": {
            "valid": valid_reports,
            "quarantined_rows": count_rejected_rows(open_rejections),
            "quarantine_entries": open_rejections.height,
            "redacted": {
                "identity_codes": int(deliveries["redacted_identity_codes"].sum()),
                "phones": int(deliveries["redacted_phones"].sum()),
                "emails": int(deliveries["redacted_emails"].sum()),
            },
        },
        "failed_sources": sorted(s.source_id for s in statuses if s.error is not None),
        "outputs": {name: sha256_hex(data) for name, data in sorted(outputs.items())},
    }
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


def _source_entry(status: SourceStatus, deliveries: pl.DataFrame) -> dict[str, object]:
    own = deliveries.filter(pl.col("source_id") == status.source_id).sort("seq")
    return {
        "source_id": status.source_id,
        "municipality_code": status.municipality_code,
        "kind": status.kind,
        "status": status.status,
        "deliveries": [
            {
                "name": publishable_id(row["name"]),
                "sha256": row["sha256"],
                "rows_in": row["rows_in"],
                "rows_valid": row["rows_valid"],
                "rows_quarantined": row["rows_quarantined"],
            }
            for row in own.iter_rows(named=True)
        ],
        "rows_in": int(own["rows_in"].sum()),
        "rows_valid": int(own["rows_valid"].sum()),
        "rows_quarantined": int(own["rows_quarantined"].sum()),
    }


def write_published_quarter(
    out_dir: Path,
    quarter: Quarter,
    cells: pl.DataFrame,
    rejections: pl.DataFrame,
    deliveries: pl.DataFrame,
    statuses: list[SourceStatus],
    valid_reports: int,
    briefs: list[Path],
    followup: dict[str, bytes] | None = None,
) -> list[Path]:
    """Write aggregates, quarantine, feedback, follow-up files and (last) the manifest.

    `followup` holds followup.csv and the response sheets by their path under `out_dir`.
    Returns every file written.
    """
    tables = {
        "aggregates.csv": csv_bytes(aggregates_table(cells)),
        "quarantine.csv": csv_bytes(quarantine_table(rejections)),
    }
    written = [write_file_atomically(out_dir / name, data) for name, data in tables.items()]
    written += write_followup_files(out_dir, followup or {})
    feedback = _write_feedback(out_dir / FEEDBACK_FOLDER, rejections)
    outputs = tables | (followup or {}) | {path.name: path.read_bytes() for path in briefs}
    manifest = manifest_bytes(quarter, statuses, deliveries, valid_reports, rejections, outputs)
    written.append(write_file_atomically(out_dir / "manifest.json", manifest))
    return sorted([*briefs, *written, *feedback])


def _write_feedback(folder: Path, rejections: pl.DataFrame) -> list[Path]:
    """Write one Finnish feedback file per municipality with open rejections; drop stale ones."""
    codes = sorted(rejections.select(delivering_municipality().unique())["source_id"].to_list())
    written = [
        write_file_atomically(folder / f"{code}.csv", csv_bytes(feedback_table(rejections, code)))
        for code in codes
    ]
    for stale in set(folder.glob("*.csv")) - set(written):
        stale.unlink()
    return written


def copy_to_publication(files: list[Path], publish_dir: Path, quarter: str) -> list[Path]:
    """Return the copies of `files` written atomically under `publish_dir/quarter/`.

    A municipality's feedback file (`feedback/`) quotes its delivered values: it is for that
    municipality only and is never copied to the publication folder.
    """
    target = publish_dir / quarter
    public = [file for file in files if file.parent.name != FEEDBACK_FOLDER]
    return [write_file_atomically(target / file.name, file.read_bytes()) for file in public]
