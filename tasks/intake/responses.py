"""Filled response sheets in (CONTRACT.md §6): read, type, redact and validate each line.

A sheet is XLSX (first sheet) or CSV (as in §2); its header row names the fields by
their contract names or Finnish headers. A line with an empty `status` is no response and
is skipped; every other line is valid or rejected with its reasons (never its text).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandera.errors
import polars as pl

from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.responses import (
    FILLED_FIELDS,
    REJECTION_REASONS,
    RESPONSE_DTYPES,
    RESPONSE_REJECTION_DTYPES,
    SHEET_FIELDS,
    SHEET_HEADERS_FI,
    STATUS_LABELS_FI,
    STATUSES,
    ResponseModel,
)
from tasks.intake.extract import Delivery
from tasks.intake.limits import check_limits, check_rows
from tasks.intake.parse import UnreadableDelivery, delivery_text, first_sheet
from tasks.intake.redact import RedactionCounts, redact_text

_HEADER_SEARCH_ROWS = 10
_FIELDS_BY_HEADER = {header: field for field, header in SHEET_HEADERS_FI.items()}
_DMY = r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$"
_ISO_DATE = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$"
_FREE_TEXT = ("decision_ref", "response", "responder_role")
_PANDERA_RULES = {
    "str_matches": "format",
    "str_length": "too_long",
    "isin": "code_list",
    "not_nullable": "required",
}
_READ_FIELDS = ("municipality_code", "report_id", *FILLED_FIELDS)


@dataclass(frozen=True)
class CheckedResponses:
    """A sheet's valid response lines, its rejected lines and the redactions made."""

    valid: pl.DataFrame
    rejections: pl.DataFrame
    redactions: RedactionCounts
    lines: int


def read_response_lines(delivery: Delivery) -> pl.DataFrame:
    """Return the sheet's filled lines: the response fields as text, with `row_number`.

    Raises:
        UnreadableDelivery: not a readable workbook or CSV, or no header row names a field.
    """
    grid = _xlsx_grid(delivery) if sheet_kind(delivery.name) == "xlsx" else _csv_grid(delivery)
    header_at = _header_row(grid, delivery.name)
    fields = {i: _field_of(cell) for i, cell in enumerate(grid[header_at][1])}
    rows = [
        {"row_number": number, **{fields[i]: _cleaned(v) for i, v in enumerate(cells) if fields[i]}}
        for number, cells in grid[header_at + 1 :]
    ]
    schema = {field: pl.String for field in _READ_FIELDS} | {"row_number": pl.Int64}
    lines = pl.DataFrame(
        [{f: row.get(f) for f in schema} for row in rows], schema=schema, orient="row"
    )
    return lines.filter(pl.col("status").is_not_null())


def sheet_kind(name: str) -> str:
    """Return a response sheet's kind from its name: `xlsx`, else `csv`."""
    return "xlsx" if name.lower().endswith(".xlsx") else "csv"


def checked_sheet(
    delivery: Delivery, proposal_keys: pl.DataFrame, limits: DeliveryLimits
) -> CheckedResponses:
    """Return a sheet's lines checked, once the limits of a delivery hold for it (issue 19's).

    Raises:
        UnreadableDelivery: the sheet cannot be read, or (`DeliveryRefused`) breaks a limit.
    """
    check_limits(delivery, limits)
    lines = read_response_lines(delivery)
    check_rows(delivery, lines.height, limits)
    return checked_responses(lines, proposal_keys)


def checked_responses(lines: pl.DataFrame, proposal_keys: pl.DataFrame) -> CheckedResponses:
    """Return the lines typed and redacted, split into valid ones and rejections.

    Args:
        lines: a sheet's filled lines from `read_response_lines`.
        proposal_keys: (`municipality_code`, `report_id`) of every stored proposal.
    """
    redacted, counts = _redacted(lines)
    typed = _typed(redacted)
    failures = pl.concat([_parse_failures(redacted, typed), _model_failures(typed)])
    unknown = typed.join(proposal_keys, on=["municipality_code", "report_id"], how="anti")
    unknown_failures = unknown.select(
        "row_number", field=pl.lit("report_id"), rule=pl.lit("unknown_proposal")
    )
    failures = pl.concat([failures, unknown_failures])
    rejected_rows = failures["row_number"].unique()
    valid = typed.filter(~pl.col("row_number").is_in(rejected_rows.implode()))
    rejections = _rejections(failures, lines)
    return CheckedResponses(valid, rejections, counts, lines.height)


def format_response_rejections(rejections: pl.DataFrame, name: str, lang: str = "en") -> list[str]:
    """Return one line per rejection: file, row, field and reason."""
    reason = "reason_fi" if lang == "fi" else "reason"
    return [
        f"{name}: row {row['row_number']}, field {row['field']}: {row[reason]}"
        for row in rejections.iter_rows(named=True)
    ]


def _field_of(header: str | None) -> str | None:
    if header is None:
        return None
    key = re.sub(r"[\s-]+", "_", unicodedata.normalize("NFC", header).strip().casefold())
    return key if key in SHEET_FIELDS else _FIELDS_BY_HEADER.get(key)


