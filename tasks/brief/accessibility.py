"""The accessibility statement (Act 306/2019, section 15) published with each quarter's briefs.

One HTML page per language, `accessibility-fi.html`, `-sv.html`, `-en.html`: what conforms to
WCAG 2.1 AA and what does not or has not been checked, where to send feedback (a setting) and
the supervisory authority's contact.
"""

from __future__ import annotations

from pathlib import Path

from tasks.brief.facts import BriefFacts
from tasks.brief.html import HTML_TEXT, LANGUAGE_NAMES, environment, write_html_briefs
from tasks.brief.markup import quarter_text
from tasks.brief.text import BRIEF_LANGUAGES, date_text, text
from tasks.shared.files import write_file_atomically

# Accessibility supervision moved from the Regional State Administrative Agency for
# Southern Finland to Traficom on 1 January 2025 (HE 71/2024).
SUPERVISOR_WEB = "https://www.saavutettavuusvaatimukset.fi"
SUPERVISOR_EMAIL = "saavutettavuus@traficom.fi"
SUPERVISOR_PHONE = "029 534 5000"

STATEMENT_TEXT: dict[str, dict[str, object]] = {
    "fi": {
        "title": "Saavutettavuusseloste",
        "scope": (
            "Tämä seloste koskee Lapin hyvinvointialueen sosiaalisen raportoinnin katsausta "
            "{quarter}: "
            "verkkosivua ja PDF-tiedostoa suomeksi, ruotsiksi ja englanniksi. Seloste on "
            "laadittu {date} katsauksen mukana, ja se päivitetään jokaisen katsauksen kanssa."
        ),
        "status_heading": "Saavutettavuuden tila",
        "status": (
            "Katsaus täyttää osittain saavutettavuusvaatimukset (WCAG 2.1, taso AA; "
            "laki digitaalisten palvelujen tarjoamisesta 306/2019): verkkosivu täyttää ne, "
            "PDF-tiedoston tarkistus on osittainen (ks. alla)."
        ),
        "conforms_heading": "Mikä on saavutettavaa",
        "conforms": [
            "Verkkosivulla on otsikkorakenne, maamerkit ja ohituslinkki; sivun ja muunkieliset "
            "lainaukset on merkitty kielellään.",
            "Jokaisella kaaviolla on tekstivastine, joka kertoo sen luvut, ja sen vieressä "
            "taulukko samoista luvuista; taulukoissa on otsikkosolut.",
            "Suuntia ja piilotettuja lukuja ei kerrota pelkällä värillä, vaan myös tekstillä, "
            "kuviolla ja merkin muodolla; tekstin kontrasti on vähintään 4,5:1.",
            "PDF on tagattu (PDF/UA-1): otsikot, kappaleet, luettelot, taulukot otsikkosoluineen, "
            "kuvien vaihtoehtoiset tekstit, lukujärjestys, asiakirjan kieli ja otsikko.",
        ],
        "checks_heading": "Miten saavutettavuus on tarkistettu",
        "checks": [
            "Verkkosivut tarkistetaan jokaisessa julkaisussa axe-core-työkalulla oikeassa "
            "selaimessa (Chromium) WCAG 2.0- ja 2.1-säännöin (A ja AA): ei virheitä.",
            "PDF-tiedostoista tarkistetaan koneellisesti rakennepuu (otsikot, taulukot, "
            "vaihtoehtoiset tekstit, teksti), merkitsemätön sisältö ja upotetut fontit, "
            "sekä pdfua-paketin osajoukko PDF/UA-1-säännöistä.",
            "Sivut ja PDF-sivut on katsottu kuvina.",
        ],
        "gaps_heading": "Mikä ei ole saavutettavaa tai on tarkistamatta",
        "gaps": [
            "PDF-tiedostoja ei ole tarkistettu täydellisellä PDF/UA-validaattorilla "
            "(esimerkiksi veraPDF) eikä ruudunlukijalla; pdfua-paketti kattaa vain osan "
            "koneellisesti tarkistettavista säännöistä.",
            "Koneellinen tarkistus löytää vain osan saavutettavuusongelmista.",
            "Ammattilaisten ehdotukset julkaistaan sellaisinaan kielellä, jolla ne kirjoitettiin "
            "(myös saameksi); ne on merkitty kielellään, mutta niitä ei ole käännetty.",
        ],
        "feedback_heading": "Palaute",
        "feedback": (
            "Jos huomaat saavutettavuusongelman tai tarvitset katsauksen muussa muodossa, "
            "ota yhteyttä: {feedback}. Vastaamme 14 päivän kuluessa."
        ),
        "supervisor_heading": "Valvontaviranomainen",
        "supervisor": (
            "Jos et ole tyytyväinen saamaasi vastaukseen tai et saa vastausta kahden viikon "
            "aikana, voit tehdä ilmoituksen valvontaviranomaiselle: Liikenne- ja "
            "viestintävirasto Traficom, saavutettavuusvalvonta."
        ),
    },
    "sv": {
        "title": "Tillgänglighetsutlåtande",
        "scope": (
            "Detta utlåtande gäller översikten över social rapportering i välfärdsområdet "
            "Lappland, {quarter}: "
            "webbsidan och PDF-filen på finska, svenska och engelska. Utlåtandet har "
            "utarbetats {date} med översikten och uppdateras med varje översikt."
        ),
        "status_heading": "Tillgänglighetsstatus",
        "status": (
            "Översikten uppfyller delvis tillgänglighetskraven (WCAG 2.1, nivå AA; lagen om "
            "tillhandahållande av digitala tjänster 306/2019): webbsidan uppfyller dem, "
            "granskningen av PDF-filen är delvis (se nedan)."
        ),
        "conforms_heading": "Vad är tillgängligt",
        "conforms": [
            "Webbsidan har rubrikstruktur, landmärken och en överhoppningslänk; sidans och "
            "citatens språk är märkta.",
            "Varje diagram har ett textalternativ med dess tal och bredvid en tabell med samma "
            "tal; tabellerna har rubrikceller.",
            "Riktningar och dolda tal visas inte med enbart färg utan också med text, mönster "
            "och markörens form; textens kontrast är minst 4,5:1.",
            "PDF-filen är taggad (PDF/UA-1): rubriker, stycken, listor, tabeller med "
            "rubrikceller, alternativa texter, läsordning, dokumentets språk och titel.",
        ],
        "checks_heading": "Hur tillgängligheten har granskats",
        "checks": [
            "Webbsidorna granskas vid varje publicering med axe-core i en riktig webbläsare "
            "(Chromium) enligt reglerna för WCAG 2.0 och 2.1 (A och AA): inga fel.",
            "I PDF-filerna granskas maskinellt strukturträdet (rubriker, tabeller, alternativa "
            "texter, text), omärkt innehåll och inbäddade typsnitt, samt en delmängd av "
            "PDF/UA-1-reglerna med paketet pdfua.",
            "Sidorna och PDF-sidorna har granskats som bilder.",
        ],
        "gaps_heading": "Vad är inte tillgängligt eller har inte granskats",
        "gaps": [
            "PDF-filerna har inte granskats med en fullständig PDF/UA-validerare (till exempel "
            "veraPDF) eller med skärmläsare; paketet pdfua täcker bara en del av de regler som "
            "kan granskas maskinellt.",
            "Maskinell granskning hittar bara en del av tillgänglighetsproblemen.",
            "Yrkespersonernas förslag publiceras på det språk de skrevs på (även samiska); "
            "de är märkta med sitt språk men inte översatta.",
        ],
        "feedback_heading": "Respons",
        "feedback": (
            "Om du upptäcker ett tillgänglighetsproblem eller behöver översikten i annan form, "
            "kontakta oss: {feedback}. Vi svarar inom 14 dagar."
        ),
        "supervisor_heading": "Tillsynsmyndighet",
        "supervisor": (
            "Om du inte är nöjd med svaret eller inte får svar inom två veckor kan du anmäla "
            "detta till tillsynsmyndigheten: Transport- och kommunikationsverket "
            "Traficom, tillgänglighetstillsynen."
        ),
    },
    "en": {
        "title": "Accessibility statement",
        "scope": (
            "This statement covers the social reporting brief of the Lapland wellbeing services "
            "county, {quarter}: the "
            "web page and the PDF file in Finnish, Swedish and English. It was prepared on "
            "{date} with the brief and is renewed with every brief."
        ),
        "status_heading": "Compliance status",
        "status": (
            "The brief partially meets the accessibility requirements (WCAG 2.1 level AA; Act "
            "on the Provision of Digital Services 306/2019): the web page meets them, the "
            "check of the PDF file is partial (see below)."
        ),
        "conforms_heading": "What is accessible",
        "conforms": [
            "The web page has headings, landmarks and a skip link; the page and quotes in "
            "another language are marked with their language.",
            "Every chart has a text alternative giving its figures and, next to it, a table "
            "of the same figures; tables have header cells.",
            "Trends and hidden figures are never shown by colour alone but also by text, "
            "pattern and marker shape; text contrast is at least 4.5:1.",
            "The PDF is tagged (PDF/UA-1): headings, paragraphs, lists, tables with header "
            "cells, alternative texts, reading order, the document's language and title.",
        ],
        "checks_heading": "How accessibility was checked",
        "checks": [
            "Every publication's web pages are checked with axe-core in a real browser "
            "(Chromium) against the WCAG 2.0 and 2.1 rules (A and AA): no violations.",
            "The PDFs are checked by machine for their structure tree (headings, tables, "
            "alternative texts, text), unmarked content and embedded fonts, and against a "
            "subset of the PDF/UA-1 rules with the pdfua package.",
            "The pages and the PDF pages were looked at as images.",
        ],
        "gaps_heading": "What is not accessible or not checked",
        "gaps": [
            "The PDFs have not been checked with a full PDF/UA validator (such as veraPDF) or "
            "with a screen reader; the pdfua package covers only part of the rules that a "
            "machine can check.",
            "Automated checks find only part of all accessibility problems.",
            "Professionals' proposals are published in the language they were written in "
            "(Sámi included); they are marked with their language but not translated.",
        ],
        "feedback_heading": "Feedback",
        "feedback": (
            "If you notice an accessibility problem or need the brief in another format, "
            "contact us: {feedback}. We reply within 14 days."
        ),
        "supervisor_heading": "Supervisory authority",
        "supervisor": (
            "If you are not satisfied with our reply, or you get no reply within two weeks, "
            "you can notify the supervisory authority: the Finnish Transport and "
            "Communications Agency Traficom, accessibility supervision."
        ),
    },
}


