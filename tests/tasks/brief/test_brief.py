"""Tests for the decision-maker's brief: facts, quotes, the PDF in three languages, safety."""

from __future__ import annotations

import getpass
import re
import struct
import subprocess
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from pypdf import PdfReader
from reportlab.platypus import Spacer

from demo.synthetic import QUARTER, REFERENCE, approved_quotes, quarter_inputs, synthetic_reports
from schemas.fields import REPORT_DTYPES
from schemas.findings import Finding
from schemas.reference import Reference
from tasks.brief.facts import BriefFacts, brief_facts
from tasks.brief.quotes import place_names
from tasks.brief.render import render_pdf, write_briefs
from tasks.brief.sections import brief_story
from tasks.brief.text import BRIEF_LANGUAGES, TEXT, count_text, percent_text, subregion_name
from tasks.figures.aggregate import also_mentioned, published_cells, quarter_trends, report_mix

PLACES = place_names(REFERENCE)


# --- PDF reading helpers ----------------------------------------------------------------------


def pdf_text(path: Path, layout: bool = False) -> str:
    """Return the PDF's text with whitespace (no-break spaces too) collapsed.

    With `layout`, each table row stays on one line (lines are joined by ` | `).
    """
    options = ["-layout"] if layout else []
    out = subprocess.run(
        ["pdftotext", *options, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    text = out.stdout.decode("utf-8").replace("\u00a0", " ")
    if layout:
        return " | ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return " ".join(text.split())


def page_grays(path: Path, resolution: int = 30) -> list[tuple[int, int, bytes]]:
    """Return every page as (width, height, 8-bit gray pixels) rendered by pdftoppm."""
    out = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(resolution), str(path)], capture_output=True, check=True
    )
    pages, data = [], out.stdout
    while data:
        match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)
        assert match, "pdftoppm did not write a binary PGM"
        width, height = int(match.group(1)), int(match.group(2))
        start = match.end()
        pages.append((width, height, data[start : start + width * height]))
        data = data[start + width * height :]
    return pages


def ink_share(width: int, pixels: bytes, top: float, bottom: float, height: int) -> float:
    """Return the share of non-white pixels between two heights (fractions of the page)."""
    region = pixels[int(top * height) * width : int(bottom * height) * width]
    return sum(value < 200 for value in region) / max(len(region), 1)


# --- module-scoped renders --------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports() -> pl.DataFrame:
    return synthetic_reports(240)


@pytest.fixture(scope="module")
def inputs(reports: pl.DataFrame) -> dict[str, object]:
    return quarter_inputs(reports)


@pytest.fixture(scope="module")
def facts(inputs: dict[str, object]) -> BriefFacts:
    return brief_facts(**inputs)


