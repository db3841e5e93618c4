"""The proposal register and its responses: landed once, append-only, the latest one counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, text

from schemas.limits import DeliveryLimits
from schemas.quarter import Quarter
from schemas.sources import ResponsesSource
from tasks.figures.followup import latest_responses
from tasks.intake.checked import DeliveryRecord
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.load import store_delivery
from tasks.warehouse.proposals import (
    ingest_responses,
    read_proposal_versions,
    read_proposals,
    read_response_rejections,
    read_responses,
    register_proposals,
)
from tests.factories import report_frame, report_row

Q3 = Quarter(2026, 3)
NOW = datetime(2026, 10, 1, 6, tzinfo=UTC)
HEADER = "kuntanumero;raportin_tunnus;tila;päätös;päätöspäivä;vastaus;vastaajan_rooli"


def store_reports(engine: Engine, sha: str, rows: list[dict]) -> None:
    """Store `rows` as one delivery of 698's source, as the quarterly run would."""
    frame = report_frame([row | {"delivery_sha256": sha} for row in rows])
    record = DeliveryRecord(
        "698-sql", sha, "698", "sql", f"{sha[:4]}.db", NOW, str(Q3), 1, len(rows), len(rows),
        0, 0, 0, 0,
    )  # fmt: skip
    store_delivery(engine, record, sha.encode(), frame, pl.DataFrame())


