"""The quarterly flow when things go wrong: a dead source, a hard quality finding, mail to send."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.client.schemas.objects import StateType
from prefect.states import State
from pypdf import PdfReader
from sqlalchemy import text
from typer.testing import CliRunner

from flows.cli import app
from tasks.run.summary import RunSummary, attention_lines, exit_status
from tasks.warehouse.connection import connect_warehouse
from tests.smtp import LoopbackController

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

QUARTER = "2026Q2"
HEADER = (
    "report_id,municipality_code,submitted_on,reporter_role,theme,target_group,phenomenon,"
    "addressee_level,urgency"
)
TEXT = "Asiakkaat joutuvat matkustamaan yli sata kilometriä lähimpään palveluun."
SOURCES = """
[[source]]
municipality_code = "851"
kind = "csv"
path = "inbox/851/*.csv"

[[source]]
municipality_code = "240"
kind = "csv"
path = "inbox/240/*.csv"

[[source]]
municipality_code = "698"
kind = "sql"
url_env = "RAPORTTI_TEST_UNSET_ROVANIEMI_DB"
"""


def _write_inbox(root: Path) -> Path:
    """Write two small CSV deliveries and a sources.toml whose SQL source cannot be reached."""
    for code, count in (("851", 7), ("240", 6)):
        rows = [
            f"{code}-{n},{code},2026-05-{n + 1:02d},social_worker,mobility,older_people,{TEXT},"
            "welfare_region,medium"
            for n in range(count)
        ]
        folder = root / "inbox" / code
        folder.mkdir(parents=True)
        (folder / "raportit.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    sources = root / "sources.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    return sources


def _run_state(sources: Path, db_url: str, out_dir: Path, send: bool = False) -> State:
    from flows.quarterly import quarterly_brief

    os.environ["RAPORTTI_DB_URL"] = db_url
    try:
        return quarterly_brief(
            quarter=QUARTER, sources_file=sources, out_dir=out_dir, send=send, return_state=True
        )
    finally:
        os.environ.pop("RAPORTTI_DB_URL")


def _run(sources: Path, db_url: str, out_dir: Path, send: bool = False) -> RunSummary:
    return _run_state(sources, db_url, out_dir, send).result(raise_on_failure=False)


def _task_run_names(state: State) -> set[str]:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    flow_run_id = state.state_details.flow_run_id
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return {run.name for run in runs}


def _page_texts(path: Path) -> list[str]:
    """Return each page's text of a PDF, whitespace collapsed."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


@pytest.fixture
def inbox(tmp_path: Path, prefect_server: None) -> Path:
    """Return the sources.toml of a small inbox."""
    return _write_inbox(tmp_path)


def test_a_failed_source_does_not_stop_the_others_and_is_named(
    inbox: Path, tmp_path: Path, sqlite_url: str
) -> None:
    state = _run_state(inbox, sqlite_url, tmp_path / "out")
    summary = state.result(raise_on_failure=False)

    assert (state.type, state.name) == (StateType.FAILED, "Needs attention")
    assert state.message.startswith(f"{QUARTER} needs attention: source 698-sql failed: ")
    assert "RAPORTTI_TEST_UNSET_ROVANIEMI_DB is not set" in state.message
    assert [s.source_id for s in summary.failed_sources] == ["698-sql"]
    assert _task_run_names(state) >= {"ingest 698 Rovaniemi (sql)", "ingest 851 Tornio (csv)"}
    assert summary.valid_reports == 13
    assert exit_status(summary) == 1
    assert any(
        "698-sql" in line and "RAPORTTI_TEST_UNSET_ROVANIEMI_DB" in line
        for line in attention_lines(summary)
    )
    published = tmp_path / "out" / QUARTER
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed_sources"] == ["698-sql"]
    cover, *_ = _page_texts(published / "brief-en.pdf")
    assert "could not be read in this run and are missing from the figures: Rovaniemi." in cover
    assert "The data is incomplete: the reports of Rovaniemi could not be read;" in cover
    (kansi, *_) = _page_texts(published / "brief-fi.pdf")
    assert "eivätkä ne ole luvuissa: Rovaniemi." in kansi


