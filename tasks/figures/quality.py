"""The data-quality gate on a stored quarter: Great Expectations on the warehouse, plus volume.

`quality_gate` validates the quarter's stored reports with the suite of
`schemas.expectations` through a GX SQL data source on the warehouse (SQLite or
PostgreSQL), writes GX Data Docs under `docs_dir`, and returns findings. The
`check` names are stable (the brief translates them; `Finding.observed` as noted):

- `key_unique` (hard): (municipality_code, report_id) is unique among the
  quarter's rows; column None, observed = rows sharing a key.
- `not_null` (hard): a required column (the contract's required fields and the
  stored defaults updated_at, consent_to_quote, report_type, language) has no
  null or empty value; observed = rows without one.
- `accepted_codes` (hard): a code column (municipality_code, theme,
  target_group from the reference lists; reporter_role, addressee_level,
  urgency, report_type, language from the contract) holds only accepted codes;
  observed = rows with another value.
- `completeness` (soft): an optional field (clients_affected, causes,
  consequences, proposal) is filled in at least `COMPLETENESS_THRESHOLD` of the
  quarter's reports; observed = the share of the quarter's reports where it is
  empty, 0 to 1 (the brief shows it as "Missing values").
- `volume_drop` (soft): a municipality with stored reports in each of the two
  previous quarters has none in this one; municipality_code = that
  municipality, observed = its reports in the previous quarter.

An expectation that GX could not evaluate counts as failed (observed None).
Hard findings stop publication. The primary key of `report` makes duplicate
keys impossible today; `key_unique` guards the quarter's rows anyway.

Privacy: GX copies unexpected values into results and Data Docs. The asset
reads free text only as lengths, and the result format keeps no values at all
(`BASIC` without the partial unexpected list), so the docs hold codes, counts
and shares, never a report's text.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import polars as pl
from sqlalchemy import text
from sqlalchemy.engine import make_url

from schemas.expectations import QUALITY_SUITE_NAME, quality_suite
from schemas.findings import Finding
from schemas.quarter import Quarter
from schemas.reference import Reference
from tasks.shared.sqlfiles import sql_statements, sql_text
from tasks.shared.urls import safe_url
from tasks.warehouse.connection import connect_warehouse

CHECKS: tuple[str, ...] = (
    "key_unique",
    "not_null",
    "accepted_codes",
    "completeness",
    "volume_drop",
)
DOCS_SITE = "quality"
RESULT_FORMAT: dict[str, Any] = {
    "result_format": "BASIC",
    "partial_unexpected_count": 0,
    "include_unexpected_rows": False,
}
VOLUME_SCHEMA: dict[str, pl.DataType] = {
    "municipality_code": pl.String(),
    "reports": pl.Int64(),
    "reports_previous": pl.Int64(),
    "reports_earlier": pl.Int64(),
}
_DATASOURCE_KINDS = {"sqlite": "add_sqlite", "postgresql": "add_postgres"}


def quality_gate(url: str, quarter: Quarter, reference: Reference, docs_dir: Path) -> list[Finding]:
    """Validate the stored quarter in the warehouse at `url` and write GX Data Docs.

    Args:
        url: SQLAlchemy URL of the warehouse (SQLite or PostgreSQL).
        quarter: the quarter whose stored reports are validated.
        reference: the code lists that codes are checked against.
        docs_dir: folder that receives the Data Docs (`index.html`); replaced as a whole.

    Returns:
        The findings, hard ones first (see the module docstring for the checks).
    """
    add_datasource = _datasource_method(url)
    volumes = read_quarter_volumes(url, quarter)
    validated = volumes["reports"].sum() > 0
    results = _validate_with_gx(url, add_datasource, quarter, reference, docs_dir, validated)
    return sorted_findings(expectation_findings(results) + volume_drop_findings(volumes))


def hard_failures(findings: list[Finding]) -> list[Finding]:
    """Return the findings that stop publication."""
    return [finding for finding in findings if finding.severity == "hard"]


def blocks_publication(findings: list[Finding]) -> bool:
    """Return whether a hard quality finding stops publication."""
    return bool(hard_failures(findings))


def read_quarter_volumes(url: str, quarter: Quarter) -> pl.DataFrame:
    """Return stored reports per municipality in `quarter` and the two quarters before it."""
    engine = connect_warehouse(url)
    parameters = {
        "quarter": str(quarter),
        "previous_quarter": str(quarter.previous()),
        "earlier_quarter": str(quarter.previous(2)),
    }
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(sql_text("select_quality_volume")), parameters).all()
    finally:
        engine.dispose()
    return pl.DataFrame([tuple(row) for row in rows], schema=VOLUME_SCHEMA, orient="row")


def volume_drop_findings(volumes: pl.DataFrame) -> list[Finding]:
    """Return a `volume_drop` finding per municipality with reports before but none now."""
    dropped = volumes.filter(
        (pl.col("reports") == 0)
        & (pl.col("reports_previous") > 0)
        & (pl.col("reports_earlier") > 0)
    ).sort("municipality_code")
    return [
        Finding(
            "volume_drop", "soft", None, row["municipality_code"], float(row["reports_previous"])
        )
        for row in dropped.iter_rows(named=True)
    ]


def expectation_findings(results: list[dict[str, Any]]) -> list[Finding]:
    """Return a finding per failed expectation, from GX results as JSON dicts."""
    return [_expectation_finding(result) for result in results if not result.get("success")]


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Return `findings` hard first, then in check, column and municipality order."""
    return sorted(
        findings,
        key=lambda f: (
            f.severity != "hard",
            CHECKS.index(f.check) if f.check in CHECKS else len(CHECKS),
            f.column or "",
            f.municipality_code or "",
        ),
    )


