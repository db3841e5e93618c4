"""The feedback digest: each municipality's own page of what became of its reports (Finnish).

One PDF per municipality, `feedback/<code>-koonti.pdf` beside its feedback file: what its
professionals reported in the last four quarters (counts by theme and quarter) and, for each
of their proposals, its current status, decision reference and response. It goes to the
municipality's contact list only and is never published. Every text from data is redacted
at intake and escaped here; the bytes are reproducible.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table

from schemas.quarter import Quarter, quarter_of
from schemas.reference import Reference
from tasks.brief.charts import header_cells
from tasks.brief.markup import escaped, paragraph
from tasks.brief.style import MARGIN, PAGE_SIZE, register_fonts, table_style
from tasks.brief.text import date_text
from tasks.shared.files import OWNER_ONLY_FILE_MODE, write_file_atomically

DIGEST_SUFFIX = "-koonti.pdf"
STATUS_FI = {
    "open": "ei vastausta",
    "received": "vastaanotettu",
    "in_preparation": "valmistelussa",
    "decided": "päätetty",
    "implemented": "toteutettu",
    "not_taken_forward": "ei edetty",
}
URGENCY_FI = {"low": "matala", "medium": "keskitaso", "high": "korkea"}
ADDRESSEE_FI = {
    "municipality": "kunta",
    "welfare_region": "hyvinvointialue",
    "national": "valtakunnallinen",
    "ngo_or_other": "järjestö tai muu",
}


def theme_counts(reports: pl.DataFrame, quarters: list[str]) -> pl.DataFrame:
    """Return a municipality's reports by main theme (rows) and quarter (columns), with totals."""
    counted = (
        reports.with_columns(quarter_of("submitted_on").alias("quarter"))
        .filter(pl.col("quarter").is_in(quarters))
        .group_by("theme", "quarter")
        .len()
        .pivot(on="quarter", index="theme", values="len")
    )
    for quarter in quarters:
        if quarter not in counted.columns:
            counted = counted.with_columns(pl.lit(None, pl.UInt32).alias(quarter))
    return (
        counted.select("theme", *quarters)
        .fill_null(0)
        .with_columns(pl.sum_horizontal(quarters).alias("total"))
        .sort("total", "theme", descending=[True, False])
    )


def digest_story(
    code: str,
    quarter: Quarter,
    counts: pl.DataFrame,
    states: pl.DataFrame,
    quarters: list[str],
    reference: Reference,
) -> list[Flowable]:
    """Return one municipality's digest as flowables: counts by theme, then its proposals."""
    name = reference.municipalities.filter(pl.col("code") == code)["name_fi"].item()
    intro = (
        f"Kuntanne ammattilaisten sosiaaliset raportit {quarters[0]}–{quarters[-1]} ja se, "
        "mitä niiden ehdotuksille on tähän mennessä tapahtunut. Koonti on tarkoitettu "
        "kunnalle ja raportoijille, eikä sitä julkaista."
    )
    return [
        paragraph(escaped(f"Palautekooste: {name} – {quarter}"), "title"),
        paragraph(escaped(intro), "intro"),
        paragraph(escaped("Raportit teemoittain"), "h1"),
        _counts_table(counts, quarters, reference),
        Spacer(1, 6 * mm),
        paragraph(escaped("Ehdotukset ja niiden tila"), "h1"),
        *_proposals(states, reference),
    ]


def _counts_table(counts: pl.DataFrame, quarters: list[str], reference: Reference) -> Flowable:
    if counts.is_empty():
        return paragraph(escaped("Ei raportteja näiltä vuosineljänneksiltä."), "body")
    widths = [190, *[52] * len(quarters), 52]
    head = header_cells(["Teema", *quarters, "Yhteensä"], widths)
    rows = [
        [
            paragraph(escaped(reference.theme_label(row["theme"], "fi")), "cell"),
            *[str(row[q]) for q in quarters],
            str(row["total"]),
        ]
        for row in counts.iter_rows(named=True)
    ]
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style())
    return table


def _proposals(states: pl.DataFrame, reference: Reference) -> list[Flowable]:
    if states.is_empty():
        return [paragraph(escaped("Ei ehdotuksia näiltä vuosineljänneksiltä."), "body")]
    widths = [60, 44, 112, 66, 58, 153]
    labels = ["Raportti", "Jakso", "Teema / kenelle", "Tila", "Päätöspäivä", "Päätös ja vastaus"]
    head = [paragraph(escaped(label), "cell_head") for label in labels]
    rows = [_proposal_row(row, reference) for row in states.iter_rows(named=True)]
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style(numeric_from=len(widths)))
    return [table]


def _proposal_row(row: dict, reference: Reference) -> list[object]:
    theme = reference.theme_label(row["theme"], "fi")
    about = f"{theme} / {ADDRESSEE_FI.get(row['addressee_level'], row['addressee_level'])}"
    answer = " – ".join(part for part in (row["decision_ref"], row["response"]) if part) or "–"
    day = date_text(row["decided_on"], "fi") if row["decided_on"] else "–"
    urgent = " (kiireellinen)" if row["urgency"] == "high" else ""
    return [
        paragraph(escaped(row["report_id"]), "cell"),
        paragraph(escaped(row["quarter"]), "cell"),
        paragraph(escaped(about + urgent), "cell"),
        paragraph(escaped(STATUS_FI.get(row["status"], row["status"])), "cell"),
        paragraph(escaped(day), "cell"),
        paragraph(escaped(answer), "cell"),
    ]


def digest_pdf(story: list[Flowable], code: str, quarter: Quarter) -> bytes:
    """Return the digest's PDF bytes (Finnish, reproducible: no clock time inside)."""
    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        invariant=1,
        lang="fi",
        title=f"Sosiaalisen raportoinnin palautekooste {code} {quarter}",
        author="Lapin hyvinvointialue",
        creator="raportti",
        subject="Palautekooste kunnalle (ei julkaista)",
    )
    document.build(story)
    return buffer.getvalue()


def write_digests(
    folder: Path,
    quarter: Quarter,
    reports: pl.DataFrame,
    states: pl.DataFrame,
    quarters: list[str],
    reference: Reference,
) -> list[Path]:
    """Write every municipality's digest into `folder`; return the files."""
    written = []
    for code in reference.municipality_codes:
        own = states.filter(pl.col("municipality_code") == code)
        counts = theme_counts(reports.filter(pl.col("municipality_code") == code), quarters)
        story = digest_story(code, quarter, counts, own, quarters, reference)
        data = digest_pdf(story, code, quarter)
        path = folder / f"{code}{DIGEST_SUFFIX}"
        written.append(write_file_atomically(path, data, OWNER_ONLY_FILE_MODE))
    return written
