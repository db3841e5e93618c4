"""Tests for tasks/extract.py: file drops, JSON over HTTP, and SQL on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import threading
import time
import traceback
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_series_equal

from schemas.fields import REPORT_FIELDS
from schemas.sources import SourceConfig
from tasks.intake.extract import (
    Delivery,
    SourceMisconfigured,
    SourceTimedOut,
    SourceUnavailable,
    list_deliveries,
    text_frame,
)
from tasks.intake.fetch import public_url
from tasks.intake.parse import parse_delivery

SINCE = datetime(2026, 7, 1, tzinfo=UTC)
UNTIL = datetime(2026, 10, 1, tzinfo=UTC)
URL_ENV = "RAPORTTI_TEST_SOURCE_URL"
HTTP_ENV = "RAPORTTI_TEST_EXPORT_URL"
HTTP_SOURCE = SourceConfig(municipality_code="148", kind="json", url_env=HTTP_ENV)
SECRET = "s3cret"
SQL_SOURCE = SourceConfig(municipality_code="698", kind="sql", url_env=URL_ENV)


# --- file drops ---------------------------------------------------------------------------


def test_file_sources_give_every_matching_file_by_name_relative_to_sources_toml(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox" / "851"
    (inbox / "vanhat.csv").mkdir(parents=True)
    (inbox / "b.csv").write_bytes(b"report_id\nR-2\n")
    (inbox / "a.csv").write_bytes(b"report_id\nR-1\n")
    (inbox / "lueminut.txt").write_bytes(b"not a delivery")
    source = SourceConfig(
        municipality_code="851", kind="csv", path="inbox/851/*.csv", encoding="cp1252"
    )

    result = list_deliveries(source, tmp_path, SINCE, UNTIL)

    assert result == [
        Delivery("851-csv", "851", "csv", "inbox/851/a.csv", b"report_id\nR-1\n", "cp1252"),
        Delivery("851-csv", "851", "csv", "inbox/851/b.csv", b"report_id\nR-2\n", "cp1252"),
    ]
    assert result[0].sha256 == hashlib.sha256(b"report_id\nR-1\n").hexdigest()


def test_a_glob_whose_folder_does_not_exist_gives_no_deliveries(tmp_path: Path) -> None:
    source = SourceConfig(municipality_code="240", kind="xlsx", path="inbox/240/*.xlsx")

    assert list_deliveries(source, tmp_path, SINCE, UNTIL) == []


def test_file_sources_ignore_since_and_until(tmp_path: Path) -> None:
    (tmp_path / "148.json").write_bytes(b"{}")
    source = SourceConfig(municipality_code="148", kind="json", path="*.json")
    long_ago = datetime(1900, 1, 1, tzinfo=UTC)

    result = list_deliveries(source, tmp_path, long_ago, long_ago)

    assert [delivery.name for delivery in result] == ["148.json"]


# --- JSON over HTTP -------------------------------------------------------------------------

EXPORT = b'{"municipality_code": "148", "exported_at": "2026-10-01T06:00:00+03:00", "reports": [{"report_id": "R-1"}]}'  # noqa: E501


class _ExportHandler(BaseHTTPRequestHandler):
    """Serves EXPORT at /export.json to user `inari` with password SECRET, 404 elsewhere."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        expected = "Basic " + base64.b64encode(f"inari:{SECRET}".encode()).decode()
        if not self.path.startswith("/export.json"):
            self.send_error(404)
        elif self.headers.get("Authorization") != expected:
            self.send_error(401)
        else:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(EXPORT)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def export_server() -> Iterator[str]:
    """Yield `host:port` of a JSON export service on the loopback interface."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ExportHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_json_export_is_fetched_over_http_with_credentials_kept_out_of_its_name(
    export_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://inari:{SECRET}@{export_server}/export.json?token=abc&kunta=148"
    monkeypatch.setenv(HTTP_ENV, url)

    [delivery] = list_deliveries(HTTP_SOURCE, Path(), SINCE, UNTIL)

    assert delivery.name == f"http://{export_server}/export.json?token=***&kunta=148"
    assert delivery.content == EXPORT
    assert parse_delivery(delivery, seq=1).reports.get_column("report_id").to_list() == ["R-1"]


@pytest.mark.parametrize(
    ("path", "reason"), [("/missing.json", "HTTP 404"), ("/export.json", "HTTP 401")]
)
def test_an_http_error_makes_the_source_unavailable_without_its_password(
    export_server: str, path: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = "inari" if path == "/missing.json" else "someone"
    monkeypatch.setenv(HTTP_ENV, f"http://{user}:{SECRET}@{export_server}{path}")

    with pytest.raises(SourceUnavailable) as caught:
        list_deliveries(HTTP_SOURCE, Path(), SINCE, UNTIL)

    assert f"source 148-json: cannot fetch http://{export_server}{path} ({reason}" in str(
        caught.value
    )
    assert SECRET not in "".join(traceback.format_exception(caught.value))


class _DripHandler(BaseHTTPRequestHandler):
    """Sends a large export at /whole.json, and a byte every 0.1 s for ever elsewhere."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.send_response(200)
        self.end_headers()
        if self.path == "/whole.json":
            self.wfile.write(LARGE_EXPORT)
            return
        try:
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            return

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


