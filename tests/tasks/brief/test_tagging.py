"""The tagged PDF (PDF/UA-1), read back: poppler, the structure tree, content streams, pdfua."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfua import validate
from reportlab.platypus import SimpleDocTemplate

from tasks.brief.charts import CHART_THEMES, KEY_THEMES
from tasks.brief.describe import theme_chart_alt, trend_chart_alt
from tasks.brief.facts import BriefFacts
from tasks.brief.followup import FOLLOWUP_TEXT
from tasks.brief.markup import quarter_text
from tasks.brief.render import render_pdf
from tasks.brief.sections import brief_story
from tasks.brief.text import count_text, text

_GRAPHICS_STATE = {"q", "Q", "cm", "BT", "ET", "Tf", "gs"}
_PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh"}


@pytest.fixture(scope="module")
def pdfs(facts: BriefFacts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tagged")
    return {
        lang: render_pdf(brief_story(facts, lang), folder / f"brief-{lang}.pdf", facts, lang)
        for lang in ("fi", "en")
    }


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Return every structure element in reading order (depth first)."""
    found: list[pikepdf.Dictionary] = []

    def walk(node: pikepdf.Object) -> None:
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR":
                found.append(kid)
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def _tag(element: pikepdf.Dictionary) -> str:
    return str(element.S)[1:]


