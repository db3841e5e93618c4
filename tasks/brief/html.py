"""The brief's HTML twin: one self-contained, accessible page per language, from the same facts.

The page is built from `BriefFacts`, not from the PDF: sections of blocks (paragraphs, tables
with caption and header cells, SVG charts with their text alternative and data table, quotes
with their own language), rendered by a Jinja2 template with autoescaping. Markup reaches the
template only as `Markup` made of escaped text (the PDF's sentence builders escape the same
way); every other value is escaped by the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from schemas.fields import ADDRESSEE_LEVELS
from schemas.quarter import Quarter
from tasks.brief.charts import CHART_THEMES, KEY_THEMES
from tasks.brief.closing import method_sentences
from tasks.brief.describe import theme_chart_alt, trend_chart_alt
from tasks.brief.facts import BriefFacts
from tasks.brief.followup import (
    FollowupTable,
    followup_intro,
    followup_text,
    listings,
    median_sentences,
    quotes_note,
    response_quotes,
    status_table,
)
from tasks.brief.markup import count_markup, municipality_names, quarter_text, sentence_markup
from tasks.brief.sections import key_finding_sentences
from tasks.brief.svg import bar_chart_svg, line_chart_svg
from tasks.brief.text import (
    BRIEF_LANGUAGES,
    date_text,
    percent_text,
    signed_text,
    subregion_name,
    text,
)
from tasks.brief.wording import (
    FINDING_COLUMNS,
    finding_cells,
    incomplete_notice_markup,
    key_figures,
    mix_label,
)
from tasks.shared.files import write_file_atomically

TEMPLATE_DIR = Path(__file__).parent / "templates"
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}

HTML_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "skip": "Siirry sisältöön",
        "contents": "Sisältö",
        "languages": "Kieliversiot",
        "pdf": "PDF-versio (saavutettava, tagattu)",
        "statement": "Saavutettavuusseloste",
        "chart_table": "Kaavion luvut taulukkona",
        "key_figures": "Tunnusluvut",
        "back": "Takaisin katsaukseen",
    },
    "sv": {
        "skip": "Hoppa till innehållet",
        "contents": "Innehåll",
        "languages": "Språkversioner",
        "pdf": "PDF-version (tillgänglig, taggad)",
        "statement": "Tillgänglighetsutlåtande",
        "chart_table": "Diagrammets tal i tabellform",
        "key_figures": "Nyckeltal",
        "back": "Tillbaka till översikten",
    },
    "en": {
        "skip": "Skip to content",
        "contents": "Contents",
        "languages": "Language versions",
        "pdf": "PDF version (accessible, tagged)",
        "statement": "Accessibility statement",
        "chart_table": "The chart's figures as a table",
        "key_figures": "Key figures",
        "back": "Back to the brief",
    },
}


@dataclass(frozen=True)
class Table:
    """A data table: caption, column headers, rows whose first cell heads the row.

    `text` are the columns of words (left-aligned; figures are right-aligned), `languages`
    the language of a column whose cells are in another language than the page's.
    """

    caption: str
    head: list[str]
    rows: list[list[str]]
    text: frozenset[int] = frozenset()
    languages: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Block:
    """One piece of a section: `p` (markup), `h3`, `table`, `figure` (svg), `quote`, `list`."""

    kind: str
    markup: Markup | None = None
    table: Table | None = None
    lang: str | None = None
    items: list[Markup] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """A section of the page with its own heading (an `h2` and a landmark)."""

    anchor: str
    heading: str
    blocks: list[Block]


def _p(markup: str) -> Block:
    return Block("p", Markup(markup))


def _plain(value: str) -> Block:
    return Block("p", Markup.escape(value))


def brief_html(facts: BriefFacts, lang: str) -> str:
    """Return the brief in `lang` as one self-contained HTML page."""
    q = Quarter.parse(facts.quarter)
    return (
        environment()
        .get_template("brief.html.j2")
        .render(
            lang=lang,
            t=HTML_TEXT[lang],
            title=f"{text(lang, 'title')} – {quarter_text(facts.quarter, lang)}",
            region=text(lang, "welfare_region"),
            heading=text(lang, "title"),
            subtitle=text(lang, "subtitle"),
            quarter=quarter_text(facts.quarter, lang, "quarter_long"),
            period=text(
                lang, "period", start=date_text(q.first_day, lang), end=date_text(q.last_day, lang)
            ),
            published=text(lang, "published", date=date_text(facts.published_on, lang)),
            intro=text(lang, "cover_intro"),
            notice=_incomplete_notice(facts, lang),
            key_figures=key_figures(facts, lang),
            sections=_sections(facts, lang),
            languages=[(code, LANGUAGE_NAMES[code]) for code in BRIEF_LANGUAGES if code != lang],
        )
    )


@cache
def environment() -> Environment:
    """Return the Jinja2 environment of the brief's pages: autoescaping everything."""
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "j2"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _incomplete_notice(facts: BriefFacts, lang: str) -> Markup | None:
    """Return the cover's notice of municipalities whose source could not be read, if any."""
    notice = incomplete_notice_markup(facts, lang)
    return None if notice is None else Markup(notice)


