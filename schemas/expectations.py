"""The quality gate's Great Expectations suite, built in code from the contract and the code lists.

One suite validates one stored quarter, one row per stored report, through the asset of
`sql/select_quality_reports.sql`: keys and codes as stored, free text only as its length
(`phenomenon_length`, …), so no typed text reaches a validation result or the Data Docs.
Each expectation carries in its `meta` the finding it raises when it fails: `check`,
`severity` and the contract `column` (see `tasks.figures.quality` for the check names).
Great Expectations is imported only inside `quality_suite`, because its import takes seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from schemas.fields import (
    ADDRESSEE_LEVELS,
    FREE_TEXT_FIELDS,
    REPORT_TYPES,
    REPORTER_ROLES,
    REQUIRED_FIELDS,
    TEXT_LANGUAGES,
    URGENCIES,
)
from schemas.findings import Severity
from schemas.reference import Reference

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuite

QUALITY_SUITE_NAME = "stored_quarter"
COMPLETENESS_THRESHOLD = 0.5
KEY_FIELDS: tuple[str, ...] = ("municipality_code", "report_id")
OPTIONAL_FIELDS: tuple[str, ...] = ("clients_affected", "causes", "consequences", "proposal")
STORED_DEFAULT_FIELDS: tuple[str, ...] = (
    "updated_at",
    "consent_to_quote",
    "report_type",
    "language",
)
_UNIQUE_KEY = "ExpectCompoundColumnsToBeUnique"
_NOT_NULL = "ExpectColumnValuesToNotBeNull"
_IN_SET = "ExpectColumnValuesToBeInSet"


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation of the suite: the GX class and its arguments, and the finding it raises."""

    check: str
    severity: Severity
    column: str | None
    expectation: str
    kwargs: dict[str, Any]

    @property
    def meta(self) -> dict[str, str | None]:
        """Return the finding's fields as GX keeps them in the expectation's `meta`."""
        return {"check": self.check, "severity": self.severity, "column": self.column}


def asset_column(field: str) -> str:
    """Return the quality asset's column for a contract field: free text appears as its length."""
    return f"{field}_length" if field in FREE_TEXT_FIELDS else field


def accepted_codes(reference: Reference) -> dict[str, tuple[str, ...]]:
    """Return each code column with the codes it accepts, from the code lists and the contract."""
    return {
        "municipality_code": tuple(reference.municipality_codes),
        "theme": tuple(reference.theme_codes),
        "target_group": tuple(reference.target_group_codes),
        "reporter_role": REPORTER_ROLES,
        "addressee_level": ADDRESSEE_LEVELS,
        "urgency": URGENCIES,
        "report_type": REPORT_TYPES,
        "language": TEXT_LANGUAGES,
    }


def quality_expectations(
    reference: Reference, completeness_threshold: float = COMPLETENESS_THRESHOLD
) -> list[ExpectationSpec]:
    """Return the suite's expectations: key, required columns, accepted codes, completeness."""
    key = ExpectationSpec(
        "key_unique", "hard", None, _UNIQUE_KEY, {"column_list": list(KEY_FIELDS)}
    )
    not_null = [
        ExpectationSpec("not_null", "hard", field, _NOT_NULL, {})
        for field in (*REQUIRED_FIELDS, *STORED_DEFAULT_FIELDS)
    ]
    codes = [
        ExpectationSpec("accepted_codes", "hard", field, _IN_SET, {"value_set": list(values)})
        for field, values in accepted_codes(reference).items()
    ]
    completeness = [
        ExpectationSpec(
            "completeness", "soft", field, _NOT_NULL, {"mostly": completeness_threshold}
        )
        for field in OPTIONAL_FIELDS
    ]
    return [key, *not_null, *codes, *completeness]


def quality_suite(
    reference: Reference, completeness_threshold: float = COMPLETENESS_THRESHOLD
) -> ExpectationSuite:
    """Return the GX expectation suite for one stored quarter (imports Great Expectations)."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    expectations = [
        getattr(gxe, spec.expectation)(**_column_kwargs(spec), **spec.kwargs, meta=spec.meta)
        for spec in quality_expectations(reference, completeness_threshold)
    ]
    return gx.ExpectationSuite(name=QUALITY_SUITE_NAME, expectations=expectations)


def _column_kwargs(spec: ExpectationSpec) -> dict[str, str]:
    """Return the `column` argument of a single-column expectation, none for the compound key."""
    return {} if spec.column is None else {"column": asset_column(spec.column)}
