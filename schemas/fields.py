"""Field names, codes and frame shapes of the contract (CONTRACT.md §1–2).

Every stage passes polars frames of three shapes:

- a *delivered* frame: the contract's fields, all `pl.String`, plus the
  lineage columns of `LINEAGE_DTYPES` (what `tasks.intake.parse` returns);
- a *report* frame: the contract's fields with the types of `REPORT_DTYPES`,
  plus the lineage columns (what `tasks.intake.validate` passes on as valid);
- a *rejection* frame: one row per rejected row and failed field, with the
  columns of `REJECTION_DTYPES`, never the free text.
"""

from __future__ import annotations

import polars as pl

REPORT_FIELDS: tuple[str, ...] = (
    "report_id",
    "municipality_code",
    "submitted_on",
    "updated_at",
    "reporter_role",
    "theme",
    "secondary_themes",
    "target_group",
    "clients_affected",
    "phenomenon",
    "causes",
    "consequences",
    "proposal",
    "addressee_level",
    "urgency",
    "consent_to_quote",
    "report_type",
    "language",
)

FINNISH_HEADERS: dict[str, str] = {
    "raportin_tunnus": "report_id",
    "kuntanumero": "municipality_code",
    "jätetty": "submitted_on",
    "päivitetty": "updated_at",
    "raportoijan_rooli": "reporter_role",
    "teema": "theme",
    "muut_teemat": "secondary_themes",
    "kohderyhmä": "target_group",
    "asiakkaita_arviolta": "clients_affected",
    "ilmiö": "phenomenon",
    "syyt": "causes",
    "seuraukset": "consequences",
    "ehdotus": "proposal",
    "kenelle": "addressee_level",
    "kiireellisyys": "urgency",
    "lupa_lainata": "consent_to_quote",
    "raportin_tyyppi": "report_type",
    "kieli": "language",
}
FIELD_HEADERS_FI: dict[str, str] = {field: header for header, field in FINNISH_HEADERS.items()}

REQUIRED_FIELDS: tuple[str, ...] = (
    "report_id",
    "municipality_code",
    "submitted_on",
    "reporter_role",
    "theme",
    "target_group",
    "phenomenon",
    "addressee_level",
    "urgency",
)
FREE_TEXT_FIELDS: tuple[str, ...] = ("phenomenon", "causes", "consequences", "proposal")

REPORTER_ROLES = (
    "social_worker",
    "social_counsellor",
    "other_professional",
    "ngo_worker",
    "manager",
    "other",
)
ADDRESSEE_LEVELS = ("municipality", "welfare_region", "national", "ngo_or_other")
URGENCIES = ("low", "medium", "high")
REPORT_TYPES = ("problem", "good_practice", "weak_signal")
TEXT_LANGUAGES = ("fi", "sv", "se", "smn", "sms", "en")

REPORT_DTYPES: dict[str, pl.DataType] = {
    "report_id": pl.String(),
    "municipality_code": pl.String(),
    "submitted_on": pl.Date(),
    "updated_at": pl.Datetime("us", "UTC"),
    "reporter_role": pl.String(),
    "theme": pl.String(),
    "secondary_themes": pl.List(pl.String()),
    "target_group": pl.String(),
    "clients_affected": pl.Int64(),
    "phenomenon": pl.String(),
    "causes": pl.String(),
    "consequences": pl.String(),
    "proposal": pl.String(),
    "addressee_level": pl.String(),
    "urgency": pl.String(),
    "consent_to_quote": pl.Boolean(),
    "report_type": pl.String(),
    "language": pl.String(),
}

LINEAGE_DTYPES: dict[str, pl.DataType] = {
    "source_id": pl.String(),  # the SourceConfig.source_id the row came from
    "delivery": pl.String(),  # the delivery's name: file path, URL or SQL extract label
    "delivery_sha256": pl.String(),  # sha256 of the delivery's raw bytes
    "delivery_seq": pl.Int64(),  # delivery order: later deliveries have higher numbers
    "row_number": pl.Int64(),  # CSV line, Excel row, or 1-based JSON/SQL position
}

REJECTION_DTYPES: dict[str, pl.DataType] = {
    "source_id": pl.String(),
    "municipality_code": pl.String(),
    "report_id": pl.String(),
    "delivery": pl.String(),
    "row_number": pl.Int64(),
    "field": pl.String(),
    "rule": pl.String(),  # short code of the failed rule, e.g. `required`, `code_list`
    "reason": pl.String(),  # plain English, never a free-text value
    "reason_fi": pl.String(),  # the same in Finnish, for the municipality's feedback
}

REJECTED_ROW_KEY: tuple[str, ...] = ("source_id", "delivery", "row_number")  # one delivered row


def distinct_rejected_rows() -> pl.Expr:
    """Return the expression counting distinct rejected rows (a row may break several rules)."""
    return pl.struct(*REJECTED_ROW_KEY).n_unique()


def count_rejected_rows(rejections: pl.DataFrame) -> int:
    """Return how many distinct delivered rows `rejections` holds."""
    return rejections.select(distinct_rejected_rows()).item() if rejections.height else 0


def delivering_municipality() -> pl.Expr:
    """Return the municipality whose source delivered a rejected row (from its source id)."""
    return pl.col("source_id").str.split("-").list.first()


def empty_rejections() -> pl.DataFrame:
    """Return a rejection frame with no rows."""
    return pl.DataFrame(schema=REJECTION_DTYPES)
