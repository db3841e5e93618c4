"""The HTML twins and the accessibility statement: structure, escaping, axe-core in Chromium."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from demo.synthetic import approved_quotes, quarter_inputs, synthetic_followup, synthetic_reports
from schemas.fields import ADDRESSEE_LEVELS
from schemas.findings import Finding
from schemas.responses import FOLLOWUP_STATUSES
from tasks.brief.accessibility import SUPERVISOR_EMAIL, statement_html, write_accessible_forms
from tasks.brief.facts import BriefFacts, brief_facts
from tasks.brief.followup import FOLLOWUP_TEXT
from tasks.brief.followup_facts import FollowupFacts
from tasks.brief.html import brief_html
from tasks.brief.quotes import place_names
from tasks.brief.render import render_pdf
from tasks.brief.sections import brief_story
from tasks.brief.text import BRIEF_LANGUAGES, count_text, text
from tests.tasks.brief.test_brief import HOSTILE_PROPOSAL, _hostile_reference, _png
from tests.tasks.brief.test_tagging import _run, structure_tables

AXE = Path(__file__).parents[2] / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FEEDBACK = "saavutettavuus@example.fi"
HOSTILE_REFERENCE = '<script>alert(1)</script> Lautakunta 1.9.2026 § 3 & <b onclick="x">'


class Page(HTMLParser):
    """A page parsed into its elements (tag, attributes) and its visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._skip += tag in ("style", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "title")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


class Tables(HTMLParser):
    """The tables of a page: per table, its rows of cell texts (header cells included)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _section(html: str, anchor: str) -> str:
    """Return the HTML of the page's section whose heading has the id `anchor`."""
    return html.split(f'<h2 id="{anchor}">')[1].split("</section>")[0]


