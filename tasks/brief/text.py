"""Every user-visible string of the brief and its e-mail, one table per language (fi, sv, en).

Code labels (themes, target groups, municipalities) come from the reference
lists; everything else the brief says comes from here. Templates use
`str.format` fields (`{count}`); they are plain text, never markup: the
builders escape them before they meet reportlab's paragraph markup.
"""

from __future__ import annotations

from datetime import date

from schemas.cells import DEFAULT_THRESHOLD

BRIEF_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")

TEXT: dict[str, dict[str, str]] = {
    "fi": {
        "welfare_region": "Lapin hyvinvointialue",
        "title": "Sosiaalinen raportointi",
        "subtitle": "Neljännesvuosikatsaus päättäjille",
        "doc_subject": "Sosiaaliset raportit Lapin kunnista, {quarter}",
        "cover_intro": (
            "Sosiaalihuollon ammattilaiset raportoivat asiakkaidensa elämässä ja "
            "palvelujärjestelmässä havaitsemistaan ilmiöistä (sosiaalihuoltolaki 1301/2014, 7 §). "
            "Tämä katsaus kokoaa vuosineljänneksen raportit Lapin kunnista."
        ),
        "quarter_long": "{number}. vuosineljännes {year}",
        "quarter_short": "Q{number}/{year}",
        "quarter_axis": "Q{number}/{yy}",
        "period": "Ajanjakso {start}–{end}",
        "published": "Julkaistu {date}",
        "header": "{welfare_region} · Sosiaalinen raportointi",
        "page_of": "sivu {page} / {pages}",
        "figure_reports": "raporttia",
        "figure_municipalities": "raportoivaa kuntaa",
        "figure_urgent": "kiireellistä raporttia",
        "figure_good_practices": "hyvää käytäntöä",
        "section_key_findings": "Keskeiset havainnot",
        "section_themes": "Raportit teemoittain",
        "section_trends": "Suurimpien teemojen kehitys",
        "section_areas": "Alueet",
        "section_target_groups": "Kohderyhmät ja raporttien luonne",
        "section_proposals": "Ammattilaisten ehdotuksia",
        "section_quality": "Tietojen laatu",
        "section_method": "Menetelmä",
        "finding_total": (
            "Vuosineljänneksellä jätettiin {count} sosiaalista raporttia; raportoivia kuntia "
            "oli {municipalities}/{total}."
        ),
        "finding_total_at_least": (
            "Vuosineljänneksellä jätettiin {count} sosiaalista raporttia; raportoivia kuntia "
            "oli vähintään {municipalities}/{total} (pienet luvut on piilotettu)."
        ),
        "finding_total_change": "Edellisellä vuosineljänneksellä raportteja oli {count}.",
        "finding_none": "Vuosineljänneksellä ei jätetty yhtään sosiaalista raporttia.",
        "finding_largest": "Eniten raportoitiin teemoista {themes}.",
        "finding_rising": "Selvimmin edellisestä vuosineljänneksestä kasvoivat {themes}.",
        "finding_falling": "Selvimmin vähenivät {themes}.",
        "finding_new": "Uusina teemoina nousivat esiin {themes}.",
        "finding_urgent": "Kiireellisiksi arvioitiin {count} raporttia.",
        "finding_good_practices": "Hyviä käytäntöjä kuvattiin {count} raportissa.",
        "finding_weak_signals": "Heikkoja signaaleja kirjattiin {count} raportissa.",
        "finding_quality_ok": "Kaikkien kuntien tiedot saatiin luettua.",
        "finding_quality_rows": (
            "Kaikkien kuntien tiedot saatiin luettua; korjausta odottavia rivejä {rows} "
            "(ks. Tietojen laatu)."
        ),
        "finding_quality_issue": (
            "Tiedoissa on puutteita: lukematta jääneitä lähteitä {failed}, korjausta odottavia "
            "rivejä {rows} (ks. Tietojen laatu)."
        ),
        "list_and": "ja",
        "chart_theme_caption": (
            "Raportit päätemoittain: {current} verrattuna edelliseen vuosineljännekseen "
            "({previous}). Merkintä {hidden} tarkoittaa piilotettua lukua."
        ),
        "chart_trend_caption": (
            "Viiden suurimman teeman raportit kahdeksalta vuosineljännekseltä. "
            "Piilotetut luvut ({hidden}) puuttuvat kuvasta."
        ),
        "no_reports_chart": "Ei raportteja kuvattavaksi.",
        "col_theme": "Teema",
        "col_change": "Muutos",
        "col_year_change": "Vuodessa",
        "col_status": "Suunta",
        "col_mentions": "Mainittu lisäksi",
        "col_clients": "Asiakkaita (arvio)",
        "col_reports": "Raportteja",
        "col_share": "Osuus",
        "col_municipality": "Kunta",
        "col_subregion": "Seutukunta",
        "col_target_group": "Kohderyhmä",
        "col_rows": "Rivejä",
        "col_check": "Tarkistus",
        "col_severity": "Vakavuus",
        "col_field": "Kenttä",
        "col_observed": "Havaittu",
        "row_total": "Yhteensä",
        "row_region": "Koko Lappi",
        "status_new": "uusi",
        "status_rising": "kasvaa",
        "status_falling": "vähenee",
        "status_steady": "ennallaan",
        "themes_note": (
            "Raportti lasketaan päätemansa kohdalle. ”Mainittu lisäksi” kertoo, kuinka monessa "
            "raportissa teema mainittiin sivuteemana. Asiakasmäärät ovat raportoijien arvioita; "
            "– tarkoittaa piilotettua lukua."
        ),
        "areas_subregion_intro": "Raportit seutukunnittain ja teemoittain.",
        "areas_fallback": (
            "Useimmat kuntakohtaiset teemaluvut jäisivät alle {threshold} raportin ja olisivat "
            "piilotettuja, joten teemat esitetään seutukunnittain."
        ),
        "areas_municipalities_intro": "Raportit kunnittain (kaikki teemat)",
        "areas_municipalities_fallback": (
            "Useimpien kuntien kokonaismäärät jäävät alle {threshold} raportin, joten "
            "kuntataulukkoa ei esitetä; luvut näkyvät seutukunnittain."
        ),
        "target_groups_intro": "Raportit kohderyhmittäin.",
        "mix_intro": "Raporttien tyyppi, kiireellisyys ja kenelle ehdotus on osoitettu.",
        "mix_report_type": "Raportin tyyppi",
        "mix_urgency": "Kiireellisyys",
        "mix_addressee_level": "Kenelle",
        "report_type_problem": "Ongelma",
        "report_type_good_practice": "Hyvä käytäntö",
        "report_type_weak_signal": "Heikko signaali",
        "urgency_low": "Ei kiireellinen",
        "urgency_medium": "Melko kiireellinen",
        "urgency_high": "Kiireellinen",
        "addressee_municipality": "Kunnalle",
        "addressee_welfare_region": "Hyvinvointialueelle",
        "addressee_national": "Valtakunnallisesti",
        "addressee_ngo_or_other": "Järjestöille ja muille",
        "proposals_intro": (
            "Poimintoja ehdotuksista, joiden lainaamiseen raportoija on antanut luvan; enintään "
            "{count} teemaa kohden. Henkilötunnukset, puhelinnumerot, sähköpostiosoitteet ja "
            "paikannimet on poistettu ja pitkät ehdotukset lyhennetty. Lainaukset ovat "
            "alkuperäisellä kielellään."
        ),
        "proposals_none": (
            "Tällä vuosineljänneksellä ei ollut lainattavaksi luvitettuja ehdotuksia."
        ),
        "quality_failed": "Lähteet, joita ei saatu luettua tällä ajolla: {names}.",
        "quality_failed_none": "Kaikkien kuntien lähteet saatiin luettua.",
        "quality_silent": "Kunnat, joilta ei ole raportteja tältä vuosineljännekseltä: {names}.",
        "quality_silent_none": "Jokaiselta kunnalta on raportteja tältä vuosineljännekseltä.",
        "quality_rejected": (
            "Karanteenissa olevat rivit, jotka odottavat kunnan korjausta ({rows} riviä). "
            "Ne eivät sisälly lukuihin."
        ),
        "quality_rejected_none": "Karanteenissa ei ole korjausta odottavia rivejä.",
        "quality_findings": "Laaduntarkistuksen havainnot.",
        "quality_findings_none": "Laaduntarkistus ei löytänyt huomautettavaa.",
        "severity_hard": "estävä",
        "severity_soft": "huomautus",
        "check_key_unique": "Raportin tunnus ei ole yksilöllinen",
        "check_accepted_codes": "Tuntematon koodi",
        "check_completeness": "Puuttuvia tietoja",
        "check_volume_drop": "Raporttimäärä laski selvästi",
        "check_source_failed": "Lähdettä ei saatu luettua",
        "check_not_null": "Pakollinen tieto puuttuu",
        "check_value_range": "Arvo sallitun alueen ulkopuolella",
        "check_row_count": "Rivimäärä poikkeaa odotetusta",
        "check_freshness": "Tiedot eivät ole ajan tasalla",
        "check_other": "Muu tarkistus ({check})",
        "method_sources": (
            "Aineisto: sosiaalihuollon ammattilaisten sosiaaliset raportit {count} Lapin kunnasta "
            "(sosiaalihuoltolaki 1301/2014, 7 §), sellaisina kuin ne ovat tietovarastossa tämän "
            "ajon jälkeen."
        ),
        "method_period": (
            "Ajanjakso: {start}–{end}. Raportti lasketaan jättöpäivänsä vuosineljännekselle "
            "(Suomen aika) ja kerran, päätemansa kohdalle; korjattu raportti korvaa aiemman."
        ),
        "method_suppression": (
            "Tietosuoja: luvut 1–{below} piilotetaan ({hidden}), samoin luvut, joista piilotettu "
            "luku voitaisiin laskea vähentämällä. Ehdotuksista poistetaan henkilötunnukset, "
            "puhelinnumerot, sähköpostiosoitteet ja kuntien nimet, eikä raportoivaa kuntaa "
            "mainita."
        ),
        "method_trends": (
            "Muutos on erotus edelliseen vuosineljännekseen ja ”Vuodessa” erotus vuotta "
            "aiempaan vuosineljännekseen. Teema kasvaa, kun raportteja on vähintään {share} ja "
            "{minimum} enemmän kuin edellisellä vuosineljänneksellä, ja vähenee vastaavasti; "
            "uudella teemalla ei ollut julkaistuja raportteja neljällä edellisellä "
            "vuosineljänneksellä. Vertailut tehdään vain julkaistuista luvuista."
        ),
        "method_quarantine": (
            "Sopimuksen vastaiset rivit eivät tule lukuihin: ne odottavat karanteenissa kunnan "
            "korjausta, ja niiden määrät näkyvät osiossa Tietojen laatu."
        ),
        "method_outputs": (
            "Kaikki julkaistut luvut ovat tiedostossa aggregates.csv; katsaus on tuotettu "
            "raportti-putkella."
        ),
        "mail_body": (
            "Liitteenä Lapin hyvinvointialueen sosiaalisen raportoinnin katsaus {quarter}."
        ),
    },
    "sv": {
        "welfare_region": "Välfärdsområdet Lappland",
        "title": "Social rapportering",
        "subtitle": "Kvartalsöversikt för beslutsfattare",
        "doc_subject": "Sociala rapporter från kommunerna i Lappland, {quarter}",
        "cover_intro": (
            "Yrkespersoner inom socialvården rapporterar om fenomen som de ser i sina klienters "
            "liv och i servicesystemet (socialvårdslagen 1301/2014, 7 §). Denna översikt "
            "sammanställer kvartalets rapporter från kommunerna i Lappland."
        ),
        "quarter_long": "Kvartal {number} {year}",
        "quarter_short": "Q{number}/{year}",
        "quarter_axis": "Q{number}/{yy}",
        "period": "Period {start}–{end}",
        "published": "Publicerad {date}",
        "header": "{welfare_region} · Social rapportering",
        "page_of": "sida {page} / {pages}",
        "figure_reports": "rapporter",
        "figure_municipalities": "kommuner rapporterade",
        "figure_urgent": "brådskande rapporter",
        "figure_good_practices": "goda praxis",
        "section_key_findings": "Viktigaste iakttagelser",
        "section_themes": "Rapporter per tema",
        "section_trends": "Utvecklingen för de största temana",
        "section_areas": "Områden",
        "section_target_groups": "Målgrupper och rapporternas art",
        "section_proposals": "Förslag från yrkespersonerna",
        "section_quality": "Datakvalitet",
        "section_method": "Metod",
        "finding_total": (
            "Under kvartalet lämnades {count} sociala rapporter från {municipalities} av "
            "{total} kommuner."
        ),
        "finding_total_at_least": (
            "Under kvartalet lämnades {count} sociala rapporter från minst {municipalities} av "
            "{total} kommuner (små tal är dolda)."
        ),
        "finding_total_change": "Under föregående kvartal var antalet rapporter {count}.",
        "finding_none": "Inga sociala rapporter lämnades under kvartalet.",
        "finding_largest": "Flest rapporter gällde temana {themes}.",
        "finding_rising": "Tydligast ökade sedan föregående kvartal {themes}.",
        "finding_falling": "Tydligast minskade {themes}.",
        "finding_new": "Som nya teman framträdde {themes}.",
        "finding_urgent": "{count} rapporter bedömdes som brådskande.",
        "finding_good_practices": "God praxis beskrevs i {count} rapporter.",
        "finding_weak_signals": "Svaga signaler registrerades i {count} rapporter.",
        "finding_quality_ok": "Uppgifterna från alla kommuner kunde läsas.",
        "finding_quality_rows": (
            "Uppgifterna från alla kommuner kunde läsas; rader som väntar på rättelse {rows} "
            "(se Datakvalitet)."
        ),
        "finding_quality_issue": (
            "Uppgifterna är ofullständiga: källor som inte kunde läsas {failed}, rader som "
            "väntar på rättelse {rows} (se Datakvalitet)."
        ),
        "list_and": "och",
        "chart_theme_caption": (
            "Rapporter per huvudtema: {current} jämfört med föregående kvartal ({previous}). "
            "Markeringen {hidden} betyder ett dolt tal."
        ),
        "chart_trend_caption": (
            "Rapporter för de fem största temana under åtta kvartal. "
            "Dolda tal ({hidden}) saknas i figuren."
        ),
        "no_reports_chart": "Inga rapporter att visa.",
        "col_theme": "Tema",
        "col_change": "Förändring",
        "col_year_change": "På ett år",
        "col_status": "Riktning",
        "col_mentions": "Även nämnt",
        "col_clients": "Klienter (uppsk.)",
        "col_reports": "Rapporter",
        "col_share": "Andel",
        "col_municipality": "Kommun",
        "col_subregion": "Ekonomisk region",
        "col_target_group": "Målgrupp",
        "col_rows": "Rader",
        "col_check": "Kontroll",
        "col_severity": "Allvarlighet",
        "col_field": "Fält",
        "col_observed": "Observerat",
        "row_total": "Totalt",
        "row_region": "Hela Lappland",
        "status_new": "ny",
        "status_rising": "ökar",
        "status_falling": "minskar",
        "status_steady": "oförändrad",
        "themes_note": (
            "En rapport räknas under sitt huvudtema. ”Även nämnt” anger i hur många rapporter "
            "temat nämndes som ett sidotema. Klientantalen är rapportörernas uppskattningar; "
            "– betyder ett dolt tal."
        ),
        "areas_subregion_intro": "Rapporter per ekonomisk region och tema.",
        "areas_fallback": (
            "De flesta kommunvisa tal per tema skulle vara under {threshold} rapporter och dolda, "
            "därför visas temana per ekonomisk region."
        ),
        "areas_municipalities_intro": "Rapporter per kommun (alla teman)",
        "areas_municipalities_fallback": (
            "För de flesta kommuner är det totala antalet under {threshold} rapporter, därför "
            "visas ingen kommuntabell; talen visas per ekonomisk region."
        ),
        "target_groups_intro": "Rapporter per målgrupp.",
        "mix_intro": "Rapporternas typ, hur brådskande de är och vem förslaget riktar sig till.",
        "mix_report_type": "Typ av rapport",
        "mix_urgency": "Hur brådskande",
        "mix_addressee_level": "Riktad till",
        "report_type_problem": "Problem",
        "report_type_good_practice": "God praxis",
        "report_type_weak_signal": "Svag signal",
        "urgency_low": "Inte brådskande",
        "urgency_medium": "Ganska brådskande",
        "urgency_high": "Brådskande",
        "addressee_municipality": "Till kommunen",
        "addressee_welfare_region": "Till välfärdsområdet",
        "addressee_national": "På nationell nivå",
        "addressee_ngo_or_other": "Till organisationer och andra",
        "proposals_intro": (
            "Ett urval förslag som rapportören har gett lov att citera, högst {count} per tema. "
            "Personbeteckningar, telefonnummer, e-postadresser och ortnamn har tagits bort och "
            "långa förslag har kortats. Citaten återges på originalspråket."
        ),
        "proposals_none": "Under kvartalet fanns inga förslag med lov att citera.",
        "quality_failed": "Källor som inte kunde läsas vid denna körning: {names}.",
        "quality_failed_none": "Alla kommuners källor kunde läsas.",
        "quality_silent": "Kommuner utan rapporter detta kvartal: {names}.",
        "quality_silent_none": "Det finns rapporter från varje kommun detta kvartal.",
        "quality_rejected": (
            "Rader i karantän som väntar på rättelse från kommunen ({rows} rader). "
            "De ingår inte i talen."
        ),
        "quality_rejected_none": "Inga rader i karantän väntar på rättelse.",
        "quality_findings": "Kvalitetskontrollens iakttagelser.",
        "quality_findings_none": "Kvalitetskontrollen hittade inget att anmärka på.",
        "severity_hard": "blockerande",
        "severity_soft": "anmärkning",
        "check_key_unique": "Rapportens id är inte unikt",
        "check_accepted_codes": "Okänd kod",
        "check_completeness": "Uppgifter saknas",
        "check_volume_drop": "Antalet rapporter sjönk tydligt",
        "check_source_failed": "Källan kunde inte läsas",
        "check_not_null": "Obligatorisk uppgift saknas",
        "check_value_range": "Värde utanför tillåtet intervall",
        "check_row_count": "Antalet rader avviker från det väntade",
        "check_freshness": "Uppgifterna är inte aktuella",
        "check_other": "Annan kontroll ({check})",
        "method_sources": (
            "Material: sociala rapporter från yrkespersoner inom socialvården i {count} kommuner "
            "i Lappland (socialvårdslagen 1301/2014, 7 §), såsom de finns i datalagret efter "
            "denna körning."
        ),
        "method_period": (
            "Period: {start}–{end}. En rapport räknas till kvartalet för den dag den lämnades "
            "(finsk tid) och en gång, under sitt huvudtema; en rättad rapport ersätter den "
            "tidigare."
        ),
        "method_suppression": (
            "Dataskydd: talen 1–{below} döljs ({hidden}), liksom tal ur vilka ett dolt tal kunde "
            "räknas fram genom subtraktion. Ur förslagen tas personbeteckningar, telefonnummer, "
            "e-postadresser och kommunnamn bort, och den rapporterande kommunen nämns inte."
        ),
        "method_trends": (
            "Förändringen är skillnaden mot föregående kvartal och ”På ett år” skillnaden mot "
            "samma kvartal ett år tidigare. Ett tema ökar när rapporterna är minst {share} och "
            "{minimum} fler än under föregående kvartal och minskar på motsvarande sätt; ett nytt "
            "tema hade inga publicerade rapporter under de fyra föregående kvartalen. "
            "Jämförelserna görs endast med publicerade tal."
        ),
        "method_quarantine": (
            "Rader som strider mot avtalet ingår inte i talen: de väntar i karantän på "
            "kommunens rättelse, och antalet visas i avsnittet Datakvalitet."
        ),
        "method_outputs": (
            "Alla publicerade tal finns i filen aggregates.csv; översikten har tagits fram med "
            "raportti-flödet."
        ),
        "mail_body": "Bifogat: översikten över social rapportering i Lappland {quarter}.",
    },
    "en": {
        "welfare_region": "Lapland wellbeing services county",
        "title": "Social reporting",
        "subtitle": "Quarterly brief for decision-makers",
        "doc_subject": "Social reports from the municipalities of Lapland, {quarter}",
        "cover_intro": (
            "Social-care professionals report phenomena they see in their clients' lives and "
            "in the service system (Social Welfare Act 1301/2014, section 7). This brief brings "
            "together the quarter's reports from the municipalities of Lapland."
        ),
        "quarter_long": "Quarter {number} {year}",
        "quarter_short": "Q{number} {year}",
        "quarter_axis": "Q{number}/{yy}",
        "period": "Period {start} – {end}",
        "published": "Published {date}",
        "header": "{welfare_region} · Social reporting",
        "page_of": "page {page} / {pages}",
        "figure_reports": "reports",
        "figure_municipalities": "municipalities reporting",
        "figure_urgent": "urgent reports",
        "figure_good_practices": "good practices",
        "section_key_findings": "Key findings",
        "section_themes": "Reports by theme",
        "section_trends": "Trends in the largest themes",
        "section_areas": "Areas",
        "section_target_groups": "Target groups and kinds of report",
        "section_proposals": "Proposals from professionals",
        "section_quality": "Data quality",
        "section_method": "Method",
        "finding_total": (
            "{count} social reports were submitted this quarter, from {municipalities} of "
            "{total} municipalities."
        ),
        "finding_total_at_least": (
            "{count} social reports were submitted this quarter, from at least {municipalities} "
            "of {total} municipalities (small figures are hidden)."
        ),
        "finding_total_change": "The previous quarter had {count} reports.",
        "finding_none": "No social reports were submitted this quarter.",
        "finding_largest": "The largest themes were {themes}.",
        "finding_rising": "Rising most since the previous quarter: {themes}.",
        "finding_falling": "Falling most: {themes}.",
        "finding_new": "New themes this quarter: {themes}.",
        "finding_urgent": "{count} reports were marked urgent.",
        "finding_good_practices": "{count} reports described a good practice.",
        "finding_weak_signals": "{count} reports recorded a weak signal.",
        "finding_quality_ok": "Every municipality's data could be read.",
        "finding_quality_rows": (
            "Every municipality's data could be read; rows waiting for a correction: {rows} "
            "(see Data quality)."
        ),
        "finding_quality_issue": (
            "The data is incomplete: sources that could not be read {failed}, rows waiting for "
            "a correction {rows} (see Data quality)."
        ),
        "list_and": "and",
        "chart_theme_caption": (
            "Reports by main theme: {current} against the previous quarter ({previous}). "
            "{hidden} marks a hidden figure."
        ),
        "chart_trend_caption": (
            "Reports in the five largest themes over eight quarters. "
            "Hidden figures ({hidden}) are left out of the chart."
        ),
        "no_reports_chart": "No reports to chart.",
        "col_theme": "Theme",
        "col_change": "Change",
        "col_year_change": "Over a year",
        "col_status": "Direction",
        "col_mentions": "Also mentioned",
        "col_clients": "Clients (estimate)",
        "col_reports": "Reports",
        "col_share": "Share",
        "col_municipality": "Municipality",
        "col_subregion": "Sub-region",
        "col_target_group": "Target group",
        "col_rows": "Rows",
        "col_check": "Check",
        "col_severity": "Severity",
        "col_field": "Field",
        "col_observed": "Observed",
        "row_total": "Total",
        "row_region": "All of Lapland",
        "status_new": "new",
        "status_rising": "rising",
        "status_falling": "falling",
        "status_steady": "steady",
        "themes_note": (
            "A report is counted under its main theme. “Also mentioned” gives the number of "
            "reports that named the theme as a secondary theme. Client numbers are the reporters' "
            "estimates; – marks a hidden figure."
        ),
        "areas_subregion_intro": "Reports by sub-region and theme.",
        "areas_fallback": (
            "Most municipality figures by theme would be below {threshold} reports and hidden, "
            "so themes are shown by sub-region."
        ),
        "areas_municipalities_intro": "Reports by municipality (all themes)",
        "areas_municipalities_fallback": (
            "Most municipalities' totals are below {threshold} reports, so no municipality "
            "table is shown; the figures appear by sub-region."
        ),
        "target_groups_intro": "Reports by target group.",
        "mix_intro": "Kind of report, urgency, and to whom the proposal is addressed.",
        "mix_report_type": "Kind of report",
        "mix_urgency": "Urgency",
        "mix_addressee_level": "Addressed to",
        "report_type_problem": "Problem",
        "report_type_good_practice": "Good practice",
        "report_type_weak_signal": "Weak signal",
        "urgency_low": "Not urgent",
        "urgency_medium": "Fairly urgent",
        "urgency_high": "Urgent",
        "addressee_municipality": "To the municipality",
        "addressee_welfare_region": "To the wellbeing services county",
        "addressee_national": "At national level",
        "addressee_ngo_or_other": "To NGOs and others",
        "proposals_intro": (
            "A selection of proposals that their authors allowed to be quoted, at most {count} "
            "per theme. Identity codes, phone numbers, e-mail addresses and place names have "
            "been removed and long proposals shortened. Quotes are in their original language."
        ),
        "proposals_none": "No proposal this quarter came with consent to quote.",
        "quality_failed": "Sources that could not be read in this run: {names}.",
        "quality_failed_none": "Every municipality's source could be read.",
        "quality_silent": "Municipalities with no reports this quarter: {names}.",
        "quality_silent_none": "Every municipality has reports this quarter.",
        "quality_rejected": (
            "Quarantined rows waiting for the municipality's correction ({rows} rows). "
            "They are not included in the figures."
        ),
        "quality_rejected_none": "No quarantined rows are waiting for a correction.",
        "quality_findings": "Findings of the quality gate.",
        "quality_findings_none": "The quality gate found nothing to remark on.",
        "severity_hard": "blocking",
        "severity_soft": "warning",
        "check_key_unique": "Report id is not unique",
        "check_accepted_codes": "Unknown code",
        "check_completeness": "Missing values",
        "check_volume_drop": "Number of reports fell sharply",
        "check_source_failed": "Source could not be read",
        "check_not_null": "Required value missing",
        "check_value_range": "Value out of range",
        "check_row_count": "Row count differs from expected",
        "check_freshness": "Data is not up to date",
        "check_other": "Other check ({check})",
        "method_sources": (
            "Sources: social reports by social-care professionals in {count} municipalities of "
            "Lapland (Social Welfare Act 1301/2014, section 7), as the warehouse holds them "
            "after this run."
        ),
        "method_period": (
            "Period: {start} – {end}. A report counts in the quarter of the day it was submitted "
            "(Finnish time), once, under its main theme; a corrected report replaces the "
            "earlier one."
        ),
        "method_suppression": (
            "Privacy: figures from 1 to {below} are hidden ({hidden}), as are figures from which "
            "a hidden figure could be worked out by subtraction. Identity codes, phone numbers, "
            "e-mail addresses and municipality names are removed from proposals, and the "
            "reporting municipality is not named."
        ),
        "method_trends": (
            "Change is the difference from the previous quarter and “Over a year” the difference "
            "from the same quarter a year earlier. A theme is rising when it has at least {share} "
            "and {minimum} reports more than in the previous quarter, and falling in the mirror "
            "case; a new theme had no published reports in the four previous quarters. "
            "Comparisons use published figures only."
        ),
        "method_quarantine": (
            "Rows that break the data contract are not counted: they wait in quarantine for the "
            "municipality's correction, and their numbers appear under Data quality."
        ),
        "method_outputs": (
            "Every published figure is in the file aggregates.csv; this brief was produced by "
            "the raportti pipeline."
        ),
        "mail_body": (
            "Attached: the social reporting brief of the Lapland welfare region, {quarter}."
        ),
    },
}

