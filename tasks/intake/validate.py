"""Parse delivered reports into the contract's types, validate them, and reject what fails.

Parsing runs in polars first (pandera's coercion loses rows on dirty input, see
STACK.md): each field is read from its accepted written forms, and a value
that cannot be read becomes null and a `format` failure of its row. The
typed, collected frame is then validated with `schemas.report.report_schema`
(`lazy=True`), whose failure cases (column, check, row index) become
rejections. Every failure of the batch is reported at once: one rejection per
rejected row and failed field (two different rules of one field give two
rows). Reasons are plain words from `_REASONS`, in English and Finnish; the
delivered value of a code, date or number field is quoted only when it has at
most 40 characters, and only after redaction. No free-text value and no
report text ever reaches a reason: pandera's `failure_case` column is never
read, and its `SchemaErrors` is neither logged nor re-raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandera.polars as pa
import polars as pl
from pandera.config import config_context

from schemas.fields import (
    FIELD_HEADERS_FI,
    FREE_TEXT_FIELDS,
    LINEAGE_DTYPES,
    REJECTION_DTYPES,
    REPORT_DTYPES,
    REPORT_FIELDS,
)
from schemas.reference import Reference
from schemas.report import CODE_LABELS_FI, FIXED_CODES, printable, report_schema
from tasks.intake.redact import IDENTITY_CODE, normalised_text, redacted_text

HELSINKI = "Europe/Helsinki"
QUOTE_MAX_CHARS = 40
_ROW = "_row"

_DMY = r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$"
_ISO_DATE = r"^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?$"
_ISO_TIMESTAMP = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]{1,9})?)?"
    r"\s*(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)
_DMY_TIMESTAMP = (
    r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})\s+([0-9]{1,2})[:.]([0-9]{2})(?:[:.]([0-9]{2}))?$"
)
_INTEGER = r"^([+-]?[0-9]+)(?:[.,]0+)?$"
_THOUSANDS = r"^[0-9]{1,3}(?:[ \u00a0][0-9]{3})+$"
_BOOLEANS = {
    **dict.fromkeys(("kyllä", "k", "true", "yes", "1", "1.0"), True),
    **dict.fromkeys(("ei", "e", "false", "no", "0", "0.0"), False),
}
_DEFAULTS = {"report_type": "problem", "language": "fi"}
_PARSED_FIELDS = ("submitted_on", "updated_at", "clients_affected", "consent_to_quote")
_ISO_WITH_OFFSET = "%Y-%m-%dT%H:%M:%S%.f%:z"
_QUOTED_RULES = ("format", "code_list", "municipality_mismatch", "range", "date_range")
_UNQUOTED_FIELDS = ("report_id", *FREE_TEXT_FIELDS)

# check name, field (None: any) -> rule, English words, Finnish words
_REASONS: dict[tuple[str, str | None], tuple[str, str, str]] = {
    ("not_nullable", None): ("required", "missing", "puuttuu"),
    ("format", None): ("format", "unreadable value", "arvoa ei voi lukea"),
    ("format", "municipality_code"): ("format", "not a 3-digit code", "ei kolminumeroinen koodi"),
    ("format", "report_id"): ("format", "holds control characters", "sisältää ohjausmerkkejä"),
    ("format", "submitted_on"): (
        "format",
        "not a date (d.m.yyyy or yyyy-mm-dd)",
        "ei päivämäärä (p.k.vvvv tai vvvv-kk-pp)",
    ),
    ("format", "updated_at"): (
        "format",
        "not a timestamp (ISO 8601 or d.m.yyyy hh:mm)",
        "ei aikaleima (ISO 8601 tai p.k.vvvv hh:mm)",
    ),
    ("format", "clients_affected"): ("format", "not a whole number", "ei kokonaisluku"),
    ("format", "consent_to_quote"): (
        "format",
        "not a yes/no value (kyllä/ei, true/false, 1/0)",
        "ei kyllä/ei-arvo (kyllä/ei, true/false, 1/0)",
    ),
    ("code_list", None): ("code_list", "unknown code", "tuntematon koodi"),
    ("code_list", "municipality_code"): (
        "code_list",
        "not in the municipality list",
        "ei kuntaluettelossa",
    ),
    ("too_long", None): ("too_long", "longer than 10000 characters", "yli 10000 merkkiä"),
    ("too_long", "report_id"): ("too_long", "longer than 64 characters", "yli 64 merkkiä"),
    ("personal_data", "report_id"): (
        "personal_data",
        "looks like a personal identity code: use an id that names no one",
        "näyttää henkilötunnukselta: käytä tunnusta, josta ei tunnista ketään",
    ),
    ("too_short", None): (
        "too_short",
        "shorter than 20 characters",
        "alle 20 merkkiä",
    ),
    ("too_early", None): ("date_range", "before 2019-01-01", "ennen 1.1.2019"),
    ("in_future", None): ("date_range", "in the future", "tulevaisuudessa"),
    ("range", None): ("range", "outside 0–100000", "ei välillä 0–100000"),
    ("repeats_theme", None): ("repeats_theme", "repeats the main theme", "toistaa pääteeman"),
    ("municipality_mismatch", None): (
        "municipality_mismatch",
        "differs from the source's municipality",
        "eri kuin lähteen kunta",
    ),
}
_UNKNOWN_REASON = ("invalid", "invalid value", "virheellinen arvo")
_FAILURE_SCHEMA = {_ROW: pl.UInt32(), "field": pl.String(), "check": pl.String()}


@dataclass(frozen=True)
class Validated:
    """Valid reports (a report frame) and the rejections of the others (a rejection frame)."""

    reports: pl.DataFrame
    rejections: pl.DataFrame


def validated_reports(
    delivered: pl.DataFrame,
    expected_municipality: str | None,
    reference: Reference,
    today: date,
) -> Validated:
    """Return the delivered rows parsed and validated: valid reports and rejections.

    Args:
        delivered: a delivered frame (all fields text, plus lineage), already redacted.
        expected_municipality: the source's municipality code; rows of another are rejected.
        reference: the code lists that codes and Finnish labels are checked against.
        today: the run's day in Helsinki; `submitted_on` may not be after it.

    Returns:
        `Validated`: valid rows typed as `REPORT_DTYPES` plus lineage, and one
        rejection per rejected row and failed field (every failure at once).
    """
    raw = _complete(delivered).with_row_index(_ROW)
    typed = _typed(raw, reference)
    schema_failures = _schema_failures(typed, reference, today, expected_municipality)
    own_failures = [_parse_failures(typed), _personal_id_failures(typed)]
    failures = _deduplicated(pl.concat([*own_failures, schema_failures]))
    reports = typed.filter(~pl.col(_ROW).is_in(failures[_ROW].implode()))
    return Validated(
        reports=reports.select(*REPORT_FIELDS, *LINEAGE_DTYPES).cast(
            REPORT_DTYPES | LINEAGE_DTYPES
        ),
        rejections=_rejections(failures, raw, typed, expected_municipality),
    )


def format_rejections(rejections: pl.DataFrame, lang: str = "en") -> list[str]:
    """Return one readable line per rejection: file, row number, report id, field and reason."""
    words = {"en": ("row", "report", "reason"), "fi": ("rivi", "raportti", "reason_fi")}
    row, report, reason = words["fi" if lang == "fi" else "en"]
    line = pl.format(
        "{}, {} {}, {} {}: {}",
        pl.col("delivery").fill_null(""),
        pl.lit(row),
        pl.col("row_number").cast(pl.String).fill_null("?"),
        pl.lit(report),
        pl.when(pl.col("report_id").fill_null("") == "").then(pl.lit("-")).otherwise("report_id"),
        pl.col(reason),
    )
    return rejections.select(line.alias("line"))["line"].to_list()


def _complete(delivered: pl.DataFrame) -> pl.DataFrame:
    """Return `delivered` with every contract field as text and every lineage column present."""
    wanted = dict.fromkeys(REPORT_FIELDS, pl.String()) | LINEAGE_DTYPES
    columns = [
        pl.col(name).cast(dtype) if name in delivered.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in wanted.items()
    ]
    return delivered.with_columns(columns)


def _clean(field: str) -> pl.Expr:
    """Return the field's text trimmed, with an empty text as null."""
    text = pl.col(field).str.strip_chars()
    return pl.when(text != "").then(text)


