"""Quote decisions in the warehouse: per report key and text, on SQLite and PostgreSQL."""

from __future__ import annotations

import polars as pl

from schemas.quarter import Quarter
from tasks.brief.quotes import quote_candidates, quotes_to_publish
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.quote_decisions import read_quote_decisions, record_quote_decisions
from tests.factories import report_frame, report_row

Q3 = Quarter(2026, 3)
PROPOSAL = "Lisätään kotikäyntejä syrjäkylille ja järjestetään kyyti palveluihin."


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