LARGE_EXPORT = json.dumps(
    {"municipality_code": "148", "reports": [{"report_id": f"R-{n}"} for n in range(200_000)]}
).encode()


@pytest.fixture
def drip_server() -> Iterator[str]:
    """Yield `host:port` of a service that drip-feeds its answers, on the loopback interface."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DripHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_large_export_is_read_whole(drip_server: str) -> None:
    source = SourceConfig(
        municipality_code="148", kind="json", url=f"http://{drip_server}/whole.json"
    )

    [delivery] = list_deliveries(source, Path(), SINCE, UNTIL)

    assert delivery.content == LARGE_EXPORT


def test_a_download_that_drips_past_its_deadline_times_out_without_retry(
    drip_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tasks.intake.extract.HTTP_DOWNLOAD_DEADLINE_S", 1)
    source = SourceConfig(municipality_code="148", kind="json", url=f"http://{drip_server}/slow")
    started = time.monotonic()

    with pytest.raises(SourceTimedOut, match=r"/slow sent no complete answer within 1 s"):
        list_deliveries(source, Path(), SINCE, UNTIL)

    assert time.monotonic() - started < 10


def test_an_unreachable_http_source_is_unavailable_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(HTTP_ENV, f"http://u:{SECRET}@127.0.0.1:1/x")

    with pytest.raises(SourceUnavailable, match=r"cannot fetch http://127.0.0.1:1/x") as caught:
        list_deliveries(HTTP_SOURCE, Path(), SINCE, UNTIL)

    assert SECRET not in "".join(traceback.format_exception(caught.value))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://u:p@example.fi/a.json", "https://example.fi/a.json"),
        (
            "https://example.fi:8443/a.json?api_key=x&y=1&format=json",
            "https://example.fi:8443/a.json?api_key=***&y=***&format=json",
        ),
        (
            "https://example.fi/a?jwt=eyJ&session=abc&code=42&since=2026-01-01",
            "https://example.fi/a?jwt=***&session=***&code=***&since=2026-01-01",
        ),
        ("http://[::1]:8080/a", "http://[::1]:8080/a"),
    ],
)
def test_public_urls_carry_no_credentials(url: str, expected: str) -> None:
    assert public_url(url) == expected


# --- SQL: shared --------------------------------------------------------------------------


def test_a_missing_url_variable_makes_the_source_misconfigured_naming_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(URL_ENV, raising=False)

    with pytest.raises(
        SourceMisconfigured, match=rf"698-sql: the environment variable {URL_ENV} is not set"
    ):
        list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)


def test_an_unreachable_database_never_shows_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:1/x")

    with pytest.raises(SourceUnavailable) as caught:
        list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)

    message = str(caught.value)
    assert message.startswith(
        "source 698-sql: cannot read postgresql+psycopg://postgres:***@127.0.0.1:1/x"
    )
    assert f"check that the database is up, that {URL_ENV} holds" in message
    assert SECRET not in "".join(traceback.format_exception(caught.value))
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None


def test_a_password_in_the_database_url_query_is_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(URL_ENV, f"postgresql+psycopg://postgres@127.0.0.1:1/x?password={SECRET}")

    with pytest.raises(SourceUnavailable) as caught:
        list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)

    assert "cannot read postgresql+psycopg://postgres@127.0.0.1:1/x" in str(caught.value)
    assert SECRET not in "".join(traceback.format_exception(caught.value))


@pytest.mark.parametrize(
    "url",
    [f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:54x32/x", f"nosuchdb://u:{SECRET}@h/x"],
)
def test_a_malformed_database_url_never_shows_its_password(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv(URL_ENV, url)

    with pytest.raises(SourceUnavailable) as caught:
        list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)

    assert SECRET not in "".join(traceback.format_exception(caught.value))


def test_since_and_until_must_be_time_zone_aware(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL_ENV, "sqlite://")

    with pytest.raises(ValueError, match="time-zone aware"):
        list_deliveries(SQL_SOURCE, Path(), datetime(2026, 7, 1), UNTIL)


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (pl.Series([date(2026, 7, 1), None]), ["2026-07-01", None]),
        (
            pl.Series([datetime(2026, 7, 1, 9, tzinfo=UTC)]).dt.convert_time_zone(
                "Europe/Helsinki"
            ),
            ["2026-07-01T12:00:00+03:00"],
        ),
        (pl.Series([datetime(2026, 7, 1, 9, 0, 0, 500000)]), ["2026-07-01T09:00:00.5"]),
        (pl.Series([True, False, None]), ["true", "false", None]),
        (pl.Series([12.0, 12.5, -0.0]), ["12", "12.5", "0"]),
        (pl.Series([12, None], dtype=pl.Int32), ["12", None]),
        (pl.Series([Decimal("12.00"), Decimal("1.50")]), ["12", "1.5"]),
        (pl.Series([["housing", "debt"], []]), ["housing|debt", ""]),
        (pl.Series([" 005 "]), [" 005 "]),
    ],
)
def test_typed_sql_values_become_canonical_text(series: pl.Series, expected: list) -> None:
    result = text_frame(series.alias("value").to_frame()).to_series()

    assert_series_equal(result, pl.Series("value", expected, dtype=pl.String))


# --- SQL on SQLite ------------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00:00")


@pytest.fixture
def sqlite_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the path of a SQLite reports database named by URL_ENV, with three reports."""
    path = tmp_path / "rovaniemi.db"
    columns = [
        f"{field} integer" if field == "clients_affected" else field for field in REPORT_FIELDS
    ]
    with sqlite3.connect(path) as connection:
        connection.execute(f"create table social_report ({', '.join(columns)}, extra text)")
        connection.executemany(
            "insert into social_report (report_id, municipality_code, updated_at, clients_affected,"
            " consent_to_quote, phenomenon, extra) values (?, '005', ?, ?, 1, ?, 'x')",
            [
                ("R-1", _stamp(SINCE), 12, "juuri rajalla"),
                ("R-2", _stamp(SINCE + timedelta(microseconds=1)), 3, "rivi 1\nrivi 2"),
                ("R-3", _stamp(UNTIL), None, "  viimeinen  "),
                ("R-4", _stamp(UNTIL + timedelta(seconds=1)), 1, "liian uusi"),
            ],
        )
    monkeypatch.setenv(URL_ENV, f"sqlite:///{path.as_posix()}")
    return path


