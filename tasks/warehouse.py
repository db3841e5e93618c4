"""The warehouse connection: one SQLAlchemy engine, SQLite by default, PostgreSQL in production."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f+00:00"
SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
SQLITE_BUSY_TIMEOUT_MS = 60_000
SQLITE_PAGE_BYTES = 16_384
_POSTGRES_SESSION = {"options": "-c timezone=UTC", "connect_timeout": 15}


@cache
def sql_text(name: str) -> str:
    """Return the statement kept in `sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql_statements(name: str) -> list[str]:
    """Return the `;`-separated statements of `sql/<name>.sql`, comments removed."""
    lines = [line for line in sql_text(name).splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]


def safe_url(url: str) -> str:
    """Return `url` with any password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparseable URL is shown as nothing at all
        return "<unparseable database URL>"


@cache
def connect_warehouse(url: str) -> Engine:
    """Return an engine on the warehouse at `url`, its schema created if missing."""
    engine = _engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(sql_text("lock_warehouse_schema")))
        for statement in sql_statements("create_warehouse"):
            connection.execute(text(statement))
    return engine


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, connect_args=_POSTGRES_SESSION)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_immediate)
    return engine


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


def is_sqlite(engine: Engine) -> bool:
    """Return whether the warehouse is SQLite (rather than PostgreSQL)."""
    return engine.dialect.name == "sqlite"


def db_timestamp(moment: datetime) -> str:
    """Return `moment` as the warehouse's UTC text form, accepted by SQLite and PostgreSQL."""
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)
