"""A real `raportti run` over the hostile corpus beside a good source: what is seen and stored.

One run reads every case (the municipality 851 drop holds the corpus, as CSV, XLSX
and JSON sources), two SQL sources whose queries miss a column or give wrong types,
a symbolic link out of the drop, an HTTP source whose `url_env` is unset, and a good
CSV source (698). Each case is its own test over that run's output and warehouse.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from flows.cli import app
from tasks.warehouse.connection import connect_warehouse
from tests.tasks.intake.hostile_corpus import CASES, CODE, FIXTURES, TEXT, Case, csv_text, row

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

QUARTER = "2026Q2"
UNSET_ENV = "RAPORTTI_TEST_UNSET_EXPORT_URL"
SQL_ENV = "RAPORTTI_TEST_HOSTILE_SQL_URL"
WINDOW = " from social_report where submitted_on > :since and submitted_on <= :until"
QUERIES = {
    "240": "select report_id, municipality_code, submitted_on, reporter_role, theme, "
    "target_group, addressee_level, urgency" + WINDOW,
    "241": "select report_id, '241' as municipality_code, 'ei päivää' as submitted_on, "
    "reporter_role, theme, target_group, phenomenon, addressee_level, urgency, "
    "'paljon' as clients_affected" + WINDOW,
}
SOURCES = f"""
[[source]]
municipality_code = "{CODE}"
kind = "csv"
path = "inbox/{CODE}/*.csv"
encoding = "cp1252"

[[source]]
municipality_code = "{CODE}"
kind = "xlsx"
path = "inbox/{CODE}/*.xlsx"

[[source]]
municipality_code = "{CODE}"
kind = "json"
path = "inbox/{CODE}/*.json"

[[source]]
municipality_code = "698"
kind = "csv"
path = "inbox/698/*.csv"

[[source]]
municipality_code = "148"
kind = "json"
url_env = "{UNSET_ENV}"

[[source]]
municipality_code = "240"
kind = "sql"
url_env = "{SQL_ENV}"
query = "queries/240.sql"

[[source]]
municipality_code = "241"
kind = "sql"
url_env = "{SQL_ENV}"
query = "queries/241.sql"
"""


@dataclass(frozen=True)
class HostileRun:
    """What one run over the corpus showed and stored."""

    status: int
    output: str
    db_url: str
    root: Path


def _write_drop(root: Path) -> None:
    """Write the corpus, the link out of the drop, the good source and the SQL sources."""
    drop = root / "inbox" / CODE
    drop.mkdir(parents=True)
    for case in CASES:
        if case.make is None:
            (drop / case.name).write_bytes((FIXTURES / case.name).read_bytes())
        else:
            case.make(drop / case.name)
    outside = root / "elsewhere" / "secret.csv"
    outside.parent.mkdir()
    outside.write_text(csv_text(row("LINK-1")), encoding="utf-8")
    (drop / "linked.csv").symlink_to(outside)
    good = [row(f"698-{n}").replace(f";{CODE};", ";698;") for n in range(3)]
    (root / "inbox" / "698").mkdir()
    (root / "inbox" / "698" / "ok.csv").write_text(csv_text(*good), encoding="utf-8")
    (root / "queries").mkdir()
    for code, query in QUERIES.items():
        (root / "queries" / f"{code}.sql").write_text(query, encoding="utf-8")
    (root / "sources.toml").write_text(SOURCES, encoding="utf-8")


def _write_sql_source(path: Path) -> str:
    """Return the URL of a SQLite reports database with two reports."""
    with sqlite3.connect(path) as connection:
        connection.execute(
            "create table social_report (report_id, municipality_code, submitted_on, "
            "reporter_role, theme, target_group, phenomenon, addressee_level, urgency)"
        )
        connection.executemany(
            "insert into social_report values (?, '240', '2026-05-04', 'social_worker', "
            "'mobility', 'older_people', ?, 'welfare_region', 'medium')",
            [("S-1", TEXT), ("S-2", TEXT)],
        )
    return f"sqlite:///{path.as_posix()}"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory, prefect_server: None) -> HostileRun:
    """Run `raportti run` once over the whole corpus."""
    root = tmp_path_factory.mktemp("hostile")
    _write_drop(root)
    db_url = f"sqlite:///{(root / 'warehouse.db').as_posix()}"
    environment = {
        SQL_ENV: _write_sql_source(root / "reports.db"),
        UNSET_ENV: None,
        "COLUMNS": "2000",  # the steward's lines unwrapped
    }
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--quarter",
            QUARTER,
            "--sources",
            str(root / "sources.toml"),
            "--db",
            db_url,
            "--out",
            str(root / "out"),
            "--no-send",
        ],
        env=environment,
    )
    return HostileRun(result.exit_code, result.output, db_url, root)


def _count(run: HostileRun, sql: str, **params: object) -> int:
    with connect_warehouse(run.db_url).connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def _attention(run: HostileRun) -> list[str]:
    """Return the run's lines for the steward."""
    return [line for line in run.output.splitlines() if line.startswith("attention:")]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_file_gets_its_line_and_only_its_good_rows_are_stored(
    hostile_run: HostileRun, case: Case
) -> None:
    name = f"inbox/{CODE}/{case.name}"
    stored = _count(hostile_run, "select count(*) from report where delivery = :d", d=name)
    landed = _count(hostile_run, "select count(*) from delivery where name = :d", d=name)

    assert stored == case.stored
    if case.exit_code == 2:  # unreadable or refused: one line, nothing of it stored at all
        lines = [line for line in _attention(hostile_run) if re.search(case.sees, line)]
        assert len(lines) == 1, hostile_run.output
        assert lines[0].startswith(f"attention: source {CODE}-{case.kind} failed: {name}: ")
        assert landed == 0
        assert (
            _count(hostile_run, "select count(*) from rejection where delivery = :d", d=name) == 0
        )
    else:  # read: every row stored or quarantined, the delivery landed once
        assert landed == 1
        rows_in, valid, quarantined = _delivery_counts(hostile_run, name)
        assert rows_in == valid + quarantined
        assert valid == case.stored


