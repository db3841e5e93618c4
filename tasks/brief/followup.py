"""The brief's section "What became of earlier proposals", in Finnish, Swedish and English."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer, Table

from schemas.fields import ADDRESSEE_LEVELS
from schemas.responses import FOLLOWUP_STATUSES
from tasks.brief.facts import BriefFacts
from tasks.brief.followup_facts import FollowupFacts
from tasks.brief.markup import escaped, paragraph, quarter_text
from tasks.brief.style import table_style
from tasks.brief.text import count_text, date_text
from tasks.brief.text import text as brief_text

FOLLOWUP_TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "heading": "Mitä aiemmille ehdotuksille tapahtui",
        "intro": (
            "Ehdotukset {first}–{last} sen mukaan, mitä niiden vastaanottajat ovat vastanneet. "
            "Luvut 1–{below} ja ne, joista ne voisi päätellä, näkyvät muodossa {hidden}."
        ),
        "col_addressee": "Vastaanottaja",
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


def followup_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the follow-up section, or nothing when the brief has no follow-up facts."""
    follow = facts.followup
    if follow is None:
        return []
    intro = followup_text(
        lang,
        "intro",
        first=quarter_text(follow.first_quarter, lang),
        last=quarter_text(follow.last_quarter, lang),
        below=facts.threshold - 1,
        hidden=f"<{facts.threshold}",
    )
    return [
        CondPageBreak(220),
        paragraph(escaped(followup_text(lang, "heading")), "h1"),
        paragraph(escaped(intro), "body"),
        _status_table(follow, facts.threshold, lang),
        Spacer(1, 8),
        *_medians(follow, lang),
        *_oldest(facts, follow, lang),
        *_decisions(facts, follow, lang),
        paragraph(escaped(followup_text(lang, "no_quotes")), "caption"),
    ]


def _head(labels: list[str], right: set[int]) -> list[Paragraph]:
    """Return header cells: text columns left-aligned, count columns (`right`) right-aligned."""
    return [
        paragraph(escaped(label), "cell_head_right" if i in right else "cell_head")
        for i, label in enumerate(labels)
    ]


def _status_table(follow: FollowupFacts, threshold: int, lang: str) -> Table:
    counts = {(level, status): n for level, status, n in follow.by_status}
    widths = [110, *[62] * len(FOLLOWUP_STATUSES)]
    labels = [followup_text(lang, f"status_{status}") for status in FOLLOWUP_STATUSES]
    head = _head([followup_text(lang, "col_addressee"), *labels], set(range(1, len(widths))))
    rows = [
        [
            paragraph(escaped(brief_text(lang, f"addressee_{level}")), "cell"),
            *[count_text(counts[(level, status)], lang, threshold) for status in FOLLOWUP_STATUSES],
        ]
        for level in ADDRESSEE_LEVELS
    ]
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style())
    return table


def _medians(follow: FollowupFacts, lang: str) -> list[Flowable]:
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
    return [paragraph(escaped(line), "body") for line in lines]


def _oldest(facts: BriefFacts, follow: FollowupFacts, lang: str) -> list[Flowable]:
    story: list[Flowable] = [paragraph(escaped(followup_text(lang, "oldest_heading")), "h2")]
    if not follow.oldest_open_urgent:
        return [*story, paragraph(escaped(followup_text(lang, "oldest_none")), "body")]
    widths = [140, 110, 62, 62, 119]
    head = _head(
        [
            followup_text(lang, "col_theme"),
            followup_text(lang, "col_addressee"),
            followup_text(lang, "col_proposals"),
            followup_text(lang, "col_oldest"),
            followup_text(lang, "col_municipalities", threshold=facts.threshold),
        ],
        {2, 3},
    )
    rows = [
        [
            paragraph(escaped(facts.label("theme", group.theme, lang)), "cell"),
            paragraph(escaped(brief_text(lang, f"addressee_{group.addressee_level}")), "cell"),
            count_text(group.proposals, lang, facts.threshold),
            count_text(group.oldest_days, lang),
            paragraph(escaped(_municipality_names(facts, group.municipalities, lang)), "cell"),
        ]
        for group in follow.oldest_open_urgent
    ]
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style(numeric_from=2))
    return [*story, table, Spacer(1, 8)]


def _municipality_names(facts: BriefFacts, codes: tuple[str, ...], lang: str) -> str:
    return ", ".join(facts.label("municipality", code, lang) for code in codes) or "–"


def _decisions(facts: BriefFacts, follow: FollowupFacts, lang: str) -> list[Flowable]:
    story: list[Flowable] = [paragraph(escaped(followup_text(lang, "decisions_heading")), "h2")]
    if not follow.decisions:
        return [*story, paragraph(escaped(followup_text(lang, "decisions_none")), "body")]
    widths = [105, 95, 70, 78, 145]
    head = _head(
        [
            followup_text(lang, "col_theme"),
            followup_text(lang, "col_addressee"),
            followup_text(lang, "col_status"),
            followup_text(lang, "col_date"),
            followup_text(lang, "col_reference"),
        ],
        set(),
    )
    rows = [
        [
            paragraph(escaped(facts.label("theme", decision.theme, lang)), "cell"),
            paragraph(escaped(brief_text(lang, f"addressee_{decision.addressee_level}")), "cell"),
            paragraph(escaped(followup_text(lang, f"status_{decision.status}")), "cell"),
            paragraph(escaped(date_text(decision.decided_on, lang)), "cell"),
            paragraph(escaped(decision.reference), "cell"),
        ]
        for decision in follow.decisions
    ]
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style(numeric_from=5))
    return [*story, table, Spacer(1, 8)]