@pytest.mark.usefixtures("sqlite_source")
def test_sql_on_sqlite_reads_rows_changed_after_since_up_to_until() -> None:
    [delivery] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)
    result = parse_delivery(delivery, seq=3)

    assert delivery.name == f"698-sql:extract-{delivery.sha256[:12]}"
    assert (delivery.source_id, delivery.municipality_code, delivery.kind) == (
        "698-sql",
        "698",
        "sql",
    )
    columns = (
        "report_id",
        "municipality_code",
        "clients_affected",
        "consent_to_quote",
        "phenomenon",
    )
    assert result.reports.select(*columns, "row_number", "delivery_seq").rows() == [
        ("R-2", "005", "3", "1", "rivi 1\nrivi 2", 1, 3),
        ("R-3", "005", None, "1", "viimeinen", 2, 3),
    ]
    assert result.reports.get_column("updated_at").to_list() == [
        "2026-07-01 00:00:00.000001+00:00",
        "2026-10-01 00:00:00.000000+00:00",
    ]


def test_sql_rows_without_updated_at_are_read_once_as_changed_on_their_day(
    sqlite_source: Path,
) -> None:
    with sqlite3.connect(sqlite_source) as connection:
        connection.execute(
            "insert into social_report (report_id, municipality_code, submitted_on, phenomenon)"
            " values ('R-5', '005', '2026-08-03', 'ei muutosaikaa')"
        )
    later = UNTIL + timedelta(days=1)

    [window] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)
    afterwards = list_deliveries(SQL_SOURCE, Path(), later, later + timedelta(days=1))

    assert parse_delivery(window, 1).reports["report_id"].to_list() == ["R-2", "R-3", "R-5"]
    assert afterwards == []