@pytest.fixture(scope="module")
def pages(facts: BriefFacts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("html")
    return {path.name: path for path in write_accessible_forms(facts, folder, FEEDBACK)}


def test_the_forms_are_written_for_the_three_languages(pages: dict[str, Path]) -> None:
    assert sorted(pages) == sorted(
        [f"brief-{lang}.html" for lang in BRIEF_LANGUAGES]
        + [f"accessibility-{lang}.html" for lang in BRIEF_LANGUAGES]
    )


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_a_brief_page_is_self_contained_with_landmarks_and_its_language(
    facts: BriefFacts, lang: str
) -> None:
    html = brief_html(facts, lang)
    page = Page(html)
    assert page.tags("html") == [{"lang": lang}]
    assert page.tags("script") == []
    assert page.tags("link") == []
    assert page.tags("iframe") == []
    assert all(attrs.get("src") is None for _tag, attrs in page.elements)
    assert "url(http" not in html
    assert "@import" not in html
    for landmark in ("header", "nav", "main", "footer"):
        assert len(page.tags(landmark)) == 1
    skip = page.tags("a")[0]
    assert skip == {"class": "skip", "href": "#main"}
    assert page.tags("main")[0]["id"] == "main"
    sections = [attrs.get("id") for attrs in page.tags("h2")]
    assert sections[:2] == ["key-findings", "themes"]
    assert sections[-4:] == ["proposals", "followup", "quality", "method"]
    assert text(lang, "title") in page.words
    assert len(page.tags("h1")) == 1


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_tables_have_captions_and_scoped_headers(facts: BriefFacts, lang: str) -> None:
    html = brief_html(facts, lang)
    page = Page(html)
    assert len(page.tags("table")) == len(page.tags("caption")) >= 6
    headers = page.tags("th")
    assert headers
    assert all(attrs.get("scope") in ("col", "row") for attrs in headers)


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_charts_are_images_with_their_text_alternative_and_a_data_table(
    facts: BriefFacts, lang: str
) -> None:
    html = brief_html(facts, lang)
    page = Page(html)
    svgs = page.tags("svg")
    assert [svg["id"] for svg in svgs] == ["key-chart", "theme-chart", "trend-chart"]
    assert all(svg["role"] == "img" for svg in svgs)
    for svg in svgs:
        assert f'<title id="{svg["aria-labelledby"]}">' in html
        after = html.split(f'id="{svg["id"]}"')[1] + "<svg"
        assert after.index("</svg>") < after.index("<table>") < after.index("<svg")
    top = facts.themes[0]
    label = facts.label("theme", top.theme, lang)
    assert f"{label} {top.reports}" in html


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_a_quote_in_another_language_is_marked_with_it(facts: BriefFacts, lang: str) -> None:
    page = Page(brief_html(facts, lang))
    marked = [attrs.get("lang") for attrs in page.tags("p") if attrs.get("lang")]
    assert marked.count("se") == sum(q.language == "se" for q in facts.quotes) > 0


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_the_statement_names_the_feedback_channel_and_the_supervisor(
    facts: BriefFacts, lang: str
) -> None:
    page = Page(statement_html(facts, lang, FEEDBACK))
    assert {"href": f"mailto:{FEEDBACK}"} in page.tags("a")
    assert {"href": f"mailto:{SUPERVISOR_EMAIL}"} in page.tags("a")
    assert "saavutettavuusvaatimukset.fi" in page.words
    assert "veraPDF" in page.words
    assert page.tags("html") == [{"lang": lang}]


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile-html")
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
    followup = synthetic_followup(reports, HOSTILE_REFERENCE)[0]
    facts = replace(brief_facts(**inputs), followup=followup)
    hostile_feedback = '"><script>alert(1)</script>'
    return {
        "png": str(png),
        **{lang: brief_html(facts, lang) for lang in ("fi", "en")},
        "statement": statement_html(facts, "fi", hostile_feedback),
    }


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_hostile_text_is_shown_literally_and_adds_no_element(
    hostile_pages: dict[str, str], lang: str
) -> None:
    page = Page(hostile_pages[lang])
    assert page.tags("script") == page.tags("img") == page.tags("font") == page.tags("i") == []
    assert all(not (attrs.get("href") or "").startswith("javascript") for attrs in page.tags("a"))
    png = hostile_pages["png"]
    for literal in (
        "<font color=red>Asuminen</font> & </para>",
        f'<img src="{png}"/>',
        '<a href="javascript:alert(1)">klikkaa</a> <b',
        "<img src=/etc/hostname>",
        "</para><para>Nuoret & <unbalanced",
        "<font color=red>punainen</font> </para>",
        '<a href="javascript:alert(1)">linkki</a> & <b>lihava <i>',
        "á č đ ŋ š ŧ ž",
        HOSTILE_REFERENCE,
    ):
        assert literal in page.words
    decisions = _section(hostile_pages[lang], "followup")
    assert HOSTILE_REFERENCE in Page(decisions).words
    assert "<script" not in decisions
    assert "131052-308T" not in page.words
    assert "matti@example.fi" not in page.words


def test_a_hostile_feedback_setting_is_text_not_markup(hostile_pages: dict[str, str]) -> None:
    page = Page(hostile_pages["statement"])
    assert page.tags("script") == []
    assert '"><script>alert(1)</script>' in page.words


# --- axe-core in headless Chromium -----------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not shutil.which("chromedriver") or not shutil.which("chromium"):
        pytest.fail("chromium and chromium-driver must be installed (.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_script_timeout(120)
    yield driver
    driver.quit()


def axe_violations(browser: object, page: Path) -> list[dict[str, object]]:
    """Return axe-core's WCAG 2.0/2.1 A and AA violations on the page, as Chromium renders it."""
    browser.get(page.resolve().as_uri())  # type: ignore[attr-defined]
    browser.execute_script(AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = browser.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(String(e)));",
        AXE_TAGS,
    )
    return json.loads(result)


@pytest.mark.slow
def test_axe_core_finds_no_violation_on_any_page(browser: object, pages: dict[str, Path]) -> None:
    found = {
        name: [(v["id"], len(v["nodes"])) for v in axe_violations(browser, path)]  # type: ignore[arg-type]
        for name, path in sorted(pages.items())
    }
    assert found == {name: [] for name in sorted(pages)}


@pytest.mark.slow
def test_axe_core_catches_a_planted_violation(
    browser: object, pages: dict[str, Path], tmp_path: Path
) -> None:
    html = pages["brief-en.html"].read_text(encoding="utf-8")
    planted = tmp_path / "planted.html"
    planted.write_text(
        html.replace(
            '<main id="main">',
            '<main id="main"><p style="color:#BBBBBB">faint</p><svg role="img"></svg>',
        ),
        encoding="utf-8",
    )
    ids = {str(v["id"]) for v in axe_violations(browser, planted)}
    assert {"color-contrast", "svg-img-alt"} <= ids


@pytest.mark.slow
def test_every_page_reflows_at_320_css_pixels_without_sideways_scrolling(
    browser: object, pages: dict[str, Path]
) -> None:
    """WCAG 1.4.10: only a wide table scrolls, inside its own focusable region."""
    browser.set_window_size(320, 1600)  # type: ignore[attr-defined]
    try:
        widths = {}
        for name, path in sorted(pages.items()):
            browser.get(path.resolve().as_uri())  # type: ignore[attr-defined]
            widths[name] = browser.execute_script(  # type: ignore[attr-defined]
                "return [document.documentElement.scrollWidth, window.innerWidth];"
            )
    finally:
        browser.set_window_size(1280, 1600)  # type: ignore[attr-defined]
    assert {name: page <= view for name, (page, view) in widths.items()} == dict.fromkeys(
        widths, True
    ), widths


# --- the follow-up section and the failed-source notice, as the PDF has them ------------------


@pytest.fixture(scope="module")
def pdf_structures(facts: BriefFacts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return each language's PDF brief's structure tree as `pdfinfo -struct-text` prints it."""
    folder = tmp_path_factory.mktemp("pdf-twins")
    return {
        lang: _run(
            "pdfinfo",
            "-struct-text",
            str(render_pdf(brief_story(facts, lang), folder / f"{lang}.pdf", facts, lang)),
        )
        for lang in BRIEF_LANGUAGES
    }


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_the_followup_section_shows_the_published_counts(
    facts: BriefFacts, followup: tuple[FollowupFacts, pl.DataFrame], lang: str
) -> None:
    published = followup[1].filter(pl.col("theme") == "all")
    counts = {(r["addressee_level"], r["status"]): r["proposals"] for r in published.to_dicts()}
    expected = [
        [
            text(lang, f"addressee_{level}"),
            *(count_text(counts[(level, s)], lang, facts.threshold) for s in FOLLOWUP_STATUSES),
        ]
        for level in ADDRESSEE_LEVELS
    ]
    assert published["suppressed"].any()
    assert not published["suppressed"].all()
    statuses = Tables(_section(brief_html(facts, lang), "followup")).tables[0]
    assert statuses[1:] == expected
    assert statuses[0][1:] == [FOLLOWUP_TEXT[lang][f"status_{s}"] for s in FOLLOWUP_STATUSES]


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_the_followup_section_has_the_pdfs_tables_and_sentences(
    facts: BriefFacts, pdf_structures: dict[str, str], lang: str
) -> None:
    section = _section(brief_html(facts, lang), "followup")
    heading = FOLLOWUP_TEXT[lang]["heading"]
    in_pdf = [rows for above, rows in structure_tables(pdf_structures[lang]) if above == heading]
    assert in_pdf == Tables(section).tables
    assert len(in_pdf) == 3
    pdf_words = " ".join(" ".join(re.findall(r'"(.*)"', pdf_structures[lang])).split())
    for paragraph in re.findall(r"<(?:p|h3)>(.*?)</(?:p|h3)>", section):
        assert html.unescape(paragraph) in pdf_words


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_a_decision_reference_is_marked_with_its_language(facts: BriefFacts, lang: str) -> None:
    assert facts.followup is not None
    page = Page(_section(brief_html(facts, lang), "followup"))
    marked = [attrs["lang"] for attrs in page.tags("td") if "lang" in attrs]
    assert marked == ([] if lang == "fi" else ["fi"] * len(facts.followup.decisions))
    assert marked or lang == "fi"


@pytest.mark.parametrize("lang", BRIEF_LANGUAGES)
def test_a_failed_source_is_told_on_the_cover_and_in_the_key_findings_as_in_the_pdf(
    facts: BriefFacts, pdf_structures: dict[str, str], lang: str
) -> None:
    names = ", ".join(facts.label("municipality", c, lang) for c in facts.failed_municipalities)
    assert names
    notice = text(lang, "cover_incomplete").format(names=names)
    finding = text(lang, "finding_quality_issue").split("{failed}")[0].strip()
    page = brief_html(facts, lang)
    cover = page.split('<ul class="key-figures"')[0]
    findings = Page(_section(page, "key-findings").split("</ul>")[0]).words
    assert notice in Page(cover).words
    assert finding in findings
    assert names in findings.split(finding)[1]
    pdf_words = " ".join(" ".join(re.findall(r'"(.*)"', pdf_structures[lang])).split())
    assert notice in pdf_words
    assert names in pdf_words.split(notice)[1].split(finding)[1]


def test_without_a_failed_source_there_is_no_notice(facts: BriefFacts) -> None:
    page = brief_html(replace(facts, failed_municipalities=()), "en")
    assert 'class="notice"' not in page
    assert text("en", "finding_quality_rows").split("{rows}")[0].strip() in Page(page).words
