"""The demo's filled response sheets: real movement, decision references, planted faults."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from demo.inbox import write_demo_inbox
from demo.responses import PLANTED_REJECTIONS, demo_answers, demo_proposals
from schemas.quarter import Quarter
from schemas.responses import STATUSES
from schemas.sources import load_sources
from tasks.intake.extract import Delivery
from tasks.intake.responses import checked_responses, read_response_lines

LAST = Quarter(2026, 3)


@pytest.fixture(scope="module")
def inbox_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = write_demo_inbox(tmp_path_factory.mktemp("demo") / "inbox", LAST)
    return inbox.sources_file.parent


def test_sources_toml_names_the_responses_drop(inbox_dir: Path) -> None:
    sources = load_sources(inbox_dir / "sources.toml")
    (drop,) = sources.responses
    assert len(sources.sources) == 21
    assert sorted(p.name for p in inbox_dir.glob(drop.path))[0].startswith("vastaukset-1-")


def test_answers_move_older_proposals_further_and_cite_minutes(inbox_dir: Path) -> None:
    reports = write_demo_inbox(inbox_dir, LAST).reports
    proposals = demo_proposals(reports, LAST)
    answers = demo_answers(proposals, LAST, seed=2026)
    statuses = Counter(answer["status"] for answer in answers)
    decided = [a for a in answers if a["decision_ref"]]

    assert set(statuses) == set(STATUSES)
    assert 0.3 < len(answers) / proposals.height < 0.9
    assert all(re.search(r"\d{1,2}\.\d{1,2}\.\d{4} § \d+$", a["decision_ref"]) for a in decided)
    assert any((a["decided_on"] - a["_submitted_on"]).days > 180 for a in decided)  # some late


def test_the_sheets_read_back_with_exactly_the_planted_rejections(inbox_dir: Path) -> None:
    reports = write_demo_inbox(inbox_dir, LAST).reports
    keys = demo_proposals(reports, LAST).select("municipality_code", "report_id")
    rejected = valid = 0
    for path in sorted((inbox_dir / "responses").iterdir()):
        delivery = Delivery("responses", "", "csv", path.name, path.read_bytes(), None)
        checked = checked_responses(read_response_lines(delivery), keys)
        rejected += checked.rejections["row_number"].n_unique()
        valid += checked.valid.height
    assert rejected == PLANTED_REJECTIONS
    assert valid > 100
