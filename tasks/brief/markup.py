"""Small markup helpers: data escaped before it meets reportlab's paragraph markup."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.platypus import (
    Paragraph,
)

from schemas.quarter import Quarter
from tasks.brief.facts import BriefFacts, Count
from tasks.brief.style import (
    stylesheet,
)
from tasks.brief.text import (
    count_text,
    text,
)


def escaped(value: object) -> str:
    """Return any value as text that is safe inside paragraph markup."""
    return escape(str(value))


def bold_markup(value: object) -> str:
    """Return a value escaped and set in bold."""
    return f"<b>{escaped(value)}</b>"


def sentence_markup(lang: str, key: str, **markup: str) -> str:
    """Return a translated template, escaped, with already-safe markup filled in."""
    return escaped(text(lang, key)).format(**markup)


def paragraph(markup: str, style: str) -> Paragraph:
    """Return a paragraph in one of the brief's styles (`markup` must already be safe)."""
    return Paragraph(markup, stylesheet()[style])


def section_heading(lang: str, key: str) -> Paragraph:
    """Return a section heading."""
    return paragraph(escaped(text(lang, key)), "h1")


def count_markup(facts: BriefFacts, value: Count, lang: str) -> str:
    """Return a count as shown in the brief (`<5` when hidden)."""
    return count_text(value, lang, facts.threshold)


def small_count_markup(facts: BriefFacts, value: int, lang: str) -> str:
    """Return a non-report count, shown as `<threshold` when it is from 1 to threshold − 1."""
    return count_markup(facts, None if 0 < value < facts.threshold else value, lang)


def quarter_text(quarter: str, lang: str, key: str = "quarter_short") -> str:
    """Return a quarter as the language writes it (`Q3/2026`, `3. vuosineljännes 2026`)."""
    q = Quarter.parse(quarter)
    return text(lang, key, number=q.number, year=q.year, yy=f"{q.year % 100:02d}")
