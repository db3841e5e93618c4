"""Quote decisions in the warehouse: per report key, kind and text, on SQLite and PostgreSQL."""

from __future__ import annotations

import polars as pl
import pytest
from sqlalchemy import create_engine, text

from schemas.quarter import Quarter
from tasks.brief.quotes import (
    approved_responses,
    quote_candidates,
    quotes_to_publish,
    response_candidates,
    review_candidates,
)
from tasks.warehouse.connection import connect_warehouse, schema_migrations, upgrade_schema
from tasks.warehouse.quote_decisions import read_quote_decisions, record_quote_decisions
from tests.factories import report_frame, report_row

Q3 = Quarter(2026, 3)
PROPOSAL = "Lisätään kotikäyntejä syrjäkylille ja järjestetään kyyti palveluihin."
RESPONSE = "Aluehallitus lisää kuljetuspalvelua iltaisin kaikissa kunnissa."
KINDS_VERSION = 5  # sql/migrations/0005_quote_kind*.sql


def _candidates(proposal: str = PROPOSAL) -> pl.DataFrame:
    reports = report_frame(
        [
            report_row("R-1", proposal=proposal, consent_to_quote=True),
            report_row("R-2", proposal="Palveluohjausta tarvitaan lisää.", consent_to_quote=True),
        ]
    )
    return quote_candidates(reports, place_names=())


def test_only_approved_quotes_are_published(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    candidates = _candidates()
    record_quote_decisions(engine, Q3, candidates.filter(pl.col("report_id") == "R-1"), "approved")
    record_quote_decisions(engine, Q3, candidates.filter(pl.col("report_id") == "R-2"), "rejected")

    published = quotes_to_publish(candidates, read_quote_decisions(engine, Q3))

    assert published["text"].to_list() == [PROPOSAL]


def test_a_corrected_text_needs_a_new_decision(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    record_quote_decisions(engine, Q3, _candidates(), "approved")
    corrected = _candidates(PROPOSAL.replace("kotikäyntejä", "etäpalveluja"))

    published = quotes_to_publish(corrected, read_quote_decisions(engine, Q3))

    assert published["text"].to_list() == ["Palveluohjausta tarvitaan lisää."]


def test_a_later_decision_on_the_same_text_replaces_the_earlier(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    candidates = _candidates()
    record_quote_decisions(engine, Q3, candidates, "approved")
    record_quote_decisions(engine, Q3, candidates, "rejected")

    decisions = read_quote_decisions(engine, Q3)

    assert decisions.height == 2
    assert set(decisions["decision"]) == {"rejected"}
    assert quotes_to_publish(candidates, decisions).is_empty()


def test_decisions_belong_to_their_quarter(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    record_quote_decisions(engine, Q3, _candidates(), "approved")

    assert read_quote_decisions(engine, Q3.previous(1)).is_empty()


def _response_candidates(response: str) -> pl.DataFrame:
    """The response to R-1's proposal, as the follow-up section lists its decision."""
    decisions = pl.DataFrame(
        {
            "municipality_code": ["698"],
            "report_id": ["R-1"],
            "theme": ["mobility"],
            "addressee_level": ["welfare_region"],
            "response": [response],
        }
    )
    return response_candidates(decisions, place_names=())


def test_a_response_worded_like_its_proposal_needs_its_own_decision(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    proposals, responses = _candidates(), _response_candidates(PROPOSAL)
    candidates = review_candidates(proposals, responses)
    record_quote_decisions(engine, Q3, proposals, "approved")

    decisions = read_quote_decisions(engine, Q3)
    assert approved_responses(candidates, decisions).is_empty()
    assert quotes_to_publish(candidates, decisions)["text"].to_list()[0] == PROPOSAL

    record_quote_decisions(engine, Q3, responses, "approved")
    decisions = read_quote_decisions(engine, Q3)
    assert sorted(decisions["kind"]) == ["proposal", "proposal", "response"]
    assert approved_responses(candidates, decisions)["text"].to_list() == [PROPOSAL]
    assert quotes_to_publish(candidates, decisions).height == 2  # proposals only


def test_a_corrected_response_waits_for_a_new_decision(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    record_quote_decisions(engine, Q3, _response_candidates(RESPONSE), "approved")
    corrected = _response_candidates(RESPONSE.replace("iltaisin", "viikonloppuisin"))

    assert approved_responses(corrected, read_quote_decisions(engine, Q3)).is_empty()


def test_decisions_taken_before_quote_kinds_stay_decisions_on_proposals(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_kinds = tuple(m for m in schema_migrations() if m.version < KINDS_VERSION)
    monkeypatch.setattr("tasks.warehouse.connection.schema_migrations", lambda: before_kinds)
    old = create_engine(warehouse_url)
    upgrade_schema(old)
    row = _candidates().select("municipality_code", "report_id", "text_sha256").row(0, named=True)
    with old.begin() as connection:
        connection.execute(
            text(
                "insert into quote_decision (municipality_code, report_id, text_sha256, quarter,"
                " decision, decided_at) values (:municipality_code, :report_id, :text_sha256,"
                " '2026Q3', 'approved', '2026-10-01 08:00:00.000000+00:00')"
            ),
            row,
        )
    old.dispose()
    monkeypatch.undo()

    engine = connect_warehouse(warehouse_url)

    decisions = read_quote_decisions(engine, Q3)
    assert decisions.select("report_id", "kind", "decision").rows() == [
        ("R-1", "proposal", "approved")
    ]
    assert quotes_to_publish(_candidates(), decisions)["text"].to_list() == [PROPOSAL]
    record_quote_decisions(engine, Q3, _response_candidates(PROPOSAL), "rejected")
    assert read_quote_decisions(engine, Q3).height == 2