def _sections(facts: BriefFacts, lang: str) -> list[Section]:
    findings = Block("list", items=[Markup(s) for s in key_finding_sentences(facts, lang)])
    return [
        Section(
            "key-findings",
            text(lang, "section_key_findings"),
            [findings, *_bar_chart_blocks(facts, lang, "key-chart", KEY_THEMES, with_table=True)],
        ),
        Section("themes", text(lang, "section_themes"), _theme_blocks(facts, lang)),
        Section("trends", text(lang, "section_trends"), _trend_blocks(facts, lang)),
        Section("areas", text(lang, "section_areas"), _area_blocks(facts, lang)),
        Section("target-groups", text(lang, "section_target_groups"), _target_blocks(facts, lang)),
        Section("proposals", text(lang, "section_proposals"), _proposal_blocks(facts, lang)),
        *_followup_sections(facts, lang),
        Section("quality", text(lang, "section_quality"), _quality_blocks(facts, lang)),
        Section("method", text(lang, "section_method"), _method_blocks(facts, lang)),
    ]


def _bar_chart_blocks(
    facts: BriefFacts, lang: str, element_id: str, themes: int, with_table: bool = False
) -> list[Block]:
    """Return a bar chart of the largest themes, its caption and (optionally) its figures."""
    shown = [f for f in facts.themes if f.reports != 0 or f.previous != 0][:themes]
    if not shown:
        return []
    current = quarter_text(facts.quarter, lang)
    previous = quarter_text(facts.trend_quarters[-2], lang)
    svg = bar_chart_svg(
        element_id,
        theme_chart_alt(facts, lang, shown),
        [facts.label("theme", f.theme, lang) for f in shown],
        [
            (
                f.previous or 0,
                f.reports or 0,
                count_markup(facts, f.previous, lang),
                count_markup(facts, f.reports, lang),
            )
            for f in shown
        ],
        (previous, current),
    )
    caption = text(
        lang,
        "chart_theme_caption",
        current=current,
        previous=previous,
        hidden=f"<{facts.threshold}",
    )
    blocks = [Block("figure", svg, items=[Markup.escape(caption)])]
    if with_table:
        rows = [
            [
                facts.label("theme", f.theme, lang),
                count_markup(facts, f.reports, lang),
                count_markup(facts, f.previous, lang),
            ]
            for f in shown
        ]
        head = [text(lang, "col_theme"), current, previous]
        blocks.append(Block("table", table=Table(HTML_TEXT[lang]["chart_table"], head, rows)))
    return blocks