def statement_html(facts: BriefFacts, lang: str, feedback: str) -> str:
    """Return the accessibility statement in `lang` as one self-contained HTML page."""
    words = STATEMENT_TEXT[lang]
    region = text(lang, "welfare_region")
    scope = str(words["scope"]).format(
        quarter=quarter_text(facts.quarter, lang, "quarter_long"),
        date=date_text(facts.published_on, lang),
    )
    feedback_before, _field, feedback_after = str(words["feedback"]).partition("{feedback}")
    return (
        environment()
        .get_template("accessibility.html.j2")
        .render(
            lang=lang,
            t=HTML_TEXT[lang],
            w=words,
            title=f"{words['title']} – {quarter_text(facts.quarter, lang)}",
            region=region,
            scope=scope,
            feedback=feedback,
            feedback_href=_feedback_href(feedback),
            feedback_before=feedback_before,
            feedback_after=feedback_after,
            supervisor_web=SUPERVISOR_WEB,
            supervisor_email=SUPERVISOR_EMAIL,
            supervisor_phone=SUPERVISOR_PHONE,
            languages=[(code, LANGUAGE_NAMES[code]) for code in BRIEF_LANGUAGES if code != lang],
        )
    )


def _feedback_href(feedback: str) -> str | None:
    """Return a link for the feedback channel: mailto for an address, the URL for https."""
    if feedback.startswith("https://"):
        return feedback
    if "@" in feedback and " " not in feedback:
        return f"mailto:{feedback}"
    return None


def write_statements(facts: BriefFacts, out_dir: Path, feedback: str) -> list[Path]:
    """Write `accessibility-fi.html`, `-sv.html` and `-en.html` atomically into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        write_file_atomically(
            out_dir / f"accessibility-{lang}.html", statement_html(facts, lang, feedback).encode()
        )
        for lang in BRIEF_LANGUAGES
    ]


def write_accessible_forms(facts: BriefFacts, out_dir: Path, feedback: str) -> list[Path]:
    """Write the HTML twins of the briefs and the accessibility statements, three languages each."""
    return [*write_html_briefs(facts, out_dir), *write_statements(facts, out_dir, feedback)]
