"""The social report of CONTRACT.md §1 as a pandera model, with the Finnish labels of its codes.

`tasks.intake.validate` parses a delivered frame into the types of `REPORT_DTYPES`
first and validates the typed, collected frame with `report_schema(...)`:
`ReportModel` plus the checks that depend on configuration (the reference
code lists, the run's day and the source's municipality). Every check is
named after its rule (`required`, `code_list`, `too_long`, …): the name is
what a rejection records, never the failing value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pandera.polars as pa
import polars as pl
from pandera.engines import polars_engine

from schemas.fields import ADDRESSEE_LEVELS, REPORT_TYPES, REPORTER_ROLES, TEXT_LANGUAGES, URGENCIES
from schemas.reference import Reference

EARLIEST_SUBMITTED_ON = date(2019, 1, 1)
REPORT_ID_MAX_CHARS = 64
PHENOMENON_MIN_CHARS = 20
TEXT_MAX_CHARS = 10_000
CLIENTS_AFFECTED_MAX = 100_000
CONTROL_CHARACTER = r"[\x00-\x1F\x7F]"  # no id holds one (PostgreSQL's text takes no NUL)


def printable(text: pl.Expr) -> pl.Expr:
    """Return text without control characters, as a rejection keeps a report id (never a NUL)."""
    return text.str.replace_all(CONTROL_CHARACTER, "")


# Finnish labels accepted for the contract's fixed code lists (lower case, single spaces).
CODE_LABELS_FI: dict[str, dict[str, str]] = {
    "reporter_role": {
        "sosiaalityöntekijä": "social_worker",
        "sosiaaliohjaaja": "social_counsellor",
        "muu ammattilainen": "other_professional",
        "muu ammattihenkilö": "other_professional",
        "järjestötyöntekijä": "ngo_worker",
        "esihenkilö": "manager",
        "esimies": "manager",
        "johtaja": "manager",
        "muu": "other",
    },
    "addressee_level": {
        "kunta": "municipality",
        "hyvinvointialue": "welfare_region",
        "valtakunnallinen": "national",
        "valtio": "national",
        "järjestö tai muu": "ngo_or_other",
        "järjestö": "ngo_or_other",
    },
    "urgency": {
        "matala": "low",
        "alhainen": "low",
        "keskitaso": "medium",
        "kohtalainen": "medium",
        "korkea": "high",
        "kiireellinen": "high",
    },
    "report_type": {
        "ongelma": "problem",
        "epäkohta": "problem",
        "hyvä käytäntö": "good_practice",
        "heikko signaali": "weak_signal",
    },
    "language": {
        "suomi": "fi",
        "ruotsi": "sv",
        "pohjoissaame": "se",
        "inarinsaame": "smn",
        "koltansaame": "sms",
        "englanti": "en",
    },
}
FIXED_CODES: dict[str, tuple[str, ...]] = {
    "reporter_role": REPORTER_ROLES,
    "addressee_level": ADDRESSEE_LEVELS,
    "urgency": URGENCIES,
    "report_type": REPORT_TYPES,
    "language": TEXT_LANGUAGES,
}


CheckFunction = Callable[[pa.PolarsData], pl.LazyFrame]


def _max_chars(limit: int) -> CheckFunction:
    """Return a check function: the column's text has at most `limit` characters."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.len_chars() <= limit)

    return check


def _in_codes(codes: Sequence[str]) -> CheckFunction:
    """Return a check function: the column's value (or every item of its list) is one of `codes`."""
    allowed = pl.Series(list(codes), dtype=pl.String).implode()

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        column = pl.col(data.key)
        if isinstance(data.lazyframe.collect_schema()[data.key], pl.List):
            return data.lazyframe.select(column.list.eval(pl.element().is_in(allowed)).list.all())
        return data.lazyframe.select(column.is_in(allowed))

    return check


