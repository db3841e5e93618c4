"""A quarterly run leaves its summary and quarantine counts in Prefect, read back by the client."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import polars as pl
import pytest

from demo.inbox import DemoInbox, write_demo_inbox
from schemas.quarter import Quarter
from tasks.run.summary import RunSummary
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.reads import read_open_rejections

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

QUARTER = Quarter(2026, 2)
SMALL = ["851", "240", "148", "698"]  # csv, xlsx, json and sql, all with planted faults


@dataclass(frozen=True)
class Run:
    """One quarterly run on part of a demo inbox, and what Prefect keeps of it."""

    inbox: DemoInbox
    db_url: str
    summary: RunSummary
    flow_run_id: UUID
    published: Path


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, prefect_server: None) -> Run:
    """Run the quarterly brief for four municipalities of a demo inbox."""
    from flows.quarterly import quarterly_brief

    root = tmp_path_factory.mktemp("artifacts")
    inbox = write_demo_inbox(root / "inbox", QUARTER)
    db_url = f"sqlite:///{(root / 'warehouse.db').as_posix()}"
    os.environ.update(inbox.environment | {"RAPORTTI_DB_URL": db_url})
    try:
        state = quarterly_brief(
            quarter=str(QUARTER),
            sources_file=inbox.sources_file,
            out_dir=root / "outputs",
            municipalities=SMALL,
            send=False,
            return_state=True,
        )
    finally:
        os.environ.pop("RAPORTTI_DB_URL")
    published = root / "outputs" / str(QUARTER)
    return Run(inbox, db_url, state.result(), state.state_details.flow_run_id, published)


def _artifacts(flow_run_id: UUID) -> dict[str, object]:
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key: artifact for artifact in artifacts}


def test_the_run_leaves_a_markdown_summary_and_a_quarantine_table(run: Run) -> None:
    artifacts = _artifacts(run.flow_run_id)

    assert artifacts["quarterly-brief-2026q2"].type == "markdown"
    assert artifacts["quarantine-2026q2"].type == "table"


def test_the_summary_states_sources_counts_and_published_files(run: Run) -> None:
    markdown = _artifacts(run.flow_run_id)["quarterly-brief-2026q2"].data

    assert markdown.startswith("# Quarterly brief 2026Q2")
    assert "| Sources read | 4 of 4 |" in markdown
    assert f"| Rows read this run | {run.summary.rows_in} |" in markdown
    assert f"| Rows quarantined this run | {run.summary.rows_quarantined} |" in markdown
    assert f"| Valid reports in 2026Q2 | {run.summary.valid_reports} |" in markdown
    for source in ("851-csv", "240-xlsx", "148-json", "698-sql"):
        assert f"| {source} |" in markdown
    for path in run.summary.published:
        assert path.resolve().as_uri() in markdown


def test_the_quarantine_table_counts_the_open_rejections_per_delivering_municipality(
    run: Run,
) -> None:
    table = json.loads(_artifacts(run.flow_run_id)["quarantine-2026q2"].data)
    rejections = read_open_rejections(connect_warehouse(run.db_url), QUARTER)
    expected = (
        rejections.group_by(municipality_code=pl.col("source_id").str.slice(0, 3))
        .agg(rows=pl.struct("source_id", "delivery", "row_number").n_unique())
        .sort("municipality_code")
    )

    assert [(row["municipality_code"], row["rejected_rows"]) for row in table] == list(
        expected.iter_rows()
    )
    assert set(table[0]) == {
        "municipality_code",
        "municipality",
        "rejected_rows",
        "fields",
        "rules",
    }


def test_no_report_text_or_personal_data_reaches_an_artifact(run: Run) -> None:
    artifacts = _artifacts(run.flow_run_id)
    stored = " ".join(str(artifact.data) for artifact in artifacts.values())
    reports = run.inbox.reports.filter(pl.col("municipality_code").is_in(SMALL))

    for row in reports.iter_rows(named=True):
        for field in ("phenomenon", "causes", "consequences", "proposal"):
            words = (row[field] or "").split()
            for start in range(0, max(len(words) - 5, 0), 6):
                assert " ".join(words[start : start + 6]) not in stored


def test_every_source_kind_has_a_concurrency_limit_and_its_tasks_carry_the_tag(run: Run) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.steps import SOURCE_KIND_LIMITS

    with get_client(sync_client=True) as client:
        limits = {
            kind: client.read_concurrency_limit_by_tag(f"source-kind:{kind}").concurrency_limit
            for kind in SOURCE_KIND_LIMITS
        }
        task_runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.flow_run_id]))
        )

    assert limits == SOURCE_KIND_LIMITS
    kinds = sorted(
        tag for task_run in task_runs for tag in task_run.tags if tag.startswith("source-kind:")
    )
    assert kinds == ["source-kind:csv", "source-kind:json", "source-kind:sql", "source-kind:xlsx"]


def test_published_files_are_where_the_summary_says(run: Run) -> None:
    assert {Path(path).name for path in run.summary.published} >= {
        "brief-fi.pdf",
        "aggregates.csv",
        "quarantine.csv",
        "manifest.json",
    }


def test_the_manifest_lists_every_configured_source_and_which_the_run_did_not_read(
    run: Run,
) -> None:
    manifest = json.loads((run.published / "manifest.json").read_text(encoding="utf-8"))
    status = {source["municipality_code"]: source["status"] for source in manifest["sources"]}

    assert len(status) == 21
    assert {code: status[code] for code in SMALL} == dict.fromkeys(SMALL, "ok")
    assert set(status) - set(SMALL) == {code for code, s in status.items() if s == "not_read"}
    read = [source for source in manifest["sources"] if source["municipality_code"] in SMALL]
    assert all(source["deliveries"] for source in read)
    assert manifest["failed_sources"] == []