def _expectation_finding(result: dict[str, Any]) -> Finding:
    meta = result["expectation_config"]["meta"]
    return Finding(meta["check"], meta["severity"], meta["column"], None, _observed(meta, result))


def _observed(meta: dict[str, Any], result: dict[str, Any]) -> float | None:
    """Return the share of rows left empty (completeness) or the failing rows, None if unknown."""
    counts = result.get("result") or {}
    unexpected, rows = counts.get("unexpected_count"), counts.get("element_count")
    if unexpected is None or not rows:
        return None
    if meta["check"] == "completeness":
        return round(unexpected / rows, 4)
    return float(unexpected)


def _datasource_method(url: str) -> str:
    """Return the GX data-source factory for the warehouse's dialect; raise on any other."""
    backend = make_url(url).get_backend_name()
    if backend not in _DATASOURCE_KINDS:
        raise ValueError(
            f"quality gate: unsupported warehouse {safe_url(url)} (use SQLite or PostgreSQL)"
        )
    return _DATASOURCE_KINDS[backend]


def _validate_with_gx(
    url: str,
    add_datasource: str,
    quarter: Quarter,
    reference: Reference,
    docs_dir: Path,
    validated: bool,
) -> list[dict[str, Any]]:
    """Return the GX results on the quarter (when it has rows); `docs_dir` gets the new docs."""
    docs_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{docs_dir.name}-", dir=docs_dir.parent))
    try:
        results = _gx_results(url, add_datasource, quarter, reference, staging, validated)
        _replace_dir(staging, docs_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return results


def _gx_results(
    url: str,
    add_datasource: str,
    quarter: Quarter,
    reference: Reference,
    site_dir: Path,
    validated: bool,
) -> list[dict[str, Any]]:
    """Return the GX results of the suite on the quarter's rows, Data Docs written to `site_dir`."""
    gx = _import_gx()
    context = gx.get_context(mode="ephemeral", project_config=_context_config(site_dir))
    datasource = getattr(context.data_sources, add_datasource)(
        "warehouse", connection_string=url, kwargs={"hide_parameters": True}
    )
    try:
        asset = datasource.add_query_asset("stored_reports", query=_asset_query())
        batches = asset.add_batch_definition(
            "quarter", partitioner=_quarter_partitioner(), validate_partitioner=False
        )
        suite = context.suites.add(quality_suite(reference))
        if not validated:
            context.build_data_docs(site_names=[DOCS_SITE])
            return []
        checkpoint = context.checkpoints.add(_checkpoint(gx, context, batches, suite))
        result = checkpoint.run(batch_parameters={"quarter": str(quarter)}, run_id=_run_id(quarter))
    finally:
        _dispose_engines(datasource)
    return [one.to_json_dict() for run in result.run_results.values() for one in run.results]


def _import_gx() -> ModuleType:
    """Import Great Expectations (about 3 s, hence here and not at module level), analytics off."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    return gx


def _context_config(site_dir: Path) -> Any:
    """Return an in-memory context's config: no analytics, no progress bars, one docs site."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    site = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(site_dir),
        },
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    return DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        data_docs_sites={DOCS_SITE: site},
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )


def _asset_query() -> str:
    """Return the quality asset's query, comments removed (GX wants it to start with `select`)."""
    return sql_statements("select_quality_reports")[0]


def _quarter_partitioner() -> Any:
    """Return the partitioner that turns the `quarter` column into a bound batch parameter."""
    from great_expectations.core.partitioners import PartitionerColumnValue

    return PartitionerColumnValue(column_name="quarter")


def _checkpoint(gx: ModuleType, context: Any, batches: Any, suite: Any) -> Any:
    """Return a checkpoint validating `suite` on `batches` that updates the Data Docs."""
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=QUALITY_SUITE_NAME, data=batches, suite=suite)
    )
    return gx.Checkpoint(
        name=QUALITY_SUITE_NAME,
        validation_definitions=[definition],
        actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=[DOCS_SITE])],
        result_format=RESULT_FORMAT,
    )


def _run_id(quarter: Quarter) -> Any:
    """Return the run identifier that names the quarter in the Data Docs."""
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=f"quality-{quarter}")


def _dispose_engines(datasource: Any) -> None:
    """Close the connection pools GX opened on the warehouse."""
    datasource.get_execution_engine().close()
    datasource.get_engine().dispose()


def _replace_dir(source: Path, target: Path) -> None:
    """Move `source` to `target`, replacing any earlier folder there."""
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        target.rename(retired / target.name)
        source.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        source.rename(target)
