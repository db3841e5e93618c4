"""The steward hears of every run that needs attention, failed or crashed, by e-mail.

`raportti setup` saves the project's SMTP settings as a `StewardEmail` block and
creates an automation that sends it on the flow-run states `Needs attention`,
`Failed` and `Crashed`. The automation runs in the Prefect server, which finds
this block type through the `prefect.collections` entry point of the installed
project: the server must run from the project's environment. This module
imports only Prefect and the standard library, since the server imports it.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage
from typing import TYPE_CHECKING

import anyio
from prefect.blocks.abstract import NotificationBlock
from pydantic import Field, SecretStr

if TYPE_CHECKING:
    from schemas.settings import Settings

BLOCK_NAME = "raportti-steward"
AUTOMATION = "raportti: tell the steward"
NOTIFIED_STATES = ("Needs attention", "Failed", "Crashed")
SUBJECT = "raportti: {{ flow_run.name }} — {{ flow_run.state.name }}"
BODY = """\
Flow run {{ flow_run.name }} ({{ flow.name }}) ended {{ flow_run.state.name }}.

Quarter: {{ flow_run.parameters.quarter or flow_run.parameters.first or "the latest complete" }}
Reason: {{ flow_run.state.message }}

{{ (flow_run|ui_url) or "" }}
"""


class StewardEmail(NotificationBlock):
    """E-mail to the data steward through the project's SMTP server."""

    _block_type_name = "raportti steward e-mail"
    _block_type_slug = "raportti-steward-email"

    smtp_host: str = Field(description="SMTP server")
    smtp_port: int = Field(25, description="SMTP port")
    starttls: bool = Field(False, description="Upgrade the connection with STARTTLS")
    username: str | None = Field(None, description="SMTP login name; no login when empty")
    password: SecretStr | None = Field(None, description="SMTP password")
    mail_from: str = Field(description="Sender address")
    mail_to: list[str] = Field(description="The steward's addresses")

    async def notify(self, body: str, subject: str | None = None) -> None:
        """Send `body` to the steward (in a thread: smtplib blocks)."""
        await anyio.to_thread.run_sync(self._send, body, subject or "raportti")

    def _send(self, body: str, subject: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            self.mail_from,
            ", ".join(self.mail_to),
            subject,
        )
        message.set_content(body)
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                password = self.password.get_secret_value() if self.password else ""
                smtp.login(self.username, password)
            smtp.send_message(message)


def save_steward_block(block: StewardEmail) -> str:
    """Save the block under BLOCK_NAME (replacing an older one); return its document id."""
    return str(block.save(BLOCK_NAME, overwrite=True))


def ensure_steward_automation(block_document_id: str) -> None:
    """Create (or replace) the automation that e-mails the steward on the notified states."""
    from prefect.automations import Automation
    from prefect.events.actions import SendNotification
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    with contextlib.suppress(ValueError):
        Automation.read(name=AUTOMATION).delete()
    Automation(
        name=AUTOMATION,
        description="E-mail the steward when a run needs attention, failed or crashed.",
        trigger=EventTrigger(
            expect={f"prefect.flow-run.{state}" for state in NOTIFIED_STATES},
            match=ResourceSpecification({"prefect.resource.id": "prefect.flow-run.*"}),
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[SendNotification(block_document_id=block_document_id, subject=SUBJECT, body=BODY)],
    ).create()


def steward_email(settings: Settings) -> StewardEmail | None:
    """Return the steward's e-mail block from the project's SMTP settings; None when unset."""
    if not settings.smtp_host or not settings.steward_to:
        return None
    password = settings.smtp_password
    if settings.smtp_password_block:
        from prefect.blocks.system import Secret

        password = SecretStr(str(Secret.load(settings.smtp_password_block).get()))
    return StewardEmail(
        smtp_host=settings.smtp_host,
        smtp_port=settings.smtp_port,
        starttls=settings.smtp_starttls,
        username=settings.smtp_username,
        password=password,
        mail_from=settings.mail_from,
        mail_to=settings.steward_to,
    )


def prepare_steward_notification(settings: Settings) -> bool:
    """Save the steward's block and its automation; return False when no steward is set."""
    block = steward_email(settings)
    if block is None:
        return False
    ensure_steward_automation(save_steward_block(block))
    return True
