"""The weekly collect-responses flow: new sheets stored once, their rejected lines fed back."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.proposals import read_responses
from tests.factories import report_row
from tests.tasks.warehouse.test_proposals import store_reports, write_sheet

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]


def test_the_flow_stores_new_sheets_once_and_writes_feedback(
    tmp_path: Path, prefect_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.followup import collect_responses_flow

    db_url = f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"
    store_reports(connect_warehouse(db_url), "d" * 64, [report_row("P1", proposal="Lisää.")])
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nkind = "responses"\npath = "responses/*.csv"\n')
    write_sheet(tmp_path, "vastaukset-698.csv", ["698;P1;received;;;;", "698;P7;received;;;;"])
    monkeypatch.setitem(os.environ, "RAPORTTI_DB_URL", db_url)

    first = collect_responses_flow(sources_file=sources, out_dir=tmp_path / "out")
    second = collect_responses_flow(sources_file=sources, out_dir=tmp_path / "out")

    feedback = tmp_path / "out" / "responses-feedback" / "responses_vastaukset-698.csv"
    assert (first, second) == (1, 0)
    assert read_responses(connect_warehouse(db_url))["report_id"].to_list() == ["P1"]
    assert "P7" in feedback.read_text(encoding="utf-8")
