"""The brief's section "What became of earlier proposals", in Finnish, Swedish and English."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from schemas.fields import ADDRESSEE_LEVELS
from schemas.responses import FOLLOWUP_STATUSES
from tasks.brief.closing import QUOTE_MARKS
from tasks.brief.facts import BriefFacts
from tasks.brief.followup_facts import FollowupFacts
from tasks.brief.markup import escaped, paragraph, quarter_text
from tasks.brief.style import table_style
from tasks.brief.tagging import cell_in_language, in_language
from tasks.brief.text import count_text, date_text
from tasks.brief.text import text as brief_text

REFERENCE_LANGUAGE = "fi"  # decision references are quoted from Finnish minutes, as written
_OLDEST_COLUMNS = ("theme", "addressee", "proposals", "oldest", "municipalities")
_DECISION_COLUMNS = ("theme", "addressee", "status", "date", "reference")

FOLLOWUP_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "heading": "Mitä aiemmille ehdotuksille tapahtui",
        "intro": (
            "Ehdotukset {first}–{last} sen mukaan, mitä niiden vastaanottajat ovat vastanneet. "
            "Luvut 1–{below} ja ne, joista ne voisi päätellä, näkyvät muodossa {hidden}."
        ),
        "col_addressee": "Vastaanottaja",
        "status_caption": "Ehdotukset vastaanottajan ja tilan mukaan",
        "median_response": "Raportista ensimmäiseen vastaukseen kului mediaanina {days} päivää "
        "({count} vastattua ehdotusta).",
        "median_decision": "Raportista päätökseen kului mediaanina {days} päivää "
        "({count} päätettyä ehdotusta).",
        "median_few": "Vastauksia on vielä liian vähän mediaaniin ({what}).",
        "what_response": "ensimmäinen vastaus",
        "what_decision": "päätös",
        "oldest_heading": "Vanhimmat avoimet kiireelliset ehdotukset",
        "oldest_none": "Avoimia kiireellisiä ehdotuksia ei ole.",
        "col_theme": "Teema",
        "col_proposals": "Ehdotuksia",
        "col_oldest": "Vanhin, päivää",
        "col_municipalities": "Kunnat (vähintään {threshold})",
        "decisions_heading": "Vuosineljänneksen päätökset",
        "decisions_none": "Vuosineljänneksellä ei tehty päätöksiä seuratuista ehdotuksista.",
        "col_status": "Tila",
        "col_date": "Päivä",
        "col_reference": "Päätös",
        "no_quotes": "Vastausten tekstejä ei lainata, ennen kuin henkilö on hyväksynyt ne.",
        "response_to": "Vastaus, päätös {reference}",
        "some_quotes": "Vastauksista lainataan vain ne, jotka henkilö on hyväksynyt.",
        "status_open": "Ei vastausta",
        "status_received": "Vastaanotettu",
        "status_in_preparation": "Valmistelussa",
        "status_decided": "Päätetty",
        "status_implemented": "Toteutettu",
        "status_not_taken_forward": "Ei edetty",
    },
    "sv": {
        "heading": "Vad hände med tidigare förslag",
        "intro": (
            "Förslagen {first}–{last} enligt vad mottagarna har svarat. Tal 1–{below} och tal "
            "som de kunde räknas ut ur visas som {hidden}."
        ),
        "col_addressee": "Mottagare",
        "status_caption": "Förslag efter mottagare och status",
        "median_response": "Från rapport till första svar gick i median {days} dagar "
        "({count} besvarade förslag).",
        "median_decision": "Från rapport till beslut gick i median {days} dagar "
        "({count} beslutade förslag).",
        "median_few": "Ännu för få svar för en median ({what}).",
        "what_response": "första svar",
        "what_decision": "beslut",
        "oldest_heading": "De äldsta öppna brådskande förslagen",
        "oldest_none": "Det finns inga öppna brådskande förslag.",
        "col_theme": "Tema",
        "col_proposals": "Förslag",
        "col_oldest": "Äldsta, dagar",
        "col_municipalities": "Kommuner (minst {threshold})",
        "decisions_heading": "Kvartalets beslut",
        "decisions_none": "Inga beslut om uppföljda förslag fattades under kvartalet.",
        "col_status": "Status",
        "col_date": "Dag",
        "col_reference": "Beslut",
        "no_quotes": "Svarens texter citeras inte förrän en person har godkänt dem.",
        "response_to": "Svar, beslut {reference}",
        "some_quotes": "Av svaren citeras bara de som en person har godkänt.",
        "status_open": "Inget svar",
        "status_received": "Mottaget",
        "status_in_preparation": "Under beredning",
        "status_decided": "Beslutat",
        "status_implemented": "Genomfört",
        "status_not_taken_forward": "Inte fört vidare",
    },
    "en": {
        "heading": "What became of earlier proposals",
        "intro": (
            "Proposals of {first}–{last} by what their addressees have answered. Counts of "
            "1–{below}, and counts they could be worked out from, are shown as {hidden}."
        ),
        "col_addressee": "Addressee",
        "status_caption": "Proposals by addressee and status",
        "median_response": "From report to first response took a median of {days} days "
        "({count} proposals answered).",
        "median_decision": "From report to decision took a median of {days} days "
        "({count} proposals decided).",
        "median_few": "Too few responses yet for a median ({what}).",
        "what_response": "first response",
        "what_decision": "decision",
        "oldest_heading": "Oldest open urgent proposals",
        "oldest_none": "There are no open urgent proposals.",
        "col_theme": "Theme",
        "col_proposals": "Proposals",
        "col_oldest": "Oldest, days",
        "col_municipalities": "Municipalities (at least {threshold})",
        "decisions_heading": "Decisions made this quarter",
        "decisions_none": "No decision on a followed proposal was made this quarter.",
        "col_status": "Status",
        "col_date": "Date",
        "col_reference": "Decision",
        "no_quotes": "Response texts are not quoted until a person has approved them.",
        "response_to": "Response, decision {reference}",
        "some_quotes": "Only responses that a person has approved are quoted.",
        "status_open": "No response",
        "status_received": "Received",
        "status_in_preparation": "In preparation",
        "status_decided": "Decided",
        "status_implemented": "Implemented",
        "status_not_taken_forward": "Not taken forward",
    },
}


def followup_text(lang: str, key: str, **values: object) -> str:
    """Return the section's string `key` in `lang`, with `values` filled in."""
    return FOLLOWUP_TEXT[lang][key].format(**values)