def _trimmed(text: pl.Series) -> pl.Series:
    """Return a free text trimmed (blank as null), touching only the texts that need it."""
    trimmed_bytes = text.str.strip_chars().str.len_bytes()
    padded = (trimmed_bytes != text.str.len_bytes()).fill_null(False)
    rows = (padded | (text == "").fill_null(False)).arg_true()
    if rows.is_empty():
        return text
    name = text.name
    fixed = text.gather(rows).to_frame().select(_clean(name))[name]
    return text.clone().scatter(rows, fixed)


def _normalized(text: pl.Expr) -> pl.Expr:
    """Return a code or label lower-cased, trimmed, inner whitespace as single spaces."""
    return text.str.strip_chars().str.to_lowercase().str.replace_all(r"\s+", " ")


def _code_maps(reference: Reference) -> dict[str, dict[str, str]]:
    """Return, per code field, its normalized codes and Finnish labels mapped to the codes."""
    maps = {
        field: CODE_LABELS_FI.get(field, {}) | {code: code for code in codes}
        for field, codes in FIXED_CODES.items()
    }
    for field, codes in (("theme", reference.themes), ("target_group", reference.target_groups)):
        pairs = zip(codes["code"].to_list(), codes["fi"].to_list(), strict=True)
        labels = {" ".join(str(label).split()).lower(): code for code, label in pairs if label}
        maps[field] = labels | {code.lower(): code for code in codes["code"].to_list()}
    maps["secondary_themes"] = maps["theme"]
    return maps


