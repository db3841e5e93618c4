"""The brief's follow-up section in every language: counts, decisions, approved responses.

Only the response text a person approved is printed: redacted, quoted, tagged with its language.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import polars as pl
import pytest

from demo.synthetic import QUARTER, quarter_inputs, synthetic_reports
from tasks.brief.facts import BriefFacts, brief_facts
from tasks.brief.followup import FOLLOWUP_TEXT
from tasks.brief.followup_facts import followup_facts, listed_decisions
from tasks.brief.html import brief_html, write_html_briefs
from tasks.brief.quotes import all_approved, approved_responses, response_candidates
from tasks.brief.render import write_briefs
from tasks.figures.followup import followup_quarters, followup_table, proposal_states
from tests.tasks.brief.test_brief import pdf_text
from tests.tasks.brief.test_html import Page, _section
from tests.tasks.brief.test_tagging import _elements, _tag

SECRET = "Soita Marjalle 040 111 2222, hetu 010203A123B"
APPROVED = "Lautakunta lisää iltakäyntejä. Kysy Pekalta Näkkäläjärveltä, puh. 040-765 4321."
SHOWN = "Lautakunta lisää iltakäyntejä. Kysy {name} {name}, puh. {phone}."
PLANTED = ("Pekalta", "Näkkäläjärveltä", "040-765 4321", "765 4321")


def _followup(
    reports: pl.DataFrame, responses: list[str], reference: str
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """Return states, follow-up table and quarters: the first proposals decided, answered so."""
    proposals = (
        reports.filter(pl.col("proposal").is_not_null())
        .with_columns(pl.lit(str(QUARTER)).alias("quarter"))
        .select(
            "municipality_code", "report_id", "quarter", "submitted_on", "theme",
            "addressee_level", "urgency", "proposal",
        )
    )  # fmt: skip
    answered = proposals.head(len(responses)).select(
        "municipality_code",
        "report_id",
        status=pl.lit("decided"),
        decision_ref=pl.lit(reference),
        decided_on=pl.lit(QUARTER.last_day),
        response=pl.Series(responses),
        responder_role=pl.lit("sihteeri"),
        received_at=pl.lit(datetime(2026, 10, 1, tzinfo=UTC)),
        delivery_seq=pl.lit(1, pl.Int64),
        row_number=pl.int_range(2, 2 + len(responses), dtype=pl.Int64),
    )
    quarters = followup_quarters(QUARTER)
    states = proposal_states(proposals, answered, quarters)
    table = followup_table(states, QUARTER, reports["theme"].unique().sort().to_list(), 5)
    return states, table, quarters


@pytest.fixture(scope="module")
def answered() -> BriefFacts:
    """The facts with twelve decisions: one response approved as a quote, the rest waiting."""
    reports = synthetic_reports(240)
    states, table, quarters = _followup(
        reports, [APPROVED, *[SECRET] * 11], "Aluehallitus 28.9.2026 § 1 <b>"
    )
    candidates = response_candidates(listed_decisions(states, QUARTER), place_names=())
    approved = all_approved(candidates.filter(pl.col("text").str.starts_with("Lautakunta")))
    sami_quotes = reports.with_columns(language=pl.lit("se"))  # proposals quoted: not Finnish
    return replace(
        brief_facts(**quarter_inputs(sami_quotes)),
        followup=followup_facts(
            states, table, quarters, 5, approved_responses(candidates, approved)
        ),
    )


@pytest.fixture(scope="module")
def pdfs(answered: BriefFacts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out: Path = tmp_path_factory.mktemp("followup-briefs")
    return {path.stem[-2:]: path for path in write_briefs(answered, out)}


@pytest.fixture(scope="module")
def pages(answered: BriefFacts, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The HTML twins, written and read back."""
    out: Path = tmp_path_factory.mktemp("followup-html")
    written = write_html_briefs(answered, out)
    return {path.stem[-2:]: path.read_text(encoding="utf-8") for path in written}


