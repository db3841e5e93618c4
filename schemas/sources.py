"""The `sources.toml` model: which municipality delivers what, and how."""

from __future__ import annotations

import os
import tomllib
import urllib.parse
from collections.abc import Collection
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

SourceKind = Literal["sql", "csv", "xlsx", "json"]
_SECRET_WORDS = ("token", "key", "secret", "password", "passwd", "pwd", "sig", "auth", "jwt")


class SourceConfig(BaseModel):
    """One `[[source]]` table: a municipality's delivery channel."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    municipality_code: str = Field(pattern=r"^\d{3}$", description="Three-digit municipality code")
    kind: SourceKind = Field(description="sql, csv, xlsx or json")
    path: str | None = Field(None, description="Glob of delivered files, relative to sources.toml")
    url: str | None = Field(None, description="HTTP(S) URL of a JSON export")
    url_env: str | None = Field(
        None, description="Variable holding the URL: SQLAlchemy for sql, HTTPS for json"
    )
    query: str | None = Field(None, description="SQL file relative to sources.toml")
    encoding: str | None = Field(None, description="Fallback codec when a file is not UTF-8")

    @model_validator(mode="after")
    def _has_a_location(self) -> SourceConfig:
        if self.kind == "sql" and not self.url_env:
            raise ValueError(f"sql source {self.municipality_code} needs url_env")
        locations = [value for value in (self.path, self.url, self.url_env) if value]
        if self.kind == "json" and len(locations) != 1:
            raise ValueError(f"json source {self.municipality_code} needs path, url or url_env")
        if self.kind in ("csv", "xlsx") and not self.path:
            raise ValueError(f"{self.kind} source {self.municipality_code} needs path")
        return self

    @model_validator(mode="after")
    def _url_has_no_credentials(self) -> SourceConfig:
        parts = urllib.parse.urlsplit(self.url or "")
        keys = [key.lower() for key, _ in urllib.parse.parse_qsl(parts.query)]
        if "@" in parts.netloc or any(word in key for key in keys for word in _SECRET_WORDS):
            raise ValueError(
                f"the url of source {self.municipality_code} holds a credential; put the whole "
                "URL in an environment variable and name that variable with url_env"
            )
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
    def _paths_stay_in_their_folder(self) -> SourcesConfig:
        for source in self.sources:
            for key, value in (("path", source.path), ("query", source.query)):
                if value and not _stays_inside(self.base_dir, value):
                    raise ValueError(
                        f"the {key} {value!r} of source {source.source_id} leads out of the "
                        f"folder of sources.toml ({self.base_dir}); give a path inside it"
                    )
        return self

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


def _stays_inside(folder: Path, relative: str) -> bool:
    """Return whether `relative`, joined to `folder` and normalised, stays inside `folder`."""
    if Path(relative).is_absolute():
        return False
    joined = os.path.normpath(folder / relative)
    return Path(joined).is_relative_to(os.path.normpath(folder))


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