def write_sheet(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / "responses" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8"))
    return path


@pytest.fixture
def engine(warehouse_url: str) -> Engine:
    engine = connect_warehouse(warehouse_url)
    store_reports(
        engine,
        "a" * 64,
        [
            report_row("P1", proposal="Lisää kotihoitoa iltaisin."),
            report_row("P2", proposal="Kuljetuspalvelu kyliin.", urgency="high"),
            report_row("N1", proposal=None),
        ],
    )
    return engine


def test_register_holds_every_report_with_a_proposal_and_keeps_a_corrected_one(
    engine: Engine,
) -> None:
    assert register_proposals(engine) == 2
    corrected = report_row(
        "P1",
        proposal="Lisää kotihoitoa iltaisin ja viikonloppuisin.",
        updated_at=datetime(2026, 9, 1, tzinfo=UTC),
    )
    store_reports(engine, "b" * 64, [corrected])
    register_proposals(engine)
    register_proposals(engine)  # idempotent

    current = read_proposals(engine)
    versions = read_proposal_versions(engine).filter(pl.col("report_id") == "P1")
    assert current["report_id"].to_list() == ["P1", "P2"]
    assert current.filter(pl.col("report_id") == "P1")["proposal"].item().endswith("loppuisin.")
    assert versions["proposal"].to_list() == [
        "Lisää kotihoitoa iltaisin.",
        "Lisää kotihoitoa iltaisin ja viikonloppuisin.",
    ]


def test_responses_land_once_and_a_corrected_response_replaces_the_earlier(
    engine: Engine, tmp_path: Path
) -> None:
    source = ResponsesSource(kind="responses", path="responses/*.csv")
    write_sheet(
        tmp_path,
        "1.csv",
        [
            "698;P1;valmistelussa;;;Asia on valmistelussa.;palvelupäällikkö",
            "698;P2;decided;Hyvinvointilautakunta 25.3.2027 § 25;25.3.2027;Soita 040 123 4567;",
            "698;X9;received;;;;",  # no such proposal
            "698;P1;hyväksytty;;;;",  # not a status
            "698;P2;;;;;",  # no response
        ],
    )
    first = ingest_responses(source, tmp_path, engine, NOW)
    again = ingest_responses(source, tmp_path, engine, NOW)
    write_sheet(tmp_path, "2.csv", ["698;P1;päätetty;Aluehallitus 2.4.2027 § 7;2.4.2027;;"])
    ingest_responses(source, tmp_path, engine, NOW)

    history = read_responses(engine)
    latest = latest_responses(history).sort("report_id")
    rejections = read_response_rejections(engine)
    assert (first.rows_valid, first.rows_quarantined, again.skipped) == (2, 2, ["responses/1.csv"])
    assert history.filter(pl.col("report_id") == "P1")["status"].to_list() == [
        "in_preparation",
        "decided",
    ]
    assert latest["status"].to_list() == ["decided", "decided"]
    assert latest["decided_on"].to_list() == [date(2027, 4, 2), date(2027, 3, 25)]
    assert "040" not in (history.filter(pl.col("report_id") == "P2")["response"].item())
    assert set(zip(rejections["row_number"], rejections["rule"], strict=True)) == {
        (4, "unknown_proposal"),
        (5, "code_list"),
    }
    assert "040" not in str(rejections.to_dicts())


def test_a_crashed_landing_stores_nothing_and_the_next_run_stores_the_sheet(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tasks.warehouse.proposals as proposals

    source = ResponsesSource(kind="responses", path="responses/*.csv")
    write_sheet(tmp_path, "1.csv", ["698;P1;received;;;;", "698;P2;received;;;;"])

    def crash(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(proposals, "_insert_rejections", crash)
    with pytest.raises(OSError, match="disk full"):
        ingest_responses(source, tmp_path, engine, NOW)
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from proposal_response")).scalar() == 0
    monkeypatch.undo()
    outcome = ingest_responses(source, tmp_path, engine, NOW)
    assert outcome.rows_valid == 2
    assert read_responses(engine).height == 2


def test_a_sheet_over_a_limit_or_linked_out_of_its_drop_is_refused_and_the_rest_stored(
    engine: Engine, tmp_path: Path
) -> None:
    source = ResponsesSource(kind="responses", path="responses/*.csv")
    write_sheet(tmp_path, "1.csv", ["698;P1;received;;;;"])
    write_sheet(tmp_path, "2.csv", [f"698;P2;received;;;{'pitkä vastaus ' * 40};"])
    write_sheet(tmp_path, "3.csv", [f"698;P{n};received;;;;" for n in range(1, 4)])
    outside = write_sheet(tmp_path / "elsewhere", "secret.csv", ["698;P2;decided;;;;"])
    (tmp_path / "responses" / "4.csv").symlink_to(outside)
    limits = DeliveryLimits(max_bytes=300, max_rows=2)

    outcome = ingest_responses(source, tmp_path, engine, NOW, limits)

    assert outcome.rows_valid == 1
    assert read_responses(engine)["report_id"].to_list() == ["P1"]
    refused = {line.split(":")[0]: line for line in outcome.unreadable}
    assert set(refused) == {"responses/2.csv", "responses/3.csv", "responses/4.csv"}
    assert "over the limit of 300 bytes" in refused["responses/2.csv"]
    assert "4 lines, over the limit of 3 lines" in refused["responses/3.csv"]
    assert "link to a place outside its drop folder" in refused["responses/4.csv"]


def test_a_sheet_stored_by_a_concurrent_run_meanwhile_is_skipped_not_failed(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tasks.warehouse.proposals as proposals

    source = ResponsesSource(kind="responses", path="responses/*.csv")
    write_sheet(tmp_path, "1.csv", ["698;P1;received;;;;"])
    ingest_responses(source, tmp_path, engine, NOW)  # the other run, which got there first
    real = proposals.stored_response_hashes
    stale: list[set[str]] = [set()]  # this run read the stored sheets before the other committed

    def hashes_read(engine: Engine) -> set[str]:
        return stale.pop() if stale else real(engine)

    monkeypatch.setattr(proposals, "stored_response_hashes", hashes_read)

    outcome = ingest_responses(source, tmp_path, engine, NOW)

    assert (outcome.skipped, outcome.rows_valid) == (["responses/1.csv"], 0)
    assert read_responses(engine).height == 1
