"""The steward's check-submissions flow: waiting files validated, nothing stored, counts kept."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from demo.inbox import DemoInbox, write_demo_inbox
from schemas.quarter import Quarter
from tasks.intake.dry_run import WaitingDeliveries

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("server")]

FILE_SOURCES = ["851", "240", "148", "047"]  # csv, xlsx and json, planted faults in three


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> DemoInbox:
    """Return a demo inbox for all 21 municipalities."""
    return write_demo_inbox(tmp_path_factory.mktemp("inbox"), Quarter(2026, 2))


def test_check_submissions_counts_rejected_rows_and_stores_nothing(
    inbox: DemoInbox, prefect_server: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.steward import check_submissions

    warehouse = tmp_path / "warehouse.db"
    monkeypatch.setenv("RAPORTTI_DB_URL", f"sqlite:///{warehouse.as_posix()}")
    monkeypatch.chdir(tmp_path)

    state = check_submissions(
        sources_file=inbox.sources_file, municipalities=[*FILE_SOURCES, "698"], return_state=True
    )

    checks: dict[str, WaitingDeliveries] = {check.source_id: check for check in state.result()}
    delivered = inbox.reports.filter(pl.col("source_id").str.head(3).is_in(FILE_SOURCES))
    for source_id, check in checks.items():
        if check.kind == "sql":
            assert not check.is_file_source
            continue
        rows = delivered.filter(pl.col("source_id") == source_id)
        assert check.rows_in == rows.height, source_id
        assert check.rows_rejected == rows["planted_fault"].is_not_null().sum(), source_id
        assert check.files == rows["delivery"].n_unique(), source_id
    assert not warehouse.exists()
    assert not (tmp_path / "outputs").exists()
    table = json.loads(_artifact(state, "check-submissions-rejected"))
    with_faults = delivered.filter(pl.col("planted_fault").is_not_null())
    assert sorted(row["source"] for row in table) == sorted(with_faults["source_id"].unique())
    assert "698-sql" in _artifact(state, "check-submissions")


def _artifact(state: object, key: str) -> str:
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    flow_run = ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=flow_run, key=ArtifactFilterKey(any_=[key]))
        )
    return artifact.data
