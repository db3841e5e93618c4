"""The Prefect server's own automation e-mails the steward when a run needs attention or fails.

A real `prefect server start` (its event, trigger and action services running),
`raportti setup` with the project's SMTP settings, and a real SMTP server on
loopback (aiosmtpd). One run reads the demo inbox without the SQL source's
variable: Rovaniemi fails, the run ends `Needs attention`. Another is the README's
`prefect deployment run` against `raportti serve` in a folder without a
sources.toml: it fails with one line that says what to fix, in its state, its
log and the run log, and the steward hears of both.
"""

from __future__ import annotations

import email
import email.policy
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from demo.inbox import write_demo_inbox
from schemas.quarter import Quarter
from tasks.warehouse.connection import connect_warehouse
from tests.flows.prefect_processes import (
    BIN,
    PrefectServer,
    flow_run_id_of,
    prefect_server,
    wait_for_flow_runs,
)
from tests.smtp import LoopbackController

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

QUARTER = Quarter(2026, 2)
STEWARD = "steward@lapha.fi"


class Mailbox:
    """Keeps every message the SMTP server accepts."""

    def __init__(self) -> None:
        self.received: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"

    def wait_for(self, subject_part: str, timeout: float = 180) -> email.message.EmailMessage:
        """Return the first message whose subject holds `subject_part`, waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.received:
                if subject_part in message["Subject"]:
                    return message
            time.sleep(1)
        subjects = [message["Subject"] for message in self.received]
        raise AssertionError(f"no mail about {subject_part!r} in {timeout} s: {subjects}")


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """Run a real SMTP server on loopback; yield its mailbox and port."""
    handler = Mailbox()
    controller = LoopbackController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    yield handler, controller.port
    controller.stop()


def _logs(server: PrefectServer, flow_run_id: str) -> list[dict[str, object]]:
    return server.post("/logs/filter", {"logs": {"flow_run_id": {"any_": [flow_run_id]}}})


def _run_cli(server: PrefectServer, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "raportti"), *arguments],
        env=server.environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_the_steward_is_mailed_when_a_source_fails_and_when_the_sources_file_is_missing(
    tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    inbox = write_demo_inbox(tmp_path / "inbox", QUARTER)
    warehouse = f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"
    received, port = mailbox
    settings = {
        "RAPORTTI_DB_URL": warehouse,
        "RAPORTTI_SMTP_HOST": "127.0.0.1",
        "RAPORTTI_SMTP_PORT": str(port),
        "RAPORTTI_STEWARD_TO": f'["{STEWARD}"]',
        "PREFECT_LOGGING_LEVEL": "INFO",
    }  # the demo's SQL variable is left out: Rovaniemi cannot be read

    with prefect_server(tmp_path, settings) as server:
        setup = server.run(str(BIN / "raportti"), "setup")
        assert "the steward is e-mailed" in setup.stdout
        attention = _run_cli(
            server,
            *("run", "--quarter", str(QUARTER), "--sources", str(inbox.sources_file)),
            *("--municipality", "698", "--municipality", "851", "--no-send"),
            *("--out", str(tmp_path / "out")),
        )
        assert attention.returncode == 1, attention.stderr
        attention_mail = received.wait_for("Needs attention")

        server.start("serve", str(BIN / "raportti"), "serve")
        failed_id = _start_readme_run(server)
        (failed,) = wait_for_flow_runs(server, [failed_id], timeout=300)
        failed_mail = received.wait_for(f"quarterly-brief {QUARTER} — Failed")
        failed_logs = _logs(server, failed_id)

    assert attention_mail["To"] == STEWARD
    body = attention_mail.get_content()
    assert f"Quarter: {QUARTER}" in body
    assert f"Reason: {QUARTER} needs attention: source 698-sql failed: " in body
    assert "is not set; set it to the SQLAlchemy URL" in body

    assert failed["state"]["type"] == "FAILED"
    message = failed["state"]["message"]
    assert "sources.toml: no such sources file — give its path as sources_file" in message
    assert len(message.splitlines()) == 1
    assert "no such sources file" in failed_mail.get_content()
    errors = [log["message"] for log in failed_logs if log["level"] >= 40]
    assert errors
    assert all("Traceback" not in error and "\n" not in error for error in errors), errors
    with connect_warehouse(warehouse).connect() as connection:
        statuses = dict(connection.execute(text("select run_id, status from run_log")).all())
    assert statuses[failed_id] == "failed"
    assert "running" not in statuses.values()


def _start_readme_run(server: PrefectServer) -> str:
    """Start the README's example run once `raportti serve` has made its deployment."""
    deadline = time.monotonic() + 180
    while True:
        done = subprocess.run(
            [
                str(BIN / "prefect"),
                *("deployment", "run", "quarterly-brief/quarterly-brief"),
                *("-p", f'quarter="{QUARTER}"'),
            ],
            env=server.environment | {"PREFECT_LOGGING_LEVEL": "WARNING"},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode == 0:
            return flow_run_id_of(done.stdout)
        if time.monotonic() > deadline:
            raise AssertionError(f"{done.stdout}\n{done.stderr}\n{server.log('serve')}")
        time.sleep(2)