def _theme_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    current = quarter_text(facts.quarter, lang)
    previous = quarter_text(facts.trend_quarters[-2], lang)
    blocks = _bar_chart_blocks(facts, lang, "theme-chart", CHART_THEMES)
    if not blocks:
        blocks.append(_plain(text(lang, "no_reports_chart")))
    head = [
        text(lang, "col_theme"),
        current,
        previous,
        *(text(lang, f"col_{key}") for key in ("change", "year_change", "status", "mentions")),
        text(lang, "col_clients"),
    ]
    rows = [
        [
            facts.label("theme", f.theme, lang),
            count_markup(facts, f.reports, lang),
            count_markup(facts, f.previous, lang),
            signed_text(f.change_prev, lang),
            signed_text(f.change_year, lang),
            text(lang, f"status_{f.status}") if f.status else "",
            count_markup(facts, f.mentions, lang),
            "–" if f.clients_affected is None else count_markup(facts, f.clients_affected, lang),
        ]
        for f in facts.themes
    ]
    caption = text(lang, "section_themes")
    blocks += [Block("table", table=Table(caption, head, rows)), _plain(text(lang, "themes_note"))]
    return blocks


def _trend_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    if not facts.trend_series:
        return [_plain(text(lang, "no_reports_chart"))]
    quarters = [quarter_text(q, lang, "quarter_axis") for q in facts.trend_quarters]
    series = [
        (facts.label("theme", theme, lang), values) for theme, values in facts.trend_series.items()
    ]
    svg = line_chart_svg("trend-chart", trend_chart_alt(facts, lang), quarters, series)
    caption = text(lang, "chart_trend_caption", hidden=f"<{facts.threshold}")
    rows = [
        [name, *(count_markup(facts, value, lang) for value in values)] for name, values in series
    ]
    table = Table(HTML_TEXT[lang]["chart_table"], [text(lang, "col_theme"), *quarters], rows)
    return [Block("figure", svg, items=[Markup.escape(caption)]), Block("table", table=table)]


def _area_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    names = [
        subregion_name(a.code, lang, facts.label("subregion", a.code, lang), short=True)
        for a in facts.subregions
    ]
    rows = [
        [facts.label("theme", f.theme, lang)]
        + [count_markup(facts, a.by_theme.get(f.theme, 0), lang) for a in facts.subregions]
        + [count_markup(facts, f.reports, lang)]
        for f in facts.themes
        if f.reports != 0
    ]
    rows.append(
        [text(lang, "row_total")]
        + [count_markup(facts, a.reports, lang) for a in facts.subregions]
        + [count_markup(facts, facts.total, lang)]
    )
    head = [text(lang, "col_theme"), *names, text(lang, "row_region")]
    blocks = [
        _plain(text(lang, "areas_subregion_intro")),
        Block("table", table=Table(text(lang, "section_areas"), head, rows)),
    ]
    if facts.total == 0:
        return blocks
    if facts.municipality_totals_hidden:
        note = text(lang, "areas_municipalities_fallback", threshold=facts.threshold)
        return [*blocks, _plain(note)]
    municipalities = sorted(
        [facts.label("municipality", m.code, lang), count_markup(facts, m.reports, lang)]
        for m in facts.municipalities
    )
    head = [text(lang, "col_municipality"), text(lang, "col_reports")]
    caption = text(lang, "areas_municipalities_intro")
    return [*blocks, Block("table", table=Table(caption, head, municipalities))]


def _target_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    rows = [
        [
            facts.label("target_group", code, lang),
            count_markup(facts, count, lang),
            percent_text(count / facts.total, lang) if count and facts.total else "–",
        ]
        for code, count in facts.target_groups
    ]
    head = [text(lang, "col_target_group"), text(lang, "col_reports"), text(lang, "col_share")]
    blocks = [
        _plain(f"{text(lang, 'target_groups_intro')} {text(lang, 'mix_intro')}"),
        Block("table", table=Table(text(lang, "col_target_group"), head, rows)),
    ]
    for dimension, values in facts.mix.items():
        label = text(lang, f"mix_{dimension}")
        mix_rows = [
            [mix_label(dimension, v, lang), count_markup(facts, n, lang)] for v, n in values
        ]
        head = [label, text(lang, "col_reports")]
        blocks.append(Block("table", table=Table(label, head, mix_rows)))
    return blocks