@dataclass(frozen=True)
class FollowupTable:
    """One of the section's tables as text, for the PDF and the HTML twin alike.

    `counts` are the count columns (right-aligned); `languages` gives the language of a column
    whose passages are in another language than the brief's.
    """

    name: str
    caption: str
    head: list[str]
    rows: list[list[str]]
    counts: frozenset[int]
    languages: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """A titled part of the section: its table, or the sentence saying there is nothing."""

    heading: str
    table: FollowupTable | None
    empty: str


def followup_intro(facts: BriefFacts, follow: FollowupFacts, lang: str) -> str:
    """Return the sentence opening the section: the quarters covered and the suppression rule."""
    return followup_text(
        lang,
        "intro",
        first=quarter_text(follow.first_quarter, lang),
        last=quarter_text(follow.last_quarter, lang),
        below=facts.threshold - 1,
        hidden=f"<{facts.threshold}",
    )


def status_table(follow: FollowupFacts, threshold: int, lang: str) -> FollowupTable:
    """Return the proposals by addressee level and status, hidden counts as `<threshold`."""
    counts = {(level, status): n for level, status, n in follow.by_status}
    rows = [
        [
            brief_text(lang, f"addressee_{level}"),
            *[count_text(counts[(level, status)], lang, threshold) for status in FOLLOWUP_STATUSES],
        ]
        for level in ADDRESSEE_LEVELS
    ]
    labels = [followup_text(lang, f"status_{status}") for status in FOLLOWUP_STATUSES]
    return FollowupTable(
        "status",
        followup_text(lang, "status_caption"),
        [followup_text(lang, "col_addressee"), *labels],
        rows,
        frozenset(range(1, len(labels) + 1)),
    )


def median_sentences(follow: FollowupFacts, lang: str) -> list[str]:
    """Return the sentences on the median days to a first response and to a decision."""
    lines = []
    for key, days, count in (
        ("response", follow.median_days_to_response, follow.responded),
        ("decision", follow.median_days_to_decision, follow.decided),
    ):
        if days is None:
            what = followup_text(lang, f"what_{key}")
            lines.append(followup_text(lang, "median_few", what=what))
        else:
            lines.append(followup_text(lang, f"median_{key}", days=days, count=count))
    return lines


def listings(facts: BriefFacts, follow: FollowupFacts, lang: str) -> list[Listing]:
    """Return the oldest open urgent proposals and the quarter's decisions, titled."""
    oldest = _oldest_rows(facts, follow, lang)
    decided = _decision_rows(facts, follow, lang)
    reference = {} if lang == REFERENCE_LANGUAGE else {4: REFERENCE_LANGUAGE}
    return [
        _listing(facts, lang, "oldest", _OLDEST_COLUMNS, oldest, {2, 3}),
        _listing(facts, lang, "decisions", _DECISION_COLUMNS, decided, set(), reference),
    ]