def _code(field: str, mapping: dict[str, str]) -> pl.Expr:
    """Return the field mapped to its code; an unknown value stays (normalized) for the schema."""
    text = _normalized(_clean(field)).replace(mapping)
    return text.fill_null(_DEFAULTS[field]) if field in _DEFAULTS else text


def _secondary_themes(mapping: dict[str, str]) -> pl.Expr:
    """Return the secondary themes as a list of codes, labels mapped, repeats dropped."""
    text = _clean("secondary_themes").str.replace_all(r'^\[|\]$|"', "")
    items = text.str.replace_all(r"[,;]", "|").str.split("|")
    codes = items.list.eval(_normalized(pl.element()).replace(mapping))
    kept = codes.list.eval(pl.element().filter(pl.element() != "")).list.unique(maintain_order=True)
    return kept.fill_null(pl.lit([], dtype=pl.List(pl.String)))


def _municipality_code() -> pl.Expr:
    """Return the municipality code, a 1–3 digit number left-padded to 3 digits."""
    text = _clean("municipality_code")
    return pl.coalesce(text.str.extract(r"^([0-9]{1,3})(?:\.0+)?$").str.zfill(3), text)


def _date(field: str) -> pl.Expr:
    """Return the field read as d.m.yyyy, dd.mm.yyyy or ISO yyyy-mm-dd (null when unreadable)."""
    text = _clean(field)
    day_first = pl.when(text.str.contains(_DMY)).then(text.str.to_date("%d.%m.%Y", strict=False))
    iso = text.str.extract(_ISO_DATE).str.to_date("%Y-%m-%d", strict=False)
    return pl.coalesce(day_first, iso)


def _submitted_on() -> pl.Expr:
    """Return submitted_on: a date, or the Helsinki day of an ISO 8601 date-time."""
    moment = _iso_timestamp(_clean("submitted_on"))
    return pl.coalesce(_date("submitted_on"), moment.dt.convert_time_zone(HELSINKI).dt.date())


def _local_to_utc(naive: pl.Expr) -> pl.Expr:
    """Return naive Helsinki wall-clock times as UTC (a time skipped by summer time is null)."""
    local = naive.dt.replace_time_zone(HELSINKI, ambiguous="earliest", non_existent="null")
    return local.dt.convert_time_zone("UTC")


def _iso_timestamp(text: pl.Expr) -> pl.Expr:
    """Return an ISO 8601 timestamp as UTC; without an offset it is Helsinki time."""
    iso = text.str.extract_groups(_ISO_TIMESTAMP)
    wall = pl.format(
        "{} {}:{}:{}{}",
        iso.struct[0],
        iso.struct[1].str.zfill(2),
        iso.struct[2],
        iso.struct[3].fill_null("00"),
        iso.struct[4].fill_null(""),
    )
    offset = iso.struct[5].replace({"Z": "+00:00"}).str.replace(r"^([+-][0-9]{2})$", "${1}:00")
    aware = pl.concat_str(wall, offset).str.to_datetime(
        "%Y-%m-%d %H:%M:%S%.f%z", strict=False, time_unit="us", time_zone="UTC"
    )
    naive = wall.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
    return pl.when(offset.is_not_null()).then(aware).otherwise(_local_to_utc(naive))


