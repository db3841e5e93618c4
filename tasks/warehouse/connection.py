"""The warehouse connection: one SQLAlchemy engine, SQLite by default, PostgreSQL in production.

The schema is created and upgraded from `sql/`: version 1 is `create_warehouse.sql`, each
later version a numbered file under `sql/migrations/`, recorded in `schema_version`.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from tasks.shared.files import OWNER_ONLY_FILE_MODE
from tasks.shared.sqlfiles import SQL_DIR, split_statements, sql_text
from tasks.shared.urls import safe_url

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f+00:00"
SQLITE_BUSY_TIMEOUT_MS = 60_000
SQLITE_PAGE_BYTES = 16_384
_POSTGRES_SESSION = {"options": "-c timezone=UTC", "connect_timeout": 15}
MIGRATION_NAME = re.compile(
    r"(?P<version>\d{4})_[a-z0-9_]+(?:\.(?P<dialect>postgresql|sqlite))?\.sql"
)
log = logging.getLogger(__name__)


@cache
def connect_warehouse(url: str) -> Engine:
    """Return an engine on the warehouse at `url`, its schema created or upgraded to the latest."""
    engine = _engine(url)
    applied = upgrade_schema(engine)
    if applied:
        log.info("warehouse %s: schema upgraded to version %s", safe_url(url), applied[-1])
    return engine


class WarehouseTooNew(RuntimeError):
    """Raised when a newer raportti has upgraded the warehouse's schema beyond this code's."""

    def __init__(self, shown_url: str, found: int, known: int) -> None:
        self.message = (
            f"the warehouse {shown_url} is at schema version {found}, "
            f"but this raportti knows versions up to {known}"
        )
        self.fix = "upgrade raportti here (pull the newer code and reinstall it), then run again"
        super().__init__(self.message, self.fix)

    def __str__(self) -> str:
        return f"{self.message}; {self.fix}"


@dataclass(frozen=True)
class Migration:
    """One schema version: the SQL that brings the version before it to this one."""

    version: int
    portable: Path | None
    dialect_specific: dict[str, Path]

    def statements(self, dialect: str) -> list[str]:
        """Return what this version runs on `dialect`: the portable file's, then the dialect's."""
        files = [self.portable, self.dialect_specific.get(dialect)]
        return [
            statement
            for file in files
            if file is not None
            for statement in split_statements(file.read_text(encoding="utf-8"))
        ]


@cache
def schema_migrations() -> tuple[Migration, ...]:
    """Return every schema version this code knows, oldest first: the baseline, then upgrades."""
    baseline = Migration(1, SQL_DIR / "create_warehouse.sql", {})
    return (baseline, *read_migrations(SQL_DIR / "migrations"))


def read_migrations(folder: Path) -> list[Migration]:
    """Return the upgrades in `folder` in version order, refusing a misnamed file or a gap.

    An upgrade is `NNNN_what.sql`, portable between SQLite and PostgreSQL, and/or
    `NNNN_what.postgresql.sql` (or `.sqlite.sql`), run after it on that database only.
    """
    found: dict[int, dict[str | None, Path]] = {}
    for path in sorted(folder.glob("*.sql")):
        match = MIGRATION_NAME.fullmatch(path.name)
        if match is None:
            raise ValueError(
                f"{path.name}: name an upgrade NNNN_what.sql, or NNNN_what.postgresql.sql "
                "(or .sqlite.sql) for one database only"
            )
        files = found.setdefault(int(match["version"]), {})
        if match["dialect"] in files:
            raise ValueError(f"{path.name}: version {match['version']} already has such a file")
        files[match["dialect"]] = path
    if sorted(found) != list(range(2, len(found) + 2)):
        raise ValueError(
            f"{folder}: upgrades are numbered from 0002 without gaps, not {sorted(found)}"
        )
    return [
        Migration(version, files.pop(None, None), files) for version, files in sorted(found.items())
    ]


def upgrade_schema(engine: Engine) -> list[int]:
    """Bring the warehouse to the latest schema version; return the versions applied.

    Everything happens in one transaction, under an advisory lock on PostgreSQL (SQLite's
    `begin immediate` already serialises writers), so concurrent workers apply each version
    once and the warehouse is never between two versions. A warehouse without a version
    record is empty or at version 1: the idempotent baseline serves both.
    """
    migrations = schema_migrations()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(sql_text("lock_warehouse_schema")))
        connection.execute(text(sql_text("create_schema_version")))
        found = connection.execute(text(sql_text("select_schema_version"))).scalar_one() or 0
        if found > migrations[-1].version:
            shown_url = engine.url.render_as_string(hide_password=True)
            raise WarehouseTooNew(shown_url, found, migrations[-1].version)
        pending = [migration for migration in migrations if migration.version > found]
        for migration in pending:
            _apply(connection, migration)
    return [migration.version for migration in pending]


def _apply(connection: Connection, migration: Migration) -> None:
    for statement in migration.statements(connection.dialect.name):
        connection.execute(text(statement))
    applied = {"version": migration.version, "applied_at": db_timestamp(datetime.now(UTC))}
    connection.execute(text(sql_text("insert_schema_version")), applied)


def _engine(url: str) -> Engine:
    """Return the engine; bound values (report text) never appear in its errors or logs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, connect_args=_POSTGRES_SESSION, hide_parameters=True
        )
    if parsed.database and parsed.database != ":memory:":
        _create_owner_only(Path(parsed.database))
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
    )
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _create_owner_only(database: Path) -> None:
    """Create the SQLite file readable by its owner only (its -wal and -shm files follow it).

    The warehouse holds the raw deliveries: a new file is 0600; an existing one is left as
    its owner set it.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, OWNER_ONLY_FILE_MODE))


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Use WAL and a busy timeout, and let SQLAlchemy's `begin` event open transactions."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"pragma page_size={SQLITE_PAGE_BYTES}")  # new files only: fewer, fuller pages
    cursor.execute("pragma journal_mode=wal")
    cursor.execute("pragma synchronous=normal")  # with WAL: safe, without an fsync per commit
    cursor.execute(f"pragma busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    """Take SQLite's write lock at the start of every transaction, so writers queue."""
    connection.exec_driver_sql("begin immediate")


def db_timestamp(moment: datetime) -> str:
    """Return `moment` as the warehouse's UTC text form, accepted by SQLite and PostgreSQL."""
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def as_date_series(values: pl.Series) -> pl.Series:
    """Return stored dates (text on SQLite) as a Date series."""
    if values.dtype == pl.String:
        return values.str.to_date("%Y-%m-%d")
    return values.cast(pl.Date)


def as_utc_series(values: pl.Series) -> pl.Series:
    """Return stored timestamps (text on SQLite) as a UTC Datetime series."""
    if values.dtype == pl.String:
        return values.str.to_datetime(
            "%Y-%m-%d %H:%M:%S%.f%:z", time_unit="us"
        ).dt.convert_time_zone("UTC")
    return values.cast(pl.Datetime("us", "UTC"))