def _listing(
    facts: BriefFacts,
    lang: str,
    name: str,
    columns: tuple[str, ...],
    rows: list[list[str]],
    counts: set[int],
    languages: dict[int, str] | None = None,
) -> Listing:
    """Return a titled table (strings `{name}_heading`, `{name}_none`, `col_{column}`)."""
    heading = followup_text(lang, f"{name}_heading")
    head = [followup_text(lang, f"col_{c}", threshold=facts.threshold) for c in columns]
    table = FollowupTable(name, heading, head, rows, frozenset(counts), languages or {})
    return Listing(heading, table if rows else None, followup_text(lang, f"{name}_none"))


def _oldest_rows(facts: BriefFacts, follow: FollowupFacts, lang: str) -> list[list[str]]:
    return [
        [
            facts.label("theme", group.theme, lang),
            brief_text(lang, f"addressee_{group.addressee_level}"),
            count_text(group.proposals, lang, facts.threshold),
            count_text(group.oldest_days, lang),
            ", ".join(facts.label("municipality", code, lang) for code in group.municipalities)
            or "–",
        ]
        for group in follow.oldest_open_urgent
    ]


def _decision_rows(facts: BriefFacts, follow: FollowupFacts, lang: str) -> list[list[str]]:
    """Return the quarter's decisions; a reference is quoted as written."""
    return [
        [
            facts.label("theme", decision.theme, lang),
            brief_text(lang, f"addressee_{decision.addressee_level}"),
            followup_text(lang, f"status_{decision.status}"),
            date_text(decision.decided_on, lang),
            decision.reference,
        ]
        for decision in follow.decisions
    ]


@dataclass(frozen=True)
class ResponseQuote:
    """An approved response, quoted with its decision; `language` None when the brief's."""

    label: str
    text: str
    language: str | None


def response_quotes(follow: FollowupFacts, lang: str) -> list[ResponseQuote]:
    """Return the approved response quotes, each labelled with its decision's reference."""
    return [
        ResponseQuote(
            followup_text(lang, "response_to", reference=decision.reference),
            words,
            decision.response_language if decision.response_language != lang else None,
        )
        for decision in follow.decisions
        if (words := decision.response_in(lang)) is not None
    ]


def quotes_note(follow: FollowupFacts, lang: str) -> str:
    """Return the note closing the section: response texts are quoted only once approved."""
    return followup_text(lang, "some_quotes" if follow.responses_quoted else "no_quotes")


# --- the PDF's section ---------------------------------------------------------------------------

_WIDTHS = {
    "status": [100, 60, 67, 67, 58, 64, 60],  # the statuses' longest words fit their columns
    "oldest": [136, 106, 60, 60, 119],
    "decisions": [103, 93, 68, 72, 145],
}


def followup_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the follow-up section, or nothing when the brief has no follow-up facts."""
    follow = facts.followup
    if follow is None:
        return []
    story: list[Flowable] = [
        CondPageBreak(220),
        paragraph(escaped(followup_text(lang, "heading")), "h1"),
        paragraph(escaped(followup_intro(facts, follow, lang)), "body"),
        _pdf_table(status_table(follow, facts.threshold, lang)),
        Spacer(1, 8),
        *(paragraph(escaped(line), "body") for line in median_sentences(follow, lang)),
    ]
    for listing in listings(facts, follow, lang):
        story.append(paragraph(escaped(listing.heading), "h2"))
        if listing.table is None:
            story.append(paragraph(escaped(listing.empty), "body"))
        else:
            story += [_pdf_table(listing.table), Spacer(1, 8)]
    story += [_pdf_quote(quote, lang) for quote in response_quotes(follow, lang)]
    return [*story, paragraph(escaped(quotes_note(follow, lang)), "caption")]


def _pdf_table(table: FollowupTable) -> Table:
    """Return one of the section's tables in the house style, counts right-aligned."""
    head = [
        paragraph(escaped(label), "cell_head_right" if i in table.counts else "cell_head")
        for i, label in enumerate(table.head)
    ]
    rows = [[_pdf_cell(table, i, value) for i, value in enumerate(row)] for row in table.rows]
    widths = _WIDTHS[table.name]
    built = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    built.setStyle(table_style(numeric_from=min(table.counts, default=len(widths))))
    return built


def _pdf_cell(table: FollowupTable, column: int, value: str) -> str | Paragraph:
    """Return a cell: a count as it is, text as a paragraph tagged with its own language."""
    if column in table.counts:
        return value
    return cell_in_language(paragraph(escaped(value), "cell"), table.languages.get(column))


def _pdf_quote(quote: ResponseQuote, lang: str) -> KeepTogether:
    """Return a response quote under its label, tagged a BlockQuote in its own language."""
    opening, closing = QUOTE_MARKS[lang]
    words = paragraph(f"{opening}{escaped(quote.text)}{closing}", "quote")
    label = paragraph(escaped(quote.label), "quote_theme")
    return KeepTogether([label, in_language(words, "BlockQuote", quote.language)])