def test_a_row_naming_another_municipality_is_counted_in_the_brief_where_its_feedback_goes(
    inbox: Path, tmp_path: Path, sqlite_url: str
) -> None:
    foreign = f"851-x,698,2026-05-20,social_worker,mobility,older_people,{TEXT},welfare_region,low"
    (inbox.parent / "inbox" / "851" / "vieras.csv").write_text(
        f"{HEADER}\n{foreign}\n", encoding="utf-8"
    )

    _run(inbox, sqlite_url, tmp_path / "out")

    published = tmp_path / "out" / QUARTER
    feedback = sorted(path.name for path in (published / "feedback").glob("*.csv"))
    assert feedback == ["851.csv"]  # the digests (*-koonti.pdf) sit beside it
    brief = subprocess.run(
        ["pdftotext", "-layout", str(published / "brief-en.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [" ".join(line.split()) for line in brief.splitlines()]
    assert "Tornio 1" in lines
    assert not [line for line in lines if line.startswith("Rovaniemi ")]
    assert "(1 rows)" in " ".join(brief.split())


def test_a_hard_quality_finding_stops_publication(
    inbox: Path, tmp_path: Path, sqlite_url: str
) -> None:
    _run(inbox, sqlite_url, tmp_path / "first")
    with connect_warehouse(sqlite_url).begin() as connection:
        connection.execute(
            text("update report set theme = 'not_a_theme' where report_id = '851-0'")
        )

    state = _run_state(inbox, sqlite_url, tmp_path / "second")
    summary = state.result(raise_on_failure=False)

    assert state.name == "Needs attention"
    assert "the quality gate stopped publication (" in state.message
    assert summary.published_blocked
    assert not (tmp_path / "second" / QUARTER / "brief-fi.pdf").exists()
    assert exit_status(summary) == 1
    assert any("quality gate stopped publication" in line for line in attention_lines(summary))


class _Mailbox:
    """Keeps every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Mailbox]:
    """Run a real SMTP server on loopback and point the settings at it."""
    handler = _Mailbox()
    controller = LoopbackController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    monkeypatch.setenv("RAPORTTI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RAPORTTI_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("RAPORTTI_MAIL_TO", '["hallitus@lapha.fi", "johto@lapha.fi"]')
    yield handler
    controller.stop()


def test_briefs_are_mailed_once_per_recipient_and_resend_sends_them_again(
    inbox: Path, tmp_path: Path, sqlite_url: str, mailbox: _Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    monkeypatch.setenv("RAPORTTI_PUBLISH_DIR", str(tmp_path / "julkaisu"))
    summary = _run(inbox, sqlite_url, out_dir, send=True)

    for name in ("brief-fi.pdf", "aggregates.csv", "manifest.json"):
        published = (tmp_path / "julkaisu" / QUARTER / name).read_bytes()
        assert published == (out_dir / QUARTER / name).read_bytes(), name

    assert summary.unsent == []
    assert sorted(r for rcpts, _ in mailbox.received for r in rcpts) == [
        "hallitus@lapha.fi",
        "johto@lapha.fi",
    ]
    attachments = {part.get_filename() for part in mailbox.received[0][1].iter_attachments()}
    assert attachments == {"brief-fi.pdf", "brief-sv.pdf", "brief-en.pdf"}

    resend = ["resend", "--quarter", QUARTER, "--out", str(out_dir), "--db", sqlite_url]
    owed_only = CliRunner().invoke(app, [*resend, "--owed-only"])

    assert owed_only.exit_code == 0, owed_only.output
    assert len(mailbox.received) == 2

    again = CliRunner().invoke(app, resend)

    assert again.exit_code == 0, again.output
    assert sorted(r for rcpts, _ in mailbox.received[2:] for r in rcpts) == [
        "hallitus@lapha.fi",
        "johto@lapha.fi",
    ]
