"""The demo inbox: realistic, deterministic deliveries from all 21 municipalities of Lapland.

`demo_reports` is the pure ground truth (every row as delivered, with the faults and
personal data planted in it); `write_demo_inbox` writes it as the municipalities would
deliver it (SQLite, CSV, XLSX and JSON files) plus the `sources.toml` that describes them.
Same quarter and seed, same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sqlite3
import uuid
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import polars as pl
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from demo.text import report_texts, text_slots, with_personal_data
from schemas.fields import FIELD_HEADERS_FI, REPORT_DTYPES, REPORT_FIELDS
from schemas.quarter import HELSINKI, Quarter, quarter_range
from schemas.reference import Reference, load_reference

HISTORY_QUARTERS = 8
SQL_URL_ENV = "RAPORTTI_DEMO_ROVANIEMI_DB"

GROUND_TRUTH_DTYPES: dict[str, pl.DataType] = {
    **REPORT_DTYPES,
    "source_id": pl.String(),  # SourceConfig.source_id, e.g. "851-csv"
    "delivery": pl.String(),  # file path relative to the inbox folder
    "planted_fault": pl.String(),  # kind of planted invalid value, null for valid rows
    "fault_field": pl.String(),  # the contract field the fault breaks
    "fault_value": pl.String(),  # the text delivered in `fault_field` (null when left empty)
    "redaction_kinds": pl.List(pl.String()),  # identity_code/phone/email planted in the text
    "as_label": pl.List(pl.String()),  # fields delivered as their Finnish label, not the code
    "superseded": pl.Boolean(),  # True when a later delivery of the same key replaces the row
}


@dataclass(frozen=True)
class DemoInbox:
    """What `write_demo_inbox` wrote: the sources file, the variables it needs, the ground truth."""

    sources_file: Path
    environment: dict[str, str]
    reports: pl.DataFrame


@dataclass(frozen=True)
class _Layout:
    """How one municipality lays out its deliveries."""

    kind: str
    file_name: str  # with {quarter}; the SQLite file for `sql`
    encoding: str = "utf-8"
    delimiter: str = ";"
    finnish_headers: bool = True
    dates: str = "d.m.yyyy"  # or dd.mm.yyyy, iso
    booleans: tuple[str, str] = ("kyllä", "ei")
    labels: bool = False  # some themes and target groups typed as Finnish labels
    omit_defaults: bool = False  # language left empty when Finnish


_SQL = _Layout("sql", "db/rovaniemi.sqlite")
_CSV_CP1252 = _Layout("csv", "raportit-{quarter}.csv", encoding="cp1252", labels=True)
_CSV_FI = _Layout("csv", "raportit_{quarter}.csv", dates="dd.mm.yyyy", booleans=("1", "0"))
_CSV_EN = _Layout(
    "csv",
    "social_reports_{quarter}.csv",
    encoding="utf-8-sig",
    delimiter=",",
    finnish_headers=False,
    dates="iso",
    booleans=("true", "false"),
    omit_defaults=True,
)
_XLSX_FI = _Layout("xlsx", "sosiaaliset-raportit-{quarter}.xlsx", labels=True)
_XLSX_EN = _Layout("xlsx", "social-reports-{quarter}.xlsx", finnish_headers=False, dates="iso")
_JSON = _Layout("json", "export-{quarter}.json")

LAYOUTS: dict[str, _Layout] = {
    "047": _JSON,
    "148": _JSON,
    "240": _XLSX_FI,
    "241": _CSV_EN,
    "261": _XLSX_EN,
    "273": _CSV_FI,
    "320": _XLSX_FI,
    "498": _JSON,
    "583": _CSV_CP1252,
    "614": _XLSX_EN,
    "683": _CSV_EN,
    "698": _SQL,
    "732": _CSV_FI,
    "742": _JSON,
    "751": _CSV_EN,
    "758": _JSON,
    "845": _CSV_CP1252,
    "851": _CSV_CP1252,
    "854": _XLSX_FI,
    "890": _JSON,
    "976": _CSV_EN,
}
VOLUMES: dict[str, tuple[int, int]] = {
    "698": (25, 45),
    "240": (8, 20),
    "851": (8, 20),
    "148": (3, 8),
    "320": (3, 8),
    "758": (3, 8),
}
SMALL_VOLUME_WEIGHTS = {0: 2, 1: 3, 2: 3, 3: 2, 4: 1}

THEME_WEIGHTS: dict[str, float] = {
    "housing": 7,
    "livelihood": 8,
    "debt": 5,
    "employment": 6,
    "mental_health": 9,
    "substance_use": 5,
    "health_functioning": 6,
    "service_access": 12,
    "service_system": 6,
    "digital_exclusion": 4,
    "mobility": 10,
    "loneliness": 8,
    "food_aid": 4,
    "families": 5,
    "violence_safety": 2,
    "sami_services": 0,
    "other": 1,
}
SAMI_HOMELAND_WEIGHT = 10
# Weight multiplier reached in the last quarter, growing linearly from 1 (trends to show).
RISING_THEMES = {"food_aid": 4.0, "debt": 3.0, "mental_health": 2.5, "employment": 0.4}
TARGET_GROUPS: dict[str, dict[str, float]] = {
    "housing": {"homeless": 4, "young_adults": 3, "working_age": 2, "older_people": 1},
    "livelihood": {"unemployed": 3, "working_age": 3, "families": 2, "older_people": 1},
    "debt": {"working_age": 3, "young_adults": 3, "older_people": 1, "families": 1},
    "employment": {"unemployed": 5, "young_adults": 3, "immigrants": 1, "disabled": 1},
    "mental_health": {"young_adults": 4, "working_age": 3, "families": 1, "older_people": 1},
    "substance_use": {"working_age": 3, "young_adults": 3, "homeless": 1, "families": 1},
    "health_functioning": {"older_people": 5, "disabled": 2, "working_age": 1},
    "service_access": {"everyone": 3, "older_people": 3, "working_age": 1, "disabled": 1},
    "service_system": {"everyone": 2, "older_people": 2, "young_adults": 1, "disabled": 1},
    "digital_exclusion": {"older_people": 5, "immigrants": 1, "disabled": 1},
    "mobility": {"older_people": 4, "everyone": 2, "disabled": 2, "young_adults": 1},
    "loneliness": {"older_people": 4, "young_adults": 2, "immigrants": 1, "working_age": 1},
    "food_aid": {"families": 3, "unemployed": 2, "working_age": 2, "older_people": 1},
    "families": {"families": 6},
    "violence_safety": {"families": 2, "working_age": 1, "older_people": 1, "young_adults": 1},
    "sami_services": {"sami": 6, "older_people": 1, "families": 1},
    "other": {"everyone": 2, "other": 2, "working_age": 1},
}
RELATED_THEMES: dict[str, tuple[str, ...]] = {
    "housing": ("livelihood", "debt", "substance_use", "mental_health"),
    "livelihood": ("debt", "food_aid", "employment"),
    "debt": ("livelihood", "mental_health", "food_aid"),
    "employment": ("livelihood", "mobility", "mental_health"),
    "mental_health": ("service_access", "loneliness", "substance_use"),
    "substance_use": ("mental_health", "housing", "families"),
    "health_functioning": ("mobility", "service_access", "loneliness"),
    "service_access": ("mobility", "digital_exclusion", "service_system"),
    "service_system": ("service_access", "mental_health"),
    "digital_exclusion": ("service_access", "loneliness"),
    "mobility": ("service_access", "health_functioning", "loneliness"),
    "loneliness": ("mental_health", "mobility"),
    "food_aid": ("livelihood", "debt", "families"),
    "families": ("livelihood", "mental_health", "violence_safety"),
    "violence_safety": ("families", "substance_use"),
    "sami_services": ("service_access", "health_functioning", "loneliness"),
    "other": ("livelihood", "employment"),
}
ROLES = {
    "social_worker": 45,
    "social_counsellor": 25,
    "other_professional": 12,
    "ngo_worker": 8,
    "manager": 6,
    "other": 4,
}
ADDRESSEES = {"welfare_region": 50, "municipality": 25, "national": 15, "ngo_or_other": 10}
URGENCIES = {"low": 30, "medium": 50, "high": 20}
REPORT_TYPES = {"problem": 82, "good_practice": 9, "weak_signal": 9}
SWEDISH_THEMES = ("mobility", "service_access", "mental_health", "food_aid", "debt", "loneliness")
SAMI_THEMES = ("sami_services", "loneliness", "mobility", "health_functioning")
SWEDISH_SHARE = {"851": 0.12, "240": 0.04}
SAMI_SHARE = 0.25

# (municipality, planted_fault, fault_field, delivered text); all in last_quarter's deliveries.
PLANTED_FAULTS: tuple[tuple[str, str, str, str | None], ...] = (
    ("698", "short_phenomenon", "phenomenon", "Katso liite."),
    ("851", "unknown_theme", "theme", "Lumityöt"),
    ("851", "impossible_date", "submitted_on", "31.2.{year}"),
    ("851", "unknown_urgency", "urgency", "erittäin kiireellinen"),
    ("240", "missing_phenomenon", "phenomenon", None),
    ("240", "municipality_mismatch", "municipality_code", "241"),
    ("148", "date_before_2019", "submitted_on", "2018-{month:02d}-{day:02d}"),
    ("758", "clients_not_integer", "clients_affected", "noin 10"),
    ("320", "unknown_target_group", "target_group", "opiskelijat"),
)
# (municipality, kinds of personal data) planted in valid last_quarter rows: redacted, kept.
PLANTED_PERSONAL_DATA: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("698", ("identity_code",)),
    ("698", ("phone",)),
    ("851", ("email",)),
    ("240", ("identity_code", "phone")),
    ("148", ("identity_code",)),
    ("320", ("phone", "email")),
)
IDENTITY_CODE_FORMS = (("-", False), ("A", False), ("Y", True))  # (century sign, temporary)
PHONES = ("040 123 4567", "+358 40 765 4321", "050-3456789")
EMAILS = ("tiina.korhonen@esimerkki.fi", "j.niemi84@example.com")
CORRECTED_MUNICIPALITY = "851"
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def demo_reports(
    last_quarter: Quarter, reference: Reference | None = None, seed: int = 2026
) -> pl.DataFrame:
    """Return every demo row as delivered (ground truth), in delivery and file order.

    Args:
        last_quarter: the last of the eight quarters of history; planted faults land in it.
        reference: the code lists (the packaged ones by default).
        seed: the random seed; the same seed gives the same rows.

    Returns:
        One row per delivered row with the columns of `GROUND_TRUTH_DTYPES`.
    """
    reference = reference or load_reference()
    quarters = quarter_range(last_quarter.previous(HISTORY_QUARTERS - 1), last_quarter)
    rows = [
        row
        for code in reference.municipality_codes
        for row in _municipality_rows(code, quarters, reference, seed)
    ]
    rows.sort(key=lambda row: (row["delivery"], row["_correction"], row["_day"], row["report_id"]))
    return pl.DataFrame(
        [{name: row[name] for name in GROUND_TRUTH_DTYPES} for row in rows],
        schema=GROUND_TRUTH_DTYPES,
    )


def _municipality_rows(
    code: str, quarters: list[Quarter], reference: Reference, seed: int
) -> list[dict]:
    rng = random.Random(f"{seed}:{code}")
    last = quarters[-1]
    homeland = _sami_homeland(reference, code)
    drafts = [
        _draft(rng, code, quarter, theme, _language(rng, code, theme, homeland), last)
        for index, quarter in enumerate(quarters)
        for theme in _themes(rng, _theme_weights(homeland, index), _volume(rng, code))
    ]
    for fault_code, fault, field, value in PLANTED_FAULTS:
        if fault_code == code:
            theme = _pick(rng, _theme_weights(False, len(quarters) - 1))
            draft = _draft(rng, code, last, theme, "fi", last)
            drafts.append(_faulty(draft, fault, field, value))
    rows = _with_ids(rng, code, sorted(drafts, key=lambda row: row["_day"]))
    rows = _with_personal_data(rng, code, rows, last)
    return _with_correction(rng, code, rows, last) if code == CORRECTED_MUNICIPALITY else rows


def _sami_homeland(reference: Reference, code: str) -> bool:
    municipalities = reference.municipalities
    row = municipalities.filter(pl.col("code") == code).row(0, named=True)
    return str(row.get("sami_homeland", "")).lower() == "true"


def _volume(rng: random.Random, code: str) -> int:
    if code in VOLUMES:
        return rng.randint(*VOLUMES[code])
    return _pick(rng, SMALL_VOLUME_WEIGHTS)


def _pick(rng: random.Random, weights: dict) -> object:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _themes(rng: random.Random, weights: dict[str, float], count: int) -> list[str]:
    """Return `count` themes drawn by systematic sampling, so that quarters follow the weights."""
    total = sum(weights.values())
    start = rng.random() / max(count, 1)
    points = [start + k / count for k in range(count)]
    themes, cumulative, position = [], 0.0, 0
    for theme, weight in weights.items():
        cumulative += weight / total
        while position < count and points[position] < cumulative:
            themes.append(theme)
            position += 1
    themes += [theme] * (count - len(themes))  # rounding at the very end
    rng.shuffle(themes)
    return themes


def _draft(
    rng: random.Random, code: str, quarter: Quarter, theme: str, language: str, last: Quarter
) -> dict:
    """Return one valid report of `quarter` on `theme`, its free text in `language`."""
    layout = LAYOUTS[code]
    submitted = _submitted_on(rng, quarter)
    clients = None if rng.random() < 0.25 else _clients(rng, code, theme)
    report_type = _pick(rng, REPORT_TYPES)
    slots = text_slots(rng, code, submitted, clients)
    row = {
        "municipality_code": code,
        "submitted_on": submitted,
        "updated_at": _office_time(rng, submitted, submitted + timedelta(rng.randint(0, 20)), last),
        "theme": theme,
        "clients_affected": clients,
        **report_texts(rng, theme, report_type, language, slots),
        **_codes(rng, theme),
        "report_type": report_type,
        "language": None if layout.omit_defaults and language == "fi" else language,
    }
    return {
        **row,
        **_delivery(code, quarter),
        "as_label": _as_label(rng, layout),
        "_day": submitted,
    }


def _codes(rng: random.Random, theme: str) -> dict[str, object]:
    """Return the coded fields of a report on `theme`, drawn with realistic weights."""
    return {
        "reporter_role": _pick(rng, ROLES),
        "secondary_themes": _secondary(rng, theme),
        "target_group": _pick(rng, TARGET_GROUPS[theme]),
        "addressee_level": _pick(rng, ADDRESSEES),
        "urgency": _pick(rng, URGENCIES),
        "consent_to_quote": rng.random() < 0.4,
    }


def _theme_weights(homeland: bool, index: int) -> dict[str, float]:
    growth = index / (HISTORY_QUARTERS - 1)
    weights = {
        theme: weight * (1 + (RISING_THEMES.get(theme, 1) - 1) * growth)
        for theme, weight in THEME_WEIGHTS.items()
    }
    if homeland:
        weights["sami_services"] = SAMI_HOMELAND_WEIGHT
    return weights


def _language(rng: random.Random, code: str, theme: str, homeland: bool) -> str:
    if theme in SWEDISH_THEMES and rng.random() < SWEDISH_SHARE.get(code, 0):
        return "sv"
    if homeland and theme in SAMI_THEMES and rng.random() < SAMI_SHARE:
        return "se"
    return "fi"


def _submitted_on(rng: random.Random, quarter: Quarter) -> date:
    days = (quarter.last_day - quarter.first_day).days
    day = quarter.first_day + timedelta(rng.randint(0, days))
    if day.weekday() >= 5:  # weekend: the next Monday, or the Friday before at quarter end
        monday = day + timedelta(7 - day.weekday())
        day = monday if monday <= quarter.last_day else day - timedelta(day.weekday() - 4)
    return day


def _office_time(rng: random.Random, earliest: date, wanted: date, last: Quarter) -> datetime:
    """Return a time at office hours in Helsinki on `wanted`, kept within the history."""
    day = max(earliest, min(wanted, last.last_day))
    local = datetime.combine(day, time(rng.randint(8, 15), rng.randint(0, 59)), HELSINKI)
    return local.astimezone(UTC)


def _clients(rng: random.Random, code: str, theme: str) -> int:
    high = 40 if code == "698" else 15
    if theme == "food_aid":
        high *= 2
    return rng.randint(1, high)


def _secondary(rng: random.Random, theme: str) -> list[str]:
    if rng.random() >= 0.3:
        return []
    related = RELATED_THEMES[theme]
    return sorted(rng.sample(related, k=2 if rng.random() < 0.3 else 1))


def _as_label(rng: random.Random, layout: _Layout) -> list[str]:
    if not layout.labels:
        return []
    return [
        field for field, share in (("theme", 0.3), ("target_group", 0.2)) if rng.random() < share
    ]


def _delivery(code: str, quarter: Quarter) -> dict:
    layout = LAYOUTS[code]
    name = layout.file_name
    if layout.kind != "sql":
        name = f"inbox/{code}/" + layout.file_name.format(quarter=quarter)
    return {
        "source_id": f"{code}-{layout.kind}",
        "delivery": name,
        "planted_fault": None,
        "fault_field": None,
        "fault_value": None,
        "redaction_kinds": [],
        "superseded": False,
        "_correction": False,
    }


def _faulty(row: dict, fault: str, field: str, value: str | None) -> dict:
    """Return `row` with one planted invalid value in `field`."""
    day = row["submitted_on"]
    text = (
        None
        if value is None
        else value.format(year=day.year, month=day.month, day=min(day.day, 28))
    )
    typed: object = text
    if field == "submitted_on":  # a real date only when it is merely too early
        typed = date.fromisoformat(text) if fault == "date_before_2019" else None
    elif field == "clients_affected":
        typed = None
    faulty = {**row, field: typed, "planted_fault": fault, "fault_field": field}
    return {**faulty, "fault_value": text, "language": "fi", "as_label": []}


def _with_ids(rng: random.Random, code: str, rows: list[dict]) -> list[dict]:
    numbered, counters = [], {}
    for row in rows:
        year = row["_day"].year
        counters[year] = counters.get(year, 0) + 1
        numbered.append({**row, "report_id": _report_id(rng, code, year, counters[year])})
    return numbered


def _report_id(rng: random.Random, code: str, year: int, number: int) -> str:
    if code == "698":
        return f"ROI-{year}-{number:04d}"
    if code == "851":
        return f"TOR{year % 100:02d}-{number:03d}"
    if code == "240":
        return f"KEMI-SR-{year}{number:03d}"
    if code == "148":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return f"{code}-{year}-{number:03d}"


def _with_personal_data(
    rng: random.Random, code: str, rows: list[dict], last: Quarter
) -> list[dict]:
    """Return the rows with identity codes, phones and e-mails planted in some texts."""
    rows = list(rows)
    for index, (planted_code, kinds) in enumerate(PLANTED_PERSONAL_DATA):
        if planted_code != code:
            continue
        candidates = [i for i, row in enumerate(rows) if _plantable(row, last)]
        chosen = rng.choice(candidates)
        row = rows[chosen]
        texts = {
            field: row[field] for field in ("phenomenon", "causes", "consequences", "proposal")
        }
        for kind in kinds:
            texts = with_personal_data(texts, kind, _personal_value(rng, kind, index), rng)
        rows[chosen] = {**row, **texts, "redaction_kinds": list(kinds), "consent_to_quote": True}
    return rows


def _plantable(row: dict, last: Quarter) -> bool:
    return (
        Quarter.of(row["_day"]) == last
        and row["planted_fault"] is None
        and not row["redaction_kinds"]
        and row["language"] in ("fi", None)
    )


def _personal_value(rng: random.Random, kind: str, index: int) -> str:
    """Return the phone, e-mail or identity code planted as the `index`th plan item."""
    earlier = sum(kind in kinds for _, kinds in PLANTED_PERSONAL_DATA[:index])
    if kind == "phone":
        return PHONES[earlier % len(PHONES)]
    if kind == "email":
        return EMAILS[earlier % len(EMAILS)]
    return identity_code(rng, *IDENTITY_CODE_FORMS[earlier % len(IDENTITY_CODE_FORMS)])


def identity_code(rng: random.Random, century_sign: str, temporary: bool) -> str:
    """Return a Finnish personal identity code with a valid check character."""
    first_year = 2000 if century_sign in "ABCDEF" else 1940
    year = first_year + rng.randint(0, 8 if first_year == 2000 else 59)
    born = date(year, 1, 1) + timedelta(rng.randint(0, 364))
    number = rng.randint(900, 999) if temporary else rng.randint(2, 899)
    digits = f"{born:%d%m}{year % 100:02d}"
    check = _HETU_CHECK[int(f"{digits}{number:03d}") % 31]
    return f"{digits}{century_sign}{number:03d}{check}"


def _with_correction(rng: random.Random, code: str, rows: list[dict], last: Quarter) -> list[dict]:
    """Return the rows plus a corrected re-delivery, in `last`, of a report a quarter older."""
    previous = last.previous()
    candidates = [i for i, row in enumerate(rows) if _correctable(row, previous)]
    if not candidates:
        return rows
    chosen = rng.choice(candidates)
    original = rows[chosen]
    earliest = max(
        original["updated_at"].astimezone(HELSINKI).date() + timedelta(1), last.first_day
    )
    corrected = {
        **original,
        **_delivery(code, last),
        "as_label": original["as_label"],
        "updated_at": _office_time(rng, earliest, earliest + timedelta(rng.randint(0, 40)), last),
        "clients_affected": (original["clients_affected"] or 4) + rng.randint(3, 8),
        "urgency": "medium" if original["urgency"] == "high" else "high",
        "_correction": True,
    }
    superseded = {**original, "superseded": True}
    return [*rows[:chosen], superseded, *rows[chosen + 1 :], corrected]


def _correctable(row: dict, quarter: Quarter) -> bool:
    return (
        Quarter.of(row["_day"]) == quarter
        and row["planted_fault"] is None
        and not row["redaction_kinds"]
    )


def write_demo_inbox(directory: Path, last_quarter: Quarter, seed: int = 2026) -> DemoInbox:
    """Write the demo deliveries and `sources.toml` into `directory`.

    Args:
        directory: the inbox folder (created when missing); earlier demo files are replaced.
        last_quarter: the last quarter of the eight-quarter history.
        seed: the random seed; the same quarter and seed give byte-identical files.

    Returns:
        The sources file, the environment variables the SQL source needs and the ground truth.
    """
    reference = load_reference()
    reports = demo_reports(last_quarter, reference, seed)
    directory.mkdir(parents=True, exist_ok=True)
    written = [
        _write_delivery(directory / name, frame, LAYOUTS[frame["source_id"][0][:3]], reference)
        for name, frame in _deliveries(reports)
    ]
    _remove_stale(directory, written)
    sources_file = directory / "sources.toml"
    sources_file.write_text(_sources_toml(reference, last_quarter, seed), encoding="utf-8")
    database = (directory / _SQL.file_name).resolve()
    return DemoInbox(sources_file, {SQL_URL_ENV: f"sqlite:///{database.as_posix()}"}, reports)


def _deliveries(reports: pl.DataFrame) -> Iterable[tuple[str, pl.DataFrame]]:
    for frame in reports.partition_by("delivery", maintain_order=True):
        yield frame["delivery"][0], frame


def _remove_stale(directory: Path, written: list[Path]) -> None:
    """Delete demo files of an earlier run that this run did not write."""
    keep = {path.resolve() for path in written}
    for code, layout in LAYOUTS.items():
        if layout.kind == "sql":
            continue
        for path in (directory / "inbox" / code).glob(_glob(layout)):
            if path.resolve() not in keep:
                path.unlink()


def _glob(layout: _Layout) -> str:
    return "*" + Path(layout.file_name).suffix


def _sources_toml(reference: Reference, last_quarter: Quarter, seed: int) -> str:
    lines = [
        f"# Demo sources written by `raportti demo` (last quarter {last_quarter}, seed {seed}).",
        "# Paths are relative to this file; the SQL URL comes from the environment.",
    ]
    for code in reference.municipality_codes:
        layout = LAYOUTS[code]
        lines += [
            "",
            "[[source]]",
            f'municipality_code = "{code}"  # {reference.municipality_name(code)}',
        ]
        lines.append(f'kind = "{layout.kind}"')
        if layout.kind == "sql":
            lines.append(f'url_env = "{SQL_URL_ENV}"')
        else:
            lines.append(f'path = "inbox/{code}/{_glob(layout)}"')
        if layout.encoding not in ("utf-8", "utf-8-sig"):
            lines.append(f'encoding = "{layout.encoding}"')
    return "\n".join(lines) + "\n"


def _write_delivery(path: Path, frame: pl.DataFrame, layout: _Layout, reference: Reference) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = frame.to_dicts()
    if layout.kind == "sql":
        _write_sqlite(path, rows)
    elif layout.kind == "csv":
        path.write_bytes(_csv_bytes(rows, layout, reference))
    elif layout.kind == "xlsx":
        _write_xlsx(path, rows, layout, reference)
    else:
        path.write_bytes(_json_bytes(rows))
    return path


def _text_value(row: dict, field: str, layout: _Layout, reference: Reference) -> str | None:
    """Return a field as a CSV or spreadsheet user would type it (None when empty)."""
    value = row[field]
    if row["fault_field"] == field:
        return row["fault_value"]
    if value is None:
        return None
    if field in row["as_label"]:
        labels = reference.themes if field == "theme" else reference.target_groups
        return labels.filter(pl.col("code") == value)["fi"][0]
    if field == "submitted_on":
        return _date_text(value, layout.dates)
    if field == "updated_at":
        return value.astimezone(HELSINKI).isoformat(timespec="seconds")
    if field == "secondary_themes":
        return "|".join(value) or None
    if field == "consent_to_quote":
        return layout.booleans[0] if value else layout.booleans[1]
    return str(value)


def _date_text(day: date, style: str) -> str:
    if style == "iso":
        return day.isoformat()
    if style == "dd.mm.yyyy":
        return f"{day:%d.%m.%Y}"
    return f"{day.day}.{day.month}.{day.year}"


def _headers(layout: _Layout) -> list[str]:
    if layout.finnish_headers:
        return [FIELD_HEADERS_FI[field] for field in REPORT_FIELDS]
    return list(REPORT_FIELDS)


def _csv_bytes(rows: list[dict], layout: _Layout, reference: Reference) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=layout.delimiter, lineterminator="\r\n")
    writer.writerow(_headers(layout))
    for row in rows:
        values = (_text_value(row, field, layout, reference) for field in REPORT_FIELDS)
        writer.writerow(["" if value is None else value for value in values])
    return buffer.getvalue().encode(layout.encoding)


def _write_xlsx(path: Path, rows: list[dict], layout: _Layout, reference: Reference) -> None:
    options = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(path, options) as workbook:
        workbook.set_properties(
            {"title": "Sosiaaliset raportit", "author": "raportti demo", "created": _exported(rows)}
        )
        sheet = workbook.add_worksheet("Raportit" if layout.finnish_headers else "Reports")
        day_format = "yyyy-mm-dd" if layout.dates == "iso" else "d.m.yyyy"
        date_format = workbook.add_format({"num_format": day_format})
        sheet.write_row(0, 0, _headers(layout))
        for row_index, row in enumerate(rows, start=1):
            _write_xlsx_row(sheet, row_index, row, layout, reference, date_format)


def _write_xlsx_row(
    sheet: Worksheet,
    row_index: int,
    row: dict,
    layout: _Layout,
    reference: Reference,
    date_format: Format,
) -> None:
    """Write one report: dates, numbers and (English sheets) booleans as typed cells."""
    for column, field in enumerate(REPORT_FIELDS):
        value = _text_value(row, field, layout, reference)
        if value is None:
            continue
        if row["fault_field"] == field or field not in _TYPED_CELLS:
            sheet.write_string(row_index, column, value)
        elif field == "submitted_on":
            sheet.write_datetime(row_index, column, row[field], date_format)
        elif field == "clients_affected":
            sheet.write_number(row_index, column, row[field])
        elif layout.finnish_headers:
            sheet.write_string(row_index, column, value)
        else:
            sheet.write_boolean(row_index, column, row[field])


_TYPED_CELLS = ("submitted_on", "clients_affected", "consent_to_quote")


def _exported(rows: list[dict]) -> datetime:
    """Return the export time of a file: its last change, in Helsinki time without zone."""
    latest = max(row["updated_at"] for row in rows)
    return latest.astimezone(HELSINKI).replace(tzinfo=None) + timedelta(minutes=5)


def _json_bytes(rows: list[dict]) -> bytes:
    document = {
        "municipality_code": rows[0]["source_id"][:3],
        "exported_at": _exported(rows).replace(tzinfo=HELSINKI).isoformat(timespec="seconds"),
        "reports": [{field: _json_value(row, field) for field in REPORT_FIELDS} for row in rows],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_value(row: dict, field: str) -> object:
    value = row[field]
    if row["fault_field"] == field:
        return row["fault_value"]
    if field == "submitted_on":
        return value.isoformat()
    if field == "updated_at":
        return value.astimezone(HELSINKI).isoformat(timespec="seconds")
    return value


_CREATE_SOCIAL_REPORT = """
create table social_report (
    report_id text primary key,
    municipality_code text not null,
    submitted_on text not null,
    updated_at text not null,
    reporter_role text,
    theme text,
    secondary_themes text,
    target_group text,
    clients_affected integer,
    phenomenon text,
    causes text,
    consequences text,
    proposal text,
    addressee_level text,
    urgency text,
    consent_to_quote integer,
    report_type text,
    language text
);
create index social_report_updated_at on social_report (updated_at);
"""


def _write_sqlite(path: Path, rows: list[dict]) -> None:
    """Write Rovaniemi's case-management table; updated_at as UTC text with its offset."""
    path.unlink(missing_ok=True)
    placeholders = ", ".join("?" for _ in REPORT_FIELDS)
    insert = f"insert into social_report ({', '.join(REPORT_FIELDS)}) values ({placeholders})"
    with closing(sqlite3.connect(path)) as connection:
        connection.executescript(_CREATE_SOCIAL_REPORT)
        connection.executemany(insert, [_sql_values(row) for row in rows])
        connection.commit()


def _sql_values(row: dict) -> tuple:
    values = []
    for field in REPORT_FIELDS:
        value = row[field]
        if row["fault_field"] == field:
            value = row["fault_value"]
        elif field == "submitted_on":
            value = value.isoformat()
        elif field == "updated_at":
            value = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")
        elif field == "secondary_themes":
            value = "|".join(value) or None
        elif field == "consent_to_quote":
            value = int(value)
        values.append(value)
    return tuple(values)
