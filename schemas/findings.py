"""Data-quality findings, as the quality gate reports them and the brief shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["hard", "soft"]


@dataclass(frozen=True)
class Finding:
    """One data-quality finding about a stored quarter.

    `check` names the rule (`key_unique`, `accepted_codes`, `completeness`,
    `volume_drop`, `source_failed`, …); `hard` findings stop publication.
    """

    check: str
    severity: Severity
    column: str | None = None
    municipality_code: str | None = None
    observed: float | None = None