@pytest.fixture(scope="module")
def briefs(facts: BriefFacts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("briefs")
    paths = write_briefs(facts, out)
    return {path.stem.removeprefix("brief-"): path for path in paths}


@pytest.fixture(scope="module")
def texts(briefs: dict[str, Path]) -> dict[str, str]:
    return {lang: pdf_text(path) for lang, path in briefs.items()}


# --- quotes -----------------------------------------------------------------------------------


def _report(report_id: str, **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "report_id": report_id,
        "municipality_code": "698",
        "submitted_on": date(2026, 8, 1),
        "updated_at": datetime(2026, 8, 1, tzinfo=UTC),
        "reporter_role": "social_worker",
        "theme": "housing",
        "secondary_themes": [],
        "target_group": "everyone",
        "clients_affected": None,
        "phenomenon": "Asunnottomuus on lisääntynyt nuorten keskuudessa.",
        "causes": None,
        "consequences": None,
        "proposal": "Lisää tuettua asumista.",
        "addressee_level": "welfare_region",
        "urgency": "medium",
        "consent_to_quote": True,
        "report_type": "problem",
        "language": "fi",
    }
    return base | fields


def _reports(*rows: dict[str, object]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=REPORT_DTYPES)


def test_only_consented_non_empty_proposals_are_quoted() -> None:
    reports = _reports(
        _report("1", proposal="Lisää tuettua asumista."),
        _report("2", consent_to_quote=False, proposal="Ei lupaa lainata."),
        _report("3", consent_to_quote=None, proposal="Lupa puuttuu."),
        _report("4", proposal="   "),
        _report("5", proposal=None),
    )
    expected = pl.DataFrame(
        {
            "theme": ["housing"],
            "addressee_level": ["welfare_region"],
            "text": ["Lisää tuettua asumista."],
            "language": ["fi"],
        }
    )
    assert_frame_equal(approved_quotes(reports, PLACES), expected)


def test_quotes_are_chosen_by_urgency_then_report_id_at_most_n_per_theme() -> None:
    reports = _reports(
        _report("b", urgency="low", proposal="Matala."),
        _report("c", urgency="high", proposal="Kiireellinen C."),
        _report(
            "a",
            urgency="high",
            proposal="Kiireellinen A.",
            addressee_level="national",
            language="se",
        ),
        _report("d", urgency="medium", proposal="Keskitaso."),
        _report(
            "e",
            theme="debt",
            urgency="low",
            proposal="Velkaneuvontaa.",
            addressee_level="municipality",
        ),
    )
    expected = pl.DataFrame(
        {
            "theme": ["debt", "housing", "housing"],
            "addressee_level": ["municipality", "welfare_region", "national"],
            "text": ["Velkaneuvontaa.", "Kiireellinen C.", "Kiireellinen A."],
            "language": ["fi", "fi", "se"],
        }
    )
    assert_frame_equal(approved_quotes(reports, PLACES, max_per_theme=2), expected)


def test_the_same_words_are_quoted_once_under_one_addressee_level() -> None:
    reports = _reports(
        _report("a", proposal="Lisää tuettua asumista."),
        _report("b", proposal="Lisää  tuettua asumista.", theme="debt"),
        _report("c", proposal="Lisää tuettua asumista.", addressee_level="national"),
        _report("d", proposal="Toinen ehdotus."),
    )
    quotes = approved_quotes(reports, PLACES, max_per_theme=3)
    assert quotes.select("addressee_level", "text").rows() == [
        ("welfare_region", "Lisää tuettua asumista."),
        ("welfare_region", "Toinen ehdotus."),
        ("national", "Lisää tuettua asumista."),
    ]


@pytest.mark.parametrize(
    ("proposal", "secret"),
    [
        ("Soita asiakkaalle 131052-308T ennen kokousta.", "131052-308T"),
        ("Yhteys numeroon 040 123 4567 heti.", "040 123 4567"),
        (
            "Kirjoita osoitteeseen matti.meikalainen@example.fi asiasta.",
            "matti.meikalainen@example.fi",
        ),
        ("Asiakas 010199A9876 tarvitsee apua.", "010199A9876"),
    ],
)
def test_identity_codes_phones_and_emails_are_redacted_in_quotes(
    proposal: str, secret: str
) -> None:
    quotes = approved_quotes(_reports(_report("1", proposal=proposal)), PLACES)
    assert secret not in quotes["text"].item()
    assert re.search(r"\[(henkilötunnus|puhelinnumero|sähköposti)\]", quotes["text"].item())


@pytest.mark.parametrize(
    "place",
    ["Rovaniemellä", "Utsjoella", "Inarissa", "Torneå", "Kemijärven", "Ohcejohka", "Sallassa"],
)
def test_municipality_names_and_their_inflections_are_removed_from_quotes(place: str) -> None:
    quotes = approved_quotes(
        _reports(_report("1", proposal=f"Palveluja tarvitaan {place} pian.")), PLACES
    )
    assert quotes["text"].item() == "Palveluja tarvitaan [paikka] pian."


def test_long_proposals_are_shortened_at_a_word_boundary_with_an_ellipsis() -> None:
    proposal = "Tuettua asumista tarvitaan lisää " * 20
    text = approved_quotes(_reports(_report("1", proposal=proposal)), PLACES, max_chars=60)[
        "text"
    ].item()
    assert len(text) <= 60
    assert text.endswith("…")
    assert proposal.startswith(text.removesuffix("…"))
    assert proposal[len(text) - 1] == " "


def test_quote_with_nothing_left_after_redaction_is_skipped() -> None:
    reports = _reports(
        _report("1", urgency="high", proposal="040 123 4567"),
        _report("2", proposal="Lisää sosiaaliohjausta."),
    )
    assert approved_quotes(reports, PLACES)["text"].to_list() == ["Lisää sosiaaliohjausta."]


def test_quotes_of_no_reports_are_an_empty_frame_with_the_quote_columns() -> None:
    quotes = approved_quotes(_reports(), PLACES)
    assert quotes.schema == pl.Schema(
        {
            "theme": pl.String,
            "addressee_level": pl.String,
            "text": pl.String,
            "language": pl.String,
        }
    )
    assert quotes.is_empty()


# --- facts ------------------------------------------------------------------------------------


def test_facts_take_the_region_total_and_theme_counts_from_the_cube(
    facts: BriefFacts, inputs: dict[str, object]
) -> None:
    cells: pl.DataFrame = inputs["cells"]  # type: ignore[assignment]
    region = cells.filter((pl.col("level") == "region") & (pl.col("target_group") == "all"))
    expected = dict(region.select("theme", "reports").iter_rows())
    assert facts.total == expected["all"]
    assert {f.theme: f.reports for f in facts.themes} == {
        k: v for k, v in expected.items() if k != "all"
    }


def test_facts_hold_no_count_from_one_to_four(facts: BriefFacts) -> None:
    counts = [facts.total, facts.previous_total]
    counts += [c for f in facts.themes for c in (f.reports, f.previous, f.mentions)]
    counts += [
        c
        for area in facts.subregions + facts.municipalities
        for c in (area.reports, *area.by_theme.values())
    ]
    counts += [c for _code, c in facts.target_groups] + [
        c for values in facts.mix.values() for _v, c in values
    ]
    counts += [c for values in facts.trend_series.values() for c in values]
    assert not [c for c in counts if c is not None and 0 < c < 5]


def test_themes_are_ordered_largest_first_with_hidden_ones_before_zeros(facts: BriefFacts) -> None:
    kinds = [
        "published" if f.reports else "hidden" if f.reports is None else "zero"
        for f in facts.themes
    ]
    assert kinds == sorted(kinds, key=["published", "hidden", "zero"].index)
    published = [f.reports for f in facts.themes if f.reports]
    assert published == sorted(published, reverse=True)


def test_mostly_hidden_municipality_figures_make_the_brief_fall_back_to_subregions() -> None:
    reports = synthetic_reports(40, seed=3)
    facts = brief_facts(**quarter_inputs(reports))
    assert facts.municipality_themes_hidden
    assert facts.municipality_totals_hidden
    many = brief_facts(**quarter_inputs(synthetic_reports(3000, seed=3)))
    assert not many.municipality_totals_hidden


# --- the PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_every_page_has_ink_and_the_cover_title_area_holds_ink(
    briefs: dict[str, Path], lang: str
) -> None:
    pages = page_grays(briefs[lang])
    assert len(pages) >= 4
    for width, height, pixels in pages:
        assert ink_share(width, pixels, 0.0, 1.0, height) > 0.01
    width, height, pixels = pages[0]
    assert ink_share(width, pixels, 0.14, 0.24, height) > 0.02


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_pdf_text_holds_the_region_total_and_the_top_themes_from_the_cube(
    texts: dict[str, str], inputs: dict[str, object], lang: str
) -> None:
    cells: pl.DataFrame = inputs["cells"]  # type: ignore[assignment]
    region = cells.filter(
        (pl.col("level") == "region")
        & (pl.col("target_group") == "all")
        & (pl.col("theme") != "all")
    ).sort("reports", "theme", descending=[True, False], nulls_last=True)
    total = cells.filter(
        (pl.col("level") == "region")
        & (pl.col("theme") == "all")
        & (pl.col("target_group") == "all")
    )
    text = texts[lang]
    assert count_text(total["reports"].item(), lang) in text
    for theme, reports in region.head(3).select("theme", "reports").iter_rows():
        assert f"{REFERENCE.theme_label(theme, lang)} ({count_text(reports, lang)})" in text


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_pdf_table_rows_hold_the_subregion_totals_and_hidden_cells_as_less_than_five(
    briefs: dict[str, Path], facts: BriefFacts, lang: str
) -> None:
    rows = pdf_text(briefs[lang], layout=True).split(" | ")
    totals = " ".join(count_text(area.reports, lang) for area in facts.subregions)
    assert f"{TEXT[lang]['row_total']} {totals} {count_text(facts.total, lang)}" in rows
    hidden = next(f for f in facts.themes if f.reports is None)
    label = REFERENCE.theme_label(hidden.theme, lang)
    assert any(row.startswith(label) and " <5 " in f"{row} " for row in rows)


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_pdf_text_holds_the_sections_and_page_numbers_x_of_y(
    texts: dict[str, str], briefs: dict[str, Path], lang: str
) -> None:
    text = texts[lang]
    keys = ("welfare_region", "title", "section_key_findings", "section_themes", "section_trends",
            "section_areas", "section_target_groups", "section_proposals", "section_quality",
            "section_method")  # fmt: skip
    assert [key for key in keys if TEXT[lang][key] not in text] == []
    pages = len(PdfReader(briefs[lang]).pages)
    for page in range(1, pages + 1):
        assert TEXT[lang]["page_of"].format(page=page, pages=pages) in text


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_pdf_states_a_completeness_finding_as_the_share_of_reports_missing_the_field(
    briefs: dict[str, Path], lang: str
) -> None:
    rows = pdf_text(briefs[lang], layout=True).split(" | ")
    missing = (
        f"{TEXT[lang]['check_completeness']} {TEXT[lang]['severity_soft']} – "
        f"clients_affected {percent_text(0.62, lang)}"
    ).replace("\u00a0", " ")
    assert missing in rows


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_pdf_quarantine_table_shows_every_count_and_the_total_they_add_up_to(
    briefs: dict[str, Path], texts: dict[str, str], facts: BriefFacts, lang: str
) -> None:
    rows = pdf_text(briefs[lang], layout=True).split(" | ")
    assert f"{facts.label('municipality', '148', lang)} 2" in rows
    assert f"{facts.label('municipality', '851', lang)} 7" in rows
    assert " ".join(TEXT[lang]["quality_rejected"].format(rows=9).split()) in texts[lang]