def _kid_elements(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    return [
        kid
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR"
    ]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_pdfinfo_reads_a_tagged_pdf_with_its_language_and_title(
    pdfs: dict[str, Path], lang: str
) -> None:
    info = _run("pdfinfo", str(pdfs[lang]))
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    with pikepdf.open(pdfs[lang]) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert text(lang, "title") in str(pdf.docinfo.Title)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_font_is_embedded(pdfs: dict[str, Path], lang: str) -> None:
    rows = _run("pdffonts", str(pdfs[lang])).splitlines()[2:]
    assert rows, "pdffonts lists no font"
    for row in rows:
        assert row.split()[-5] == "yes", row
        assert "Helvetica" not in row


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_headings_come_in_the_order_of_the_sections(pdfs: dict[str, Path], lang: str) -> None:
    struct = _run("pdfinfo", "-struct-text", str(pdfs[lang]))
    headings = re.findall(r'^\s*(H[1-3]) \(block\)\s*\n\s*"(.*)"', struct, re.M)
    assert headings[0] == ("H1", text(lang, "title"))
    sections = [t for level, t in headings if level == "H2"]
    expected = [
        text(lang, key)
        for key in (
            "section_key_findings",
            "section_themes",
            "section_trends",
            "section_areas",
            "section_target_groups",
            "section_proposals",
            "section_quality",
            "section_method",
        )
    ]
    expected.insert(-2, FOLLOWUP_TEXT[lang]["heading"])
    assert sections == expected
    assert all(level in ("H1", "H2", "H3") for level, _t in headings)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_table_has_column_and_row_header_cells_and_every_figure_alt_text(
    facts: BriefFacts, pdfs: dict[str, Path], lang: str
) -> None:
    with pikepdf.open(pdfs[lang]) as pdf:
        elements = _elements(pdf)
        tables = [e for e in elements if _tag(e) == "Table"]
        assert len(tables) >= 6
        for table in tables:
            rows = _kid_elements(table)
            assert rows
            assert all(_tag(row) == "TR" for row in rows)
            first = _kid_elements(rows[0])
            assert first
            assert all(_tag(cell) == "TH" for cell in first)
            assert all(str(cell.A.Scope) == "/Column" for cell in first)
            cells = [
                [(_tag(c), str(c.get("/A", {}).get("/Scope", ""))) for c in _kid_elements(row)]
                for row in rows
            ]
            body = [row for row in cells[1:] if {scope for _name, scope in row} != {"/Column"}]
            assert body
            assert all(row[0] == ("TH", "/Row") for row in body)
            assert all(cell == ("TD", "") for row in body for cell in row[1:])
        figures = [e for e in elements if _tag(e) == "Figure"]
        shown = [f for f in facts.themes if f.reports != 0 or f.previous != 0]
        assert [str(f.Alt) for f in figures] == [
            theme_chart_alt(facts, lang, shown[:KEY_THEMES]),
            theme_chart_alt(facts, lang, shown[:CHART_THEMES]),
            trend_chart_alt(facts, lang),
        ]


def test_the_alt_text_says_the_figures_the_chart_shows(facts: BriefFacts) -> None:
    top = facts.themes[0]
    alt = theme_chart_alt(facts, "en", [top])
    label = facts.label("theme", top.theme, "en")
    assert f"{label} {top.reports} (" in alt
    assert f": {top.previous if top.previous is not None else '<5'})" in alt


def _without_artifacts(path: Path, target: Path) -> Path:
    """Write a copy of the PDF whose pages keep only their tagged (non-artifact) content."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            kept, artifact_depth, depth = [], 0, 0
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    depth += 1
                    if artifact_depth == 0 and str(operands[0]) == "/Artifact":
                        artifact_depth = depth
                        continue
                elif name == "EMC":
                    closing, depth = depth == artifact_depth, depth - 1
                    if closing:
                        artifact_depth = 0
                        continue
                if artifact_depth == 0 or name in _GRAPHICS_STATE:
                    kept.append((operands, operator))
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(target)
    return target


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_text_read_through_the_tree_is_the_text_on_the_pages(
    pdfs: dict[str, Path], lang: str, tmp_path: Path
) -> None:
    struct = _run("pdfinfo", "-struct-text", str(pdfs[lang]))
    tree_text = "".join(re.findall(r'^\s*"(.*)"\s*$', struct, re.M))
    tagged_only = _without_artifacts(pdfs[lang], tmp_path / "tagged-only.pdf")
    page_text = _run("pdftotext", "-raw", "-enc", "UTF-8", str(tagged_only), "-")
    everything = _run("pdftotext", "-raw", "-enc", "UTF-8", str(pdfs[lang]), "-")

    def squeezed(value: str) -> str:
        return re.sub(r"\s+", "", value.replace("\u00ad", ""))

    assert squeezed(tree_text) == squeezed(page_text)
    artifacts = squeezed(everything).replace(squeezed(page_text), "", 1)
    assert squeezed(text(lang, "welfare_region")) in artifacts  # the cover band, an artifact
    assert squeezed(text(lang, "page_of").format(page=1, pages=1)) not in squeezed(page_text)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_nothing_is_painted_outside_marked_content(pdfs: dict[str, Path], lang: str) -> None:
    with pikepdf.open(pdfs[lang]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            depth = 0
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    depth += 1
                elif name == "EMC":
                    depth -= 1
                    assert depth >= 0, f"page {number}: EMC without BDC"
                elif name in _PAINTING:
                    assert depth > 0, f"page {number}: {name} {operands} outside marked content"
            assert depth == 0, f"page {number}: marked content left open"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_quote_in_another_language_carries_its_language(
    facts: BriefFacts, pdfs: dict[str, Path], lang: str
) -> None:
    sami = [q for q in facts.quotes if q.language == "se"]
    assert sami, "the fixture should quote a Sámi proposal"
    with pikepdf.open(pdfs[lang]) as pdf:
        quotes = [e for e in _elements(pdf) if _tag(e) == "BlockQuote"]
        languages = [str(q.Lang) if "/Lang" in q else None for q in quotes]
    assert len(quotes) == len(facts.quotes)
    assert languages.count("se") == len(sami)
    assert lang not in languages


def test_two_builds_are_byte_identical(facts: BriefFacts, tmp_path: Path) -> None:
    first = render_pdf(brief_story(facts, "fi"), tmp_path / "a.pdf", facts, "fi")
    second = render_pdf(brief_story(facts, "fi"), tmp_path / "b.pdf", facts, "fi")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_pdfua_package_finds_no_failure(pdfs: dict[str, Path], lang: str) -> None:
    """`pdfua` runs a subset (16 of 106) of PDF/UA-1's machine-checkable rules: partial."""
    report = validate(str(pdfs[lang]))
    assert report.findings == ()
    assert report.skipped == ()
    assert all(o.skipped_reason is None for o in report.outcomes)
    assert len(report.outcomes) >= 12


def test_the_pdfua_package_fails_an_untagged_pdf(facts: BriefFacts, tmp_path: Path) -> None:
    untagged = tmp_path / "untagged.pdf"
    SimpleDocTemplate(str(untagged)).build(brief_story(facts, "en")[:6])
    rules = {finding.rule_id for finding in validate(str(untagged)).findings}
    assert {"UA-01-002", "UA-07-001"} & rules, rules


_ELEMENT_LINE = re.compile(r"^(\s*)([A-Za-z][A-Za-z0-9]*)(?: \((?:block|inline)\))?:?\s*$")
_TEXT_LINE = re.compile(r'^\s*"(.*)"\s*$')


def structure_tables(struct: str) -> list[tuple[str, list[list[str]]]]:
    """Return each Table of `pdfinfo -struct-text` with the H2 above it: rows of cell texts."""
    tables: list[tuple[str, list[list[str]]]] = []
    section, expecting = "", ""
    for line in struct.splitlines():
        element, words = _ELEMENT_LINE.match(line), _TEXT_LINE.match(line)
        if element:
            expecting = element[2]
            if expecting == "Table":
                tables.append((section, []))
            elif expecting == "TR" and tables:
                tables[-1][1].append([])
        elif words and expecting == "H2":
            section = words[1].strip()
        elif words and expecting in ("TH", "TD") and tables and tables[-1][1]:
            tables[-1][1][-1].append(" ".join(words[1].split()))
    return tables


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_page_one_shows_the_key_chart_with_its_figures_table_beside_it(
    facts: BriefFacts, pdfs: dict[str, Path], lang: str
) -> None:
    shown = [f for f in facts.themes if f.reports != 0 or f.previous != 0][:KEY_THEMES]
    quarters = [quarter_text(q, lang) for q in (facts.quarter, facts.trend_quarters[-2])]
    expected = [
        [text(lang, "col_theme"), *quarters],
        *(
            [
                facts.label("theme", f.theme, lang),
                *(count_text(n, lang, facts.threshold) for n in (f.reports, f.previous)),
            ]
            for f in shown
        ),
    ]
    first = structure_tables(_run("pdfinfo", "-struct-text", str(pdfs[lang])))[0]
    assert first == (text(lang, "section_key_findings"), expected)
    with pikepdf.open(pdfs[lang]) as pdf:
        elements = _elements(pdf)
        chart = next(i for i, e in enumerate(elements) if _tag(e) == "Figure")
        table, first_cell = elements[chart + 1], elements[chart + 3]
        assert (_tag(table), _tag(first_cell)) == ("Table", "TH")
        assert elements[chart].Pg == first_cell.Pg == pdf.pages[0].obj


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_decision_reference_carries_the_language_it_is_written_in(
    facts: BriefFacts, pdfs: dict[str, Path], lang: str
) -> None:
    assert facts.followup is not None
    assert facts.followup.decisions
    with pikepdf.open(pdfs[lang]) as pdf:
        marked = [str(e.Lang) for e in _elements(pdf) if _tag(e) == "TD" and "/Lang" in e]
    assert marked == ([] if lang == "fi" else ["fi"] * len(facts.followup.decisions))
