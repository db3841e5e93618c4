"""Delivery against a real SMTP server on loopback (aiosmtpd) and a real warehouse."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import logging
import os
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from polars.testing import assert_frame_equal
from pydantic import SecretStr
from sqlalchemy import Engine

from schemas.settings import Settings
from tasks.outward.publish import copy_to_publication
from tasks.outward.send import (
    SendOutcome,
    SmtpConfig,
    brief_version,
    ledger_entries,
    owed_recipients,
    send_brief,
    smtp_config,
)
from tasks.shared.files import write_file_atomically
from tasks.warehouse.connection import connect_warehouse
from tests.smtp import LoopbackController

QUARTER = "2026Q3"
PASSWORD = "Salasana-9f2c!"
USERNAME = "raportti"
RECIPIENTS = ["hallitus@lapha.fi", "johto@lapha.fi", "tilastot@lapha.fi"]


# --- an SMTP server on loopback ------------------------------------------------------------


@dataclass
class Mailbox:
    """An aiosmtpd handler: keeps what it accepts; defers, refuses, drops or stalls when told."""

    rcpt_replies: dict[str, list[str]] = field(default_factory=dict)
    data_faults: list[str] = field(default_factory=list)
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    sessions: list[Any] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        replies = self.rcpt_replies.get(address, [])
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        fault = self.data_faults.pop(0) if self.data_faults else None
        if fault == "drop":
            server.transport.close()
            return "421 4.3.0 closing"
        if fault == "stall":
            await asyncio.sleep(10)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        self.sessions.append(session)
        return "250 2.0.0 OK"


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., LoopbackController]]:
    """Yield a starter of SMTP servers on loopback, all stopped after the test."""
    started: list[LoopbackController] = []

    def start(handler: Mailbox, **smtp_options: Any) -> LoopbackController:
        controller = LoopbackController(handler, hostname="127.0.0.1", port=0, **smtp_options)
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()


def _config(server: LoopbackController, **changes: Any) -> SmtpConfig:
    """Return a config for `server` with tiny timeouts and retry delays."""
    values = {"timeout": 2.0, "retry_delays": (0.01, 0.02), "sender": "raportti@lapha.fi"}
    return SmtpConfig(host="127.0.0.1", port=server.port, **{**values, **changes})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a self-signed certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "raportti test smtp")])
    now = dt.datetime.now(dt.UTC)
    san = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "key.pem").write_bytes(key_pem)
    return folder / "cert.pem", folder / "key.pem"


def _tls_server_options(certificate: tuple[Path, Path], authenticator: Any) -> dict[str, Any]:
    """Return aiosmtpd options for a server that demands STARTTLS and a login."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return {
        "tls_context": context,
        "require_starttls": True,
        "auth_required": True,
        "auth_require_tls": True,
        "authenticator": authenticator,
    }


def _password_checker(
    password: str = PASSWORD, reply_on_failure: str | None = None
) -> Callable[..., AuthResult]:
    """Return an aiosmtpd authenticator that accepts only USERNAME with `password`."""

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        good = isinstance(auth_data, LoginPassword) and auth_data == (
            USERNAME.encode(),
            password.encode(),
        )
        return AuthResult(success=good, handled=False, message=None if good else reply_on_failure)

    return authenticate


# --- warehouse and files -------------------------------------------------------------------


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """Yield an engine on a fresh SQLite warehouse."""
    warehouse = connect_warehouse(sqlite_url)
    yield warehouse
    warehouse.dispose()


@pytest.fixture
def briefs(tmp_path: Path) -> list[Path]:
    """Return two small stand-in brief PDFs."""
    folder = tmp_path / "outputs" / QUARTER
    folder.mkdir(parents=True)
    files = [folder / "brief-fi.pdf", folder / "brief-sv.pdf"]
    for file in files:
        file.write_bytes(b"%PDF-1.7\n" + file.stem.encode() + b"\n%%EOF\n")
    return files


