"""Sending the brief: e-mail to the distribution list, recorded in the publication ledger.

The ledger (`publication_ledger`) holds one row per quarter, brief version and recipient:
`pending` while an attempt is under way or waiting for a retry, `sent` once the server accepted
the message, `failed` when the last attempt failed for good. A recipient is sent a version at
most once: `sent` rows are skipped, every other row is still owed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import logging
import mimetypes
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import NamedTuple

import polars as pl
from sqlalchemy import Engine, text

from schemas.settings import Settings
from tasks.brief.text import BRIEF_LANGUAGES
from tasks.brief.text import text as translated
from tasks.shared.sqlfiles import sql_text
from tasks.warehouse.connection import connect_warehouse

log = logging.getLogger(__name__)

SENT = "sent"
FAILED = "failed"
PENDING = "pending"
DEFAULT_RETRY_DELAYS = (2.0, 4.0, 8.0)
MAX_REASON_CHARS = 300
LEDGER_SCHEMA = {
    "quarter": pl.String,
    "version": pl.String,
    "recipient": pl.String,
    "status": pl.String,
    "attempts": pl.Int64,
    "last_error": pl.String,
    "updated_at": pl.Datetime("us", "UTC"),
}


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the mail server; the password never shows in its repr."""

    host: str
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str = "raportti@lapha.fi"
    timeout: float = 30.0
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS
    cafile: Path | None = None


@dataclass(frozen=True)
class SendOutcome:
    """What one sending round did: recipients sent, failed (with the reason) and skipped."""

    sent: list[str]
    failed: dict[str, str]
    skipped: list[str]

    def summary(self) -> str:
        """Return a one-line account of the round, naming each failed recipient and why."""
        counts = f"sent {len(self.sent)}, already sent {len(self.skipped)}"
        failures = "; ".join(f"{who}: {why}" for who, why in self.failed.items())
        return f"{counts}, failed {len(self.failed)}" + (f" ({failures})" if failures else "")


class _Entry(NamedTuple):
    quarter: str
    version: str
    recipient: str


@dataclass(frozen=True)
class _Failure:
    reason: str
    transient: bool
    server_wide: bool


def brief_version(files: list[Path]) -> str:
    """Return the sha256 over the files' names and bytes: the version of a published brief."""
    digest = hashlib.sha256()
    for file in sorted(files, key=lambda path: (path.name, str(path))):
        data = file.read_bytes()
        digest.update(file.name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def smtp_config(settings: Settings) -> SmtpConfig | None:
    """Return the mail settings, the password from a Prefect Secret block if one is named."""
    if not settings.smtp_host:
        return None
    if settings.smtp_username and not settings.smtp_starttls:
        raise ValueError(
            "RAPORTTI_SMTP_USERNAME is set but RAPORTTI_SMTP_STARTTLS is not: the password "
            "would cross the network unencrypted. Set RAPORTTI_SMTP_STARTTLS=true (or unset "
            "the username)."
        )
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=_smtp_password(settings),
        sender=settings.mail_from,
        cafile=settings.smtp_cafile,
    )


def brief_mail_text(quarter: str) -> tuple[str, str]:
    """Return the brief's e-mail subject (the titles, the quarter after the first) and body."""
    titles = [translated(lang, "title") for lang in BRIEF_LANGUAGES]
    lines = [translated(lang, "mail_body", quarter=quarter) + "\n" for lang in BRIEF_LANGUAGES]
    return " / ".join([f"{titles[0]} {quarter}", *titles[1:]]), "".join(lines)


def send_published_briefs(
    settings: Settings, quarter: str, files: list[Path], again: bool = False
) -> SendOutcome | None:
    """E-mail the PDF briefs among `files` to the distribution list; None when mail is not set up.

    Only the recipients not yet sent this version are mailed (all of them when `again`).
    """
    config = smtp_config(settings)
    if config is None or not settings.mail_to:
        return None
    briefs = [path for path in files if path.suffix == ".pdf"]
    return send_brief(
        connect_warehouse(settings.warehouse_url()),
        config,
        quarter,
        brief_version(briefs),
        briefs,
        settings.mail_to,
        *brief_mail_text(quarter),
        again=again,
    )