@pytest.fixture(scope="module")
def briefs(pdfs: dict[str, Path]) -> dict[str, str]:
    return {lang: pdf_text(path) for lang, path in pdfs.items()}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_section_is_in_every_language_with_decisions_and_no_unapproved_response_text(
    briefs: dict[str, str], lang: str
) -> None:
    text = briefs[lang]
    assert FOLLOWUP_TEXT[lang]["heading"] in text
    assert FOLLOWUP_TEXT[lang]["decisions_heading"] in text
    assert text.count("Aluehallitus 28.9.2026 § 1 <b>") >= 12  # public, escaped, not markup
    assert FOLLOWUP_TEXT[lang]["some_quotes"] in text
    for secret in ("Marjalle", "040 111 2222", "010203A123B"):
        assert secret not in text


@pytest.mark.parametrize(
    ("lang", "name", "phone"),
    [
        ("fi", "[nimi]", "[puhelinnumero]"),
        ("sv", "[namn]", "[telefonnummer]"),
        ("en", "[name]", "[phone number]"),
    ],
)
def test_the_approved_response_is_quoted_redacted_under_its_decision(
    briefs: dict[str, str], lang: str, name: str, phone: str
) -> None:
    text = briefs[lang]
    label = FOLLOWUP_TEXT[lang]["response_to"].format(reference="Aluehallitus 28.9.2026 § 1 <b>")
    opening, closing = ("“", "”") if lang == "en" else ("”", "”")
    quote = f"{opening}{SHOWN.format(name=name, phone=phone)}{closing}"
    assert f"{label} {quote}" in text
    for planted in PLANTED:
        assert planted not in text


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_quoted_response_carries_its_language_when_not_the_briefs(
    pdfs: dict[str, Path], lang: str
) -> None:
    with pikepdf.open(pdfs[lang]) as pdf:
        quotes = [e for e in _elements(pdf) if _tag(e) == "BlockQuote"]
        languages = [str(q.Lang) if "/Lang" in q else None for q in quotes]
    assert "se" in languages
    assert languages.count("fi") == (0 if lang == "fi" else 1)
    assert languages.count(None) == (1 if lang == "fi" else 0)


@pytest.mark.parametrize(
    ("lang", "name", "phone"),
    [("fi", "[nimi]", "[puhelinnumero]"), ("sv", "[namn]", "[telefonnummer]")]
    + [("en", "[name]", "[phone number]")],
)
def test_the_html_twin_quotes_the_approved_response_alone_in_its_language(
    pages: dict[str, str], lang: str, name: str, phone: str
) -> None:
    page = Page(_section(pages[lang], "followup"))
    label = FOLLOWUP_TEXT[lang]["response_to"].format(reference="Aluehallitus 28.9.2026 § 1 <b>")
    shown = SHOWN.format(name=name, phone=phone)
    marked = [attrs["lang"] for attrs in page.tags("p") if attrs.get("lang")]
    assert f"{label} {shown}" in page.words
    assert len(page.tags("blockquote")) == 1
    assert marked == ([] if lang == "fi" else ["fi"])
    assert FOLLOWUP_TEXT[lang]["some_quotes"] in page.words
    for secret in ("Marjalle", "040 111 2222", "010203A123B", *PLANTED):
        assert secret not in pages[lang]


def test_without_approval_no_response_is_quoted(tmp_path: Path) -> None:
    reports = synthetic_reports(240)
    states, table, quarters = _followup(reports, [APPROVED], "Aluehallitus 28.9.2026 § 2")
    facts = replace(
        brief_facts(**quarter_inputs(reports)),
        followup=followup_facts(states, table, quarters, 5),
    )

    (fi, *_rest) = write_briefs(facts, tmp_path)

    text = pdf_text(fi)
    assert "Aluehallitus 28.9.2026 § 2" in text
    page = brief_html(facts, "fi")
    assert FOLLOWUP_TEXT["fi"]["no_quotes"] in text
    assert "iltakäyntejä" not in text
    assert "Aluehallitus 28.9.2026 § 2" in page
    assert "iltakäyntejä" not in page
