"""Tests of the demo inbox: deterministic, realistic, readable, with its planted faults."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from stdnum.fi import hetu

from demo.inbox import SQL_URL_ENV, DemoInbox, demo_reports, write_demo_inbox
from schemas.fields import (
    ADDRESSEE_LEVELS,
    FINNISH_HEADERS,
    REPORT_FIELDS,
    REPORT_TYPES,
    REPORTER_ROLES,
    TEXT_LANGUAGES,
    URGENCIES,
)
from schemas.quarter import HELSINKI, Quarter, quarter_range
from schemas.reference import load_reference
from schemas.sources import SourceConfig, load_sources

LAST = Quarter(2026, 2)
HISTORY = quarter_range(LAST.previous(7), LAST)
REFERENCE = load_reference()
EXPECTED_FAULTS = {
    ("698-sql", "short_phenomenon", "phenomenon"),
    ("851-csv", "unknown_theme", "theme"),
    ("851-csv", "impossible_date", "submitted_on"),
    ("851-csv", "unknown_urgency", "urgency"),
    ("240-xlsx", "missing_phenomenon", "phenomenon"),
    ("240-xlsx", "municipality_mismatch", "municipality_code"),
    ("148-json", "date_before_2019", "submitted_on"),
    ("758-json", "clients_not_integer", "clients_affected"),
    ("320-xlsx", "unknown_target_group", "target_group"),
}
HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
PHONE = re.compile(r"(\+358|\b0)[ -]?\d{2}[ -]?\d{3}[ -]?\d{3,4}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> DemoInbox:
    return write_demo_inbox(tmp_path_factory.mktemp("demo"), LAST)


@pytest.fixture(scope="module")
def reports(inbox: DemoInbox) -> pl.DataFrame:
    return inbox.reports


@pytest.fixture(scope="module")
def counted(reports: pl.DataFrame) -> pl.DataFrame:
    """Return the valid, winning rows with their quarter, as the pipeline should count them."""
    quarter = pl.format(
        "{}Q{}", pl.col("submitted_on").dt.year(), pl.col("submitted_on").dt.quarter()
    )
    valid = pl.col("planted_fault").is_null() & ~pl.col("superseded")
    return reports.filter(valid).with_columns(quarter=quarter)


def _files(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_the_same_quarter_and_seed_write_byte_identical_files(tmp_path: Path) -> None:
    write_demo_inbox(tmp_path / "first", LAST, seed=11)
    write_demo_inbox(tmp_path / "second", LAST, seed=11)

    first, second = _files(tmp_path / "first"), _files(tmp_path / "second")

    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    assert len(first) > 100


def test_another_seed_gives_other_reports() -> None:
    one = demo_reports(LAST, REFERENCE, seed=1)
    other = demo_reports(LAST, REFERENCE, seed=2)

    assert one["phenomenon"].to_list() != other["phenomenon"].to_list()


def test_the_inbox_returns_the_ground_truth_of_demo_reports(inbox: DemoInbox) -> None:
    assert_frame_equal(inbox.reports, demo_reports(LAST, REFERENCE, seed=2026))


def test_sources_toml_names_every_municipality_once_and_uses_every_kind(inbox: DemoInbox) -> None:
    sources = {
        source.municipality_code: source for source in load_sources(inbox.sources_file).sources
    }

    assert sorted(sources) == sorted(REFERENCE.municipality_codes)
    assert {source.kind for source in sources.values()} == {"sql", "csv", "xlsx", "json"}
    assert sources["698"] == SourceConfig(municipality_code="698", kind="sql", url_env=SQL_URL_ENV)
    assert sources["851"].kind == "csv"
    assert sources["851"].encoding == "cp1252"
    assert sources["240"].kind == "xlsx"
    assert sources["148"].kind == "json"


def test_the_environment_points_the_sql_source_at_the_sqlite_file(inbox: DemoInbox) -> None:
    url = inbox.environment[SQL_URL_ENV]
    database = Path(url.removeprefix("sqlite:///"))

    assert url.startswith("sqlite:////")
    assert database == (inbox.sources_file.parent / "db" / "rovaniemi.sqlite").resolve()
    with sqlite3.connect(database) as connection:
        columns = [row[1] for row in connection.execute("pragma table_info(social_report)")]
    assert columns == list(REPORT_FIELDS)


def test_written_files_are_exactly_the_deliveries_of_the_ground_truth(
    inbox: DemoInbox, reports: pl.DataFrame
) -> None:
    written = set(_files(inbox.sources_file.parent))

    assert written == {"sources.toml", *reports["delivery"].unique()}


def _delivered_rows(path: Path, source: SourceConfig) -> list[dict[str, object]]:
    """Return a delivery's rows keyed by field name, read with plain Python (and polars)."""
    if path.suffix == ".csv":
        text = path.read_bytes().decode(source.encoding or "utf-8-sig")
        delimiter = ";" if ";" in text.splitlines()[0] else ","
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    elif path.suffix == ".xlsx":
        rows = pl.read_excel(path, infer_schema_length=0).to_dicts()
    elif path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))["reports"]
    else:
        with sqlite3.connect(path) as connection:
            connection.row_factory = sqlite3.Row
            rows = [dict(row) for row in connection.execute("select * from social_report")]
    return [{FINNISH_HEADERS.get(key, key): value for key, value in row.items()} for row in rows]