@pytest.mark.usefixtures("sqlite_source")
def test_sql_with_no_new_rows_gives_no_delivery() -> None:
    later = UNTIL + timedelta(days=1)

    assert list_deliveries(SQL_SOURCE, Path(), later, later + timedelta(days=1)) == []


@pytest.mark.usefixtures("sqlite_source")
def test_the_same_sql_rows_give_the_same_bytes() -> None:
    [first] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)
    [second] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)

    assert first.sha256 == second.sha256


@pytest.mark.usefixtures("sqlite_source")
def test_sql_uses_the_query_file_that_sources_toml_names(tmp_path: Path) -> None:
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "rovaniemi.sql").write_text(
        "with final as (\n    select report_id as raportin_tunnus, extra as muu\n"
        "    from social_report\n    where updated_at > :since and updated_at <= :until\n)\n"
        "select * from final;\n",
        encoding="utf-8",
    )
    source = SQL_SOURCE.model_copy(update={"query": "queries/rovaniemi.sql"})

    [delivery] = list_deliveries(source, tmp_path, SINCE, UNTIL)

    assert parse_delivery(delivery, seq=1).reports.get_column("report_id").to_list() == [
        "R-2",
        "R-3",
    ]


@pytest.mark.usefixtures("sqlite_source")
def test_a_missing_query_file_makes_the_source_unavailable(tmp_path: Path) -> None:
    source = SQL_SOURCE.model_copy(update={"query": "queries/puuttuu.sql"})

    with pytest.raises(
        SourceUnavailable, match=r"698-sql: cannot read the query file queries/puuttuu"
    ):
        list_deliveries(source, tmp_path, SINCE, UNTIL)


@pytest.mark.usefixtures("sqlite_source")
def test_a_failing_query_makes_the_source_unavailable(tmp_path: Path) -> None:
    (tmp_path / "bad.sql").write_text("select * from nowhere where x > :since and x <= :until")
    source = SQL_SOURCE.model_copy(update={"query": "bad.sql"})

    with pytest.raises(SourceUnavailable, match=r"698-sql: cannot read sqlite:///.*no such table"):
        list_deliveries(source, tmp_path, SINCE, UNTIL)


# --- SQL on PostgreSQL ----------------------------------------------------------------------

PG_TABLE = """
create table social_report (
    report_id text, municipality_code text, submitted_on date, updated_at timestamptz,
    reporter_role text, theme text, secondary_themes text[], target_group text,
    clients_affected numeric, phenomenon text, causes text, consequences text, proposal text,
    addressee_level varchar(20), urgency char(6), consent_to_quote boolean, report_type text,
    language text
)
"""
PG_ROWS = """
insert into social_report (report_id, municipality_code, submitted_on, updated_at,
    secondary_themes, clients_affected, phenomenon, urgency, consent_to_quote) values
    ('R-1', '005', '2026-06-30', '2026-07-01 03:00:00+03', null, 1, 'rajalla', 'low', false),
    ('R-2', '005', '2026-07-01', '2026-07-01 12:00:00.5+03', '{housing,debt}', 12.00,
     E'rivi 1\\nrivi 2 100%%', 'high', true),
    ('R-3', '698', '2026-09-30', '2026-10-01 03:00:00+03', '{}', 2.50, 'x', 'medium', null),
    ('R-4', '698', '2026-09-30', '2026-10-01 03:00:01+03', null, 1, 'liian uusi', 'low', true)
"""


