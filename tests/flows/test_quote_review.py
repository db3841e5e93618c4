"""A person approves every quote: in the paused run's form on a server, or on the command line."""

from __future__ import annotations

import logging
import re
import threading
import time
from pathlib import Path

import pytest
from prefect import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
from prefect.client.schemas.objects import StateType
from prefect.flow_runs import resume_flow_run
from typer.testing import CliRunner

from flows.cli import app
from tasks.run.summary import RunSummary, attention_lines
from tests.factories import FINNISH_HEADER, PHENOMENON

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

QUARTER = "2026Q3"
QUOTES = {
    "R-1": "Kuljetuspalvelua laajennetaan syrjäkylille.",
    "R-2": "Palveluohjaajia palkataan lisää.",
}
runner = CliRunner()


def _inbox(root: Path) -> Path:
    rows = [
        f"{rid};698;3.8.2026;social_worker;mobility;older_people;{PHENOMENON};{quote};"
        "welfare_region;high;kyllä"
        for rid, quote in QUOTES.items()
    ]
    (root / "698").mkdir(parents=True)
    (root / "698" / "raportit.csv").write_text("\n".join([FINNISH_HEADER, *rows]) + "\n", "utf-8")
    sources = root / "sources.toml"
    sources.write_text('[[source]]\nmunicipality_code = "698"\nkind = "csv"\npath = "698/*.csv"\n')
    return sources


def _brief_text(out: Path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(out / QUARTER / "brief-fi.pdf").pages)