def _cleaned(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _header_row(grid: list[tuple[int, list[str | None]]], name: str) -> int:
    for index, (_, cells) in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        fields = {_field_of(cell) for cell in cells}
        if {"municipality_code", "report_id", "status"} <= fields:
            return index
    raise UnreadableDelivery(
        f"{name}: no header row with kuntanumero, raportin_tunnus and tila among the first "
        f"{_HEADER_SEARCH_ROWS} rows; return the response sheet with its header row"
    )


def _xlsx_grid(delivery: Delivery) -> list[tuple[int, list[str | None]]]:
    rows = first_sheet(delivery).iter_rows()
    return [(number, list(row)) for number, row in enumerate(rows, start=1)]


def _csv_grid(delivery: Delivery) -> list[tuple[int, list[str | None]]]:
    text = delivery_text(delivery)
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    grid: list[tuple[int, list[str | None]]] = []
    start = 1
    try:
        for record in reader:
            grid.append((start, list(record)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise UnreadableDelivery(
            f"{delivery.name}: line {reader.line_num}: not readable as CSV ({error}); "
            "export the sheet again"
        ) from None
    width = max((len(cells) for _, cells in grid), default=0)
    return [(n, cells + [None] * (width - len(cells))) for n, cells in grid]


def _redacted(lines: pl.DataFrame) -> tuple[pl.DataFrame, RedactionCounts]:
    """Return the lines with their free text redacted, and the redactions made."""
    total = RedactionCounts()
    columns = {}
    for field in _FREE_TEXT:
        texts = []
        for value in lines[field].to_list():
            if value is None:
                texts.append(None)
                continue
            redacted, counts = redact_text(value)
            texts.append(redacted)
            total += counts
        columns[field] = pl.Series(field, texts, dtype=pl.String)
    return lines.with_columns(**columns), total


def _status() -> pl.Expr:
    key = pl.col("status").str.to_lowercase().str.replace_all(r"[\s-]+", "_")
    labels = {label: code for code, label in STATUS_LABELS_FI.items()}
    mapping = {code: code for code in STATUSES} | labels | {"ei_edennyt": "not_taken_forward"}
    return key.replace_strict(mapping, default=None, return_dtype=pl.String)


def _decided_on() -> pl.Expr:
    text = pl.col("decided_on")
    day_first = pl.when(text.str.contains(_DMY)).then(text.str.to_date("%d.%m.%Y", strict=False))
    iso = text.str.extract(_ISO_DATE).str.to_date("%Y-%m-%d", strict=False)
    return pl.coalesce(day_first, iso)


def _typed(lines: pl.DataFrame) -> pl.DataFrame:
    return lines.select(
        "municipality_code",
        "report_id",
        _status().alias("status"),
        "decision_ref",
        _decided_on().alias("decided_on"),
        "response",
        "responder_role",
        "row_number",
    ).cast(RESPONSE_DTYPES)


def _parse_failures(raw: pl.DataFrame, typed: pl.DataFrame) -> pl.DataFrame:
    """Return the rows whose status or date did not parse (typed null, delivered not)."""
    status = typed.filter(pl.col("status").is_null() & raw["status"].is_not_null())
    day = typed.filter(pl.col("decided_on").is_null() & raw["decided_on"].is_not_null())
    return pl.concat(
        [
            status.select("row_number", field=pl.lit("status"), rule=pl.lit("code_list")),
            day.select("row_number", field=pl.lit("decided_on"), rule=pl.lit("format")),
        ]
    )


def _model_failures(typed: pl.DataFrame) -> pl.DataFrame:
    """Return (row_number, field, rule) of every check of `ResponseModel` a row fails."""
    empty = pl.DataFrame(schema={"row_number": pl.Int64, "field": pl.String, "rule": pl.String})
    checked = typed.filter(pl.col("status").is_not_null())
    try:
        ResponseModel.validate(checked, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        cases = pl.DataFrame(errors.failure_cases).filter(pl.col("index").is_not_null())
        rows = checked["row_number"].gather(cases["index"].cast(pl.UInt32))
        rule = pl.col("check").str.extract(r"^([a-z_]+)").replace(_PANDERA_RULES)
        return cases.select(
            rows.alias("row_number"), pl.col("column").alias("field"), rule.alias("rule")
        ).cast(empty.schema)
    return empty


def _rejections(failures: pl.DataFrame, lines: pl.DataFrame) -> pl.DataFrame:
    keys = lines.select("row_number", "municipality_code", "report_id")
    reasons = pl.DataFrame(
        [(rule, en, fi) for rule, (en, fi) in REJECTION_REASONS.items()],
        schema=["rule", "reason", "reason_fi"],
        orient="row",
    )
    return (
        failures.unique()
        .join(keys, on="row_number", how="left")
        .join(reasons, on="rule", how="left")
        .with_columns(pl.col("municipality_code", "report_id").fill_null(""))
        .select(list(RESPONSE_REJECTION_DTYPES))
        .cast(RESPONSE_REJECTION_DTYPES)
        .sort("row_number", "field", "rule")
    )


@dataclass(frozen=True)
class SheetValidation:
    """What checking response sheets found: rejection lines, unreadable files, rejected lines."""

    lines: list[str]
    unreadable: list[str]
    rejected: int

    @property
    def exit_code(self) -> int:
        """Return 2 when a sheet cannot be read, 1 when a line is rejected, else 0."""
        return 2 if self.unreadable else 1 if self.rejected else 0


def validate_response_files(
    paths: list[Path],
    proposal_keys: pl.DataFrame,
    lang: str,
    encoding: str | None,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> SheetValidation:
    """Return every rejected line of the sheets at `paths`, without storing anything."""
    lines: list[str] = []
    unreadable: list[str] = []
    rejected = 0
    for path in paths:
        try:
            content = path.read_bytes()
            delivery = Delivery(
                "responses", "", sheet_kind(path.name), str(path), content, encoding
            )
            checked = checked_sheet(delivery, proposal_keys, limits)
        except UnreadableDelivery as error:
            unreadable.append(str(error))
            continue
        except OSError as error:
            unreadable.append(f"{path}: {error.strerror}")
            continue
        lines += format_response_rejections(checked.rejections, str(path), lang)
        rejected += checked.rejections["row_number"].n_unique()
    return SheetValidation(lines, unreadable, rejected)
