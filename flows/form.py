"""The run form's field types: what a steward fills in when starting a run in Prefect's UI.

No field is optional-or-None (Prefect's form would show a type toggle): an
empty quarter means the latest complete one, an empty municipality list all
of them. Municipalities are picked by code and name ("698 Rovaniemi"); a bare
code is accepted too, for the command line and the API. A bad quarter is
refused by the flow with a message naming the format, not by a pattern whose
JSON-schema wording a steward cannot read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from schemas.quarter import Quarter
from schemas.reference import load_reference

QUARTER_FORMAT = "give the quarter as YYYYQn, for example 2026Q3"


def _labels() -> dict[str, str]:
    """Return each municipality's code by its label `<code> <Finnish name>`."""
    reference = load_reference()
    return {
        f"{code} {reference.municipality_name(code)}": code for code in reference.municipality_codes
    }


MUNICIPALITY_LABELS = _labels()
CODE_LABELS = {code: label for label, code in MUNICIPALITY_LABELS.items()}
MUNICIPALITY_CODES = tuple(CODE_LABELS)


def _quarter_or_empty(value: str) -> str:
    """Return the quarter as YYYYQn, or "" (the latest complete); refuse anything else."""
    if not value.strip():
        return ""
    try:
        return str(Quarter.parse(value.strip()))
    except ValueError:
        raise ValueError(f"{value!r} is not a quarter: {QUARTER_FORMAT}") from None


def _a_quarter(value: str) -> str:
    if not _quarter_or_empty(value):
        raise ValueError(f"a quarter is needed: {QUARTER_FORMAT}")
    return _quarter_or_empty(value)


def _as_label(value: object) -> object:
    """Return a municipality code's label; a label (or anything else) unchanged."""
    return CODE_LABELS.get(str(value).strip(), value)


def municipality_codes(choices: tuple[str, ...] | list[str]) -> list[str] | None:
    """Return the codes of the chosen municipalities; None (all of them) when none is chosen."""
    return [MUNICIPALITY_LABELS[_as_label(choice)] for choice in choices] or None


LatestOrQuarter = Annotated[
    str,
    AfterValidator(_quarter_or_empty),
    Field(description="A quarter as YYYYQn, e.g. 2026Q3; empty: the latest complete quarter"),
]
QuarterText = Annotated[
    str, AfterValidator(_a_quarter), Field(description="A quarter as YYYYQn, e.g. 2026Q3")
]
Municipality = Annotated[
    Literal[tuple(MUNICIPALITY_LABELS)],  # "698 Rovaniemi": the 21 of municipalities.csv
    BeforeValidator(_as_label),
]
