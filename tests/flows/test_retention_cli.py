"""`raportti purge` as a steward runs it: says what it deleted, refuses a wrong age."""

from __future__ import annotations

from typer.testing import CliRunner

from flows.cli import app
from tests.tasks.warehouse.test_purge import OLD, _kept, _store

runner = CliRunner()


def test_purge_says_what_it_deleted_and_a_dry_run_deletes_nothing(sqlite_url: str) -> None:
    _store(sqlite_url, "a" * 64, OLD)

    dry = runner.invoke(app, ["purge", "--older-than", "30d", "--dry-run", "--db", sqlite_url])
    kept_after_dry_run = _kept(sqlite_url)[0]
    real = runner.invoke(app, ["purge", "--older-than", "30d", "--db", sqlite_url])

    assert dry.exit_code == 0, dry.output
    assert "would delete the landed bytes of 1 deliveries (1 parts)" in dry.output
    assert kept_after_dry_run == {"a" * 64}
    assert "deleted the landed bytes of 1 deliveries (1 parts) and the values of 1" in real.output
    assert _kept(sqlite_url)[0] == set()


def test_purge_refuses_an_age_it_cannot_read(sqlite_url: str) -> None:
    result = runner.invoke(app, ["purge", "--older-than", "soon", "--db", sqlite_url])

    assert result.exit_code == 2
    assert "not a duration" in result.output