def _send(
    engine: Engine,
    config: SmtpConfig,
    briefs: list[Path],
    recipients: list[str],
    version: str = "v1",
) -> SendOutcome:
    return send_brief(
        engine, config, QUARTER, version, briefs, recipients, "Neljännesvuosikatsaus 2026Q3", "Hei!"
    )


def _ledger(engine: Engine) -> pl.DataFrame:
    """Return the ledger without its clock column, in a stable order."""
    return ledger_entries(engine, QUARTER).drop("updated_at").sort("version", "recipient")


def _expected_ledger(rows: list[tuple[str, str, str, int, str | None]]) -> pl.DataFrame:
    schema = {
        "quarter": pl.String,
        "version": pl.String,
        "recipient": pl.String,
        "status": pl.String,
        "attempts": pl.Int64,
        "last_error": pl.String,
    }
    return pl.DataFrame([(QUARTER, *row) for row in rows], schema=schema, orient="row")


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# --- atomic files --------------------------------------------------------------------------


def test_a_written_file_holds_the_bytes_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "aggregates.csv"

    result = write_file_atomically(target, b"quarter,level\n")

    assert result == target
    assert target.read_bytes() == b"quarter,level\n"
    assert _names(target.parent) == ["aggregates.csv"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_writing_again_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "manifest.json"
    write_file_atomically(target, b"old")

    write_file_atomically(target, b"new")

    assert target.read_bytes() == b"new"
    assert _names(tmp_path) == ["manifest.json"]


@pytest.mark.parametrize(
    ("owner", "name"), [(os, "fsync"), (Path, "replace")], ids=["sync fails", "rename fails"]
)
def test_a_failure_while_writing_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, owner: Any, name: str
) -> None:
    target = tmp_path / "brief-fi.pdf"
    target.write_bytes(b"old brief")

    def disk_full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(owner, name, disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_file_atomically(target, b"new brief")

    assert target.read_bytes() == b"old brief"
    assert _names(tmp_path) == ["brief-fi.pdf"]


def test_publication_copies_are_identical_and_sit_under_the_quarter(
    tmp_path: Path, briefs: list[Path]
) -> None:
    publish_dir = tmp_path / "julkaisu"

    copies = copy_to_publication(briefs, publish_dir, QUARTER)
    again = copy_to_publication(briefs, publish_dir, QUARTER)

    assert (
        copies
        == again
        == [publish_dir / QUARTER / "brief-fi.pdf", publish_dir / QUARTER / "brief-sv.pdf"]
    )
    assert [copy.read_bytes() for copy in copies] == [brief.read_bytes() for brief in briefs]
    assert _names(publish_dir / QUARTER) == ["brief-fi.pdf", "brief-sv.pdf"]


def test_the_brief_version_follows_names_and_bytes_but_not_order(
    tmp_path: Path, briefs: list[Path]
) -> None:
    version = brief_version(briefs)
    renamed = tmp_path / "brief-en.pdf"
    renamed.write_bytes(briefs[1].read_bytes())

    assert brief_version(list(reversed(briefs))) == version
    assert len(version) == 64
    assert brief_version([briefs[0], renamed]) != version
    briefs[1].write_bytes(briefs[1].read_bytes() + b" ")
    assert brief_version(briefs) != version


# --- SMTP configuration --------------------------------------------------------------------


def test_no_smtp_host_means_no_mail() -> None:
    assert smtp_config(Settings(_env_file=None, smtp_host=None)) is None


def test_the_smtp_config_takes_the_password_from_settings_and_never_shows_it() -> None:
    settings = Settings(
        _env_file=None,
        smtp_host="smtp.lapha.fi",
        smtp_port=587,
        smtp_starttls=True,
        smtp_username=USERNAME,
        smtp_password=SecretStr(PASSWORD),
        mail_from="raportit@lapha.fi",
    )

    config = smtp_config(settings)

    assert config == SmtpConfig(
        host="smtp.lapha.fi",
        port=587,
        starttls=True,
        username=USERNAME,
        password=PASSWORD,
        sender="raportit@lapha.fi",
    )
    assert PASSWORD not in repr(config)
    assert PASSWORD not in str(config)


def test_a_login_without_starttls_is_refused_before_any_password_is_sent() -> None:
    settings = Settings(
        _env_file=None,
        smtp_host="smtp.lapha.fi",
        smtp_username=USERNAME,
        smtp_password=SecretStr(PASSWORD),
    )

    with pytest.raises(ValueError, match="RAPORTTI_SMTP_STARTTLS") as raised:
        smtp_config(settings)

    assert PASSWORD not in str(raised.value)


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
def test_the_smtp_password_can_come_from_a_prefect_secret_block() -> None:
    from prefect.blocks.system import Secret

    Secret(value=PASSWORD).save("raportti-smtp", overwrite=True)
    settings = Settings(
        _env_file=None,
        smtp_host="smtp.lapha.fi",
        smtp_starttls=True,
        smtp_username=USERNAME,
        smtp_password=SecretStr("not this one"),
        smtp_password_block="raportti-smtp",
    )

    config = smtp_config(settings)

    assert config is not None
    assert config.password == PASSWORD


# --- sending -------------------------------------------------------------------------------


def test_each_recipient_gets_one_message_of_their_own_with_the_pdfs_attached(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    mailbox = Mailbox()
    server = smtp_server(mailbox)

    outcome = _send(engine, _config(server), briefs, RECIPIENTS[:2])

    assert outcome == SendOutcome(sent=RECIPIENTS[:2], failed={}, skipped=[])
    assert [envelope for envelope, _ in mailbox.received] == [[RECIPIENTS[0]], [RECIPIENTS[1]]]
    for (_, message), recipient in zip(mailbox.received, RECIPIENTS[:2], strict=True):
        assert message["To"] == recipient
        assert message["Subject"] == "Neljännesvuosikatsaus 2026Q3"
        assert RECIPIENTS[0 if recipient == RECIPIENTS[1] else 1] not in message.as_string()
        attached = [
            (part.get_filename(), part.get_content_type(), part.get_content())
            for part in message.iter_attachments()
        ]
        assert attached == [(brief.name, "application/pdf", brief.read_bytes()) for brief in briefs]


def test_sending_the_same_version_again_skips_the_recipients_already_sent(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    mailbox = Mailbox()
    config = _config(smtp_server(mailbox))
    _send(engine, config, briefs, RECIPIENTS[:2])

    again = _send(engine, config, briefs, [*RECIPIENTS, RECIPIENTS[2]])

    assert again == SendOutcome(sent=[RECIPIENTS[2]], failed={}, skipped=RECIPIENTS[:2])
    assert [envelope for envelope, _ in mailbox.received] == [[r] for r in RECIPIENTS]
    assert owed_recipients(engine, QUARTER, "v1", RECIPIENTS) == []


def test_a_new_version_of_the_brief_is_sent_to_everyone_again(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    mailbox = Mailbox()
    config = _config(smtp_server(mailbox))
    _send(engine, config, briefs, RECIPIENTS[:2], version="v1")

    outcome = _send(engine, config, briefs, RECIPIENTS[:2], version="v2")

    assert outcome == SendOutcome(sent=RECIPIENTS[:2], failed={}, skipped=[])
    assert len(mailbox.received) == 4
    assert _ledger(engine)["status"].to_list() == ["sent"] * 4


def test_a_recipient_refused_with_550_fails_for_good_while_the_others_are_sent(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    refused = RECIPIENTS[1]
    mailbox = Mailbox(rcpt_replies={refused: ["550 5.1.1 Mailbox unavailable"] * 5})
    config = _config(smtp_server(mailbox))

    outcome = _send(engine, config, briefs, RECIPIENTS)

    reason = "550 5.1.1 Mailbox unavailable (final SMTP reply)"
    assert outcome == SendOutcome(
        sent=[RECIPIENTS[0], RECIPIENTS[2]], failed={refused: reason}, skipped=[]
    )
    expected = _expected_ledger(
        [("v1", RECIPIENTS[0], "sent", 1, None), ("v1", refused, "failed", 1, reason)]
        + [("v1", RECIPIENTS[2], "sent", 1, None)]
    )
    assert_frame_equal(_ledger(engine), expected)
    assert owed_recipients(engine, QUARTER, "v1", RECIPIENTS) == [refused]


def test_a_451_reply_is_retried_and_then_sent(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    mailbox = Mailbox(rcpt_replies={RECIPIENTS[0]: ["451 4.7.1 Greylisted, try again"]})
    config = _config(smtp_server(mailbox))

    outcome = _send(engine, config, briefs, RECIPIENTS[:1])

    assert outcome == SendOutcome(sent=RECIPIENTS[:1], failed={}, skipped=[])
    assert_frame_equal(_ledger(engine), _expected_ledger([("v1", RECIPIENTS[0], "sent", 2, None)]))
    assert len(mailbox.received) == 1


@pytest.mark.parametrize("fault", ["drop", "stall"])
def test_a_dropped_or_silent_connection_is_retried_and_then_sent(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path], fault: str
) -> None:
    mailbox = Mailbox(data_faults=[fault])
    config = _config(smtp_server(mailbox), timeout=0.5)

    outcome = _send(engine, config, briefs, RECIPIENTS[:2])

    assert outcome == SendOutcome(sent=RECIPIENTS[:2], failed={}, skipped=[])
    expected = [("v1", RECIPIENTS[0], "sent", 2, None), ("v1", RECIPIENTS[1], "sent", 1, None)]
    assert_frame_equal(_ledger(engine), _expected_ledger(expected))


def test_a_server_that_keeps_dropping_the_connection_leaves_the_brief_owed_and_intact(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    before = [brief.read_bytes() for brief in briefs]
    server = smtp_server(Mailbox(data_faults=["drop"] * 10))

    outcome = _send(engine, _config(server), briefs, RECIPIENTS[:2])

    first, second = outcome.failed[RECIPIENTS[0]], outcome.failed[RECIPIENTS[1]]
    assert first.startswith("SMTPServerDisconnected: ")
    assert f"mail server 127.0.0.1:{server.port}" in first
    assert second.startswith("not attempted: the mail server failed for an earlier recipient")
    assert outcome.sent == []
    assert _ledger(engine)["attempts"].to_list() == [3, 0]
    assert _ledger(engine)["status"].to_list() == ["failed", "failed"]
    assert owed_recipients(engine, QUARTER, "v1", RECIPIENTS[:2]) == RECIPIENTS[:2]
    assert [brief.read_bytes() for brief in briefs] == before


def test_resending_delivers_what_is_still_owed_once_the_server_works(
    engine: Engine, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    broken = smtp_server(Mailbox(data_faults=["drop"] * 10))
    _send(engine, _config(broken), briefs, RECIPIENTS)
    mailbox = Mailbox()

    outcome = _send(engine, _config(smtp_server(mailbox)), briefs, RECIPIENTS)

    assert outcome == SendOutcome(sent=RECIPIENTS, failed={}, skipped=[])
    assert _ledger(engine)["attempts"].to_list() == [4, 1, 1]
    assert owed_recipients(engine, QUARTER, "v1", RECIPIENTS) == []


def test_an_unreachable_server_fails_every_recipient_with_a_clear_reason(
    engine: Engine, briefs: list[Path]
) -> None:
    config = SmtpConfig(host="127.0.0.1", port=1, timeout=1.0, retry_delays=(0.01,))

    outcome = _send(engine, config, briefs, RECIPIENTS[:2])

    assert outcome.failed[RECIPIENTS[0]].startswith("ConnectionRefusedError: ")
    assert "mail server 127.0.0.1:1" in outcome.failed[RECIPIENTS[0]]
    assert "sent 0, already sent 0, failed 2 (hallitus@lapha.fi: " in outcome.summary()


# --- STARTTLS and login --------------------------------------------------------------------


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_starttls_and_login_deliver_to_a_server_that_demands_both(
    engine: Engine,
    smtp_server: Callable[..., LoopbackController],
    briefs: list[Path],
    certificate: tuple[Path, Path],
    mechanism: str,
) -> None:
    mailbox = Mailbox()
    other = {"LOGIN": "PLAIN", "PLAIN": "LOGIN"}[mechanism]
    options = _tls_server_options(certificate, _password_checker())
    server = smtp_server(mailbox, auth_exclude_mechanism=[other], **options)
    config = _config(
        server, starttls=True, username=USERNAME, password=PASSWORD, cafile=certificate[0]
    )

    outcome = _send(engine, config, briefs, RECIPIENTS[:2])

    assert outcome == SendOutcome(sent=RECIPIENTS[:2], failed={}, skipped=[])
    assert all(session.ssl and session.authenticated for session in mailbox.sessions)


def test_an_untrusted_certificate_fails_for_good_without_sending(
    engine: Engine,
    smtp_server: Callable[..., LoopbackController],
    briefs: list[Path],
    certificate: tuple[Path, Path],
) -> None:
    mailbox = Mailbox()
    server = smtp_server(mailbox, **_tls_server_options(certificate, _password_checker()))
    config = _config(server, starttls=True, username=USERNAME, password=PASSWORD)

    outcome = _send(engine, config, briefs, RECIPIENTS[:1])

    assert "TLS certificate is not trusted" in outcome.failed[RECIPIENTS[0]]
    assert _ledger(engine)["attempts"].to_list() == [1]
    assert mailbox.received == []


def test_the_password_never_appears_in_reasons_ledger_or_logs(
    engine: Engine,
    smtp_server: Callable[..., LoopbackController],
    briefs: list[Path],
    certificate: tuple[Path, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    echo = f"535 5.7.8 Bad credentials for {USERNAME}/{PASSWORD}"
    checker = _password_checker("another password", reply_on_failure=echo)
    server = smtp_server(Mailbox(), **_tls_server_options(certificate, checker))
    config = _config(
        server, starttls=True, username=USERNAME, password=PASSWORD, cafile=certificate[0]
    )

    outcome = _send(engine, config, briefs, RECIPIENTS[:2])

    first = outcome.failed[RECIPIENTS[0]]
    assert first == "535 5.7.8 Bad credentials for raportti/*** (final SMTP reply)"
    ledger = ledger_entries(engine, QUARTER)
    assert ledger["attempts"].to_list() == [1, 0]
    ours = [record.getMessage() for record in caplog.records if record.name != "mail.log"]
    texts = [repr(config), str(outcome), outcome.summary(), str(ledger.rows()), *ours]
    assert not [text for text in texts if PASSWORD in text]


# --- the ledger on both warehouses ---------------------------------------------------------


def test_the_ledger_records_every_recipient_once_per_version_on_both_warehouses(
    warehouse_url: str, smtp_server: Callable[..., LoopbackController], briefs: list[Path]
) -> None:
    engine = connect_warehouse(warehouse_url)
    mailbox = Mailbox(
        rcpt_replies={
            RECIPIENTS[0]: ["451 4.3.2 Try again later"],
            RECIPIENTS[1]: ["550 5.1.1 No such user"] * 2,
        }
    )
    config = _config(smtp_server(mailbox))
    _send(engine, config, briefs, RECIPIENTS)
    _send(engine, config, briefs, RECIPIENTS)
    _send(engine, config, briefs, RECIPIENTS[2:], version="v2")

    result = ledger_entries(engine, QUARTER)
    engine.dispose()

    refusal = "550 5.1.1 No such user (final SMTP reply)"
    expected = _expected_ledger(
        [
            ("v1", RECIPIENTS[0], "sent", 2, None),
            ("v1", RECIPIENTS[1], "failed", 2, refusal),
            ("v1", RECIPIENTS[2], "sent", 1, None),
            ("v2", RECIPIENTS[2], "sent", 1, None),
        ]
    )
    assert_frame_equal(result.drop("updated_at").sort("version", "recipient"), expected)
    assert result.schema["updated_at"] == pl.Datetime("us", "UTC")
    assert result["updated_at"].is_sorted()
    age = dt.datetime.now(dt.UTC) - result["updated_at"].min()
    assert dt.timedelta(0) <= age < dt.timedelta(minutes=5)
    assert len(mailbox.received) == 3
