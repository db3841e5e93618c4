"""The warehouse keeps every report once, by the contract's duplicate rule, on both databases."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import Engine, text

from schemas.fields import REJECTION_DTYPES
from schemas.quarter import Quarter
from tasks.intake.checked import DeliveryRecord
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.lineage import read_cell_lineage, replace_cell_lineage
from tasks.warehouse.load import (
    SCRATCH_PREFIX,
    landed_parts,
    open_delivery_load,
    read_watermark,
    store_delivery,
    stored_delivery_hashes,
)
from tasks.warehouse.reads import (
    LandedContentMismatch,
    landed_hashes_starting_with,
    read_landed_content,
    read_open_rejections,
    read_quarter_deliveries,
    read_reports,
)
from tests.factories import report_frame, report_row

Q3 = Quarter(2026, 3)


def _record(sha: str, rows_in: int = 1, quarantined: int = 0) -> DeliveryRecord:
    return DeliveryRecord(
        source_id="698-sql",
        sha256=sha,
        municipality_code="698",
        kind="sql",
        name=f"delivery-{sha[:4]}",
        received_at=datetime(2026, 10, 1, 6, tzinfo=UTC),
        quarter=str(Q3),
        size_bytes=10,
        rows_in=rows_in,
        rows_valid=rows_in - quarantined,
        rows_quarantined=quarantined,
        redacted_identity_codes=0,
        redacted_phones=1,
        redacted_emails=0,
    )


def _rejection(report_id: str, row_number: int = 2) -> pl.DataFrame:
    row = {
        "source_id": "698-sql",
        "municipality_code": "698",
        "report_id": report_id,
        "delivery": "delivery-b",
        "row_number": row_number,
        "field": "theme",
        "rule": "code_list",
        "reason": "theme: unknown code",
        "reason_fi": "teema: tuntematon koodi",
    }
    return pl.DataFrame([row], schema=REJECTION_DTYPES)


NO_REJECTIONS = pl.DataFrame(schema=REJECTION_DTYPES)


def test_stored_reports_read_back_with_their_types(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    reports = report_frame(
        [
            report_row("R1", secondary_themes=["debt", "housing"], consent_to_quote=True),
            report_row("R2", clients_affected=None, causes="Syy.", submitted_on=date(2026, 9, 30)),
        ]
    )
    store_delivery(engine, _record("a" * 64, 2), b"raw", reports, NO_REJECTIONS)

    result = read_reports(engine, [Q3])

    assert_frame_equal(result, reports)


def test_latest_updated_at_wins_across_deliveries(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    first = report_row("R1", updated_at=datetime(2026, 8, 10, tzinfo=UTC), theme="debt")
    older = report_row("R1", updated_at=datetime(2026, 8, 5, tzinfo=UTC), theme="housing")
    store_delivery(engine, _record("a" * 64), b"1", report_frame([first]), NO_REJECTIONS)
    store_delivery(engine, _record("b" * 64), b"2", report_frame([older]), NO_REJECTIONS)

    assert read_reports(engine, [Q3])["theme"].to_list() == ["debt"]


def test_on_equal_updated_at_the_later_delivery_and_row_win(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    same_batch = report_frame(
        [
            report_row("R1", theme="debt", row_number=1),
            report_row("R1", theme="food_aid", row_number=2),
        ]
    )
    store_delivery(engine, _record("a" * 64, 2), b"1", same_batch, NO_REJECTIONS)
    assert read_reports(engine, [Q3])["theme"].to_list() == ["food_aid"]

    later = report_frame([report_row("R1", theme="housing")])
    store_delivery(engine, _record("b" * 64), b"2", later, NO_REJECTIONS)
    assert read_reports(engine, [Q3])["theme"].to_list() == ["housing"]


def test_a_stored_delivery_is_recognised_and_cannot_be_stored_twice(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    reports = report_frame([report_row("R1")])
    store_delivery(engine, _record("a" * 64), b"1", reports, NO_REJECTIONS)

    assert stored_delivery_hashes(engine, "698-sql") == {"a" * 64}
    with pytest.raises(Exception, match="(?i)unique|duplicate"):
        store_delivery(engine, _record("a" * 64), b"1", reports, NO_REJECTIONS)
    assert read_reports(engine, [Q3]).height == 1


def test_a_failed_store_leaves_nothing_behind(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    broken = report_frame([report_row("R1")]).with_columns(phenomenon=pl.lit(None, pl.String))

    with pytest.raises(Exception, match="(?i)null"):
        store_delivery(engine, _record("a" * 64), b"1", broken, _rejection("R9"), datetime.now(UTC))

    assert stored_delivery_hashes(engine, "698-sql") == set()
    assert read_open_rejections(engine, Q3).is_empty()
    assert read_watermark(engine, "698-sql") is None


def test_a_load_left_before_it_finishes_keeps_nothing(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    landed = partial(landed_parts, "a" * 64, b"delivered bytes")
    with (
        pytest.raises(RuntimeError, match="ended before it finished"),
        open_delivery_load(engine, "a" * 64, str(Q3), landed) as load,
    ):
        load.add(report_frame([report_row("R1")]), _rejection("R2"))

    assert read_reports(engine, [Q3]).is_empty()
    assert read_open_rejections(engine, Q3).is_empty()
    assert stored_delivery_hashes(engine, "698-sql") == set()
    assert landed_hashes_starting_with(engine, "a") == []


def test_the_bulk_load_cleans_up_after_a_failure_and_the_next_store_succeeds(
    warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = connect_warehouse(warehouse_url)
    scratch_root = tmp_path / "scratch"
    scratch_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))
    broken = report_frame([report_row("R1")]).with_columns(phenomenon=pl.lit(None, pl.String))
    with pytest.raises(Exception, match="(?i)null"):
        store_delivery(engine, _record("a" * 64), b"1", broken, NO_REJECTIONS)

    store_delivery(engine, _record("b" * 64), b"2", report_frame([report_row("R1")]), NO_REJECTIONS)

    assert read_reports(engine, [Q3])["report_id"].to_list() == ["R1"]
    assert list(scratch_root.iterdir()) == []


def test_scratch_left_by_a_killed_process_is_removed_by_the_next_store(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    abandoned = tmp_path / f"{SCRATCH_PREFIX}{gone.pid}-abc123"
    abandoned.mkdir()
    (abandoned / "staging.db").write_bytes(b"left behind by a killed run")
    in_use = tmp_path / f"{SCRATCH_PREFIX}{os.getpid()}-def456"
    in_use.mkdir()

    store_delivery(
        connect_warehouse(sqlite_url),
        _record("a" * 64),
        b"1",
        report_frame([report_row("R1")]),
        NO_REJECTIONS,
    )

    assert not abandoned.exists()
    assert in_use.exists()


def test_watermark_advances_with_the_rows_and_never_backwards(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    later = datetime(2026, 10, 1, 3, 4, 5, 123456, tzinfo=UTC)
    earlier = datetime(2026, 9, 1, tzinfo=UTC)
    store_delivery(
        engine, _record("a" * 64), b"1", report_frame([report_row("R1")]), NO_REJECTIONS, later
    )
    store_delivery(
        engine, _record("b" * 64), b"2", report_frame([report_row("R2")]), NO_REJECTIONS, earlier
    )

    assert read_watermark(engine, "698-sql") == later


def test_rejection_stays_open_until_a_later_valid_delivery_replaces_it(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    store_delivery(engine, _record("a" * 64, 1, 1), b"1", report_frame([]), _rejection("R1"))
    assert read_open_rejections(engine, Q3)["report_id"].to_list() == ["R1"]

    corrected = report_frame([report_row("R1")])
    store_delivery(engine, _record("b" * 64), b"2", corrected, NO_REJECTIONS)

    assert read_open_rejections(engine, Q3).is_empty()


def test_quarter_deliveries_carry_counts_not_rows(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    sha = hashlib.sha256(b"1").hexdigest()
    store_delivery(
        engine, _record(sha, 3, 1), b"1", report_frame([report_row("R1")]), _rejection("R2")
    )

    deliveries = read_quarter_deliveries(engine, Q3)

    assert deliveries.select("sha256", "rows_in", "rows_valid", "rows_quarantined").rows() == [
        (sha, 3, 2, 1)
    ]
    assert read_landed_content(engine, sha) == b"1"


def _delivery_bytes(size: int) -> bytes:
    line = "R{n};698;3.8.2026;social_worker;mobility;Matkat palveluihin ovat pitkiä.\r\n"
    lines = "".join(line.format(n=n) for n in range(size // 40 + 1))
    return lines.encode("utf-8")[:size]


def _landed_rows(engine: Engine, sha: str) -> list[tuple[int, str, int | None, int]]:
    statement = text(
        "select part, codec, raw_size, length(content) as stored from landed_content"
        " where sha256 = :sha256 order by part"
    )
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(statement, {"sha256": sha})]


@pytest.mark.parametrize("size", [0, 3_500])
def test_a_delivery_lands_compressed_in_parts_and_reads_back_as_received(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr("tasks.warehouse.load.LANDED_PART_BYTES", 1_000)
    engine = connect_warehouse(warehouse_url)
    content = _delivery_bytes(size)
    sha = hashlib.sha256(content).hexdigest()

    store_delivery(engine, _record(sha), content, report_frame([]), NO_REJECTIONS)

    assert read_landed_content(engine, sha) == content
    parts = _landed_rows(engine, sha)
    assert [(part, codec, raw) for part, codec, raw, _ in parts] == (
        [(0, "zstd", 1_000), (1, "zstd", 1_000), (2, "zstd", 1_000), (3, "zstd", 500)]
        if size
        else [(0, "zstd", 0)]
    )
    if size:
        assert all(stored < raw for _, _, raw, stored in parts)


def test_parts_landed_before_compression_read_back(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    content = _delivery_bytes(3_000)
    sha = hashlib.sha256(content).hexdigest()
    old_insert = text(
        "insert into landed_content (sha256, part, content) values (:sha256, :part, :content)"
    )
    with engine.begin() as connection:
        connection.execute(
            old_insert,
            [
                {"sha256": sha, "part": 0, "content": content[:2_000]},
                {"sha256": sha, "part": 1, "content": content[2_000:]},
            ],
        )

    assert read_landed_content(engine, sha) == content
    assert [codec for _, codec, _, _ in _landed_rows(engine, sha)] == ["none", "none"]


def test_a_landed_delivery_that_lost_a_part_is_refused(
    warehouse_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tasks.warehouse.load.LANDED_PART_BYTES", 1_000)
    engine = connect_warehouse(warehouse_url)
    content = _delivery_bytes(2_500)
    sha = hashlib.sha256(content).hexdigest()
    store_delivery(engine, _record(sha), content, report_frame([]), NO_REJECTIONS)
    with engine.begin() as connection:
        connection.execute(text("delete from landed_content where part = 2"))

    with pytest.raises(LandedContentMismatch, match=f"{sha} reads back as 2,000 bytes"):
        read_landed_content(engine, sha)


def test_reading_a_delivery_never_landed_names_it(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)

    with pytest.raises(LookupError, match="no delivery with sha256 " + "c" * 64):
        read_landed_content(engine, "c" * 64)


def test_cell_lineage_answers_which_reports_make_a_figure(warehouse_url: str) -> None:
    engine = connect_warehouse(warehouse_url)
    lineage = pl.DataFrame(
        {
            "quarter": ["2026Q3"] * 3,
            "level": ["region", "region", "municipality"],
            "area_code": ["19", "19", "698"],
            "theme": ["all", "all", "debt"],
            "target_group": ["all"] * 3,
            "municipality_code": ["698", "240", "698"],
            "report_id": ["R1", "K1", "R1"],
        }
    )
    replace_cell_lineage(engine, Q3, lineage)
    replace_cell_lineage(engine, Q3, lineage)

    keys = read_cell_lineage(engine, Q3, "19", "all", "all")

    assert keys.rows() == [("240", "K1"), ("698", "R1")]
