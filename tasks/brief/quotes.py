"""Quotable text: redacted for publication, approved by a person; proposals urgent first.

What the steward reviews is of two kinds. `quote_candidates`: every consented proposal
of the quarter; `response_candidates`: the response text of each decision that the
follow-up section lists for the quarter. Each is kept only with words left after
`publishable_text` and municipality names out, keyed by report, kind and the sha256
of that text. `quotes_to_publish` keeps the approved proposals
(`tasks.warehouse.quote_decisions`), a few per theme; `approved_responses` the
approved responses, printed with their decisions.
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
from tasks.brief.followup_facts import RESPONSE_LANGUAGE
from tasks.intake.publishable import publishable_text
from tasks.intake.redact import REDACTED

QUOTE_SCHEMA = {
    "theme": pl.String(),
    "addressee_level": pl.String(),
    "text": pl.String(),
    "language": pl.String(),
}
PROPOSAL, RESPONSE = "proposal", "response"
CANDIDATE_SCHEMA = {
    "municipality_code": pl.String(),
    "report_id": pl.String(),
    "kind": pl.String(),
    "theme": pl.String(),
    "addressee_level": pl.String(),
    "text": pl.String(),
    "language": pl.String(),
    "text_sha256": pl.String(),
}
DECISION_KEY = ["municipality_code", "report_id", "kind", "text_sha256"]
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


def _quote_text(words: str, names: tuple[str, ...], max_chars: int) -> str:
    """Return a text redacted, without place names, on one line, shortened at a word."""
    redacted = publishable_text(_head(words, 4 * max_chars), "fi")
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
        One row per consented proposal with words left after redaction (`CANDIDATE_SCHEMA`,
        kind `proposal`), urgent first, then by report id: the text as it would be published,
        its language and its sha256.
    """
    return _candidates(_quote_candidates(reports), PROPOSAL, tuple(place_names), max_chars)


def response_candidates(
    decisions: pl.DataFrame, place_names: Sequence[str], max_chars: int = 300
) -> pl.DataFrame:
    """Return the responses that may be quoted with their decisions once a person approves them.

    Args:
        decisions: the decisions the brief lists (`followup_facts.listed_decisions`): proposal
            states with `response`, `theme` and `addressee_level`.
        place_names: municipality names to remove, as for `quote_candidates`.
        max_chars: the longest quote, `…` included.

    Returns:
        One row per decision with response words left after redaction (`CANDIDATE_SCHEMA`,
        kind `response`, language Finnish: response sheets carry none), in the list's order.
    """
    texts = decisions.filter(
        pl.col("response").str.strip_chars().str.len_chars().fill_null(0) > 0
    ).select(
        "municipality_code",
        "report_id",
        "theme",
        "addressee_level",
        "response",
        pl.lit(RESPONSE_LANGUAGE).alias("language"),
    )
    return _candidates(texts, RESPONSE, tuple(place_names), max_chars)


def _candidates(
    texts: pl.DataFrame, kind: str, names: tuple[str, ...], max_chars: int
) -> pl.DataFrame:
    """Return candidates of `kind` from rows (code, report id, theme, level, text, language)."""
    rows = []
    for code, report_id, theme, level, words, language in texts.iter_rows():
        quote = _quote_text(words, names, max_chars)
        if _has_words(quote):
            digest = hashlib.sha256(quote.encode()).hexdigest()
            rows.append((code, report_id, kind, theme, level, quote, language, digest))
    return pl.DataFrame(rows, schema=CANDIDATE_SCHEMA, orient="row")


def review_candidates(proposals: pl.DataFrame, responses: pl.DataFrame) -> pl.DataFrame:
    """Return every quote a person reviews for the quarter: proposals first, then responses."""
    return pl.concat([proposals, responses], how="vertical")


def all_approved(candidates: pl.DataFrame) -> pl.DataFrame:
    """Return decisions approving every candidate (a steward who approved them all)."""
    return candidates.select(*DECISION_KEY).with_columns(decision=pl.lit("approved"))


def _approved(candidates: pl.DataFrame, decisions: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Return the candidates of `kind` whose very text a person approved, in their order."""
    approved = decisions.filter(pl.col("decision") == "approved").select(DECISION_KEY).unique()
    return candidates.filter(pl.col("kind") == kind).join(
        approved, on=DECISION_KEY, how="semi", maintain_order="left"
    )


def approved_responses(candidates: pl.DataFrame, decisions: pl.DataFrame) -> pl.DataFrame:
    """Return the approved response quotes: `municipality_code`, `report_id`, `text`."""
    return _approved(candidates, decisions, RESPONSE).select(
        "municipality_code", "report_id", "text"
    )


def quotes_to_publish(
    candidates: pl.DataFrame, decisions: pl.DataFrame, max_per_theme: int = 2
) -> pl.DataFrame:
    """Return the approved candidates the brief quotes: a few per theme, by addressee level.

    Args:
        candidates: `quote_candidates` of the quarter (response candidates are left out).
        decisions: decisions on quotes (`municipality_code`, `report_id`, `kind`,
            `text_sha256`, `decision`); a candidate is quoted only when its very text is
            `approved`.
        max_per_theme: the most proposals quoted for one main theme.

    Returns:
        One row per quote (`theme`, `addressee_level`, `text`, the text's `language`), sorted
        by addressee level and theme; never a municipality, and never the same words twice
        under one addressee level.
    """
    frame = (
        _approved(candidates, decisions, PROPOSAL)
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
