"""End to end: the quarterly flow on generated demo deliveries, read back as a reader would."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from demo.inbox import DemoInbox, write_demo_inbox
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tasks.run.summary import RunSummary, exit_status
from tasks.warehouse.connection import connect_warehouse

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

QUARTER = Quarter(2026, 2)
CONTRACT_FILES = (
    "brief-fi.pdf",
    "brief-sv.pdf",
    "brief-en.pdf",
    "aggregates.csv",
    "quarantine.csv",
    "manifest.json",
)


@dataclass(frozen=True)
class DemoRun:
    """A demo inbox, the warehouse it was stored in and the published quarter."""

    inbox: DemoInbox
    db_url: str
    out_dir: Path
    summary: RunSummary

    @property
    def published(self) -> Path:
        return self.out_dir / str(QUARTER)


def _run_flow(inbox: DemoInbox, db_url: str, out_dir: Path) -> RunSummary:
    from flows.quarterly import quarterly_brief

    os.environ.update(inbox.environment)
    os.environ["RAPORTTI_DB_URL"] = db_url
    try:
        return quarterly_brief(
            quarter=str(QUARTER), sources_file=inbox.sources_file, out_dir=out_dir, send=False
        )
    finally:
        os.environ.pop("RAPORTTI_DB_URL")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory, prefect_server: None) -> Iterator[DemoRun]:
    """Run the flow once on a demo inbox into a SQLite warehouse."""
    root = tmp_path_factory.mktemp("demo")
    inbox = write_demo_inbox(root / "inbox", QUARTER)
    db_url = f"sqlite:///{(root / 'warehouse.db').as_posix()}"
    summary = _run_flow(inbox, db_url, root / "outputs")
    return DemoRun(inbox, db_url, root / "outputs", summary)


def _valid_in_quarter(inbox: DemoInbox) -> pl.DataFrame:
    """Return the ground truth's valid, winning reports of the quarter (computed independently)."""
    rows = inbox.reports.filter(
        pl.col("planted_fault").is_null()
        & ~pl.col("superseded")
        & pl.col("submitted_on").is_between(QUARTER.first_day, QUARTER.last_day)
    )
    return rows.select("municipality_code", "report_id", "theme", "target_group")


