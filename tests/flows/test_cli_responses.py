"""`raportti check --responses`: a filled sheet checked against the warehouse's proposals."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from tasks.warehouse.connection import connect_warehouse
from tests.factories import report_row
from tests.tasks.warehouse.test_proposals import HEADER, store_reports

runner = CliRunner()


def test_check_of_a_response_sheet_names_file_row_field_and_reason(tmp_path: Path) -> None:
    db_url = f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"
    store_reports(connect_warehouse(db_url), "c" * 64, [report_row("P1", proposal="Lisää.")])
    sheet = tmp_path / "698.csv"
    lines = [
        HEADER,
        "698;P1;päätetty;Kunnanhallitus 3.3.2027 § 4;3.3.2027;;",
        "698;P9;received;;;;",
    ]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = runner.invoke(app, ["check", str(sheet), "--responses", "--db", db_url])
    finnish = runner.invoke(
        app, ["check", str(sheet), "--responses", "--db", db_url, "--lang", "fi"]
    )

    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{sheet}: row 3, field report_id: "
        "no stored proposal has this municipality_code and report_id"
    )
    assert "ei ole tallennettua ehdotusta" in finnish.output