SUBREGION_NAMES: dict[str, dict[str, str]] = {
    "191": {"fi": "Rovaniemen seutukunta", "sv": "Rovaniemi ekonomiska region",
            "en": "Rovaniemi sub-region"},
    "192": {"fi": "Kemi-Tornion seutukunta", "sv": "Kemi-Torneå ekonomiska region",
            "en": "Kemi-Tornio sub-region"},
    "193": {"fi": "Torniolaakson seutukunta", "sv": "Tornedalens ekonomiska region",
            "en": "Torne Valley sub-region"},
    "194": {"fi": "Itä-Lapin seutukunta", "sv": "Östra Lapplands ekonomiska region",
            "en": "Eastern Lapland sub-region"},
    "196": {"fi": "Tunturi-Lapin seutukunta", "sv": "Fjäll-Lapplands ekonomiska region",
            "en": "Fell Lapland sub-region"},
    "197": {"fi": "Pohjois-Lapin seutukunta", "sv": "Norra Lapplands ekonomiska region",
            "en": "Northern Lapland sub-region"},
}  # fmt: skip

# Short names for table headers; a soft hyphen (U+00AD) marks where a narrow column may break.
SUBREGION_SHORT_NAMES: dict[str, dict[str, str]] = {
    "191": {"fi": "Rova\u00adniemi", "sv": "Rova\u00adniemi", "en": "Rova\u00adniemi"},
    "192": {"fi": "Kemi-Tornio", "sv": "Kemi-Torneå", "en": "Kemi-Tornio"},
    "193": {"fi": "Tornio\u00adlaakso", "sv": "Tornedalen", "en": "Torne Valley"},
    "194": {"fi": "Itä-Lappi", "sv": "Östra Lappland", "en": "Eastern Lapland"},
    "196": {"fi": "Tunturi-Lappi", "sv": "Fjäll-Lappland", "en": "Fell Lapland"},
    "197": {"fi": "Pohjois-Lappi", "sv": "Norra Lappland", "en": "Northern Lapland"},
}

