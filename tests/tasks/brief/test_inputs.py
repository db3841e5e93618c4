"""The quarter's figures and quotes as the flow makes them, from the configured reference."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from demo.synthetic import QUARTER, synthetic_reports
from schemas.reference import PACKAGED_REFERENCE_DIR, load_reference
from schemas.settings import Settings
from tasks.brief.inputs import quarter_figures


def _edited_reference_dir(tmp_path: Path) -> Path:
    """Return a copy of the code lists in which Savukoski is renamed Korvatunturi."""
    folder = tmp_path / "reference"
    shutil.copytree(PACKAGED_REFERENCE_DIR, folder)
    municipalities = folder / "municipalities.csv"
    packaged = municipalities.read_text(encoding="utf-8")
    edited = packaged.replace("742,Savukoski,Savukoski,", "742,Korvatunturi,Korvatunturi,")
    assert edited != packaged
    municipalities.write_text(edited, encoding="utf-8")
    return folder


def _reports_proposing(proposal: str) -> pl.DataFrame:
    return synthetic_reports(30, seed=5).with_columns(
        proposal=pl.lit(proposal), consent_to_quote=pl.lit(True)
    )


def test_quotes_lose_the_place_names_of_the_configured_reference_dir(tmp_path: Path) -> None:
    settings = Settings(reference_dir=_edited_reference_dir(tmp_path))
    reports = _reports_proposing("Korvatunturilla tarvitaan lisää kotipalvelua.")

    figures = quarter_figures(reports, QUARTER, settings.reference(), threshold=5)

    assert figures.quotes.height > 0
    assert set(figures.quotes["text"]) == {"[paikka] tarvitaan lisää kotipalvelua."}


def test_a_place_the_lexicon_knows_is_removed_even_when_the_edited_list_lacks_it(
    tmp_path: Path,
) -> None:
    edited = load_reference(_edited_reference_dir(tmp_path))
    reports = _reports_proposing("Kotipalvelua tarvitaan lisää Savukoskella.")

    quotes = quarter_figures(reports, QUARTER, edited, threshold=5).quotes

    assert set(quotes["text"]) == {"Kotipalvelua tarvitaan lisää [paikka]."}
