"""What the PDF and its HTML twin both say, worded once from the facts.

Plain text, or safe markup (escaped text and `<b>`) where the name says so; the PDF puts it
into reportlab paragraphs, the HTML twin into its template.
"""

from __future__ import annotations

from functools import cache

from schemas.findings import Finding
from tasks.brief.facts import BriefFacts, Count
from tasks.brief.markup import (
    count_markup,
    municipality_names,
    sentence_markup,
    small_count_markup,
)
from tasks.brief.text import BRIEF_LANGUAGES, TEXT, percent_text, text

FINDING_COLUMNS = ("col_check", "col_severity", "col_municipality", "col_field", "col_observed")


def mix_count(facts: BriefFacts, dimension: str, value: str) -> Count:
    """Return one value's count in the report mix."""
    return dict(facts.mix.get(dimension, ())).get(value, 0)


def mix_label(dimension: str, value: str, lang: str) -> str:
    """Return the translated label of a report type, urgency or addressee level."""
    prefix = "addressee" if dimension == "addressee_level" else dimension
    return text(lang, f"{prefix}_{value}")


def key_figures(facts: BriefFacts, lang: str) -> list[tuple[str, str]]:
    """Return the cover's four key figures as (figure, label) pairs."""
    read = facts.municipality_count - len(set(facts.failed_municipalities))
    return [
        (count_markup(facts, facts.total, lang), text(lang, "figure_reports")),
        (f"{read}/{facts.municipality_count}", text(lang, "figure_municipalities")),
        (
            count_markup(facts, mix_count(facts, "urgency", "high"), lang),
            text(lang, "figure_urgent"),
        ),
        (
            count_markup(facts, mix_count(facts, "report_type", "good_practice"), lang),
            text(lang, "figure_good_practices"),
        ),
    ]


def incomplete_notice_markup(facts: BriefFacts, lang: str) -> str | None:
    """Return the cover's notice naming the municipalities whose source could not be read."""
    if not facts.failed_municipalities:
        return None
    names = municipality_names(facts, facts.failed_municipalities, lang)
    return sentence_markup(lang, "cover_incomplete", names=names)


def finding_cells(facts: BriefFacts, finding: Finding, lang: str) -> list[str]:
    """Return a quality finding's row: check, severity, municipality, field, observed value."""
    municipality = finding.municipality_code
    return [
        check_label(finding.check, lang),
        severity_label(finding.severity, lang),
        facts.label("municipality", municipality, lang) if municipality else "–",
        finding.column or "–",
        observed_text(facts, finding, lang),
    ]


def check_label(check: str, lang: str) -> str:
    """Return a quality check's translated name, or a generic one naming its code."""
    key = f"check_{check}"
    return text(lang, key) if key in _known_checks() else text(lang, "check_other", check=check)


@cache
def _known_checks() -> frozenset[str]:
    """Return the check keys that every language's table names."""
    return frozenset.intersection(
        *(frozenset(k for k in TEXT[lang] if k.startswith("check_")) for lang in BRIEF_LANGUAGES)
    )


def severity_label(severity: str, lang: str) -> str:
    """Return a finding's severity in words."""
    return text(lang, f"severity_{severity}") if severity in ("hard", "soft") else severity


def observed_text(facts: BriefFacts, finding: Finding, lang: str) -> str:
    """Return a finding's observed value: a share as a percentage, a count small-suppressed."""
    if finding.observed is None:
        return "–"
    if finding.check == "completeness" and 0 <= finding.observed <= 1:
        return percent_text(finding.observed, lang)
    if float(finding.observed).is_integer():
        return small_count_markup(facts, int(finding.observed), lang)
    rounded = f"{finding.observed:.3g}"
    return rounded if lang == "en" else rounded.replace(".", ",")