def _warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Set the runs' SQLite warehouse; return the quotes commands' options naming it."""
    db = f"sqlite:///{(tmp_path / 'w.db').as_posix()}"
    monkeypatch.setenv("RAPORTTI_DB_URL", db)
    return ["--quarter", QUARTER, "--db", db]


def _paused_run_id(timeout: float) -> object:
    """Return the id of the flow run that waits paused, polling the server."""
    paused = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED]))
    )
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            runs = client.read_flow_runs(flow_run_filter=paused)
            if runs:
                return runs[0].id
            time.sleep(1)
    raise AssertionError("no flow run paused for quote review")


def test_the_steward_approves_a_quote_in_the_paused_runs_form(
    tmp_path: Path, prefect_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.quarterly import quarterly_brief

    sources = _inbox(tmp_path / "inbox")
    monkeypatch.setenv("RAPORTTI_DB_URL", f"sqlite:///{(tmp_path / 'w.db').as_posix()}")
    monkeypatch.setenv("RAPORTTI_QUOTE_REVIEW_MINUTES", "10")
    outcome: dict[str, RunSummary] = {}
    out = tmp_path / "out"

    def run() -> None:
        outcome["summary"] = quarterly_brief(
            quarter=QUARTER, sources_file=sources, out_dir=out, send=False
        )

    worker = threading.Thread(target=run)
    worker.start()
    resume_flow_run(_paused_run_id(300), run_input={"approve": ["698/R-1"], "reject": []})
    worker.join(600)

    assert outcome["summary"].quotes_waiting == 1
    text = _brief_text(out)
    assert "Kuljetuspalvelua" in text
    assert "Palveluohjaajia" not in text


def test_an_unanswered_review_times_out_and_the_run_publishes_without_quotes(
    tmp_path: Path,
    prefect_server: None,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from flows.quarterly import quarterly_brief

    sources = _inbox(tmp_path / "inbox")
    monkeypatch.setenv("RAPORTTI_DB_URL", f"sqlite:///{(tmp_path / 'w.db').as_posix()}")
    monkeypatch.setenv("RAPORTTI_QUOTE_REVIEW_MINUTES", "0.05")
    caplog.set_level(logging.INFO, logger="prefect.flow_runs")

    summary = quarterly_brief(quarter=QUARTER, sources_file=sources, out_dir=tmp_path, send=False)

    assert summary.quotes_waiting == 2
    assert "2 quotes wait for review: approve or reject them in the form" in caplog.text
    assert "2 quotes wait for review" in attention_lines(summary)[-1]
    assert "Kuljetuspalvelua" not in _brief_text(tmp_path)


def test_quotes_are_listed_approved_and_rejected_on_the_command_line(
    tmp_path: Path, prefect_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.quarterly import quarterly_brief

    sources = _inbox(tmp_path / "inbox")
    common = _warehouse(tmp_path, monkeypatch)
    quarterly_brief(quarter=QUARTER, sources_file=sources, out_dir=tmp_path, send=False)

    listed = runner.invoke(app, ["quotes", "list", *common])
    approved = runner.invoke(app, ["quotes", "approve", *common, "698/R-1"])
    rejected = runner.invoke(app, ["quotes", "reject", *common, "698/R-2"])
    unknown = runner.invoke(app, ["quotes", "approve", *common, "698/R-404"])
    after = runner.invoke(app, ["quotes", "list", *common])
    summary = quarterly_brief(quarter=QUARTER, sources_file=sources, out_dir=tmp_path, send=False)

    assert "698/R-1" in listed.output
    assert "2 quotes, 2 waiting for review" in listed.output
    assert (approved.exit_code, rejected.exit_code, unknown.exit_code) == (0, 0, 2)
    assert "2 quotes, 0 waiting for review" in after.output
    assert summary.quotes_waiting == 0
    text = _brief_text(tmp_path)
    assert "Kuljetuspalvelua" in text
    assert "Palveluohjaajia" not in text


RESPONSE = (
    "Hyvinvointialue aloittaa iltakäynnit kylissä. Kysy Pekalta Näkkäläjärveltä, 040-765 4321."
)
CORRECTED = "Hyvinvointialue aloittaa iltakäynnit ja viikonloppukäynnit kylissä."
PLANTED = ("Pekalta", "Näkkäläjärveltä", "040-765 4321", "765 4321")
RESPONSE_HEADER = "kuntanumero;raportin_tunnus;tila;päätös;päätöspäivä;vastaus;vastaajan_rooli"


def _inbox_over_two_quarters(root: Path) -> Path:
    """R-1 and R-2 proposed in 2026Q2, R-3 in 2026Q3; filled response sheets come to responses/."""
    rows = [
        f"{rid};698;{day};social_worker;mobility;older_people;{PHENOMENON};{quote};"
        "welfare_region;high;kyllä"
        for rid, day, quote in (
            ("R-1", "5.5.2026", QUOTES["R-1"]),
            ("R-2", "6.5.2026", QUOTES["R-2"]),
            ("R-3", "3.8.2026", "Etäpalveluja kehitetään kylätaloille."),
        )
    ]
    (root / "698").mkdir(parents=True)
    (root / "698" / "raportit.csv").write_text("\n".join([FINNISH_HEADER, *rows]) + "\n", "utf-8")
    (root / "responses").mkdir()
    sources = root / "sources.toml"
    sources.write_text(
        '[[source]]\nmunicipality_code = "698"\nkind = "csv"\npath = "698/*.csv"\n\n'
        '[[source]]\nkind = "responses"\npath = "responses/*.csv"\n'
    )
    return sources


def _respond(sources: Path, name: str, response: str) -> None:
    line = f"698;R-1;päätetty;Aluehallitus 20.8.2026 § 7;20.8.2026;{response};sihteeri"
    sheet = sources.parent / "responses" / name
    sheet.write_text(f"{RESPONSE_HEADER}\n{line}\n", encoding="utf-8")


def _published_text(folder: Path) -> dict[str, str]:
    """Every published file's text (PDFs and workbooks read back); the feedback is not published."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "feedback" not in p.parts):
        name = path.relative_to(folder).as_posix()
        if path.suffix == ".pdf":
            texts[name] = " ".join(page.extract_text() for page in PdfReader(path).pages)
        elif path.suffix == ".xlsx":
            cells = load_workbook(path).worksheets[0].iter_rows(values_only=True)
            texts[name] = " ".join(str(value) for row in cells for value in row)
        else:
            texts[name] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def test_a_response_is_quoted_with_its_decision_only_once_approved_and_again_after_a_change(
    tmp_path: Path, prefect_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.quarterly import quarterly_brief

    sources = _inbox_over_two_quarters(tmp_path / "inbox")
    common = _warehouse(tmp_path, monkeypatch)
    published = tmp_path / QUARTER

    def run() -> RunSummary:
        return quarterly_brief(quarter=QUARTER, sources_file=sources, out_dir=tmp_path, send=False)

    quarterly_brief(quarter="2026Q2", sources_file=sources, out_dir=tmp_path, send=False)
    _respond(sources, "vastaukset-1.csv", RESPONSE)
    waiting = run()
    unapproved = _published_text(published)
    listed = runner.invoke(app, ["quotes", "list", *common], env={"COLUMNS": "400"})
    approved = runner.invoke(app, ["quotes", "approve", *common, "response/698/R-1"])
    after_approval = run()
    quoted = _published_text(published)
    _respond(sources, "vastaukset-2.csv", CORRECTED)
    after_correction = run()
    corrected = _published_text(published)
    every = runner.invoke(app, ["quotes", "approve", *common, "--all"])

    assert waiting.quotes_waiting == 2  # R-3's proposal and R-1's response
    assert "response/698/R-1" in listed.output
    assert re.search(r"response/698/R-1\s+│\s+waiting\s+│\s+response", listed.output)
    assert "2 quotes, 2 waiting for review" in listed.output
    assert "[nimi]" in listed.output  # the redaction's placeholders are shown, not read as markup
    assert approved.exit_code == 0
    assert after_approval.quotes_waiting == 1
    assert after_correction.quotes_waiting == 2
    assert "approved 2 quotes" in every.output
    for texts in (unapproved, quoted, corrected):
        assert "Aluehallitus 20.8.2026 § 7" in texts["brief-fi.pdf"]
        assert "Aluehallitus 20.8.2026 § 7" in texts["brief-en.pdf"]
        for name, text in texts.items():
            assert "viikonloppukäynnit" not in text, name
            for planted in PLANTED:
                assert planted not in text, name
    for texts in (unapproved, corrected):
        assert not any("iltakäynnit" in text for text in texts.values())
    assert "Kysy [nimi] [nimi]" in quoted["brief-fi.pdf"]
    assert "Kysy [name] [name]" in quoted["brief-en.pdf"]
    assert "Kysy [nimi] [nimi]" in quoted["brief-fi.html"]
    assert [name for name, text in quoted.items() if "iltakäynnit" in text] == [
        f"brief-{lang}.{kind}" for lang in ("en", "fi", "sv") for kind in ("html", "pdf")
    ]


def test_the_form_lists_each_waiting_quote_with_its_id_and_kind() -> None:
    from flows.quotes import review_description, with_ids
    from schemas.quarter import Quarter
    from tasks.brief.quotes import review_candidates
    from tests.tasks.warehouse.test_quote_decisions import _candidates, _response_candidates

    waiting = review_candidates(_candidates(), _response_candidates("Iltakäynnit alkavat."))

    form = review_description(Quarter(2026, 3), with_ids(waiting))

    assert "- `698/R-1` (proposal, " in form
    assert "- `response/698/R-1` (response, mobility, welfare_region): Iltakäynnit alkavat." in form