MONTHS_EN: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def text(lang: str, key: str, **values: object) -> str:
    """Return the string `key` in `lang`, with `values` filled into its template."""
    template = TEXT[lang][key]
    return template.format(**values) if values else template


def subregion_name(code: str, lang: str, fallback: str, short: bool = False) -> str:
    """Return a subregion's name in `lang`, or `fallback` for a code the table does not know."""
    names = (SUBREGION_SHORT_NAMES if short else SUBREGION_NAMES).get(code)
    return names[lang] if names else fallback


def date_text(day: date, lang: str) -> str:
    """Return `day` as the language writes it (`1.10.2026`, `1 October 2026`)."""
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


def count_text(value: int | None, lang: str, threshold: int = DEFAULT_THRESHOLD) -> str:
    """Return a published count with the language's digit grouping, or `<threshold` if hidden."""
    if value is None:
        return f"<{threshold}"
    grouped = f"{value:,}"
    return grouped if lang == "en" else grouped.replace(",", "\u00a0")


def signed_text(value: int | None, lang: str) -> str:
    """Return a change with its sign (`+12`, `−3`, `0`), or an en dash when it is unknown."""
    if value is None:
        return "–"
    body = count_text(abs(value), lang)
    return f"+{body}" if value > 0 else f"\u2212{body}" if value < 0 else "0"


def percent_text(share: float, lang: str) -> str:
    """Return a share as a rounded percentage the way the language writes it."""
    rounded = round(share * 100)
    return f"{rounded}%" if lang == "en" else f"{rounded}\u00a0%"


def listing(items: list[str], lang: str) -> str:
    """Return `a, b and c` in the language."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {text(lang, 'list_and')} {items[-1]}"
