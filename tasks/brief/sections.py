"""The brief's sections as reportlab flowables: cover, key findings, areas, target groups."""

from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from schemas.quarter import Quarter
from tasks.brief.charts import (
    header_cells,
    key_findings_chart,
    theme_chart,
    theme_table,
    total_row,
    totals_table,
    trend_chart,
)
from tasks.brief.closing import data_quality_section, method_note, proposals_section
from tasks.brief.facts import BriefFacts
from tasks.brief.followup import followup_section
from tasks.brief.markup import (
    bold_markup,
    count_markup,
    escaped,
    municipality_names,
    paragraph,
    quarter_text,
    section_heading,
    sentence_markup,
)
from tasks.brief.style import (
    CONTENT_WIDTH,
    FONT,
    NAVY,
    key_figure_style,
    stylesheet,
    table_style,
)
from tasks.brief.text import (
    date_text,
    listing,
    percent_text,
    signed_text,
    subregion_name,
    text,
)
from tasks.brief.wording import incomplete_notice_markup, key_figures, mix_count, mix_label

# --- cover and key findings -------------------------------------------------------------------


def cover_page(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the cover: title, quarter, period, publication date, intro and key figures."""
    q = Quarter.parse(facts.quarter)
    period = text(
        lang, "period", start=date_text(q.first_day, lang), end=date_text(q.last_day, lang)
    )
    published = text(lang, "published", date=date_text(facts.published_on, lang))
    return [
        Spacer(1, 4),
        paragraph(escaped(text(lang, "title")), "title"),
        paragraph(escaped(text(lang, "subtitle")), "subtitle"),
        paragraph(escaped(quarter_text(facts.quarter, lang, "quarter_long")), "quarter"),
        paragraph(f"{escaped(period)} · {escaped(published)}", "meta"),
        paragraph(escaped(text(lang, "cover_intro")), "intro"),
        *_incomplete_notice(facts, lang),
        Spacer(1, 6),
        _key_figures(facts, lang),
    ]


def _incomplete_notice(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the cover's notice naming the municipalities whose source could not be read."""
    notice = incomplete_notice_markup(facts, lang)
    return [] if notice is None else [paragraph(f"<b>{notice}</b>", "intro")]


def _key_figures(facts: BriefFacts, lang: str) -> Table:
    """Return the cover's row of four key figures in boxes."""
    cells = [
        [paragraph(escaped(value), "figure"), paragraph(escaped(label), "figure_label")]
        for value, label in key_figures(facts, lang)
    ]
    box = Table([cells], colWidths=[CONTENT_WIDTH / 4] * 4)
    box.setStyle(key_figure_style())
    return box


def _theme_list(facts: BriefFacts, lang: str, figures: Iterable[tuple[str, str]]) -> str:
    """Return `Theme (n), Theme (n) and Theme (n)` as markup, theme names in bold."""
    items = [
        f"{bold_markup(facts.label('theme', code, lang))} ({escaped(value)})"
        for code, value in figures
    ]
    return listing(items, lang)


def _change_sentences(facts: BriefFacts, lang: str) -> list[str]:
    """Return the sentences on the largest, rising, falling and new themes."""
    published = [f for f in facts.themes if f.reports]
    rising = sorted(
        (f for f in facts.themes if f.status == "rising" and f.change_prev is not None),
        key=lambda f: -f.change_prev,  # type: ignore[operator]
    )
    falling = sorted(
        (f for f in facts.themes if f.status == "falling" and f.change_prev is not None),
        key=lambda f: f.change_prev,  # type: ignore[arg-type, return-value]
    )
    new = [f for f in facts.themes if f.status == "new"]
    candidates = [
        (
            "finding_largest",
            [(f.theme, count_markup(facts, f.reports, lang)) for f in published[:3]],
        ),
        ("finding_rising", [(f.theme, signed_text(f.change_prev, lang)) for f in rising[:3]]),
        ("finding_falling", [(f.theme, signed_text(f.change_prev, lang)) for f in falling[:2]]),
        ("finding_new", [(f.theme, count_markup(facts, f.reports, lang)) for f in new[:4]]),
    ]
    return [
        sentence_markup(lang, key, themes=_theme_list(facts, lang, items))
        for key, items in candidates
        if items
    ]


def _total_sentence(facts: BriefFacts, lang: str) -> str:
    """Return the sentence on the quarter's number of reports and reporting municipalities."""
    read = facts.municipality_count - len(set(facts.failed_municipalities))
    sentence = sentence_markup(
        lang,
        "finding_total_read" if facts.municipalities_unknown else "finding_total",
        count=bold_markup(count_markup(facts, facts.total, lang)),
        municipalities=escaped(
            read if facts.municipalities_unknown else facts.municipalities_reporting
        ),
        total=escaped(facts.municipality_count),
    )
    if facts.previous_total is None and facts.total == 0:
        return sentence
    previous = sentence_markup(
        lang, "finding_total_change", count=escaped(count_markup(facts, facts.previous_total, lang))
    )
    return f"{sentence} {previous}"


def _mix_sentences(facts: BriefFacts, lang: str) -> list[str]:
    """Return the sentences on urgent reports, good practices and weak signals."""
    sentences = []
    for key, dimension, value in (
        ("finding_urgent", "urgency", "high"),
        ("finding_good_practices", "report_type", "good_practice"),
        ("finding_weak_signals", "report_type", "weak_signal"),
    ):
        count = mix_count(facts, dimension, value)
        if count != 0 or key == "finding_urgent":
            sentences.append(
                sentence_markup(lang, key, count=bold_markup(count_markup(facts, count, lang)))
            )
    return sentences


def _quality_sentence(facts: BriefFacts, lang: str) -> str:
    """Return the sentence on unread sources and rows waiting for a correction."""
    rows = sum(count for _code, count in facts.rejected)
    if not facts.failed_municipalities and not rows:
        return sentence_markup(lang, "finding_quality_ok")
    if not facts.failed_municipalities:
        return sentence_markup(
            lang, "finding_quality_rows", rows=bold_markup(count_markup(facts, rows, lang))
        )
    return sentence_markup(
        lang,
        "finding_quality_issue",
        failed=f"<b>{municipality_names(facts, facts.failed_municipalities, lang)}</b>",
        rows=bold_markup(count_markup(facts, rows, lang)),
    )


def key_finding_sentences(facts: BriefFacts, lang: str) -> list[str]:
    """Return the key findings as safe markup (escaped text, `<b>`), one sentence each."""
    if facts.total == 0:
        sentences = [sentence_markup(lang, "finding_none")]
    else:
        sentences = [_total_sentence(facts, lang), *_change_sentences(facts, lang)]
        sentences += _mix_sentences(facts, lang)
    return [*sentences, _quality_sentence(facts, lang)]


def key_findings(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the key findings in plain words, one bullet each."""
    sentences = key_finding_sentences(facts, lang)
    bullets = [Paragraph(s, stylesheet()["bullet"], bulletText="•") for s in sentences]
    chart = key_findings_chart(facts, lang)
    return [Spacer(1, 8), section_heading(lang, "section_key_findings"), *bullets, *chart]


# --- areas and target groups ------------------------------------------------------------------


def subregion_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the subregion × theme table (hidden counts as `<5`) and a municipality overview."""
    names = [
        subregion_name(a.code, lang, facts.label("subregion", a.code, lang), short=True)
        for a in facts.subregions
    ]
    rows = [
        [paragraph(escaped(facts.label("theme", f.theme, lang)), "cell")]
        + [count_markup(facts, a.by_theme.get(f.theme, 0), lang) for a in facts.subregions]
        + [count_markup(facts, f.reports, lang)]
        for f in facts.themes
        if f.reports != 0
    ]
    totals = [count_markup(facts, a.reports, lang) for a in facts.subregions] + [
        count_markup(facts, facts.total, lang)
    ]
    columns = len(facts.subregions) + 1
    widths = [110.0] + [(CONTENT_WIDTH - 110) / columns] * columns
    head = [text(lang, "col_theme"), *names, text(lang, "row_region")]
    notes = [paragraph(escaped(text(lang, "areas_subregion_intro")), "body")]
    if facts.municipality_themes_hidden:
        notes.append(
            paragraph(escaped(text(lang, "areas_fallback", threshold=facts.threshold)), "body")
        )
    table = totals_table(head, rows, total_row(lang, totals), widths)
    return [
        CondPageBreak(200),
        section_heading(lang, "section_areas"),
        *notes,
        table,
        Spacer(1, 8),
    ] + (_municipality_table(facts, lang))


def _municipality_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return municipality totals in three column pairs, or a note when most are hidden."""
    if facts.total == 0:
        return []
    if facts.municipality_totals_hidden:
        note = text(lang, "areas_municipalities_fallback", threshold=facts.threshold)
        return [paragraph(escaped(note), "body")]
    items = sorted(
        (facts.label("municipality", m.code, lang), count_markup(facts, m.reports, lang))
        for m in facts.municipalities
    )
    widths = [CONTENT_WIDTH / 3 - 60, 60] * 3
    head = [text(lang, "col_municipality"), text(lang, "col_reports")]
    table = Table([header_cells(head, widths[:2]) * 3, *_three_columns(items)], colWidths=widths)
    table.setStyle(table_style())
    for name_column in (2, 4):
        table.setStyle([("LEFTPADDING", (name_column, 0), (name_column, -1), 14)])
        table.setStyle([("RIGHTPADDING", (name_column - 1, 0), (name_column - 1, -1), 10)])
    return [paragraph(escaped(text(lang, "areas_municipalities_intro")), "h2"), table]


def _three_columns(items: list[tuple[str, str]]) -> list[list[object]]:
    """Return (name, figure) pairs laid out down three column pairs, as table rows."""
    per_column = -(-len(items) // 3)
    columns = [items[i * per_column : (i + 1) * per_column] for i in range(3)]
    rows = []
    for row in range(per_column):
        cells: list[object] = []
        for column in columns:
            name, count = column[row] if row < len(column) else ("", "")
            cells += [paragraph(escaped(name), "cell"), count]
        rows.append(cells)
    return rows


def target_group_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return target groups with shares, beside the mix of report types, urgency and addressees."""
    right = Table(_mix_rows(facts, lang), colWidths=[150, 60])
    right.setStyle(_mix_style(facts))
    outer = Table([[_target_group_table(facts, lang), right]], colWidths=[CONTENT_WIDTH - 220, 220])
    outer.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    intro = f"{escaped(text(lang, 'target_groups_intro'))} {escaped(text(lang, 'mix_intro'))}"
    return [
        CondPageBreak(240),
        section_heading(lang, "section_target_groups"),
        paragraph(intro, "body"),
        outer,
    ]


def _target_group_table(facts: BriefFacts, lang: str) -> Table:
    """Return the table of target groups with their counts and shares of all reports."""
    widths = [150, 56, 45]
    head = [text(lang, "col_target_group"), text(lang, "col_reports"), text(lang, "col_share")]
    rows: list[list[object]] = [header_cells(head, widths)]
    for code, count in facts.target_groups:
        share = percent_text(count / facts.total, lang) if count and facts.total else "–"
        label = paragraph(escaped(facts.label("target_group", code, lang)), "cell")
        rows.append([label, count_markup(facts, count, lang), share])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style())
    return table


def _mix_rows(facts: BriefFacts, lang: str) -> list[list[object]]:
    """Return the mix table's rows: a heading row per dimension, then its values."""
    rows: list[list[object]] = []
    for dimension, values in facts.mix.items():
        rows.append([paragraph(escaped(text(lang, f"mix_{dimension}")), "cell_head"), ""])
        rows += [
            [
                paragraph(escaped(mix_label(dimension, v, lang)), "cell"),
                count_markup(facts, n, lang),
            ]
            for v, n in values
        ]
    return rows


def _mix_style(facts: BriefFacts) -> TableStyle:
    """Return the mix table's style: a rule under each dimension's heading row."""
    style = table_style(header_rows=1)
    row = 0
    for values in facts.mix.values():
        style.add("LINEBELOW", (0, row), (-1, row), 0.8, NAVY)
        style.add("BACKGROUND", (0, row), (-1, row), "white")
        row += len(values) + 1
    return style


# --- the whole brief --------------------------------------------------------------------------


def brief_story(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the whole brief in `lang` as a list of flowables, section by section."""
    return [
        *cover_page(facts, lang),
        *key_findings(facts, lang),
        PageBreak(),
        *theme_chart(facts, lang),
        *theme_table(facts, lang),
        *trend_chart(facts, lang),
        *subregion_table(facts, lang),
        *target_group_section(facts, lang),
        *proposals_section(facts, lang),
        *followup_section(facts, lang),
        *data_quality_section(facts, lang),
        *method_note(facts, lang),
    ]
