"""Quotable proposals: consented, redacted for publication, approved by a person, urgent first.

`quote_candidates` is what the steward reviews: every consented proposal of the
quarter with words left after `publishable_text` and municipality names out,
keyed by report and by the sha256 of that text. `quotes_to_publish` keeps the
approved ones (`tasks.warehouse.quote_decisions`), a few per theme.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache

import polars as pl

from schemas.fields import ADDRESSEE_LEVELS
from schemas.placeholders import PLACEHOLDERS
from schemas.reference import Reference
from tasks.intake.publishable import publishable_text
from tasks.intake.redact import REDACTED

QUOTE_SCHEMA = {
    "theme": pl.String(),
    "addressee_level": pl.String(),
    "text": pl.String(),
    "language": pl.String(),
}
CANDIDATE_SCHEMA = {
    "municipality_code": pl.String(),
    "report_id": pl.String(),
    "theme": pl.String(),
    "addressee_level": pl.String(),
    "text": pl.String(),
    "language": pl.String(),
    "text_sha256": pl.String(),
}
_PLACE = PLACEHOLDERS["fi"]["place"]


_URGENCY_RANK = {"high": 0, "medium": 1, "low": 2}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def place_names(reference: Reference) -> tuple[str, ...]:
    """Return every municipality name of the reference (Finnish, Swedish, Sámi), deduplicated."""
    columns = [c for c in ("name_fi", "name_sv", "name_se") if c in reference.municipalities]
    names = reference.municipalities.select(pl.concat_list(columns).alias("n"))["n"].explode()
    return tuple(sorted({name for name in names.drop_nulls().to_list() if name.strip()}))


@cache
def _place_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return a pattern for the names and their inflected forms (`Rovaniemellä`, `Utsjoella`)."""
    stems = sorted({_stem(name) for name in names if len(name) >= 3}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*")


def _stem(name: str) -> str:
    """Return the part of a place name that its Finnish inflected forms keep."""
    if name.endswith("oki"):
        return name[:-2]
    if name.endswith("i") and len(name) > 5:
        return name[:-1]
    return name


def _quote_text(proposal: str, names: tuple[str, ...], max_chars: int) -> str:
    """Return a proposal redacted, without place names, on one line, shortened at a word."""
    redacted = publishable_text(_head(proposal, 4 * max_chars), "fi")
    pattern = _place_pattern(names)
    if pattern is not None:
        redacted = pattern.sub(_PLACE, redacted)
    return _shortened(" ".join(_CONTROL.sub(" ", redacted).split()), max_chars)


def _head(text: str, max_chars: int) -> str:
    """Return the start of `text` cut at whitespace: redaction need not read what is never shown."""
    if len(text) <= max_chars:
        return text
    cut = max(text.rfind(" ", 0, max_chars), text.rfind("\n", 0, max_chars))
    return text[: cut if cut > 0 else max_chars]


def _shortened(line: str, max_chars: int) -> str:
    """Return `line`, or its start cut at a word boundary with `…` when it is too long."""
    if len(line) <= max_chars:
        return line
    head = line[: max_chars - 1]
    cut = head.rfind(" ")
    if cut > max_chars // 2:
        head = head[:cut]
    return head.rstrip(" ,;:.-–") + "…"


def _has_words(quote: str) -> bool:
    """Return whether a quote still says something once its redaction marks are left out."""
    marks = (REDACTED, *PLACEHOLDERS["fi"].values())
    return re.search(r"\w{2,}", re.sub("|".join(map(re.escape, marks)), " ", quote)) is not None


def quote_candidates(
    reports: pl.DataFrame, place_names: Sequence[str], max_chars: int = 300
) -> pl.DataFrame:
    """Return every proposal that may be quoted once a person approves it, in the order chosen.

    Args:
        reports: the quarter's valid reports (a report frame, see `schemas.fields`).
        max_chars: the longest quote, `…` included.
        place_names: municipality names to remove: those of the configured reference
            (`place_names(reference)`).

    Returns:
        One row per consented proposal with words left after redaction (`CANDIDATE_SCHEMA`),
        urgent first, then by report id: the text as it would be published, its language
        and its sha256.
    """
    names = tuple(place_names)
    rows = []
    for code, report_id, theme, level, proposal, language in _quote_candidates(reports).iter_rows():
        quote = _quote_text(proposal, names, max_chars)
        if _has_words(quote):
            digest = hashlib.sha256(quote.encode()).hexdigest()
            rows.append((code, report_id, theme, level, quote, language, digest))
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA, orient="row")


def all_approved(candidates: pl.DataFrame) -> pl.DataFrame:
    """Return decisions approving every candidate (a steward who approved them all)."""
    return candidates.select("municipality_code", "report_id", "text_sha256").with_columns(
        decision=pl.lit("approved")
    )


def quotes_to_publish(
    candidates: pl.DataFrame, decisions: pl.DataFrame, max_per_theme: int = 2
) -> pl.DataFrame:
    """Return the approved candidates the brief quotes: a few per theme, by addressee level.

    Args:
        candidates: `quote_candidates` of the quarter.
        decisions: decisions on quotes (`municipality_code`, `report_id`, `text_sha256`,
            `decision`); a candidate is quoted only when its very text is `approved`.
        max_per_theme: the most proposals quoted for one main theme.

    Returns:
        One row per quote (`theme`, `addressee_level`, `text`, the text's `language`), sorted
        by addressee level and theme; never a municipality, and never the same words twice
        under one addressee level.
    """
    key = ["municipality_code", "report_id", "text_sha256"]
    approved = decisions.filter(pl.col("decision") == "approved").select(key).unique()
    frame = (
        candidates.join(approved, on=key, how="semi", maintain_order="left")
        .unique(subset=["addressee_level", "text"], keep="first", maintain_order=True)
        .filter(pl.int_range(pl.len()).over("theme") < max_per_theme)
        .select(list(QUOTE_SCHEMA))
        .cast(QUOTE_SCHEMA)
    )
    level_rank = pl.col("addressee_level").replace_strict(
        {level: rank for rank, level in enumerate(ADDRESSEE_LEVELS)}, default=len(ADDRESSEE_LEVELS)
    )
    return frame.with_row_index("_order").sort(level_rank, "theme", "_order").drop("_order")


def _quote_candidates(reports: pl.DataFrame) -> pl.DataFrame:
    """Return the consented, non-empty proposals in the order they are chosen."""
    return (
        reports.filter(
            pl.col("consent_to_quote").fill_null(False)
            & (pl.col("proposal").str.strip_chars().str.len_chars().fill_null(0) > 0)
        )
        .with_columns(
            pl.col("urgency")
            .replace_strict(_URGENCY_RANK, default=3, return_dtype=pl.Int8)
            .alias("_rank")
        )
        .sort("_rank", "report_id", "municipality_code")
        .select(
            "municipality_code", "report_id", "theme", "addressee_level", "proposal", "language"
        )
    )
