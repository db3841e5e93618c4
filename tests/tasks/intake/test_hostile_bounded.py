"""Parsing in a memory-bounded child: a bomb past the checks ends only the child."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schemas.limits import MIB, DeliveryLimits
from tasks.intake.bounded import parsed_delivery
from tasks.intake.extract import Delivery
from tasks.intake.limits import DeliveryRefused
from tasks.intake.parse import UnreadableDelivery
from tests.tasks.intake.hostile_corpus import FIXTURES

NO_CHECKS = DeliveryLimits(max_sheet_cells=10**12, max_rows=10**9, parse_memory_bytes=1024 * MIB)


def _delivery(name: str, kind: str = "xlsx") -> Delivery:
    return Delivery(f"240-{kind}", "240", kind, name, (FIXTURES / name).read_bytes(), None)


def test_a_bomb_past_the_checks_kills_only_the_child_and_is_refused_with_the_reason() -> None:
    with pytest.raises(DeliveryRefused) as caught:
        parsed_delivery(_delivery("dimension_bomb.xlsx"), 0, NO_CHECKS)

    assert str(caught.value) == (
        "dimension_bomb.xlsx: refused: reading it ran out of the 1,024 MB of memory allowed, so "
        "it was stopped; ask the municipality to save only the reports, from cell A1 on, in a "
        "new file"
    )
    parsed = parsed_delivery(_delivery("several_sheets.xlsx"), 0, NO_CHECKS)  # the server lives on
    assert parsed.reports.get_column("report_id").to_list() == ["X-1", "X-2"]


def test_the_child_gives_the_same_frames_as_parsing_here() -> None:
    from polars.testing import assert_frame_equal

    from tasks.intake.parse import parse_delivery

    for name in ("formulas.xlsx", "merged_cells.xlsx"):
        here = parse_delivery(_delivery(name), 4)
        there = parsed_delivery(_delivery(name), 4, DeliveryLimits())
        assert_frame_equal(there.reports, here.reports)
        assert_frame_equal(there.rejections, here.rejections)


@pytest.mark.parametrize(
    ("name", "kind", "message"),
    [
        ("truncated.json", "json", "truncated.json: not valid JSON"),
        ("renamed_text.xlsx", "xlsx", "renamed_text.xlsx: not an Excel workbook that can be read"),
    ],
)
def test_an_unreadable_file_in_the_child_gives_the_parsers_own_line(
    name: str, kind: str, message: str
) -> None:
    with pytest.raises(UnreadableDelivery, match=message) as caught:
        parsed_delivery(_delivery(name, kind), 0, DeliveryLimits())

    assert not isinstance(caught.value, DeliveryRefused)


def test_a_workbook_unzipping_past_the_limit_is_refused_before_any_child(tmp_path: Path) -> None:
    from tests.tasks.intake.hostile_corpus import zip_bomb

    path = tmp_path / "bomb.xlsx"
    zip_bomb(path, unzipped_bytes=20 * 1_000_000)
    bomb = Delivery("240-xlsx", "240", "xlsx", "bomb.xlsx", path.read_bytes(), None)

    with pytest.raises(DeliveryRefused, match=r"unzipped is [\d,]+ bytes, over the limit of 10,"):
        parsed_delivery(bomb, 0, DeliveryLimits(max_unzipped_bytes=10_000_000))


def test_the_parse_server_ends_with_the_process_leaving_nothing_open() -> None:
    """A process that parsed in a child exits cleanly: no server left running, no pipe open."""
    script = (
        "import json\n"
        "from tasks.intake.bounded import parsed_in_child\n"
        "from tasks.intake.extract import Delivery\n"
        "body = {'municipality_code': '148', 'exported_at': '2026-10-01T00:00:00Z',\n"
        "        'reports': []}\n"
        "content = json.dumps(body).encode()\n"
        "delivery = Delivery('148-json', '148', 'json', 'x.json', content, None)\n"
        "print(parsed_in_child(delivery, 1, 2**31).reports.height)\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", "-c", script],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "0\n", "")