def _delivery_counts(run: HostileRun, name: str) -> tuple[int, int, int]:
    with connect_warehouse(run.db_url).connect() as connection:
        found = connection.execute(
            text("select rows_in, rows_valid, rows_quarantined from delivery where name = :d"),
            {"d": name},
        ).one()
    return found[0], found[1], found[2]


def test_the_good_source_beside_the_corpus_is_stored_whole(hostile_run: HostileRun) -> None:
    assert _count(hostile_run, "select count(*) from report where source_id = '698-csv'") == 3
    assert hostile_run.status == 1  # stored and published, with sources needing attention
    assert (hostile_run.root / "out" / QUARTER / "brief-fi.pdf").is_file()
    assert "Traceback" not in hostile_run.output


def test_a_link_out_of_the_drop_is_refused_and_its_rows_never_read(
    hostile_run: HostileRun,
) -> None:
    name = f"inbox/{CODE}/linked.csv"
    expected = (
        f"attention: source {CODE}-csv failed: {name}: refused: the file is a link to a place "
        "outside its drop folder, so it is not read"
    )
    assert any(line.startswith(expected) for line in _attention(hostile_run))
    assert _count(hostile_run, "select count(*) from report where report_id = 'LINK-1'") == 0
    assert _count(hostile_run, "select count(*) from rejection where report_id = 'LINK-1'") == 0


def test_an_unset_url_env_fails_its_source_with_one_line(hostile_run: HostileRun) -> None:
    assert (
        f"attention: source 148-json failed: source 148-json: the environment variable "
        f"{UNSET_ENV} is not set; set it to the HTTPS address of the export"
        in _attention(hostile_run)
    )


@pytest.mark.parametrize(
    ("source_id", "field"),
    [("240-sql", "phenomenon"), ("241-sql", "submitted_on"), ("241-sql", "clients_affected")],
    ids=["sql-missing-column", "sql-wrong-date", "sql-wrong-number"],
)
def test_an_sql_query_with_a_missing_column_or_wrong_types_quarantines_its_rows(
    hostile_run: HostileRun, source_id: str, field: str
) -> None:
    rejected = _count(
        hostile_run,
        "select count(distinct report_id) from rejection where source_id = :s and field = :f",
        s=source_id,
        f=field,
    )
    assert rejected == 2
    assert _count(hostile_run, "select count(*) from report where source_id = :s", s=source_id) == 0
