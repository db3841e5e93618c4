"""Shared fixtures: warehouses on SQLite and on a real PostgreSQL, and one Prefect harness."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# Prefect, GX and the settings read the environment: isolate tests from the caller's.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="raportti-test-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["GX_ANALYTICS_ENABLED"] = "false"
# A temporary Prefect server starts slowly on a busy machine (20 s by default): give it time.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.pop("PREFECT_API_URL", None)
for _setting in [
    name for name in os.environ if name.startswith("RAPORTTI_") and name != "RAPORTTI_TEST_PG_URL"
]:
    os.environ.pop(_setting)
# A run on a Prefect server would wait for a person to review its quotes: tests that want
# the pause ask for it themselves.
os.environ["RAPORTTI_QUOTE_REVIEW_MINUTES"] = "0"

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_HINT = (
    "PostgreSQL tests need a server: set RAPORTTI_TEST_PG_URL "
    f"(default {DEFAULT_PG_URL}) or start one with "
    "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'"
)


def _pg_admin_url() -> str:
    return os.environ.get("RAPORTTI_TEST_PG_URL", DEFAULT_PG_URL)


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (under CI a skipped PostgreSQL test is a failure)")
    pytest.skip(reason)


@contextlib.contextmanager
def fresh_pg_database(prefix: str = "raportti_test") -> Iterator[str]:
    """Yield the URL of a new PostgreSQL database, dropped afterwards (skip or fail without one)."""
    admin_url = _pg_admin_url()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'create database "{name}"'))
    except Exception as error:  # noqa: BLE001 - any connection failure means no server
        admin.dispose()
        _skip_or_fail(f"{PG_HINT}: {type(error).__name__}")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'drop database if exists "{name}" with (force)'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """Yield the URL of a fresh PostgreSQL database, dropped afterwards."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """Return the URL of a fresh SQLite warehouse file."""
    return f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse_url(request: pytest.FixtureRequest) -> str:
    """Return a fresh warehouse URL, once on SQLite and once on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(fixture)


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """Run one temporary Prefect server for the whole test session (it costs ~14 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