def _proposal_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    if not facts.quotes:
        return [_plain(text(lang, "proposals_none"))]
    per_theme = max(
        sum(q.theme == t for q in facts.quotes) for t in {q.theme for q in facts.quotes}
    )
    blocks = [_plain(text(lang, "proposals_intro", count=per_theme))]
    levels = [*ADDRESSEE_LEVELS]
    levels += sorted({q.addressee_level for q in facts.quotes} - set(ADDRESSEE_LEVELS))
    for level in levels:
        quotes = [q for q in facts.quotes if q.addressee_level == level]
        if not quotes:
            continue
        heading = text(lang, f"addressee_{level}") if level in ADDRESSEE_LEVELS else level
        blocks.append(Block("h3", Markup.escape(heading)))
        for quote in quotes:
            theme = Markup.escape(facts.label("theme", quote.theme, lang))
            own = quote.language if quote.language not in ("", lang) else None
            blocks.append(
                Block("quote", Markup.escape(quote.text_in(lang)), lang=own, items=[theme])
            )
    return blocks


def _followup_sections(facts: BriefFacts, lang: str) -> list[Section]:
    """Return "What became of earlier proposals" (none without follow-up facts), as the PDF's."""
    follow = facts.followup
    if follow is None:
        return []
    blocks = [
        _plain(followup_intro(facts, follow, lang)),
        _table_block(status_table(follow, facts.threshold, lang)),
        *(_plain(line) for line in median_sentences(follow, lang)),
    ]
    for listing in listings(facts, follow, lang):
        blocks.append(Block("h3", Markup.escape(listing.heading)))
        blocks.append(
            _plain(listing.empty) if listing.table is None else _table_block(listing.table)
        )
    blocks += [
        Block("quote", Markup.escape(q.text), lang=q.language, items=[Markup.escape(q.label)])
        for q in response_quotes(follow, lang)
    ]
    blocks.append(_plain(quotes_note(follow, lang)))
    return [Section("followup", followup_text(lang, "heading"), blocks)]


def _table_block(table: FollowupTable) -> Block:
    """Return one of the follow-up section's tables as a block; words left, counts right."""
    words = frozenset(range(len(table.head))) - table.counts
    return Block(
        "table",
        table=Table(table.caption, table.head, table.rows, words, table.languages),
    )


def _quality_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    blocks = []
    for key, codes in (
        ("quality_failed", facts.failed_municipalities),
        ("quality_silent", facts.silent_municipalities),
    ):
        blocks.append(
            _p(
                sentence_markup(lang, key, names=municipality_names(facts, codes, lang))
                if codes
                else sentence_markup(lang, f"{key}_none")
            )
        )
    if facts.rejected:
        total = count_markup(facts, sum(rows for _code, rows in facts.rejected), lang)
        blocks.append(_p(sentence_markup(lang, "quality_rejected", rows=Markup.escape(total))))
        rows = [
            [facts.label("municipality", code, lang), count_markup(facts, n, lang)]
            for code, n in facts.rejected
        ]
        head = [text(lang, "col_municipality"), text(lang, "col_rows")]
        caption = f"{text(lang, 'section_quality')}: {text(lang, 'col_rows')}"
        blocks.append(Block("table", table=Table(caption, head, rows)))
    else:
        blocks.append(_p(sentence_markup(lang, "quality_rejected_none")))
    if not facts.findings:
        return [*blocks, _p(sentence_markup(lang, "quality_findings_none"))]
    head = [text(lang, key) for key in FINDING_COLUMNS]
    rows = [finding_cells(facts, f, lang) for f in facts.findings]
    caption = text(lang, "section_quality")
    return [
        *blocks,
        _p(sentence_markup(lang, "quality_findings")),
        Block("table", table=Table(caption, head, rows)),
    ]


def _method_blocks(facts: BriefFacts, lang: str) -> list[Block]:
    return [_plain(line) for line in method_sentences(facts, lang)]


def write_html_briefs(facts: BriefFacts, out_dir: Path) -> list[Path]:
    """Write `brief-fi.html`, `brief-sv.html` and `brief-en.html` atomically into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_file_atomically(out_dir / f"brief-{lang}.html", brief_html(facts, lang).encode())
        for lang in BRIEF_LANGUAGES
    ]
