"""The reference code lists: municipalities, themes and target groups.

The project ships copies of the contract's lists under `schemas/reference/`;
a welfare region may point `RAPORTTI_REFERENCE_DIR` at its own edited copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

PACKAGED_REFERENCE_DIR = Path(__file__).parent / "reference"
REGION_CODE = "19"
REGION_NAMES = {"fi": "Lappi", "sv": "Lappland", "en": "Lapland"}
LANGUAGES = ("fi", "sv", "en")


@dataclass(frozen=True)
class Reference:
    """The three code lists, every column as text."""

    municipalities: pl.DataFrame
    themes: pl.DataFrame
    target_groups: pl.DataFrame

    @property
    def municipality_codes(self) -> list[str]:
        """Return the municipality codes in list order."""
        return self.municipalities["code"].to_list()

    @property
    def theme_codes(self) -> list[str]:
        """Return the theme codes in list order."""
        return self.themes["code"].to_list()

    @property
    def target_group_codes(self) -> list[str]:
        """Return the target-group codes in list order."""
        return self.target_groups["code"].to_list()

    def theme_label(self, code: str, lang: str) -> str:
        """Return a theme's label in `lang` (fi, sv or en)."""
        return _label(self.themes, code, lang)

    def target_group_label(self, code: str, lang: str) -> str:
        """Return a target group's label in `lang` (fi, sv or en)."""
        return _label(self.target_groups, code, lang)

    def municipality_name(self, code: str, lang: str = "fi") -> str:
        """Return a municipality's name in `lang`, Finnish where no other is listed."""
        row = self.municipalities.filter(pl.col("code") == code).row(0, named=True)
        return row.get(f"name_{lang}") or row["name_fi"]

    def subregions(self) -> pl.DataFrame:
        """Return one row per subregion: `subregion_code`, `subregion_fi`, sorted by code."""
        return (
            self.municipalities.select("subregion_code", "subregion_fi")
            .unique()
            .sort("subregion_code")
        )


def _label(codes: pl.DataFrame, code: str, lang: str) -> str:
    matches = codes.filter(pl.col("code") == code)
    if matches.is_empty():
        return code
    return matches.row(0, named=True)[lang]


def _read_code_list(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema_length=0, encoding="utf8")


@cache
def load_reference(directory: Path = PACKAGED_REFERENCE_DIR) -> Reference:
    """Return the code lists read from `directory` (the packaged copies by default)."""
    return Reference(
        municipalities=_read_code_list(directory / "municipalities.csv"),
        themes=_read_code_list(directory / "themes.csv"),
        target_groups=_read_code_list(directory / "target_groups.csv"),
    )
