"""One settings object, fed by `RAPORTTI_*` environment variables (and `.env`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.reference import PACKAGED_REFERENCE_DIR, Reference, load_reference

DEFAULT_OUTPUT_DIR = Path("outputs")


class Settings(BaseSettings):
    """Where the warehouse, outputs and mail go; every value has a safe local default."""

    model_config = SettingsConfigDict(env_prefix="RAPORTTI_", env_file=".env", extra="ignore")

    db_url: str | None = Field(None, description="SQLAlchemy URL of the warehouse")
    reader_db_url: str | None = Field(
        None, description="URL with a read-only role, for the quality gate; else db_url"
    )
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
    max_delivery_bytes: int = Field(
        DEFAULT_LIMITS.max_bytes, ge=1, description="Largest delivery read (file or HTTP body)"
    )
    max_delivery_rows: int = Field(
        DEFAULT_LIMITS.max_rows, ge=1, description="Most rows (CSV lines, sheet rows) per delivery"
    )
    max_cell_chars: int = Field(
        DEFAULT_LIMITS.max_cell_chars, ge=1, description="Longest cell; bounds a CSV line"
    )
    max_sheet_cells: int = Field(
        DEFAULT_LIMITS.max_sheet_cells, ge=1, description="Largest XLSX sheet (rows × columns)"
    )
    max_unzipped_bytes: int = Field(
        DEFAULT_LIMITS.max_unzipped_bytes, ge=1, description="Largest XLSX, unzipped"
    )
    max_json_depth: int = Field(
        DEFAULT_LIMITS.max_json_depth, ge=2, description="Deepest nesting in a JSON delivery"
    )
    max_number_chars: int = Field(
        DEFAULT_LIMITS.max_number_chars, ge=1, description="Longest number in a JSON delivery"
    )
    parse_memory_bytes: int = Field(
        DEFAULT_LIMITS.parse_memory_bytes,
        ge=256 * 1024 * 1024,
        description="Address space of the child process that parses an XLSX or JSON file",
    )
    quote_review_minutes: float = Field(
        60, ge=0, description="Minutes a run on a Prefect server waits for quote review; 0: none"
    )
    retention_days: int = Field(
        400, ge=1, description="Days raw deliveries and rejected values are kept (purge)"
    )

    def reference(self) -> Reference:
        """Return the code lists: the edited copies in `reference_dir`, else the packaged ones."""
        return load_reference(self.reference_dir or PACKAGED_REFERENCE_DIR)

    def delivery_limits(self) -> DeliveryLimits:
        """Return the limits a delivery must keep before it is parsed."""
        return DeliveryLimits(
            max_bytes=self.max_delivery_bytes,
            max_rows=self.max_delivery_rows,
            max_cell_chars=self.max_cell_chars,
            max_sheet_cells=self.max_sheet_cells,
            max_unzipped_bytes=self.max_unzipped_bytes,
            max_json_depth=self.max_json_depth,
            max_number_chars=self.max_number_chars,
            parse_memory_bytes=self.parse_memory_bytes,
        )

    def warehouse_url(self) -> str:
        """Return the warehouse URL: the configured one, else SQLite under the output folder."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{(self.out_dir / 'raportti.db').as_posix()}"

    def reader_url(self) -> str:
        """Return the URL for reading only (the quality gate): the reader role's, else db_url's."""
        return self.reader_db_url or self.warehouse_url()
