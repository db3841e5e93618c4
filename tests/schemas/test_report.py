"""Tests of schemas.report: the report model, its named checks and the Finnish code labels."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandera.polars as pa
import polars as pl
import pytest

from schemas.fields import REPORT_DTYPES, REPORT_FIELDS
from schemas.reference import Reference, load_reference
from schemas.report import CODE_LABELS_FI, FIXED_CODES, ReportModel, report_schema
from tests.factories import report_frame, report_row

TODAY = date(2026, 11, 15)


def failed_checks(frame: pl.DataFrame, **kwargs: Any) -> set[tuple[str, str, int]]:
    """Return the (column, check, row) failures of `frame` against the bound schema."""
    schema = report_schema(
        kwargs.pop("reference", load_reference()), TODAY, kwargs.pop("expected", None)
    )
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.select("column", "check", "index")
        return set(cases.iter_rows())
    return set()


def test_the_model_states_its_grain_and_describes_every_field() -> None:
    assert "one row per report" in (ReportModel.__doc__ or "")
    columns = ReportModel.to_schema().columns
    assert list(columns) == list(REPORT_FIELDS)
    assert all(column.description for column in columns.values())


def test_the_model_types_are_the_report_dtypes() -> None:
    columns = ReportModel.to_schema().columns
    assert {name: column.dtype.type for name, column in columns.items()} == REPORT_DTYPES


def test_a_valid_typed_frame_with_lineage_passes() -> None:
    frame = report_frame([report_row("R-1"), report_row("R-2", secondary_themes=["debt"])])
    assert failed_checks(frame, expected="698") == set()


@pytest.mark.parametrize(
    ("overrides", "column", "check"),
    [
        ({"report_id": None}, "report_id", "not_nullable"),
        ({"report_id": "r" * 65}, "report_id", "too_long"),
        ({"municipality_code": "6a8"}, "municipality_code", "format"),
        ({"municipality_code": "999"}, "municipality_code", "code_list"),
        ({"submitted_on": date(2018, 12, 31)}, "submitted_on", "too_early"),
        ({"submitted_on": date(2026, 11, 16)}, "submitted_on", "in_future"),
        ({"reporter_role": "janitor"}, "reporter_role", "code_list"),
        ({"theme": "unknown"}, "theme", "code_list"),
        ({"secondary_themes": ["debt", "unknown"]}, "secondary_themes", "code_list"),
        ({"secondary_themes": ["mobility"]}, "secondary_themes", "repeats_theme"),
        ({"target_group": "unknown"}, "target_group", "code_list"),
        ({"clients_affected": 100_001}, "clients_affected", "range"),
        ({"clients_affected": -1}, "clients_affected", "range"),
        ({"phenomenon": "p" * 19}, "phenomenon", "too_short"),
        ({"phenomenon": "p" * 10_001}, "phenomenon", "too_long"),
        ({"proposal": "p" * 10_001}, "proposal", "too_long"),
        ({"addressee_level": "eduskunta"}, "addressee_level", "code_list"),
        ({"urgency": "now"}, "urgency", "code_list"),
        ({"consent_to_quote": None}, "consent_to_quote", "not_nullable"),
        ({"report_type": "idea"}, "report_type", "code_list"),
        ({"language": "de"}, "language", "code_list"),
    ],
)
def test_each_check_is_named_after_its_rule(
    overrides: dict[str, Any], column: str, check: str
) -> None:
    frame = report_frame([report_row("R-1"), report_row("R-2") | overrides])
    assert (column, check, 1) in failed_checks(frame)
    assert {failure[0] for failure in failed_checks(frame)} == {column}


def test_a_known_municipality_other_than_the_sources_is_a_mismatch() -> None:
    frame = report_frame([report_row("R-1", municipality_code="240"), report_row("R-2")])
    assert failed_checks(frame, expected="698") == {
        ("municipality_code", "municipality_mismatch", 0)
    }


def test_an_unknown_municipality_is_a_code_list_failure_not_a_mismatch() -> None:
    frame = report_frame([report_row("R-1", municipality_code="999")])
    assert failed_checks(frame, expected="698") == {("municipality_code", "code_list", 0)}


def test_theme_codes_come_from_the_reference() -> None:
    packaged = load_reference()
    themes = packaged.themes.filter(pl.col("code") != "mobility")
    reference = Reference(packaged.municipalities, themes, packaged.target_groups)
    frame = report_frame([report_row("R-1")])
    assert failed_checks(frame, reference=reference) == {("theme", "code_list", 0)}


def test_finnish_labels_name_codes_of_their_lists_in_normal_form() -> None:
    for field, labels in CODE_LABELS_FI.items():
        assert set(labels.values()) <= set(FIXED_CODES[field])
        assert all(label == " ".join(label.lower().split()) for label in labels)
