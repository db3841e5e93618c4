"""The warehouse schema is created and upgraded once, even by several workers starting together."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from tasks.shared.sqlfiles import sql_statements, sql_text
from tasks.shared.urls import safe_url
from tasks.warehouse.connection import (
    Migration,
    WarehouseTooNew,
    connect_warehouse,
    read_migrations,
    schema_migrations,
    upgrade_schema,
)
from tasks.warehouse.load import read_watermark, stored_delivery_hashes
from tasks.warehouse.reads import read_landed_content

LATEST = schema_migrations()[-1].version
OLD_CONTENT = "raportin_tunnus;kuntanumero\r\nT-1;851\r\n".encode("cp1252")
OLD_SHA = hashlib.sha256(OLD_CONTENT).hexdigest()
OLD_WATERMARK = datetime(2026, 9, 1, 12, tzinfo=UTC)


def _versions(engine: Engine) -> list[tuple[int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(text("select version, applied_at from schema_version"))
        return sorted((int(row.version), str(row.applied_at)) for row in rows)


def _engine_without_upgrade(url: str) -> Engine:
    """Return an engine on the warehouse that leaves its schema as it is."""
    return create_engine(url)


def _build_unversioned_warehouse(url: str) -> None:
    """Create a warehouse as raportti did before schema versions: the baseline, with data."""
    delivery = {
        "source_id": "851-csv",
        "sha256": OLD_SHA,
        "municipality_code": "851",
        "kind": "csv",
        "name": "raportit.csv",
        "received_at": "2026-09-01 12:00:00.000000+00:00",
        "quarter": "2026Q3",
        "seq": 1,
        "size_bytes": len(OLD_CONTENT),
        "rows_in": 1,
        "rows_valid": 1,
        "rows_quarantined": 0,
        "redacted_identity_codes": 0,
        "redacted_phones": 0,
        "redacted_emails": 0,
    }
    watermark = {"source_id": "851-csv", "extracted_until": "2026-09-01 12:00:00.000000+00:00"}
    engine = _engine_without_upgrade(url)
    with engine.begin() as connection:
        for statement in sql_statements("create_warehouse"):
            connection.execute(text(statement))
        connection.execute(text(sql_text("insert_delivery")), delivery)
        connection.execute(
            text(
                "insert into landed_content (sha256, part, content) values (:sha256, 0, :content)"
            ),
            {"sha256": OLD_SHA, "content": OLD_CONTENT},
        )
        connection.execute(text(sql_text("upsert_watermark")), watermark)
    engine.dispose()


def test_a_fresh_warehouse_ends_at_the_latest_version(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)

    assert [version for version, _ in _versions(engine)] == list(range(1, LATEST + 1))
    columns = {column["name"] for column in inspect(engine).get_columns("landed_content")}
    assert {"codec", "raw_size"} <= columns


@pytest.mark.postgres
def test_on_postgresql_landed_parts_skip_a_second_compression(pg_url: str) -> None:
    storage = text(
        "select attstorage from pg_attribute"
        " where attrelid = 'landed_content'::regclass and attname = 'content'"
    )

    with connect_warehouse(pg_url).connect() as connection:
        assert connection.execute(storage).scalar_one() == "e"  # external: out of line, as is


def test_a_warehouse_from_before_versions_is_upgraded_and_keeps_its_data(
    warehouse_url: str,
) -> None:
    _build_unversioned_warehouse(warehouse_url)

    engine = connect_warehouse(warehouse_url)

    assert [version for version, _ in _versions(engine)] == list(range(1, LATEST + 1))
    assert stored_delivery_hashes(engine, "851-csv") == {OLD_SHA}
    assert read_watermark(engine, "851-csv") == OLD_WATERMARK
    assert read_landed_content(engine, OLD_SHA) == OLD_CONTENT


def test_connecting_again_applies_nothing_twice(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    recorded = _versions(engine)

    assert upgrade_schema(connect_warehouse(_variant(warehouse_url, 1))) == []
    assert upgrade_schema(engine) == []
    assert _versions(engine) == recorded


def test_a_warehouse_newer_than_this_code_is_refused_untouched(warehouse_url: str) -> None:
    newer = _engine_without_upgrade(warehouse_url)
    with newer.begin() as connection:
        connection.execute(text(sql_text("create_schema_version")))
        connection.execute(
            text(sql_text("insert_schema_version")),
            {"version": LATEST + 1, "applied_at": "2027-01-01 00:00:00.000000+00:00"},
        )
    newer.dispose()

    with pytest.raises(WarehouseTooNew) as refused:
        connect_warehouse(warehouse_url)

    message = str(refused.value)
    assert f"schema version {LATEST + 1}" in message
    assert f"knows versions up to {LATEST}" in message
    assert "upgrade raportti" in message
    assert inspect(_engine_without_upgrade(warehouse_url)).get_table_names() == ["schema_version"]


def test_a_failing_upgrade_leaves_the_warehouse_at_its_version(
    warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build_unversioned_warehouse(warehouse_url)
    broken = tmp_path / "0099_broken.sql"
    broken.write_text(
        "alter table landed_content add column note text;\nselect * from no_such_table",
        encoding="utf-8",
    )
    upgrades = (*schema_migrations(), Migration(LATEST + 1, broken, {}))
    monkeypatch.setattr("tasks.warehouse.connection.schema_migrations", lambda: upgrades)

    with pytest.raises(Exception, match="no_such_table"):
        connect_warehouse(warehouse_url)

    unchanged = inspect(_engine_without_upgrade(warehouse_url))
    assert "schema_version" not in unchanged.get_table_names()
    columns = {column["name"] for column in unchanged.get_columns("landed_content")}
    assert columns == {"sha256", "part", "content"}


def test_concurrent_first_connections_create_the_schema_without_colliding(
    warehouse_url: str,
) -> None:
    errors: list[str] = []

    def connect(worker: int) -> None:
        try:
            connect_warehouse(_variant(warehouse_url, worker))
        except Exception as error:  # noqa: BLE001 - the test collects every failure
            errors.append(type(error).__name__)

    workers = [threading.Thread(target=connect, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    engine = connect_warehouse(warehouse_url)
    assert "report" in inspect(engine).get_table_names()
    assert [version for version, _ in _versions(engine)] == list(range(1, LATEST + 1))


def _variant(url: str, worker: int) -> str:
    """Return another URL of the same warehouse, so that `connect_warehouse` connects anew."""
    if url.startswith("sqlite"):
        return f"{url}?timeout={30 + worker}"
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}application_name=w{worker}"


def test_upgrades_are_read_in_order_with_their_dialect_files(tmp_path: Path) -> None:
    for name in ("0003_b.sql", "0002_a.sql", "0002_a.postgresql.sql"):
        (tmp_path / name).write_text("select 1", encoding="utf-8")

    migrations = read_migrations(tmp_path)

    assert [m.version for m in migrations] == [2, 3]
    assert migrations[0].portable == tmp_path / "0002_a.sql"
    assert migrations[0].dialect_specific == {"postgresql": tmp_path / "0002_a.postgresql.sql"}
    assert migrations[0].statements("postgresql") == ["select 1", "select 1"]
    assert migrations[0].statements("sqlite") == ["select 1"]


@pytest.mark.parametrize(
    ("names", "problem"),
    [
        (["0002_a.postgres.sql"], "name an upgrade"),
        (["2_a.sql"], "name an upgrade"),
        (["0002_a.sql", "0002_b.sql"], "already has such a file"),
        (["0003_a.sql"], "without gaps"),
        (["0001_a.sql"], "without gaps"),
    ],
)
def test_misnamed_or_missing_upgrades_are_refused(
    tmp_path: Path, names: list[str], problem: str
) -> None:
    for name in names:
        (tmp_path / name).write_text("select 1", encoding="utf-8")

    with pytest.raises(ValueError, match=problem):
        read_migrations(tmp_path)


def test_safe_url_hides_the_password() -> None:
    shown = safe_url("postgresql+psycopg://raportti:s3cret@db.example/raportti")

    assert "s3cret" not in shown
    assert "db.example" in shown


def test_safe_url_hides_a_password_given_as_a_query_parameter() -> None:
    shown = safe_url("postgresql+psycopg://raportti@db/raportti?password=s3cret&sslmode=require")

    assert "s3cret" not in shown
    assert "sslmode=require" in shown
