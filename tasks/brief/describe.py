"""Text alternatives of the brief's charts, written from the same figures the charts show.

The PDF's Figure `/Alt` and the HTML's SVG text alternative use these words, so a reader who
does not see the chart is told what it shows: every bar or line with its figures (hidden
figures as `<threshold`), in the brief's language.
"""

from __future__ import annotations

from tasks.brief.facts import BriefFacts, ThemeFigures
from tasks.brief.markup import count_markup, quarter_text

ALT_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "theme_chart": "Pylväskaavio: raportit teemoittain, {current} ja {previous}. {items}.",
        "theme_item": "{theme} {current} ({previous}: {before})",
        "trend_chart": (
            "Viivakaavio: suurimpien teemojen raportit vuosineljänneksittäin {first}–{last}. "
            "{items}."
        ),
        "trend_item": "{theme}: {values}",
        "hidden_note": "{hidden} on piilotettu luku.",
    },
    "sv": {
        "theme_chart": "Stapeldiagram: rapporter per tema, {current} och {previous}. {items}.",
        "theme_item": "{theme} {current} ({previous}: {before})",
        "trend_chart": (
            "Linjediagram: rapporter för de största temana per kvartal {first}–{last}. {items}."
        ),
        "trend_item": "{theme}: {values}",
        "hidden_note": "{hidden} är ett dolt tal.",
    },
    "en": {
        "theme_chart": "Bar chart: reports by theme, {current} and {previous}. {items}.",
        "theme_item": "{theme} {current} ({previous}: {before})",
        "trend_chart": (
            "Line chart: reports in the largest themes by quarter, {first} to {last}. {items}."
        ),
        "trend_item": "{theme}: {values}",
        "hidden_note": "{hidden} is a hidden figure.",
    },
}


def alt_text(lang: str, key: str, **values: object) -> str:
    """Return a text-alternative template of `lang` filled in (plain text, not markup)."""
    return ALT_TEXT[lang][key].format(**values)


def theme_chart_alt(facts: BriefFacts, lang: str, shown: list[ThemeFigures]) -> str:
    """Return the theme chart's alternative text: each theme with this and last quarter's count."""
    current = quarter_text(facts.quarter, lang)
    previous = quarter_text(facts.trend_quarters[-2], lang)
    items = "; ".join(
        alt_text(
            lang,
            "theme_item",
            theme=facts.label("theme", f.theme, lang),
            current=count_markup(facts, f.reports, lang),
            previous=previous,
            before=count_markup(facts, f.previous, lang),
        )
        for f in shown
    )
    chart = alt_text(lang, "theme_chart", current=current, previous=previous, items=items)
    return f"{chart} {_hidden_note(facts, lang)}"


def trend_chart_alt(facts: BriefFacts, lang: str) -> str:
    """Return the trend chart's alternative text: each theme's counts, quarter by quarter."""
    items = "; ".join(
        alt_text(
            lang,
            "trend_item",
            theme=facts.label("theme", theme, lang),
            values=", ".join(count_markup(facts, value, lang) for value in values),
        )
        for theme, values in facts.trend_series.items()
    )
    first, last = (quarter_text(q, lang) for q in (facts.trend_quarters[0], facts.quarter))
    chart = alt_text(lang, "trend_chart", first=first, last=last, items=items)
    return f"{chart} {_hidden_note(facts, lang)}"


def _hidden_note(facts: BriefFacts, lang: str) -> str:
    return alt_text(lang, "hidden_note", hidden=f"<{facts.threshold}")