def _aggregates(run: DemoRun) -> list[dict[str, str]]:
    with (run.published / "aggregates.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_contract_file_is_published(demo_run: DemoRun) -> None:
    for name in CONTRACT_FILES:
        assert (demo_run.published / name).stat().st_size > 0, name
    assert not demo_run.summary.failed_sources


def test_published_counts_equal_an_independent_count_of_the_deliveries(demo_run: DemoRun) -> None:
    reference = load_reference()
    subregion_of = dict(
        zip(reference.municipality_codes, reference.municipalities["subregion_code"], strict=True)
    )
    truth: Counter[tuple[str, str, str]] = Counter()
    for row in _valid_in_quarter(demo_run.inbox).iter_rows(named=True):
        for area in ("19", subregion_of[row["municipality_code"]], row["municipality_code"]):
            for theme in ("all", row["theme"]):
                for group in ("all", row["target_group"]):
                    truth[(area, theme, group)] += 1

    cells = _aggregates(demo_run)

    assert len(cells) == (1 + 6 + 21) * 18 * 12
    assert sum(1 for c in cells if c["suppressed"] == "false") > 0
    for cell in cells:
        expected = truth[(cell["area_code"], cell["theme"], cell["target_group"])]
        if cell["suppressed"] == "false":
            assert int(cell["reports"]) == expected, cell
        else:
            assert cell["reports"] == "", cell
        if 1 <= expected <= 4:
            assert cell["suppressed"] == "true", cell


def test_region_total_is_published_and_matches(demo_run: DemoRun) -> None:
    region = next(
        c
        for c in _aggregates(demo_run)
        if c["level"] == "region" and c["theme"] == "all" and c["target_group"] == "all"
    )

    assert int(region["reports"]) == _valid_in_quarter(demo_run.inbox).height
    assert demo_run.summary.valid_reports == int(region["reports"])


def test_quarantine_holds_exactly_the_planted_invalid_rows(demo_run: DemoRun) -> None:
    planted = demo_run.inbox.reports.filter(pl.col("planted_fault").is_not_null())
    expected = {
        (row["source_id"], row["report_id"], row["fault_field"])
        for row in planted.iter_rows(named=True)
    }

    with (demo_run.published / "quarantine.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    assert {(r["source"], r["report_id"], r["field"]) for r in rows} == expected
    assert len(rows) == len(expected)
    assert exit_status(demo_run.summary) == 1


def test_finnish_brief_names_the_region_total_and_top_themes(demo_run: DemoRun) -> None:
    reference = load_reference()
    valid = _valid_in_quarter(demo_run.inbox)
    top_themes = valid.group_by("theme").len().sort(["len", "theme"], descending=[True, False])
    text_of_pdf = subprocess.run(
        ["pdftotext", "-layout", str(demo_run.published / "brief-fi.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = " ".join(text_of_pdf.split())

    assert str(valid.height) in flat
    for theme in top_themes["theme"].head(3):
        assert reference.theme_label(theme, "fi") in flat


def test_manifest_reconciles_rows_per_source(demo_run: DemoRun) -> None:
    manifest = json.loads((demo_run.published / "manifest.json").read_text(encoding="utf-8"))

    assert manifest["quarter"] == str(QUARTER)
    assert len(manifest["sources"]) == 21
    for source in manifest["sources"]:
        assert source["rows_in"] == source["rows_valid"] + source["rows_quarantined"], source
    delivered = demo_run.inbox.reports.height
    assert sum(s["rows_in"] for s in manifest["sources"]) == delivered
    for name in CONTRACT_FILES[:-1]:
        assert len(manifest["outputs"][name]) == 64


def test_no_planted_personal_data_reaches_any_output(demo_run: DemoRun) -> None:
    planted = demo_run.inbox.reports.filter(pl.col("redaction_kinds").list.len() > 0)
    texts = [
        (path.name, path.read_bytes().decode("utf-8", errors="ignore"))
        for path in demo_run.published.rglob("*")
        if path.is_file() and path.suffix in (".csv", ".json", ".html")
    ]
    texts += [
        (
            path.name,
            subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout,
        )
        for path in demo_run.published.glob("*.pdf")
    ]
    secrets = ["040 123 4567", "+358 40 765 4321", "050-3456789"]
    for row in planted.iter_rows(named=True):
        for field in ("phenomenon", "causes", "consequences", "proposal"):
            secrets += [token for token in (row[field] or "").split() if _looks_personal(token)]
    for name, content in texts:
        for secret in secrets:
            assert secret not in content, (name, secret)


def _looks_personal(token: str) -> bool:
    stripped = token.strip(".,;:()")
    return "@" in stripped or (len(stripped) == 11 and stripped[:6].isdigit())


def test_running_the_quarter_again_changes_nothing(demo_run: DemoRun) -> None:
    before = {name: (demo_run.published / name).read_bytes() for name in CONTRACT_FILES}
    engine = connect_warehouse(demo_run.db_url)
    with engine.connect() as connection:
        stored_before = connection.execute(text("select count(*) from report")).scalar_one()

    again = _run_flow(demo_run.inbox, demo_run.db_url, demo_run.out_dir)

    with engine.connect() as connection:
        stored_after = connection.execute(text("select count(*) from report")).scalar_one()
    assert stored_after == stored_before
    assert again.rows_in == 0
    for name in CONTRACT_FILES:
        assert (demo_run.published / name).read_bytes() == before[name], name


@pytest.mark.postgres
def test_postgresql_warehouse_publishes_the_same_figures(
    demo_run: DemoRun, pg_url: str, tmp_path: Path
) -> None:
    summary = _run_flow(demo_run.inbox, pg_url, tmp_path)

    for name in ("aggregates.csv", "quarantine.csv", "manifest.json", "brief-fi.pdf"):
        assert (tmp_path / str(QUARTER) / name).read_bytes() == (
            demo_run.published / name
        ).read_bytes(), name
    assert summary.valid_reports == demo_run.summary.valid_reports


def test_lineage_lists_the_reports_behind_a_published_figure(demo_run: DemoRun) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    valid = _valid_in_quarter(demo_run.inbox)
    theme = (
        valid.group_by("theme").len().sort(["len", "theme"], descending=[True, False])["theme"][0]
    )
    arguments = ["lineage", "--quarter", str(QUARTER), "--area", "19", "--theme", theme]

    result = CliRunner().invoke(app, [*arguments, "--db", demo_run.db_url])

    listed = {tuple(line.split("\t")) for line in result.output.splitlines() if "\t" in line}
    expected = set(
        valid.filter(pl.col("theme") == theme).select("municipality_code", "report_id").rows()
    )
    assert result.exit_code == 0, result.output
    assert listed == expected
