"""One settings object, fed by `RAPORTTI_*` environment variables (and `.env`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.reference import PACKAGED_REFERENCE_DIR, Reference, load_reference

DEFAULT_OUTPUT_DIR = Path("outputs")


class Settings(BaseSettings):
    """Where the warehouse, outputs and mail go; every value has a safe local default."""

    model_config = SettingsConfigDict(env_prefix="RAPORTTI_", env_file=".env", extra="ignore")

    db_url: str | None = Field(None, description="SQLAlchemy URL of the warehouse")
    out_dir: Path = Field(DEFAULT_OUTPUT_DIR, description="Folder for published quarters")
    sources_file: Path = Field(Path("sources.toml"), description="The sources configuration")
    reference_dir: Path | None = Field(None, description="Folder with edited code lists")
    suppression_threshold: int = Field(5, ge=2, description="Smallest count that is published")
    publish_dir: Path | None = Field(None, description="Publication folder the files are copied to")
    smtp_host: str | None = Field(None, description="SMTP server; no e-mail when unset")
    smtp_port: int = Field(25, description="SMTP port")
    smtp_starttls: bool = Field(False, description="Upgrade the connection with STARTTLS")
    smtp_cafile: Path | None = Field(None, description="CA bundle that signs the SMTP certificate")
    smtp_username: str | None = Field(None, description="SMTP login name; no login when unset")
    smtp_password: SecretStr | None = Field(None, description="SMTP password")
    smtp_password_block: str | None = Field(None, description="Prefect Secret block name")
    mail_from: str = Field("raportti@lapha.fi", description="Sender address of the briefs")
    mail_to: list[str] = Field(default_factory=list, description="Distribution list")
    accessibility_feedback: str = Field(
        "saavutettavuus@lapha.fi",
        description="Where readers send accessibility feedback (an e-mail or https address)",
    )
    steward_to: list[str] = Field(
        default_factory=list, description="Who hears of runs that need attention, fail or crash"
    )
    publish_url: str | None = Field(
        None, description="Web address of the publication folder, for links in the UI"
    )
    response_mail_to: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Response-sheet addressees: municipality code or level -> addresses (JSON)",
    )
    feedback_mail_to: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Each municipality's contact list for its feedback digest (JSON)",
    )

    def reference(self) -> Reference:
        """Return the code lists: the edited copies in `reference_dir`, else the packaged ones."""
        return load_reference(self.reference_dir or PACKAGED_REFERENCE_DIR)

    def warehouse_url(self) -> str:
        """Return the warehouse URL: the configured one, else SQLite under the output folder."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.out_dir / 'raportti.db').as_posix()}"
