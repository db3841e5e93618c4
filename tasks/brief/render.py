"""The brief's PDF: the sections' flowables rendered, byte-reproducibly, one file per language.

Pure builders turn the quarter's published figures into `BriefFacts` and the
facts into reportlab flowables, one builder per section; `render_pdf` and
`write_briefs` are the only steps that touch the disk. Every string that
comes from data (labels, names, quoted proposals) is escaped before it meets
reportlab's paragraph markup; figures from 1 to threshold − 1 never appear,
only `<threshold`.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.platypus import (
    Flowable,
)

from tasks.brief.facts import BriefFacts
from tasks.brief.markup import quarter_text
from tasks.brief.sections import brief_story
from tasks.brief.style import (
    brief_document,
    numbered_canvas,
    pdf_date,
)
from tasks.brief.text import (
    BRIEF_LANGUAGES,
    text,
)
from tasks.shared.files import write_file_atomically


def brief_metadata(facts: BriefFacts, lang: str) -> dict[str, str]:
    """Return the PDF's title, subject, author and creator: the welfare region, never a person."""
    region = text(lang, "welfare_region")
    quarter = quarter_text(facts.quarter, lang)
    return {
        "title": f"{text(lang, 'title')} – {quarter}",
        "subject": text(lang, "doc_subject", quarter=quarter),
        "author": region,
        "creator": region,
        "keywords": "",
    }


def render_pdf(story: list[Flowable], path: Path, facts: BriefFacts, lang: str) -> Path:
    """Write the story as the brief's PDF at `path`, atomically and byte-reproducibly.

    Args:
        story: the flowables of `brief_story` (consumed by the build).
        path: the PDF's final name; its folder must exist.
        facts: the facts the story was built from (quarter, metadata).
        lang: the brief's language (`fi`, `sv`, `en`), written into the PDF.

    Returns:
        `path`, once the complete file is in place.
    """
    buffer = io.BytesIO()
    header = (
        text(lang, "header", welfare_region=text(lang, "welfare_region")),
        quarter_text(facts.quarter, lang),
    )
    doc = brief_document(
        buffer, lang, header, text(lang, "welfare_region"), brief_metadata(facts, lang)
    )
    created = facts.published_on
    canvas = numbered_canvas(
        text(lang, "page_of"), pdf_date(created.year, created.month, created.day)
    )
    doc.build(story, canvasmaker=canvas)
    write_file_atomically(path, buffer.getvalue())
    return path


def write_briefs(facts: BriefFacts, out_dir: Path) -> list[Path]:
    """Write `brief-fi.pdf`, `brief-sv.pdf` and `brief-en.pdf` for the facts into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        render_pdf(brief_story(facts, lang), out_dir / f"brief-{lang}.pdf", facts, lang)
        for lang in BRIEF_LANGUAGES
    ]
