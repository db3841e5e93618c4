"""File drops that reach outside themselves, and limits checked before anything is parsed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.limits import DeliveryLimits
from schemas.sources import SourceConfig, load_sources
from tasks.intake.extract import Delivery, list_deliveries
from tasks.intake.limits import DeliveryRefused, check_limits, json_depth, json_skeleton
from tests.tasks.intake.hostile_corpus import FIXTURES, csv_text, row

SINCE = datetime(2026, 7, 1, tzinfo=UTC)
SOURCE = SourceConfig(municipality_code="851", kind="csv", path="inbox/851/*.csv")


def test_a_link_out_of_the_drop_comes_refused_and_unread(tmp_path: Path) -> None:
    drop = tmp_path / "inbox" / "851"
    drop.mkdir(parents=True)
    (drop / "a.csv").write_text(csv_text(row("A-1")), encoding="utf-8")
    secret = tmp_path / "secret.csv"
    secret.write_text(csv_text(row("S-1")), encoding="utf-8")
    (drop / "b.csv").symlink_to(secret)
    (drop / "c.csv").symlink_to(drop / "a.csv")  # a link within the drop is read

    a, b, c = list_deliveries(SOURCE, tmp_path, SINCE, SINCE)

    assert (a.refused, c.refused, c.content) == (None, None, a.content)
    assert b.content == b""
    assert b.refused == (
        "inbox/851/b.csv: refused: the file is a link to a place outside its drop folder, so "
        "it is not read; ask the municipality to deliver the file itself into the folder"
    )


def test_a_file_over_the_byte_limit_is_not_read(tmp_path: Path) -> None:
    drop = tmp_path / "inbox" / "851"
    drop.mkdir(parents=True)
    (drop / "131052-308T.csv").write_bytes(b"x" * 2000)

    [delivery] = list_deliveries(SOURCE, tmp_path, SINCE, SINCE, DeliveryLimits(max_bytes=1000))

    assert delivery.content == b""
    assert delivery.refused == (
        "inbox/851/[poistettu].csv: refused: the delivery is 2,000 bytes, over the limit of "
        "1,000 bytes; ask the municipality to split the export into smaller files (for example "
        "by month)"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("path", "../other/*.csv"),
        ("path", "inbox/../../*.csv"),
        ("path", "/etc/*.csv"),
        ("query", "../queries/x.sql"),
    ],
)
def test_a_path_in_sources_toml_leading_out_of_its_folder_is_a_config_error(
    tmp_path: Path, key: str, value: str
) -> None:
    kind = "sql" if key == "query" else "csv"
    extra = 'url_env = "X"\n' if kind == "sql" else ""
    toml = tmp_path / "sources.toml"
    toml.write_text(
        f'[[source]]\nmunicipality_code = "851"\nkind = "{kind}"\n{extra}{key} = "{value}"\n',
        encoding="utf-8",
    )

    with pytest.raises(ValueError, match=rf"the {key} '.*' of source 851-{kind} leads out of"):
        load_sources(toml)


def _csv(content: bytes) -> Delivery:
    return Delivery("851-csv", "851", "csv", "a.csv", content, None)


def test_a_csv_with_more_lines_than_rows_allowed_is_refused() -> None:
    with pytest.raises(DeliveryRefused, match="the file is 6 lines, over the limit of 4 lines"):
        check_limits(
            _csv(csv_text(*(row(f"R-{n}") for n in range(5))).encode()), DeliveryLimits(max_rows=3)
        )


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b'{"reports": []}', 2),
        (b'{"reports": [{"a": "[[[[{{{{"}]}', 3),
        (b'{"a": "\\"[[["}', 1),
        (b"[[[[[", 5),
        (b"[]" * 1000, 1),
    ],
)
def test_json_depth_ignores_brackets_inside_strings(text: bytes, depth: int) -> None:
    assert json_depth(json_skeleton(text), 32) == depth


def test_a_json_deeper_than_the_limit_is_refused_before_parsing() -> None:
    deep = Delivery(
        "148-json", "148", "json", "d.json", b'{"reports": ' + b"[" * 40 + b"]" * 40 + b"}", None
    )

    with pytest.raises(DeliveryRefused, match="its nesting is more than 32 levels"):
        check_limits(deep, DeliveryLimits())


def test_an_xlsx_dimension_bomb_is_refused_from_its_xml_alone() -> None:
    bomb = Delivery(
        "240-xlsx", "240", "xlsx", "b.xlsx", (FIXTURES / "dimension_bomb.xlsx").read_bytes(), None
    )

    with pytest.raises(DeliveryRefused, match="24,400,061 cells, over the limit of 5,000,000"):
        check_limits(bomb, DeliveryLimits())
    with pytest.raises(DeliveryRefused, match="last row is 400,001 rows, over the limit of 1,001"):
        check_limits(bomb, DeliveryLimits(max_rows=1000))
