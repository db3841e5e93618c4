"""The brief's closing sections: proposals quoted, data quality, the method note."""

from __future__ import annotations

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
)

from schemas.fields import ADDRESSEE_LEVELS
from schemas.quarter import Quarter
from tasks.brief.charts import (
    header_cells,
)
from tasks.brief.facts import BriefFacts
from tasks.brief.markup import (
    count_markup,
    escaped,
    municipality_names,
    paragraph,
    section_heading,
    sentence_markup,
)
from tasks.brief.style import (
    CONTENT_WIDTH,
    table_style,
)
from tasks.brief.tagging import in_language
from tasks.brief.text import (
    date_text,
    percent_text,
    text,
)
from tasks.brief.wording import FINDING_COLUMNS, finding_cells
from tasks.figures.aggregate import RISING_MIN, RISING_SHARE

QUOTE_MARKS = {"fi": ("”", "”"), "sv": ("”", "”"), "en": ("“", "”")}


def proposals_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the quoted proposals grouped by addressee level."""
    story: list[Flowable] = [CondPageBreak(160), section_heading(lang, "section_proposals")]
    if not facts.quotes:
        return [*story, paragraph(escaped(text(lang, "proposals_none")), "body")]
    per_theme = max(
        sum(q.theme == t for q in facts.quotes) for t in {q.theme for q in facts.quotes}
    )
    story.append(paragraph(escaped(text(lang, "proposals_intro", count=per_theme)), "body"))
    opening, closing = QUOTE_MARKS[lang]
    for level in (
        *ADDRESSEE_LEVELS,
        *sorted({q.addressee_level for q in facts.quotes} - set(ADDRESSEE_LEVELS)),
    ):
        quotes = [q for q in facts.quotes if q.addressee_level == level]
        if not quotes:
            continue
        heading = text(lang, f"addressee_{level}") if level in ADDRESSEE_LEVELS else level
        story.append(paragraph(escaped(heading), "h2"))
        for quote in quotes:
            theme = paragraph(escaped(facts.label("theme", quote.theme, lang)), "quote_theme")
            words = paragraph(f"{opening}{escaped(quote.text_in(lang))}{closing}", "quote")
            own_language = quote.language if quote.language not in ("", lang) else None
            story.append(KeepTogether([theme, in_language(words, "BlockQuote", own_language)]))
    return story


def data_quality_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return unread sources, silent municipalities, quarantined rows and the gate's findings."""
    story: list[Flowable] = [CondPageBreak(160), section_heading(lang, "section_quality")]
    for key, codes in (
        ("quality_failed", facts.failed_municipalities),
        ("quality_silent", facts.silent_municipalities),
    ):
        markup = (
            sentence_markup(lang, key, names=municipality_names(facts, codes, lang))
            if codes
            else sentence_markup(lang, f"{key}_none")
        )
        story.append(paragraph(markup, "body"))
    story += _rejected_table(facts, lang)
    story += _findings_table(facts, lang)
    return story


def _rejected_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return quarantined rows per delivering municipality, or a sentence saying there are none.

    They count delivered rows, not people, and quarantine.csv lists every one of those rows,
    so the counts are shown in full (a hidden one would be recoverable from the total anyway).
    """
    if not facts.rejected:
        return [paragraph(sentence_markup(lang, "quality_rejected_none"), "body")]
    total = count_markup(facts, sum(rows for _code, rows in facts.rejected), lang)
    rows = [
        [
            paragraph(escaped(facts.label("municipality", code, lang)), "cell"),
            count_markup(facts, n, lang),
        ]
        for code, n in facts.rejected
    ]
    widths = [180, 60]
    head = header_cells([text(lang, "col_municipality"), text(lang, "col_rows")], widths)
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style())
    return [
        paragraph(sentence_markup(lang, "quality_rejected", rows=escaped(total)), "body"),
        table,
        Spacer(1, 8),
    ]


def _findings_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the quality gate's findings as a table, or a sentence saying there are none."""
    if not facts.findings:
        return [paragraph(sentence_markup(lang, "quality_findings_none"), "body")]
    head = [text(lang, key) for key in FINDING_COLUMNS]
    rows = [
        [*(paragraph(escaped(cell), "cell") for cell in cells[:-1]), cells[-1]]
        for cells in (finding_cells(facts, f, lang) for f in facts.findings)
    ]
    widths = [150, 66, 95, 95, CONTENT_WIDTH - 406]
    table = Table([header_cells(head, widths), *rows], colWidths=widths, repeatRows=1)
    table.setStyle(table_style(numeric_from=4))
    return [paragraph(sentence_markup(lang, "quality_findings"), "body"), table]


def method_note(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the method note: sources, period, suppression rule, trends and quarantine."""
    paragraphs = [paragraph(escaped(line), "body") for line in method_sentences(facts, lang)]
    return [CondPageBreak(120), section_heading(lang, "section_method"), *paragraphs]


def method_sentences(facts: BriefFacts, lang: str) -> list[str]:
    """Return the method note's paragraphs as plain text (the PDF and the HTML say the same)."""
    q = Quarter.parse(facts.quarter)
    values = {
        "method_sources": {"count": facts.municipality_count},
        "method_period": {
            "start": date_text(q.first_day, lang),
            "end": date_text(q.last_day, lang),
        },
        "method_suppression": {"below": facts.threshold - 1, "hidden": f"<{facts.threshold}"},
        "method_trends": {
            "share": percent_text(RISING_SHARE - 1, lang),
            "minimum": RISING_MIN,
        },
        "method_quarantine": {},
        "method_outputs": {},
    }
    if facts.municipalities_unknown and facts.municipalities_reporting:
        values["method_reporting"] = {
            "reporting": facts.municipalities_reporting,
            "total": facts.municipality_count,
        }
    return [text(lang, key, **kw) for key, kw in values.items()]