@pytest.fixture
def pg_source(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Return the URL of a fresh PostgreSQL reports database named by URL_ENV."""
    engine = sa.create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(sa.text(PG_TABLE))
        connection.exec_driver_sql(PG_ROWS)
    engine.dispose()
    monkeypatch.setenv(URL_ENV, pg_url)
    return pg_url


@pytest.mark.postgres
@pytest.mark.usefixtures("pg_source")
def test_sql_on_postgresql_reads_changed_rows_as_canonical_text() -> None:
    [delivery] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)
    result = parse_delivery(delivery, seq=1)

    columns = ("report_id", "municipality_code", "submitted_on", "updated_at", "secondary_themes")
    assert result.reports.select(*columns, "row_number").rows() == [
        ("R-2", "005", "2026-07-01", "2026-07-01T09:00:00.5+00:00", "housing|debt", 1),
        ("R-3", "698", "2026-09-30", "2026-10-01T00:00:00+00:00", None, 2),
    ]
    columns = ("clients_affected", "phenomenon", "urgency", "consent_to_quote")
    assert result.reports.select(*columns).rows() == [
        ("12", "rivi 1\nrivi 2 100%", "high", "true"),
        ("2.5", "x", "medium", None),
    ]


@pytest.mark.postgres
def test_sql_on_postgresql_reads_a_row_without_updated_at_in_its_days_window(
    pg_source: str,
) -> None:
    engine = sa.create_engine(pg_source)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "insert into social_report (report_id, municipality_code, submitted_on, phenomenon)"
            " values ('R-5', '698', '2026-08-03', 'ei muutosaikaa')"
        )
    engine.dispose()
    later = datetime(2027, 1, 1, tzinfo=UTC)

    [window] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)

    assert parse_delivery(window, 1).reports["report_id"].to_list() == ["R-2", "R-3", "R-5"]
    assert list_deliveries(SQL_SOURCE, Path(), later, later + timedelta(days=90)) == []


@pytest.mark.postgres
@pytest.mark.usefixtures("pg_source")
def test_sql_on_postgresql_gives_the_same_bytes_twice_and_nothing_when_nothing_changed() -> None:
    [first] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)
    [second] = list_deliveries(SQL_SOURCE, Path(), SINCE, UNTIL)
    later = datetime(2027, 1, 1, tzinfo=timezone(timedelta(hours=2)))

    assert first.sha256 == second.sha256
    assert list_deliveries(SQL_SOURCE, Path(), later, later + timedelta(days=90)) == []


@pytest.mark.postgres
def test_sql_on_postgresql_keeps_values_it_cannot_canonicalise(
    pg_source: str, tmp_path: Path
) -> None:
    engine = sa.create_engine(pg_source)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "update social_report set updated_at = 'infinity' where report_id = 'R-4'"
        )
    engine.dispose()
    (tmp_path / "all.sql").write_text(
        "select report_id, updated_at from social_report\n"
        "where report_id like 'R-%' and (updated_at > :since and updated_at <= :until\n"
        "    or updated_at = 'infinity')\n"
        "-- a comment on the last line\n"
    )
    source = SQL_SOURCE.model_copy(update={"query": "all.sql"})

    [delivery] = list_deliveries(source, tmp_path, SINCE, UNTIL)

    result = parse_delivery(delivery, seq=1).reports
    assert result.filter(pl.col("report_id") == "R-4").get_column("updated_at").to_list() == [
        "infinity"
    ]


@pytest.mark.postgres
def test_a_failing_query_on_postgresql_makes_the_source_unavailable(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, pg_url)
    (tmp_path / "bad.sql").write_text("select * from nowhere where x > :since and x <= :until")
    source = SQL_SOURCE.model_copy(update={"query": "bad.sql"})

    with pytest.raises(SourceUnavailable, match=r'698-sql: cannot read .*"nowhere" does not exist'):
        list_deliveries(source, tmp_path, SINCE, UNTIL)