def test_every_language_table_has_the_same_keys_and_template_fields() -> None:
    fields = {
        lang: {key: set(re.findall(r"{(\w+)}", template)) for key, template in TEXT[lang].items()}
        for lang in BRIEF_LANGUAGES
    }
    assert fields["sv"] == fields["fi"]
    assert fields["en"] == fields["fi"]
    assert all(value.strip() for lang in BRIEF_LANGUAGES for value in TEXT[lang].values())


def _distinct_finnish_words(reference: Reference, extra: list[str]) -> set[str]:
    """Return words of the Finnish UI table that no Swedish/English string or data label uses."""
    others = " ".join(TEXT["sv"].values()) + " " + " ".join(TEXT["en"].values())
    for table in (reference.themes, reference.target_groups, reference.municipalities):
        others += " " + " ".join(str(v) for row in table.iter_rows() for v in row if v)
    others += " " + " ".join(extra)
    known = set(re.findall(r"\w+", others.lower()))
    finnish = set(re.findall(r"[^\W\d_]{6,}", " ".join(TEXT["fi"].values()).lower()))
    return finnish - known


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_finnish_ui_string_appears_in_the_swedish_or_english_brief(
    texts: dict[str, str], facts: BriefFacts, lang: str
) -> None:
    words = set(re.findall(r"\w+", texts[lang].lower()))
    finnish = _distinct_finnish_words(REFERENCE, [quote.text for quote in facts.quotes])
    assert len(finnish) > 100
    assert sorted(words & finnish) == []
    fragments = {
        fragment.strip()
        for key, template in TEXT["fi"].items()
        if template != TEXT[lang][key]
        for fragment in re.split(r"{\w+}", template)
        if len(fragment.strip()) >= 12
    }
    assert [fragment for fragment in fragments if " ".join(fragment.split()) in texts[lang]] == []


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_metadata_names_the_welfare_region_and_the_language_with_a_fixed_date(
    briefs: dict[str, Path], lang: str
) -> None:
    reader = PdfReader(briefs[lang])
    info = reader.metadata
    region = TEXT[lang]["welfare_region"]
    assert info["/Author"] == region
    assert info["/Creator"] == region
    assert region not in ("anonymous", "unspecified")
    assert info["/Title"].startswith(TEXT[lang]["title"])
    for value in info.values():
        assert str(briefs[lang].parent) not in value
        assert str(Path.cwd()) not in value
        assert getpass.getuser() not in value.lower().split()
    assert info["/CreationDate"].startswith("D:20261001000000")
    assert info["/ModDate"] == info["/CreationDate"]
    assert reader.trailer["/Root"]["/Lang"] == lang