def _canonical(field: str, value: object) -> str | None:
    """Return a delivered value in one text form: codes, ISO dates, UTC times, true/false."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return "|".join(value)
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if field == "submitted_on":
        return _iso_date(text.removesuffix(" 00:00:00"))
    if field == "updated_at":
        return datetime.fromisoformat(text).astimezone(UTC).isoformat()
    if field in ("theme", "target_group"):
        codes = REFERENCE.themes if field == "theme" else REFERENCE.target_groups
        return dict(zip(codes["fi"], codes["code"], strict=True)).get(text, text)
    if field == "consent_to_quote":
        return {"kyllä": "true", "1": "true", "ei": "false", "0": "false"}.get(text, text)
    return text


def _iso_date(text: str) -> str:
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    try:
        return date(int(match[3]), int(match[2]), int(match[1])).isoformat() if match else text
    except ValueError:
        return text


def _expected(row: dict, field: str) -> str | None:
    if row["fault_field"] == field:
        return _canonical(field, row["fault_value"])
    value = row[field]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return _canonical(field, value)


@pytest.mark.parametrize("kind", ["sql", "csv", "xlsx", "json"])
def test_every_delivery_parses_back_to_the_ground_truth(
    inbox: DemoInbox, reports: pl.DataFrame, kind: str
) -> None:
    config = load_sources(inbox.sources_file)
    sources = {source.source_id: source for source in config.sources if source.kind == kind}
    deliveries = reports.filter(pl.col("source_id").is_in(list(sources)))

    for (name, source_id), expected in deliveries.group_by("delivery", "source_id"):
        delivered = _delivered_rows(config.base_dir / name, sources[source_id])
        result = [{f: _canonical(f, row[f]) for f in REPORT_FIELDS} for row in delivered]
        wanted = [
            {f: _expected(row, f) for f in REPORT_FIELDS} for row in expected.iter_rows(named=True)
        ]
        assert result == wanted, name
    assert deliveries.height > 0


def test_windows_1252_files_are_not_utf8(inbox: DemoInbox, reports: pl.DataFrame) -> None:
    name = reports.filter(pl.col("source_id") == "851-csv")["delivery"][-1]
    content = (inbox.sources_file.parent / name).read_bytes()

    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    assert content.decode("cp1252").startswith("raportin_tunnus;kuntanumero;jätetty;")


def test_file_names_sort_in_delivery_order_one_file_per_quarter(reports: pl.DataFrame) -> None:
    files = reports.filter(pl.col("source_id") == "851-csv")["delivery"].unique(maintain_order=True)

    assert files.to_list() == sorted(files.to_list())
    assert files.to_list() == [f"inbox/851/raportit-{quarter}.csv" for quarter in HISTORY]


@pytest.mark.parametrize(
    ("code", "low", "high"),
    [("698", 25, 45), ("240", 8, 20), ("851", 8, 20), ("148", 3, 8), ("320", 3, 8), ("758", 3, 8)],
)
def test_large_municipalities_report_within_their_volume_every_quarter(
    counted: pl.DataFrame, code: str, low: int, high: int
) -> None:
    per_quarter = counted.filter(pl.col("municipality_code") == code)["quarter"].value_counts()

    assert per_quarter.height == len(HISTORY)
    assert per_quarter["count"].min() >= low
    assert per_quarter["count"].max() <= high


def test_small_municipalities_report_zero_to_four_a_quarter(counted: pl.DataFrame) -> None:
    large = ["698", "240", "851", "148", "320", "758"]
    small = counted.filter(~pl.col("municipality_code").is_in(large))
    per_quarter = small.group_by("municipality_code", "quarter").len()

    assert per_quarter["len"].max() <= 4
    assert small["municipality_code"].n_unique() == len(REFERENCE.municipality_codes) - len(large)


def test_history_spans_eight_quarters_at_office_hours(reports: pl.DataFrame) -> None:
    submitted = reports.filter(pl.col("planted_fault").is_null())["submitted_on"]
    local = reports["updated_at"].dt.convert_time_zone("Europe/Helsinki")
    first_moment = datetime.combine(HISTORY[0].first_day, time(), HELSINKI)
    end = datetime.combine(LAST.next().first_day, time(), HELSINKI)

    assert (submitted.min(), submitted.max()) >= (HISTORY[0].first_day, LAST.first_day)
    assert submitted.max() <= LAST.last_day
    assert local.min() >= first_moment
    assert local.max() < end
    assert set(local.dt.hour().unique()) <= set(range(8, 17))
    assert (reports["updated_at"].dt.date() >= reports["submitted_on"]).all()


def test_rising_themes_show_a_trend(counted: pl.DataFrame) -> None:
    early = [str(quarter) for quarter in HISTORY[:2]]
    late = [str(quarter) for quarter in HISTORY[-2:]]

    for theme, growth in (("food_aid", 1.5), ("debt", 1.5), ("mental_health", 1.2)):
        rows = counted.filter(pl.col("theme") == theme)
        before = rows.filter(pl.col("quarter").is_in(early)).height
        assert rows.filter(pl.col("quarter").is_in(late)).height > growth * before, theme


def test_planted_faults_sit_in_last_quarter_deliveries(reports: pl.DataFrame) -> None:
    faulty = reports.filter(pl.col("planted_fault").is_not_null())

    assert set(faulty.select("source_id", "planted_fault", "fault_field").iter_rows()) == (
        EXPECTED_FAULTS
    )
    assert all(
        str(LAST) in name for name in faulty.filter(pl.col("source_id") != "698-sql")["delivery"]
    )
    assert faulty["redaction_kinds"].list.len().sum() == 0


def _violations(row: dict) -> set[str]:
    """Return the fields of a ground-truth row that break the contract (§1 and §3)."""
    checks = {
        "report_id": 1 <= len(row["report_id"] or "") <= 64,
        "municipality_code": row["municipality_code"] == row["source_id"][:3],
        "submitted_on": row["submitted_on"] is not None
        and date(2019, 1, 1) <= row["submitted_on"] <= LAST.last_day,
        "reporter_role": row["reporter_role"] in REPORTER_ROLES,
        "theme": row["theme"] in REFERENCE.theme_codes,
        "secondary_themes": set(row["secondary_themes"]) <= set(REFERENCE.theme_codes)
        and row["theme"] not in row["secondary_themes"],
        "target_group": row["target_group"] in REFERENCE.target_group_codes,
        "clients_affected": row["clients_affected"] is None
        or 0 <= row["clients_affected"] <= 100000,
        "phenomenon": 20 <= len((row["phenomenon"] or "").strip()) <= 10000,
        "addressee_level": row["addressee_level"] in ADDRESSEE_LEVELS,
        "urgency": row["urgency"] in URGENCIES,
        "report_type": row["report_type"] in (*REPORT_TYPES, None),
        "language": row["language"] in (*TEXT_LANGUAGES, None),
    }
    broken = {field for field, ok in checks.items() if not ok}
    untyped = row["fault_value"] is not None and row[row["fault_field"]] is None
    return broken | ({row["fault_field"]} if untyped else set())


def test_valid_rows_follow_the_contract_and_faulty_rows_break_only_their_field(
    reports: pl.DataFrame,
) -> None:
    for row in reports.iter_rows(named=True):
        expected = {row["fault_field"]} if row["planted_fault"] else set()
        assert _violations(row) == expected, (row["report_id"], row["planted_fault"])


def test_keys_are_unique_but_for_the_corrected_report(reports: pl.DataFrame) -> None:
    keys = reports.select("municipality_code", "report_id")

    assert keys.is_duplicated().sum() == 2
    assert reports.filter(~pl.col("superseded")).select(keys.columns).is_unique().all()


def test_one_corrected_report_is_delivered_again_in_a_later_file(reports: pl.DataFrame) -> None:
    pair = reports.filter(pl.col("report_id").is_duplicated())
    old, new = pair.row(0, named=True), pair.row(1, named=True)

    assert (old["superseded"], new["superseded"]) == (True, False)
    assert old["delivery"] < new["delivery"]
    assert str(LAST) in new["delivery"]
    assert new["updated_at"] > old["updated_at"]
    assert (old["clients_affected"], old["urgency"]) != (new["clients_affected"], new["urgency"])


def test_personal_data_is_planted_in_six_valid_rows_of_the_last_quarter(
    reports: pl.DataFrame,
) -> None:
    text = pl.concat_str(
        "phenomenon", "causes", "consequences", "proposal", separator=" ", ignore_nulls=True
    )
    rows = reports.with_columns(text=text)
    planted = rows.filter(pl.col("redaction_kinds").list.len() > 0)

    assert planted.height == 6
    assert planted["planted_fault"].is_null().all()
    assert (planted["submitted_on"] >= LAST.first_day).all()
    for row in planted.iter_rows(named=True):
        without_codes = HETU.sub("", row["text"])  # an identity code also looks like a phone
        found = {"identity_code"} if HETU.search(row["text"]) else set()
        found |= {
            kind for kind, p in (("phone", PHONE), ("email", EMAIL)) if p.search(without_codes)
        }
        assert found == set(row["redaction_kinds"]), row["report_id"]
        for code in HETU.findall(row["text"]):
            assert hetu.is_valid(code, allow_temporary=True), code
    others = rows.filter(pl.col("redaction_kinds").list.len() == 0)["text"]
    assert not any(p.search(t) for t in others for p in (HETU, PHONE, EMAIL))


def test_identity_codes_cover_three_century_signs_and_a_temporary_number(
    reports: pl.DataFrame,
) -> None:
    texts = " ".join(reports["phenomenon"].drop_nulls())
    codes = HETU.findall(texts)

    assert {code[6] for code in codes} == {"-", "A", "Y"}
    assert any(int(code[7:10]) >= 900 for code in codes)
    assert "040 123 4567" in " ".join(reports["consequences"].drop_nulls())


def test_free_text_is_finnish_and_varies_by_theme(counted: pl.DataFrame) -> None:
    finnish = counted.filter(pl.col("language").fill_null("fi") == "fi")
    words = finnish["phenomenon"].str.contains(r"\b(ja|on|ei|että|tulee|kuin)\b")
    keywords = {
        "housing": "asun|asum",
        "food_aid": "ruoka",
        "mental_health": "mielenterv|psyk|masennus|terapeut",
        "mobility": "matk|liikenne|kyyti|kilometri",
    }

    assert words.mean() > 0.98
    for theme, keyword in keywords.items():
        own = finnish.filter(pl.col("theme") == theme)["phenomenon"].str.to_lowercase()
        assert own.str.contains(keyword).mean() > 0.9, theme
    per_theme = finnish.group_by("theme").agg(pl.col("proposal").drop_nulls().unique())
    proposals = dict(zip(per_theme["theme"], per_theme["proposal"].to_list(), strict=True))
    assert set(proposals["housing"]).isdisjoint(proposals["mobility"])


def test_free_text_holds_numbers_that_must_not_be_redacted(counted: pl.DataFrame) -> None:
    text = " ".join(counted["phenomenon"]) + " ".join(counted["consequences"].drop_nulls())

    assert re.search(r"\b\d{2,3} kilometrin\b", text)
    assert re.search(r"\b\d \d{3} €", text)
    assert re.search(r"postinumeroalueella 96\d00\b", text)
    assert re.search(r"\b\d{1,2}\.\d{1,2}\.20\d\d\b", text)


def test_swedish_and_sami_reports_come_from_sources_that_can_hold_them(
    counted: pl.DataFrame,
) -> None:
    homeland = REFERENCE.municipalities.filter(pl.col("sami_homeland") == "true")["code"]
    sami = counted.filter(pl.col("language") == "se")
    swedish = counted.filter(pl.col("language") == "sv")

    assert sami.height >= 3
    assert swedish.height >= 3
    assert sami["municipality_code"].is_in(homeland.implode()).all()
    assert sami["phenomenon"].str.contains("á").all()
    assert swedish["phenomenon"].str.contains(r"\b(och|är|att|som)\b").all()


def test_codes_sometimes_arrive_as_finnish_labels(reports: pl.DataFrame) -> None:
    labelled = reports.filter(pl.col("as_label").list.len() > 0)

    assert labelled.height >= 10
    assert set(labelled["as_label"].explode()) == {"theme", "target_group"}
    assert labelled["source_id"].str.ends_with("csv").any()


def test_quotes_are_allowed_for_about_forty_percent(counted: pl.DataFrame) -> None:
    assert 0.3 < counted["consent_to_quote"].mean() < 0.5
    assert set(counted["report_type"].drop_nulls()) == set(REPORT_TYPES)
    assert 0.1 < counted["clients_affected"].is_null().mean() < 0.4
    assert (counted["secondary_themes"].list.len() > 0).mean() > 0.1


@pytest.mark.slow
def test_files_of_an_earlier_run_outside_the_history_are_removed(tmp_path: Path) -> None:
    write_demo_inbox(tmp_path, LAST.previous())
    inbox = write_demo_inbox(tmp_path, LAST)

    assert set(_files(tmp_path)) == {"sources.toml", *inbox.reports["delivery"].unique()}