class ReportModel(pa.DataFrameModel):
    """A valid social report (CONTRACT.md §1): one row per report.

    The key is (`municipality_code`, `report_id`). Lineage columns may ride
    along. Checks against configuration are added by `report_schema`.
    """

    report_id: str = pa.Field(description="The report's id in its municipality, 1–64 characters.")
    municipality_code: str = pa.Field(
        description="Three-digit code of the municipality, in the municipality list."
    )
    submitted_on: pl.Date = pa.Field(
        description="Day the report was submitted: not before 2019-01-01, not in the future."
    )
    updated_at: polars_engine.DateTime = pa.Field(
        dtype_kwargs={"time_unit": "us", "time_zone": "UTC"},
        description="Last change in the source (UTC); defaults to submitted_on 00:00 Helsinki.",
    )
    reporter_role: str = pa.Field(description="Role of the reporter: a code of REPORTER_ROLES.")
    theme: str = pa.Field(description="Main theme: a code of the theme list.")
    secondary_themes: polars_engine.List = pa.Field(
        dtype_kwargs={"inner": pl.String},
        description="Other themes: codes of the theme list, none repeating `theme`; may be empty.",
    )
    target_group: str = pa.Field(description="Whom it touches: a code of the target-group list.")
    clients_affected: pl.Int64 = pa.Field(
        nullable=True, description="Estimated clients in this situation, 0–100000."
    )
    phenomenon: str = pa.Field(description="What was observed: 20–10000 characters, trimmed.")
    causes: str = pa.Field(nullable=True, description="Why it happens: at most 10000 characters.")
    consequences: str = pa.Field(
        nullable=True, description="What follows: at most 10000 characters."
    )
    proposal: str = pa.Field(nullable=True, description="What should be done: ≤ 10000 characters.")
    addressee_level: str = pa.Field(description="To whom it is addressed: ADDRESSEE_LEVELS.")
    urgency: str = pa.Field(description="How urgent: a code of URGENCIES.")
    consent_to_quote: bool = pa.Field(description="Whether the text may be quoted after redaction.")
    report_type: str = pa.Field(description="problem, good_practice or weak_signal.")
    language: str = pa.Field(description="Language of the free text: a code of TEXT_LANGUAGES.")

    class Config:
        """Lineage columns may ride along; dtypes are parsed before, never coerced."""

        name = "report"
        strict = False
        coerce = False

    @pa.check("municipality_code", name="format")
    @classmethod
    def _three_digits(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.contains(r"^[0-9]{3}$"))

    @pa.check("report_id", name="format")
    @classmethod
    def _report_id_printable(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.col(data.key).str.contains(CONTROL_CHARACTER))

    @pa.check("report_id", name="too_long")
    @classmethod
    def _report_id_length(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _max_chars(REPORT_ID_MAX_CHARS)(data)

    @pa.check("phenomenon", "causes", "consequences", "proposal", name="too_long")
    @classmethod
    def _text_length(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _max_chars(TEXT_MAX_CHARS)(data)

    @pa.check("phenomenon", name="too_short")
    @classmethod
    def _phenomenon_length(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).str.len_chars() >= PHENOMENON_MIN_CHARS)

    @pa.check("submitted_on", name="too_early")
    @classmethod
    def _submitted_since_2019(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key) >= EARLIEST_SUBMITTED_ON)

    @pa.check("clients_affected", name="range")
    @classmethod
    def _clients_range(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key).is_between(0, CLIENTS_AFFECTED_MAX))

    @pa.check(*FIXED_CODES, name="code_list")
    @classmethod
    def _fixed_codes(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return _in_codes(FIXED_CODES[data.key])(data)

    @pa.check("secondary_themes", name="repeats_theme")
    @classmethod
    def _not_main_theme(cls, data: pa.PolarsData) -> pl.LazyFrame:
        repeats = pl.col(data.key).list.contains(pl.col("theme"))
        return data.lazyframe.select(pl.col("theme").is_null() | ~repeats)


def report_schema(
    reference: Reference, today: date, expected_municipality: str | None = None
) -> pa.DataFrameSchema:
    """Return `ReportModel` as a schema with the checks against configuration added.

    Args:
        reference: the code lists (municipalities, themes, target groups).
        today: the run's day; `submitted_on` may not be after it.
        expected_municipality: the source's municipality code; rows of another are rejected.
    """
    schema = ReportModel.to_schema()
    added = {
        "municipality_code": [pa.Check(_in_codes(reference.municipality_codes), name="code_list")],
        "submitted_on": [pa.Check(_not_after(today), name="in_future")],
        "theme": [pa.Check(_in_codes(reference.theme_codes), name="code_list")],
        "secondary_themes": [pa.Check(_in_codes(reference.theme_codes), name="code_list")],
        "target_group": [pa.Check(_in_codes(reference.target_group_codes), name="code_list")],
    }
    if expected_municipality is not None:
        mismatch = pa.Check(
            _same_municipality(expected_municipality, reference.municipality_codes),
            name="municipality_mismatch",
        )
        added["municipality_code"].append(mismatch)
    columns = {
        name: {"checks": schema.columns[name].checks + checks} for name, checks in added.items()
    }
    return schema.update_columns(columns)


def _not_after(today: date) -> CheckFunction:
    """Return a check function: the column's day is not after `today`."""

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key) <= today)

    return check


def _same_municipality(expected: str, codes: Sequence[str]) -> CheckFunction:
    """Return a check function: a known municipality code equals `expected` (unknown: code_list)."""
    known = pl.Series(list(codes), dtype=pl.String).implode()

    def check(data: pa.PolarsData) -> pl.LazyFrame:
        column = pl.col(data.key)
        return data.lazyframe.select((column == expected) | ~column.is_in(known))

    return check