def test_dejavu_is_embedded_and_the_only_font(briefs: dict[str, Path]) -> None:
    fonts = set()
    for page in PdfReader(briefs["fi"]).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "/FontFile2" in font["/FontDescriptor"].get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts == {"DejaVuSans", "DejaVuSans-Bold"}


def test_the_same_facts_give_the_same_bytes(
    facts: BriefFacts, briefs: dict[str, Path], tmp_path: Path
) -> None:
    again = render_pdf(brief_story(facts, "fi"), tmp_path / "brief-fi.pdf", facts, "fi")
    assert again.read_bytes() == briefs["fi"].read_bytes()


def test_render_replaces_the_file_atomically_and_leaves_no_temporary_file(
    facts: BriefFacts, tmp_path: Path
) -> None:
    target = tmp_path / "brief-en.pdf"
    target.write_bytes(b"old brief")

    class Broken(Spacer):
        def wrap(self, *_args: object) -> tuple[float, float]:
            raise RuntimeError("build failed half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        render_pdf([*brief_story(facts, "en")[:5], Broken(1, 1)], target, facts, "en")
    assert target.read_bytes() == b"old brief"
    render_pdf(brief_story(facts, "en"), target, facts, "en")
    assert target.read_bytes().startswith(b"%PDF")
    assert [path.name for path in tmp_path.iterdir()] == ["brief-en.pdf"]


def test_write_briefs_writes_the_three_languages(briefs: dict[str, Path]) -> None:
    assert sorted(path.name for path in briefs.values()) == [
        "brief-en.pdf",
        "brief-fi.pdf",
        "brief-sv.pdf",
    ]


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_the_cover_says_whose_data_was_read_and_the_method_note_keeps_the_lower_bound(
    facts: BriefFacts, texts: dict[str, str], lang: str
) -> None:
    assert facts.municipalities_unknown
    assert facts.municipalities_reporting
    read = facts.municipality_count - len(set(facts.failed_municipalities))
    assert f"{read}/21" in texts[lang]
    lower_bound = TEXT[lang]["method_reporting"].format(
        reporting=facts.municipalities_reporting, total=21
    )
    assert lower_bound in texts[lang]
    assert "≥" not in texts[lang]


@pytest.mark.parametrize("count", [0, 3, 5000])
def test_briefs_of_zero_few_and_thousands_of_reports_render_and_say_so(
    count: int, tmp_path: Path
) -> None:
    reports = synthetic_reports(count, seed=7)
    facts = brief_facts(**quarter_inputs(reports))
    path = render_pdf(brief_story(facts, "en"), tmp_path / "brief-en.pdf", facts, "en")
    text = pdf_text(path)
    if count == 0:
        assert TEXT["en"]["finding_none"] in text
    elif count == 3:
        read = 21 - len(set(facts.failed_municipalities))
        assert (
            TEXT["en"]["finding_total_read"].format(count="<5", municipalities=read, total=21)
            in text
        )
        assert facts.municipalities_reporting == 0
        assert TEXT["en"]["method_reporting"].split("{")[0] not in text  # no "at least 0/21"
        assert f"{read}/21" in text
        assert TEXT["en"]["figure_municipalities"] in text
    else:
        assert TEXT["en"]["areas_municipalities_intro"] in text
        assert count_text(count, "en") in text


# --- safety: untrusted text never acts as markup ----------------------------------------------


def _png(path: Path) -> Path:
    """Write a tiny valid red PNG image and return its path."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff\x00\x00" * 2)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def _hostile_reference(png: Path) -> Reference:
    theme = (
        f'<font color=red>Asuminen</font> & </para> <img src="{png}"/> '
        '<a href="javascript:alert(1)">klikkaa</a> <b'
    )
    place = '<img src=/etc/hostname> Rovaniemi & <a href="javascript:alert(1)">x</a>'
    group = "</para><para>Nuoret & <unbalanced"

    def replaced(frame: pl.DataFrame, code: str, value: str, columns: list[str]) -> pl.DataFrame:
        return frame.with_columns(
            pl.when(pl.col("code") == code).then(pl.lit(value)).otherwise(pl.col(c)).alias(c)
            for c in columns
        )

    return Reference(
        municipalities=replaced(REFERENCE.municipalities, "698", place, ["name_fi", "name_sv"]),
        themes=replaced(REFERENCE.themes, "housing", theme, ["fi", "sv", "en"]),
        target_groups=replaced(REFERENCE.target_groups, "everyone", group, ["fi", "sv", "en"]),
    )


HOSTILE_PROPOSAL = (
    'Ehdotus <font color=red>punainen</font> </para> <img src="{png}"/> '
    '<a href="javascript:alert(1)">linkki</a> & <b>lihava <i> '
    "hetu 131052-308T puh 040 123 4567 posti matti@example.fi saamea: á č đ ŋ š ŧ ž"
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("hostile")
    png = _png(folder / "planted.png")
    reference = _hostile_reference(png)
    reports = synthetic_reports(300, seed=11).with_columns(
        proposal=pl.lit(HOSTILE_PROPOSAL.format(png=png)), consent_to_quote=pl.lit(True)
    )
    quotes = approved_quotes(reports, place_names(reference), max_chars=1000)
    inputs = quarter_inputs(
        reports,
        reference,
        quotes=quotes,
        failed_municipalities=["698"],
        findings=[
            Finding(
                '<a href="javascript:x">check</a>', "hard", "<img src=/etc/hostname>", "698", 2.0
            )
        ],
    )
    facts = brief_facts(**inputs)
    paths = {
        lang: render_pdf(brief_story(facts, lang), folder / f"brief-{lang}.pdf", facts, lang)
        for lang in ("fi", "en")
    }
    return {"png": png, "paths": paths}


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_hostile_text_adds_no_image_and_no_link_to_the_pdf(
    hostile: dict[str, object], lang: str
) -> None:
    reader = PdfReader(hostile["paths"][lang])  # type: ignore[index]
    for page in reader.pages:
        assert "/Annots" not in page
        objects = page["/Resources"].get("/XObject")
        images = [o for o in (objects or {}).values() if o.get_object().get("/Subtype") == "/Image"]
        assert images == []
    raw = Path(hostile["paths"][lang]).read_bytes()  # type: ignore[index]
    for marker in (b"/XObject", b"/Subtype /Image", b"/Annot", b"/URI", b"/JavaScript"):
        assert marker not in raw
    catalog = reader.trailer["/Root"]
    assert not {"/OpenAction", "/AA", "/Names"} & set(catalog)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_hostile_text_survives_literally(hostile: dict[str, object], lang: str) -> None:
    text = pdf_text(hostile["paths"][lang])  # type: ignore[index]
    png = hostile["png"]
    for literal in (
        "<font color=red>Asuminen</font> & </para>",
        f'<img src="{png}"/>',
        '<a href="javascript:alert(1)">klikkaa</a> <b',
        "<img src=/etc/hostname>",
        "</para><para>Nuoret & <unbalanced",
        "<font color=red>punainen</font> </para>",
        '<a href="javascript:alert(1)">linkki</a> & <b>lihava <i>',
        "á č đ ŋ š ŧ ž",
    ):
        assert literal in text


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_quoted_lines_hold_no_identity_code_phone_email_or_municipality(
    hostile: dict[str, object], lang: str
) -> None:
    text = pdf_text(hostile["paths"][lang])  # type: ignore[index]
    for secret in ("131052-308T", "040 123 4567", "matti@example.fi"):
        assert secret not in text
    quotes = [line for line in text.split("Ehdotus")[1:]]
    assert quotes
    assert all("Rovaniemi" not in quote.split("ž")[0] for quote in quotes)


def test_hidden_municipality_totals_count_as_reporting_only_when_a_published_theme_shows_it(
    inputs: dict[str, object],
) -> None:
    cells: pl.DataFrame = inputs["cells"]  # type: ignore[assignment]
    total = (pl.col("level") == "municipality") & (pl.col("theme") == "all")
    hide = total & (pl.col("target_group") == "all") & pl.col("area_code").is_in(["698", "851"])
    hide_851 = (pl.col("level") == "municipality") & (pl.col("area_code") == "851")
    hidden = cells.with_columns(
        suppressed=pl.col("suppressed") | hide | hide_851,
        reports=pl.when(hide | hide_851).then(None).otherwise(pl.col("reports")),
    )
    facts = brief_facts(**(inputs | {"cells": hidden}))
    before = brief_facts(**inputs)
    assert facts.municipalities_reporting == before.municipalities_reporting - 1
    assert facts.municipalities_unknown == before.municipalities_unknown + 1


def test_every_reference_subregion_has_a_name_in_every_language() -> None:
    codes = REFERENCE.subregions()["subregion_code"].to_list()
    for code in codes:
        names = [
            subregion_name(code, lang, "?", short)
            for lang in BRIEF_LANGUAGES
            for short in (False, True)
        ]
        assert "?" not in names


def test_the_brief_reads_the_frames_of_the_aggregation_stage(tmp_path: Path) -> None:
    reports = synthetic_reports(240)
    cells = published_cells(reports, QUARTER, REFERENCE)
    facts = brief_facts(
        **quarter_inputs(
            reports,
            cells=cells,
            trends=quarter_trends(reports, QUARTER, REFERENCE),
            mentions=also_mentioned(reports, QUARTER, REFERENCE),
            mix=report_mix(reports, QUARTER),
        )
    )
    total = cells.filter(
        (pl.col("level") == "region")
        & (pl.col("theme") == "all")
        & (pl.col("target_group") == "all")
    )["reports"].item()
    assert facts.total == total == 240
    assert facts.previous_total == 0
    assert {f.status for f in facts.themes if f.reports} <= {"new", None}
    text = pdf_text(render_pdf(brief_story(facts, "en"), tmp_path / "brief-en.pdf", facts, "en"))
    assert f"{count_text(total, 'en')} social reports" in text
