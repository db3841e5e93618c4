"""The HTML twins and the accessibility statement: structure, escaping, axe-core in Chromium."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest

from demo.synthetic import REFERENCE, approved_quotes, quarter_inputs, synthetic_reports
from schemas.findings import Finding
from tasks.brief.accessibility import SUPERVISOR_EMAIL, statement_html, write_accessible_forms
from tasks.brief.facts import BriefFacts, brief_facts
from tasks.brief.html import brief_html
from tasks.brief.quotes import place_names
from tasks.brief.text import BRIEF_LANGUAGES, text
from tests.tasks.brief.test_brief import HOSTILE_PROPOSAL, _hostile_reference, _png

AXE = Path(__file__).parents[2] / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FEEDBACK = "saavutettavuus@example.fi"


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


@pytest.fixture(scope="module")
def facts() -> BriefFacts:
    reports = synthetic_reports(240).with_columns(
        consent_to_quote=pl.lit(True),
        language=pl.when(pl.col("report_id").str.contains("[02468]$"))
        .then(pl.lit("se"))
        .otherwise(pl.lit("fi")),
    )
    return brief_facts(
        **quarter_inputs(reports, quotes=approved_quotes(reports, place_names(REFERENCE)))
    )


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
    assert [attrs.get("id") for attrs in page.tags("h2")][:2] == ["key-findings", "themes"]
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
    facts = brief_facts(**inputs)
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
    ):
        assert literal in page.words
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
