"""Quotable proposals: consented, urgent first, place names and personal data scrubbed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import polars as pl

from schemas.fields import ADDRESSEE_LEVELS
from schemas.reference import Reference
from tasks.intake.redact import REDACTED, redact_text

QUOTE_SCHEMA = {"theme": pl.String(), "addressee_level": pl.String(), "text": pl.String()}


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
    redacted, _counts = redact_text(proposal)
    pattern = _place_pattern(names)
    if pattern is not None:
        redacted = pattern.sub(REDACTED, redacted)
    return _shortened(" ".join(_CONTROL.sub(" ", redacted).split()), max_chars)


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
    return re.search(r"\w{2,}", quote.replace(REDACTED, " ")) is not None


def quotable_proposals(
    reports: pl.DataFrame,
    place_names: Sequence[str],
    max_per_theme: int = 2,
    max_chars: int = 300,
) -> pl.DataFrame:
    """Return the proposals the brief may quote: consented, redacted, shortened, a few per theme.

    Args:
        reports: the quarter's valid reports (a report frame, see `schemas.fields`).
        max_per_theme: the most proposals quoted for one main theme.
        max_chars: the longest quote, `…` included.
        place_names: municipality names to remove: those of the configured reference
            (`place_names(reference)`).

    Returns:
        One row per quote (`theme`, `addressee_level`, `text`), chosen by urgency (high
        first) and then report id, sorted by addressee level and theme; never a municipality.
    """
    names = tuple(place_names)
    chosen: dict[str, list[tuple[str, str]]] = {}
    for theme, level, proposal in _quote_candidates(reports).iter_rows():
        picked = chosen.setdefault(theme, [])
        if len(picked) < max_per_theme:
            quote = _quote_text(proposal, names, max_chars)
            if _has_words(quote):
                picked.append((level, quote))
    rows = [(theme, level, quote) for theme, picked in chosen.items() for level, quote in picked]
    frame = pl.DataFrame(rows, schema=QUOTE_SCHEMA, orient="row")
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
        .select("theme", "addressee_level", "proposal")
    )
