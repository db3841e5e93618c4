"""sources.toml is read as the contract describes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from schemas.sources import load_sources

CONTRACT_EXAMPLE = """
[[source]]
municipality_code = "698"
kind = "sql"
url_env = "ROVANIEMI_REPORTS_DB"
query = "queries/rovaniemi.sql"

[[source]]
municipality_code = "851"
kind = "csv"
path = "inbox/851/*.csv"
encoding = "cp1252"

[[source]]
municipality_code = "148"
kind = "json"
url = "https://example.invalid/export.json"
"""


def test_contract_example_is_read_with_paths_relative_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "sources.toml"
    path.parent.mkdir()
    path.write_text(CONTRACT_EXAMPLE, encoding="utf-8")

    config = load_sources(path)

    assert config.base_dir == path.parent.resolve()
    assert [s.source_id for s in config.sources] == ["698-sql", "851-csv", "148-json"]
    assert config.only(["851"]).sources[0].encoding == "cp1252"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('municipality_code = "698"\nkind = "sql"', "url_env"),
        ('municipality_code = "851"\nkind = "csv"', "needs path"),
        ('municipality_code = "85"\nkind = "csv"\npath = "x"', "pattern"),
        ('municipality_code = "851"\nkind = "ftp"\npath = "x"', "kind"),
        ('municipality_code = "851"\nkind = "csv"\npath = "x"\npassword = "p"', "password"),
    ],
)
def test_a_wrong_source_is_refused_with_the_reason(
    tmp_path: Path, table: str, message: str
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(f"[[source]]\n{table}\n", encoding="utf-8")

    with pytest.raises(ValidationError, match=message):
        load_sources(path)


def test_two_sources_with_one_name_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    table = '[[source]]\nmunicipality_code = "851"\nkind = "csv"\npath = "a/*.csv"\n'
    path.write_text(table * 2, encoding="utf-8")

    with pytest.raises(ValidationError, match="851-csv"):
        load_sources(path)
