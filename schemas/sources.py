"""The `sources.toml` model: which municipality delivers what, and how."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

SourceKind = Literal["sql", "csv", "xlsx", "json"]


class SourceConfig(BaseModel):
    """One `[[source]]` table: a municipality's delivery channel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    municipality_code: str = Field(pattern=r"^\d{3}$", description="Three-digit municipality code")
    kind: SourceKind = Field(description="sql, csv, xlsx or json")
    path: str | None = Field(None, description="Glob of delivered files, relative to sources.toml")
    url: str | None = Field(None, description="HTTP(S) URL of a JSON export")
    url_env: str | None = Field(None, description="Variable that holds the SQLAlchemy URL")
    query: str | None = Field(None, description="SQL file relative to sources.toml")
    encoding: str | None = Field(None, description="Fallback codec when a file is not UTF-8")

    @model_validator(mode="after")
    def _has_a_location(self) -> SourceConfig:
        if self.kind == "sql" and not self.url_env:
            raise ValueError(f"sql source {self.municipality_code} needs url_env")
        if self.kind == "json" and not (self.path or self.url):
            raise ValueError(f"json source {self.municipality_code} needs path or url")
        if self.kind in ("csv", "xlsx") and not self.path:
            raise ValueError(f"{self.kind} source {self.municipality_code} needs path")
        return self

    @model_validator(mode="after")
    def _municipality_is_known(self, info: ValidationInfo) -> SourceConfig:
        known = (info.context or {}).get("municipality_codes")
        if known is not None and self.municipality_code not in known:
            raise ValueError(
                f"municipality_code {self.municipality_code} is not in municipalities.csv"
            )
        return self

    @property
    def source_id(self) -> str:
        """Return the source's stable name, `<municipality code>-<kind>`, e.g. `698-sql`."""
        return f"{self.municipality_code}-{self.kind}"


class ResponsesSource(BaseModel):
    """A `[[source]]` table of kind `responses`: a file drop of filled response sheets (§6)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["responses"] = Field(description="responses")
    path: str = Field(description="Glob of filled sheets (XLSX or CSV), relative to sources.toml")
    encoding: str | None = Field(None, description="Fallback codec when a CSV is not UTF-8")

    @property
    def source_id(self) -> str:
        """Return the source's stable name, `responses`."""
        return "responses"


class SourcesConfig(BaseModel):
    """Every configured source, with the folder their relative paths start from.

    `sources` are the municipalities' report channels; `responses` the response-sheet drops.
    """

    model_config = ConfigDict(frozen=True)

    base_dir: Path
    sources: list[SourceConfig]
    responses: list[ResponsesSource] = Field(default_factory=list)

    @model_validator(mode="after")
    def _source_ids_are_unique(self) -> SourcesConfig:
        ids = [source.source_id for source in [*self.sources, *self.responses]]
        duplicates = sorted({source_id for source_id in ids if ids.count(source_id) > 1})
        if duplicates:
            raise ValueError(f"more than one source named {', '.join(duplicates)}")
        return self

    def only(self, municipality_codes: list[str] | None) -> SourcesConfig:
        """Return the configuration limited to `municipality_codes` (all when None or empty)."""
        if not municipality_codes:
            return self
        kept = [s for s in self.sources if s.municipality_code in municipality_codes]
        return SourcesConfig(base_dir=self.base_dir, sources=kept, responses=self.responses)


def load_sources(path: Path, municipality_codes: Collection[str] | None = None) -> SourcesConfig:
    """Return the sources configured in the TOML file at `path`.

    Args:
        path: the sources.toml file.
        municipality_codes: the known codes; a source of another code is an error.
    """
    with path.open("rb") as handle:
        document = tomllib.load(handle)
    tables = document.get("source", [])
    responses = [table for table in tables if table.get("kind") == "responses"]
    reports = [table for table in tables if table.get("kind") != "responses"]
    return SourcesConfig.model_validate(
        {"base_dir": path.resolve().parent, "sources": reports, "responses": responses},
        context={"municipality_codes": municipality_codes},
    )
