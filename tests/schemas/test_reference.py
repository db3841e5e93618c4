"""The project's copies of the code lists still match the contract's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from schemas.reference import PACKAGED_REFERENCE_DIR, REGION_CODE, load_reference

CONTRACT_REFERENCE_DIR = Path(__file__).resolve().parents[3] / "shared" / "reference"


@pytest.mark.parametrize("name", ["municipalities.csv", "themes.csv", "target_groups.csv"])
def test_packaged_code_list_matches_the_contract(name: str) -> None:
    contract_copy = CONTRACT_REFERENCE_DIR / name
    if not contract_copy.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{contract_copy} is missing: CI runs with shared/ beside the clone")
        pytest.skip(f"{contract_copy} is not beside this clone")
    assert (PACKAGED_REFERENCE_DIR / name).read_bytes() == contract_copy.read_bytes()


def test_reference_has_lapland_municipalities_and_subregions() -> None:
    reference = load_reference()

    assert len(reference.municipality_codes) == 21
    assert reference.subregions()["subregion_code"].to_list() == [
        "191",
        "192",
        "193",
        "194",
        "196",
        "197",
    ]
    assert REGION_CODE == "19"


def test_labels_come_in_every_language_and_municipality_names_fall_back_to_finnish() -> None:
    reference = load_reference()

    assert reference.theme_label("food_aid", "sv") == "Mathjälp"
    assert reference.target_group_label("sami", "en") == "Sámi people"
    assert reference.municipality_name("148", "sv") == "Enare"
    assert reference.municipality_name("698", "sv") == "Rovaniemi"