def send_brief(
    engine: Engine,
    config: SmtpConfig,
    quarter: str,
    version: str,
    attachments: list[Path],
    recipients: list[str],
    subject: str,
    body: str,
    again: bool = False,
) -> SendOutcome:
    """Mail the brief to every recipient still owed it, one message each, recording each attempt.

    Args:
        engine: The warehouse holding the publication ledger.
        config: The mail server, login and retry delays.
        quarter: The quarter of the brief, e.g. `2026Q3`.
        version: The brief version (`brief_version` of the published files).
        attachments: The files to attach; they are only read.
        recipients: The distribution list; duplicates are sent once.
        subject: The subject line.
        body: The plain-text body.
        again: Send to every recipient, those already sent this version too.

    Returns:
        The recipients sent now, those that failed (with the reason) and those already sent.
    """
    owed = _unique(recipients) if again else owed_recipients(engine, quarter, version, recipients)
    skipped = [recipient for recipient in _unique(recipients) if recipient not in owed]
    files = [(path.name, path.read_bytes()) for path in attachments]

    def compose(recipient: str) -> EmailMessage:
        return _brief_message(config.sender, recipient, subject, body, files)

    with _mailer(config) as mailer:
        entries = [_Entry(quarter, version, recipient) for recipient in owed]
        sent, failed = _send_each(engine, mailer, entries, compose)
    outcome = SendOutcome(sent=sent, failed=failed, skipped=skipped)
    log.info("Brief %s version %s: %s", quarter, version[:12], outcome.summary())
    return outcome


def owed_recipients(engine: Engine, quarter: str, version: str, recipients: list[str]) -> list[str]:
    """Return the recipients (in list order, once each) not yet sent this brief version."""
    ledger = ledger_entries(engine, quarter)
    done = ledger.filter((pl.col("version") == version) & (pl.col("status") == SENT))
    sent = set(done["recipient"].to_list())
    return [recipient for recipient in _unique(recipients) if recipient not in sent]


def ledger_entries(engine: Engine, quarter: str) -> pl.DataFrame:
    """Return the publication ledger of `quarter`: one row per brief version and recipient."""
    with engine.connect() as connection:
        rows = connection.execute(text(sql_text("select_ledger")), {"quarter": quarter}).all()
    records = [(*row[:-1], _as_utc(row[-1])) for row in rows]
    return pl.DataFrame(records, schema=LEDGER_SCHEMA, orient="row")


class _Mailer:
    """One SMTP connection, opened when first needed and dropped after any error."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage, recipient: str) -> dict[str, tuple[int, bytes]]:
        """Send `message` to `recipient` alone; return the recipients the server refused."""
        try:
            if self._smtp is None:
                self._smtp = _connect(self.config)
            return self._smtp.send_message(message, self.config.sender, [recipient])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the server if it still listens, and close the socket."""
        if self._smtp is None:
            return
        with contextlib.suppress(smtplib.SMTPException, OSError):
            self._smtp.quit()
        self._smtp.close()
        self._smtp = None


