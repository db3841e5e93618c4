"""The `raportti` command as a steward uses it: clear lines, contract exit statuses."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from flows.cli import app
from schemas.fields import REJECTION_DTYPES
from schemas.reference import PACKAGED_REFERENCE_DIR
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import connect_warehouse, schema_migrations
from tasks.warehouse.load import store_delivery
from tests.factories import delivery_record, report_frame

HEADER = (
    "raportin_tunnus;kuntanumero;jätetty;raportoijan_rooli;teema;kohderyhmä;ilmiö;kenelle;"
    "kiireellisyys"
)
VALID = "T-1;851;3.8.2026;social_worker;Ruoka-apu;families;{text};welfare_region;high"
PHENOMENON = "Ruoka-avun jonot ovat pidentyneet Torniossa syksyn aikana selvästi."
runner = CliRunner()


def _csv(tmp_path: Path, *rows: str, encoding: str = "cp1252") -> Path:
    path = tmp_path / "raportit.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    return path


def test_check_of_a_valid_file_exits_0(tmp_path: Path) -> None:
    path = _csv(tmp_path, VALID.format(text=PHENOMENON))

    result = runner.invoke(app, ["check", str(path), "--municipality", "851"])

    assert result.exit_code == 0, result.output


def test_check_names_file_row_report_and_field_of_each_rejected_row(tmp_path: Path) -> None:
    bad_theme = VALID.format(text=PHENOMENON).replace("T-1", "T-2").replace("Ruoka-apu", "Lumityöt")
    too_short = VALID.format(text="Lyhyt.").replace("T-1", "T-3")
    path = _csv(tmp_path, VALID.format(text=PHENOMENON), bad_theme, too_short)

    result = runner.invoke(app, ["check", str(path), "--municipality", "851"])

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert f"{path}, row 3, report T-2: theme: unknown code" in lines[0]
    assert f"{path}, row 4, report T-3: phenomenon:" in lines[1]
    assert "Lyhyt" not in result.output


def test_check_speaks_finnish_when_asked(tmp_path: Path) -> None:
    path = _csv(tmp_path, VALID.format(text=PHENOMENON).replace("Ruoka-apu", "Lumityöt"))

    result = runner.invoke(app, ["check", str(path), "--municipality", "851", "--lang", "fi"])

    assert result.exit_code == 1
    assert "rivi 2, raportti T-1: teema" in result.output


def test_check_of_an_unreadable_file_exits_2_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text('{"municipality_code": "148", "reports": [', encoding="utf-8")

    result = runner.invoke(app, ["check", str(path), "--municipality", "148"])

    assert result.exit_code == 2
    assert "export.json" in result.output


def test_check_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "none.csv"), "--municipality", "851"])

    assert result.exit_code == 2
    assert "none.csv" in result.output


@pytest.mark.parametrize(
    "arguments",
    [
        ["run", "--quarter", "2026Q5"],
        ["run", "--quarter", "2026Q3", "--sources", "missing.toml"],
        ["backfill", "--from", "2026Q3", "--to", "2025Q1"],
        ["resend", "--quarter", "2019Q1", "--out", "nowhere"],
        ["check", "x.csv", "--municipality", "851", "--lang", "de"],
        ["check", "x.csv", "--municipality", "999"],
        ["frobnicate"],
    ],
)
def test_bad_usage_exits_2_with_one_clear_line(arguments: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, arguments)

    assert result.exit_code == 2, result.output
    assert result.output.strip()


def test_check_reads_the_edited_code_lists_that_runs_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = tmp_path / "reference"
    shutil.copytree(PACKAGED_REFERENCE_DIR, edited)
    with (edited / "themes.csv").open("a", encoding="utf-8") as themes:
        themes.write("energy_poverty,Energiaköyhyys,Energifattigdom,Energy poverty\n")
    path = _csv(tmp_path, VALID.format(text=PHENOMENON).replace("Ruoka-apu", "Energiaköyhyys"))
    monkeypatch.setenv("RAPORTTI_REFERENCE_DIR", str(edited))

    result = runner.invoke(app, ["check", str(path), "--municipality", "851"])

    assert result.exit_code == 0, result.output


def test_a_sources_file_naming_an_unknown_municipality_exits_2_naming_it(
    tmp_path: Path,
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nmunicipality_code = "999"\nkind = "csv"\npath = "*.csv"\n')
    db = f"sqlite:///{(tmp_path / 'w.db').as_posix()}"

    result = runner.invoke(
        app,
        ["run", "--quarter", "2026Q3", "--sources", str(sources), "--db", db, "--no-deliver"],
    )

    assert result.exit_code == 2, result.output
    assert "999 is not in municipalities.csv" in result.output


@pytest.mark.parametrize(("flag", "warned"), [("--no-send", False), ("--no-deliver", True)])
def test_no_deliver_still_works_but_says_it_is_deprecated(
    tmp_path: Path, flag: str, warned: bool
) -> None:
    missing = tmp_path / "missing.toml"

    result = runner.invoke(app, ["run", "--quarter", "2026Q3", "--sources", str(missing), flag])

    assert result.exit_code == 2, result.output
    assert "no such sources file" in result.output
    assert ("--no-deliver is deprecated" in result.output) is warned
    assert ("use --no-send" in result.output) is warned


def test_help_shows_examples() -> None:
    result = runner.invoke(app, ["run", "--help"])

    assert result.exit_code == 0
    assert "raportti run --quarter" in result.output


def _land(db_url: str, content: bytes, sha256: str | None = None) -> str:
    """Store `content` as a delivery without rows (under `sha256` when given); return its sha."""
    sha = sha256 or hashlib.sha256(content).hexdigest()
    record = delivery_record(
        sha, source_id="851-csv", municipality_code="851", size_bytes=len(content)
    )
    empty = pl.DataFrame(schema=REJECTION_DTYPES)
    store_delivery(connect_warehouse(db_url), record, content, report_frame([]), empty)
    return sha


def test_landed_writes_a_delivery_back_as_received_for_its_owner_only(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPORTTI_DB_URL", sqlite_url)
    content = (HEADER + "\r\n" + VALID.format(text=PHENOMENON) + "\r\n").encode("cp1252")
    sha = _land(sqlite_url, content)
    out = tmp_path / "back" / "raportit.csv"

    result = runner.invoke(app, ["landed", sha[:10].upper(), "--out", str(out), "--db", sqlite_url])

    assert result.exit_code == 0, result.output
    assert out.read_bytes() == content
    assert out.stat().st_mode & 0o777 == 0o600
    assert sha in result.output
    assert [path.name for path in out.parent.iterdir()] == ["raportit.csv"]


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("a", "2 landed deliveries have a sha256 starting a"),
        ("b", "no landed delivery has a sha256 starting b"),
        ("a%", "'a%' is not a sha256"),
    ],
)
def test_landed_needs_one_delivery_to_match(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefix: str, message: str
) -> None:
    monkeypatch.setenv("RAPORTTI_DB_URL", sqlite_url)
    _land(sqlite_url, b"first", "ab" * 32)
    _land(sqlite_url, b"second", "ac" * 32)
    out = tmp_path / "out.csv"

    result = runner.invoke(app, ["landed", prefix, "--out", str(out), "--db", sqlite_url])

    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_landed_refuses_a_copy_that_no_longer_matches_its_sha256(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPORTTI_DB_URL", sqlite_url)
    sha = _land(sqlite_url, b"as delivered", "d" * 64)
    out = tmp_path / "out.csv"

    result = runner.invoke(app, ["landed", "ddd", "--out", str(out), "--db", sqlite_url])

    assert result.exit_code == 1
    assert f"landed delivery {sha} reads back" in result.output
    assert not out.exists()


def test_a_warehouse_newer_than_this_raportti_is_one_line_saying_upgrade(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPORTTI_DB_URL", sqlite_url)
    newer = schema_migrations()[-1].version + 1
    with connect_warehouse(sqlite_url).begin() as connection:
        stamp = {"version": newer, "applied_at": "2027-01-01 00:00:00.000000+00:00"}
        connection.execute(text(sql_text("insert_schema_version")), stamp)
    newer_url = f"{sqlite_url}?timeout=5"  # a fresh connection, as another process would make

    result = runner.invoke(app, ["status", "--db", newer_url])

    assert result.exit_code == 2
    assert f"schema version {newer}" in result.output
    assert "upgrade raportti" in result.output
    assert "Traceback" not in result.output


def test_a_run_on_a_warehouse_newer_than_this_raportti_is_explained_as_usage() -> None:
    from flows.terminal import explanation
    from tasks.warehouse.connection import WarehouseTooNew

    explained = explanation(WarehouseTooNew("sqlite:///w.db", 3, 2), "sqlite:///w.db", "s.toml")

    assert explained.code == 2
    assert explained.message == (
        "the warehouse sqlite:///w.db is at schema version 3, "
        "but this raportti knows versions up to 2"
    )
    assert explained.fix.startswith("upgrade raportti")


def test_an_attention_line_prints_a_hostile_file_name_as_it_is() -> None:
    from rich.console import Console

    from flows.cli import attention_text

    line = "source 851-csv failed: inbox/851/[bold]raportit[/].csv: the file is empty"
    console = Console(width=200, record=True, color_system=None)
    console.print(attention_text(line), highlight=False, soft_wrap=True)

    assert console.export_text() == f"attention: {line}\n"