def _finnish_timestamp(text: pl.Expr) -> pl.Expr:
    """Return a `d.m.yyyy hh:mm[:ss]` Helsinki timestamp (`:` or `.` in the time) as UTC."""
    fi = text.str.extract_groups(_DMY_TIMESTAMP)
    wall = pl.format(
        "{}-{}-{} {}:{}:{}",
        fi.struct[2],
        fi.struct[1].str.zfill(2),
        fi.struct[0].str.zfill(2),
        fi.struct[3].str.zfill(2),
        fi.struct[4],
        fi.struct[5].fill_null("00"),
    )
    return _local_to_utc(wall.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"))


def _updated_at() -> pl.Expr:
    """Return updated_at as UTC: ISO 8601, d.m.yyyy hh:mm[:ss] or a day (00:00 Helsinki)."""
    text = _clean("updated_at")
    day = _local_to_utc(_date("updated_at").cast(pl.Datetime("us")))
    return pl.coalesce(_iso_timestamp(text), _finnish_timestamp(text), day)


def _integer(field: str) -> pl.Expr:
    """Return the field as a whole number (`12`, `1 200`, Excel's `12.0`), null when unreadable."""
    text = _clean(field)
    grouped = text.str.contains(_THOUSANDS)
    digits = pl.when(grouped).then(text.str.replace_all(r"\s", "")).otherwise(text)
    return digits.str.extract(_INTEGER).str.to_integer(strict=False)


def _boolean(field: str) -> pl.Expr:
    """Return the field as a boolean (kyllä/ei, k/e, true/false, yes/no, 1/0), else null."""
    return _normalized(_clean(field)).replace_strict(
        _BOOLEANS, default=None, return_dtype=pl.Boolean
    )


def _parsed(field: str, maps: dict[str, dict[str, str]]) -> pl.Expr:
    """Return the expression that reads `field` into its contract type."""
    if field == "secondary_themes":
        return _secondary_themes(maps[field])
    if field in maps:
        return _code(field, maps[field])
    readers = {
        "report_id": lambda: _clean(field),
        "municipality_code": _municipality_code,
        "submitted_on": _submitted_on,
        "updated_at": _updated_at,
        "clients_affected": lambda: _integer(field),
        "consent_to_quote": lambda: _boolean(field),
    }
    return readers.get(field, lambda: pl.col(field))().alias(field)


def _column_plan(raw: pl.LazyFrame, field: str, maps: dict[str, dict[str, str]]) -> pl.LazyFrame:
    """Return a plan of the typed field (and its `_bad_` flag), parsing each distinct value once."""
    parsed = _parsed(field, maps)
    outputs = [parsed]
    if field in _PARSED_FIELDS:
        outputs.append((_clean(field).is_not_null() & parsed.is_null()).alias(f"_bad_{field}"))
    if field == "report_id":
        return raw.select(outputs)
    distinct = raw.select(pl.col(field).unique()).select(pl.col(field).alias("_raw"), *outputs)
    joined = raw.select(pl.col(field).alias("_raw")).join(
        distinct, on="_raw", how="left", nulls_equal=True, maintain_order="left"
    )
    return joined.drop("_raw")


def _updated_at_column(raw: pl.DataFrame) -> pl.DataFrame:
    """Return updated_at and its `_bad_` flag: the usual ISO form at once, the others one by one."""
    text = _clean("updated_at")
    usual = text.str.to_datetime(_ISO_WITH_OFFSET, strict=False, time_unit="us", time_zone="UTC")
    first = raw.select(usual.alias("updated_at"), text.is_not_null().alias("present"))
    parsed, present = first["updated_at"], first["present"]
    rest = (parsed.is_null() & present).arg_true()
    if not rest.is_empty():
        others = raw.select(pl.col("updated_at").gather(rest)).select(_updated_at())
        parsed = parsed.clone().scatter(rest, others.to_series())
    return pl.DataFrame({"updated_at": parsed, "_bad_updated_at": present & parsed.is_null()})


def _typed(raw: pl.DataFrame, reference: Reference) -> pl.DataFrame:
    """Return the contract fields typed, defaults applied, with `_bad_<field>` flags and lineage."""
    maps = _code_maps(reference)
    planned = [f for f in REPORT_FIELDS if f not in (*FREE_TEXT_FIELDS, "updated_at")]
    plans = [_column_plan(raw.lazy(), field, maps) for field in planned]
    parsed = pl.concat(
        [raw.select(_ROW), *pl.collect_all(plans), _updated_at_column(raw)], how="horizontal"
    )
    texts = [_trimmed(raw[field]) for field in FREE_TEXT_FIELDS]
    midnight = _local_to_utc(pl.col("submitted_on").cast(pl.Datetime("us")))
    return (
        parsed.with_columns(*texts, *(raw[name] for name in LINEAGE_DTYPES))
        .with_columns(
            pl.col("updated_at").fill_null(midnight),
            pl.col("consent_to_quote").fill_null(False),
        )
        .select(_ROW, *REPORT_FIELDS, *LINEAGE_DTYPES, pl.col("^_bad_.*$"))
    )


def _parse_failures(typed: pl.DataFrame) -> pl.DataFrame:
    """Return one failure (row, field, check `format`) per value that could not be read."""
    return pl.concat(
        typed.filter(f"_bad_{field}").select(_ROW, field=pl.lit(field), check=pl.lit("format"))
        for field in _PARSED_FIELDS
    )


def _personal_id_failures(typed: pl.DataFrame) -> pl.DataFrame:
    """Return a failure (check `personal_data`) per report id shaped like an identity code.

    An id goes into the warehouse's keys, lineage and the feedback: one that is an identity
    code would carry it there. Only a code standing alone counts (`131052-308T`,
    `hetu 131052-308T`), so that a UUID whose hex happens to hold one is not rejected.
    """
    standalone = "(?:^|[^0-9A-Za-z])(?:" + IDENTITY_CODE + ")(?:$|[^0-9A-Za-z])"
    personal = normalised_text(pl.col("report_id").fill_null("")).str.contains(standalone)
    return typed.filter(personal).select(
        pl.col(_ROW), field=pl.lit("report_id"), check=pl.lit("personal_data")
    )


def _schema_failures(
    typed: pl.DataFrame, reference: Reference, today: date, expected: str | None
) -> pl.DataFrame:
    """Return one failure (row, field, check) per failed check of the pandera schema."""
    schema = report_schema(reference, today, expected)
    cases = None
    with config_context(validation_enabled=True, validation_depth="SCHEMA_AND_DATA"):
        try:
            schema.validate(typed.select(REPORT_FIELDS), lazy=True)
        except pa.errors.SchemaErrors as errors:
            cases = errors.failure_cases.select("index", "column", "check")
    if cases is None:
        return pl.DataFrame(schema=_FAILURE_SCHEMA)
    _fail_on_whole_column(cases)
    return cases.select(
        pl.col("index").cast(pl.UInt32).alias(_ROW),
        pl.col("column").alias("field"),
        pl.col("check"),
    )


def _fail_on_whole_column(cases: pl.DataFrame) -> None:
    """Raise when a check failed for a whole column: the parser produced a wrong type (a bug)."""
    whole = cases.filter(pl.col("index").is_null())
    if not whole.is_empty():
        names = ", ".join(f"{c} ({k})" for c, k in whole.select("column", "check").iter_rows())
        raise TypeError(f"typed report frame does not match the report schema: {names}")


def _cell(field: pl.Expr) -> pl.Expr:
    """Return one integer per (row, field): a cheap key to compare and sort failures by."""
    order = {name: position for position, name in enumerate(REPORT_FIELDS)}
    position = field.replace_strict(order, default=len(order), return_dtype=pl.UInt64)
    return pl.col(_ROW).cast(pl.UInt64) * (len(order) + 1) + position


def _deduplicated(failures: pl.DataFrame) -> pl.DataFrame:
    """Return the failures, a `format` failure hiding the others of its row and field.

    An unreadable value is null after parsing, so `required` (or, for a malformed
    municipality code, `code_list`) would only echo it; `updated_at` is never
    missing by itself (it defaults to `submitted_on`).
    """
    is_format = pl.col("check") == "format"
    unreadable = failures.filter(is_format).select(_cell(pl.col("field")))
    echo = ~is_format & _cell(pl.col("field")).is_in(unreadable.to_series().implode())
    defaulted = (pl.col("field") == "updated_at") & (pl.col("check") == "not_nullable")
    return failures.filter(~echo & ~defaulted)


def _reasons(failures: pl.DataFrame, expected: str | None) -> pl.DataFrame:
    """Return rule and reason words for each distinct (field, check) of the failures."""
    rows = []
    for field, check in failures.select("field", "check").unique().iter_rows():
        rule, en, fi = _REASONS.get((check, field)) or _REASONS.get((check, None), _UNKNOWN_REASON)
        if rule == "municipality_mismatch" and expected:
            en, fi = f"{en} {expected}", f"{fi} {expected}"
        rows.append(
            (field, check, rule, f"{field}: {en}", f"{FIELD_HEADERS_FI.get(field, field)}: {fi}")
        )
    return pl.DataFrame(
        rows, schema=["field", "check", "rule", "reason", "reason_fi"], orient="row"
    )


def _quote(value: pl.Expr) -> pl.Expr:
    """Return a delivered value fit to quote: whitespace folded, redacted, only when ≤ 40 chars."""
    text = value.str.replace_all(r"\s+", " ").str.strip_chars()
    quote = pl.when(text.str.len_chars() <= QUOTE_MAX_CHARS).then(redacted_text(text))
    return pl.when(quote != "").then(quote)


def _quotes(worded: pl.DataFrame, raw: pl.DataFrame) -> pl.Series:
    """Return, aligned with the failures, the quotable delivered value of each (else null)."""
    fields = [f for f in REPORT_FIELDS if f not in _UNQUOTED_FIELDS]
    quotable = worded["rule"].is_in(_QUOTED_RULES) & worded["field"].is_in(fields)
    values = pl.repeat(None, worded.height, dtype=pl.String, eager=True)
    for field in worded.filter(quotable)["field"].unique():
        at = (quotable & (worded["field"] == field)).arg_true()
        values = values.scatter(at, raw[field].gather(worded[_ROW].gather(at)))
    distinct = values.drop_nulls().unique().to_frame("value")
    quotes = distinct.select(pl.col("value"), quote=_quote(pl.col("value")))
    return values.replace_strict(quotes["value"], quotes["quote"], default=None)


def _rejections(
    failures: pl.DataFrame, raw: pl.DataFrame, typed: pl.DataFrame, expected: str | None
) -> pl.DataFrame:
    """Return the rejection frame: one row per failure with lineage, rule and reasons."""
    if failures.is_empty():
        return pl.DataFrame(schema=REJECTION_DTYPES)
    worded = (
        failures.join(_reasons(failures, expected), on=["field", "check"], how="left")
        .with_columns(_cell=_cell(pl.col("field")))
        .sort("_cell", "rule")
    )
    own_code = pl.col("municipality_code").str.contains(r"^[0-9]{3}$").fill_null(False)
    lineage = typed.select(
        "source_id",
        "delivery",
        "row_number",
        report_id=printable(pl.col("report_id")).str.slice(0, 64).fill_null(""),
        municipality_code=pl.when(own_code)
        .then("municipality_code")
        .otherwise(pl.lit(expected or "")),
    ).select(pl.all().gather(worded[_ROW]))
    return (
        pl.concat([worded, lineage], how="horizontal")
        .with_columns(quote=_quotes(worded, raw))
        .with_columns(
            reason=_with_quote("reason", "value"),
            reason_fi=_with_quote("reason_fi", "arvo"),
        )
        .select(list(REJECTION_DTYPES))
        .cast(REJECTION_DTYPES)
    )


def _with_quote(reason: str, word: str) -> pl.Expr:
    """Return the reason with its quoted value appended when there is one."""
    suffix = pl.format(' ({} "{}")', pl.lit(word), pl.col("quote"))
    return pl.when(pl.col("quote").is_not_null()).then(pl.col(reason) + suffix).otherwise(reason)