@contextlib.contextmanager
def _mailer(config: SmtpConfig) -> Iterator[_Mailer]:
    mailer = _Mailer(config)
    try:
        yield mailer
    finally:
        mailer.close()


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    """Return a connection to the server, upgraded with STARTTLS and logged in as configured."""
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            cafile = str(config.cafile) if config.cafile else None
            smtp.starttls(context=ssl.create_default_context(cafile=cafile))
        if config.username:
            smtp.login(config.username, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_each(
    engine: Engine,
    mailer: _Mailer,
    entries: list[_Entry],
    compose: Callable[[str], EmailMessage],
) -> tuple[list[str], dict[str, str]]:
    """Send to each entry in turn; after a server-wide failure, record the rest as not tried."""
    sent: list[str] = []
    failed: dict[str, str] = {}
    broken: _Failure | None = None
    for entry in entries:
        if broken is not None:
            failed[entry.recipient] = _record_not_attempted(engine, entry, broken)
            continue
        failure = _send_one(engine, mailer, compose(entry.recipient), entry)
        if failure is None:
            sent.append(entry.recipient)
        else:
            failed[entry.recipient] = failure.reason
            broken = failure if failure.server_wide else None
    return sent, failed


def _send_one(
    engine: Engine, mailer: _Mailer, message: EmailMessage, entry: _Entry
) -> _Failure | None:
    """Try one recipient until sent, a final failure, or the retries run out; record each try."""
    failure: _Failure | None = None
    for delay in (0.0, *mailer.config.retry_delays):
        if failure is not None:
            log.warning("Retrying %s in %.1f s after: %s", entry.recipient, delay, failure.reason)
            time.sleep(delay)
        _record(engine, entry, PENDING, failure.reason if failure else None, attempts=1)
        failure = _attempt(mailer, message, entry.recipient)
        if failure is None:
            _record(engine, entry, SENT, None, attempts=0)
            return None
        if not failure.transient:
            break
    assert failure is not None
    _record(engine, entry, FAILED, failure.reason, attempts=0)
    log.warning("Could not send the brief to %s: %s", entry.recipient, failure.reason)
    return failure


def _attempt(mailer: _Mailer, message: EmailMessage, recipient: str) -> _Failure | None:
    """Send once; return None when the server accepted the message, else why not."""
    try:
        refused = mailer.send(message, recipient)
    except (smtplib.SMTPException, OSError) as error:
        where = f"mail server {mailer.config.host}:{mailer.config.port}"
        failure = _failure_of(error, recipient, where)
    else:
        if recipient not in refused:
            return None
        failure = _refusal(*refused[recipient])
    return dataclasses.replace(failure, reason=_scrubbed(failure.reason, mailer.config))


def _failure_of(error: smtplib.SMTPException | OSError, recipient: str, where: str) -> _Failure:
    """Classify an SMTP or network error: 4xx replies and connection errors are worth a retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return _refusal(*error.recipients.get(recipient, (550, b"recipient refused")))
    if isinstance(error, smtplib.SMTPResponseException):
        reply = _reply(error.smtp_code, error.smtp_error)
        is_server_wide = not isinstance(error, smtplib.SMTPDataError)
        return _Failure(reply, 400 <= error.smtp_code < 500, is_server_wide)
    if isinstance(error, ssl.SSLCertVerificationError):
        hint, is_final = "the mail server's TLS certificate is not trusted", True
    elif isinstance(error, smtplib.SMTPServerDisconnected) or not isinstance(
        error, smtplib.SMTPException
    ):
        hint, is_final = "the connection to the mail server failed", False
    else:
        hint, is_final = "the mail server lacks what the configuration asks (STARTTLS, login)", True
    reason = f"{type(error).__name__}: {error} ({hint}, {where})"
    return _Failure(reason, transient=not is_final, server_wide=True)


def _refusal(code: int, reply: bytes | str) -> _Failure:
    """Return the failure of a recipient the server refused at RCPT."""
    return _Failure(_reply(code, reply), transient=400 <= code < 500, server_wide=False)


def _reply(code: int, reply: bytes | str) -> str:
    """Return an SMTP reply as one readable line, saying whether it is final."""
    message = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    kind = "temporary" if 400 <= code < 500 else "final"
    return f"{code} {' '.join(message.split())} ({kind} SMTP reply)"


def _scrubbed(reason: str, config: SmtpConfig) -> str:
    """Return `reason` shortened and with the configured password masked."""
    if config.password:
        reason = reason.replace(config.password, "***")
    return reason[:MAX_REASON_CHARS]


def _brief_message(
    sender: str, recipient: str, subject: str, body: str, files: list[tuple[str, bytes]]
) -> EmailMessage:
    """Return the message for one recipient, the files attached under their own names."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "raportti.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    for name, data in files:
        maintype, subtype = _mime_type(name).split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _mime_type(name: str) -> str:
    """Return the MIME type of a file name (`application/pdf` for the briefs)."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _record(
    engine: Engine, entry: _Entry, status: str, error: str | None, *, attempts: int
) -> None:
    """Upsert the ledger row of `entry`, adding `attempts` to its count."""
    values = {**entry._asdict(), "status": status, "last_error": error, "attempts": attempts}
    with engine.begin() as connection:
        connection.execute(
            text(sql_text("upsert_ledger_entry")), {**values, "updated_at": _utc_now_text()}
        )


def _record_not_attempted(engine: Engine, entry: _Entry, cause: _Failure) -> str:
    """Record a recipient skipped because the server failed for an earlier one; return why."""
    reason = f"not attempted: the mail server failed for an earlier recipient: {cause.reason}"
    reason = reason[:MAX_REASON_CHARS]
    _record(engine, entry, FAILED, reason, attempts=0)
    return reason


def _smtp_password(settings: Settings) -> str | None:
    """Return the SMTP password: from the named Prefect Secret block, else from the settings."""
    if settings.smtp_password_block:
        from prefect.blocks.system import Secret

        return str(Secret.load(settings.smtp_password_block).get())
    if settings.smtp_password is not None:
        return settings.smtp_password.get_secret_value()
    return None


def _unique(values: list[str]) -> list[str]:
    """Return `values` without repeats, in first-seen order."""
    return list(dict.fromkeys(values))


def _utc_now_text() -> str:
    """Return the current UTC time as 'YYYY-MM-DD HH:MM:SS.ffffff+00:00' (both warehouses)."""
    return datetime.now(UTC).isoformat(sep=" ", timespec="microseconds")


def _as_utc(value: datetime | str) -> datetime:
    """Return a ledger timestamp (text on SQLite, aware on PostgreSQL) as an aware UTC datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)
