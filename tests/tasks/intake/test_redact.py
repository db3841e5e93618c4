"""Tests of tasks.intake.redact: identity codes, phone numbers and e-mail addresses out."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal
from stdnum.fi import hetu

from schemas.fields import LINEAGE_DTYPES, REPORT_FIELDS
from tasks.intake.redact import REDACTED, RedactionCounts, redact_text, redacted_reports

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY_SIGNS = {1800: "+", 1900: "-YXWVU", 2000: "ABCDEF"}
SETTINGS = settings(max_examples=200, deadline=None)


def identity_code(born: date, individual: int, sign: str) -> str:
    """Return a valid henkilötunnus for a birth day, an individual number and a century sign."""
    digits = f"{born:%d%m}{born.year % 100:02d}{individual:03d}"
    code = f"{digits[:6]}{sign}{digits[6:]}{CHECK_CHARACTERS[int(digits) % 31]}"
    assert hetu.is_valid(code, allow_temporary=True)
    return code


@st.composite
def identity_codes(draw: st.DrawFn) -> str:
    """Draw a valid identity code: any day 1800–2099, any century sign, 002–999."""
    born = draw(st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
    sign = draw(st.sampled_from(CENTURY_SIGNS[born.year // 100 * 100]))
    return identity_code(born, draw(st.integers(2, 999)), sign)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """Draw a Finnish phone number in one of its common written forms."""
    area = draw(st.sampled_from(["40", "41", "44", "45", "50", "2", "3", "9", "13", "16", "17"]))
    subscriber = draw(st.from_regex(r"[1-9][0-9]{5,6}", fullmatch=True))
    head, tail = subscriber[:3], subscriber[3:]
    grouped = f" {subscriber[:3]} {subscriber[3:5]} {subscriber[5:]}" if len(tail) == 4 else ""
    forms = [
        f"+358 {area} {head} {tail}",
        f"+358{area}{subscriber}",
        f"0{area} {head} {tail}",
        f"0{area}-{head} {tail}",
        f"0{area}{subscriber}",
        f"(0{area}) {subscriber[:3]} {subscriber[3:]}",
        f"0{area} {subscriber}",
        f"0{area}{grouped or ' ' + subscriber}",
    ]
    return draw(st.sampled_from(forms))


@st.composite
def email_addresses(draw: st.DrawFn) -> str:
    """Draw an e-mail address as professionals write them (Finnish letters included)."""
    local = draw(st.from_regex(r"[a-zäö0-9]{1,10}(?:[._-][a-zäö0-9]{1,10}){0,2}", fullmatch=True))
    domain = draw(st.from_regex(r"[a-z0-9]{1,12}(?:-[a-z0-9]{1,8})?", fullmatch=True))
    return f"{local}@{domain}.{draw(st.sampled_from(['fi', 'com', 'org', 'net', 'info']))}"


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    """Draw a date, euro sum, year, report id, postal code, percentage or client count."""
    day = draw(st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31)))
    euros = draw(st.integers(0, 9_999_999))
    forms = [
        f"{day.day}.{day.month}.{day.year}",
        f"{day:%d.%m.%Y}",
        day.isoformat(),
        f"{euros:,} €".replace(",", " "),
        f"{euros},{draw(st.integers(0, 99)):02d} e",
        str(day.year),
        f"R-{day.year}-{draw(st.integers(0, 9999)):04d}",
        f"{draw(st.integers(0, 99999)):05d}",
        f"{draw(st.integers(0, 100))} %",
        f"{draw(st.integers(0, 100000))} asiakasta",
    ]
    return draw(st.sampled_from(forms))


words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@pytest.mark.parametrize(
    "phone",
    [
        "+358 40 123 4567",
        "+358401234567",
        "+358 (0)40 123 4567",
        "00358 40 123 4567",
        "040 123 4567",
        "040-123 4567",
        "0401234567",
        "040 123 45 67",
        "(016) 123 456",
        "016 123456",
        "09 1234 5678",
        "050 12345",
        "040 12 34 567",
        "+358 (40) 123 4567",
        "+46 70 123 45 67",
        "+47 412 34 567",
        "0046 70 123 45 67",
        "+44 (0)20 7946 0958",
        "+1-202-555-0143",
    ],
)
def test_phone_numbers_in_their_common_forms_are_redacted(phone: str) -> None:
    text, counts = redact_text(f"Soita numeroon {phone}, kiitos.")
    assert text == f"Soita numeroon {REDACTED}, kiitos."
    assert counts == RedactionCounts(phones=1)


@pytest.mark.parametrize(
    "code",
    [
        "010190-123A",
        "131052-308T",
        "010100A900X",
        "010100a900x",
        "311299+002H",
        "290200A123B",
        "290204Y123B",
        *(f"150605{sign}123C" for sign in "-+ABCDEFYXWVU"),
    ],
)
def test_identity_codes_of_every_century_sign_are_redacted_right_check_or_not(code: str) -> None:
    text, counts = redact_text(f"Asiakas {code} kävi.")
    assert text == f"Asiakas {REDACTED} kävi."
    assert counts == RedactionCounts(identity_codes=1)


@pytest.mark.parametrize("token", ["320190-123A", "311190-123A", "290200-123B", "290201A123B"])
def test_code_shaped_tokens_without_a_calendar_date_are_kept(token: str) -> None:
    assert redact_text(f"koodi {token}") == (f"koodi {token}", RedactionCounts())


@pytest.mark.parametrize(
    "address", ["matti.meikalainen@lappi.fi", "m-k_99@sote.lappi.fi", "äiti.öljy@esimerkki.com"]
)
def test_email_addresses_are_redacted(address: str) -> None:
    assert redact_text(f"Viesti ({address}).") == (
        f"Viesti ({REDACTED}).",
        RedactionCounts(emails=1),
    )


@pytest.mark.parametrize(
    "text",
    [
        "Tapaaminen 1.7.2026 ja 01.07.2026 sekä 2026-07-01.",
        "Vuokra 1 200 € ja tuki 1200,50 e, vuonna 2025 yhteensä 12 000 000 €.",
        "Raportti R-2026-0042 postinumero 96100 Rovaniemi, 00100 Helsinki.",
        "Osuus 12 % ja 45 asiakasta, 12,5 % enemmän kuin 2024.",
        "Y-tunnus 0245437-2, aukiolo klo 08-16 09-12, 01/07/2026 ja 06/2026.",
        "Summa 1 050 000 € ja 2 040 500 €.",
        "Laskukaava -2+3 ja +5 % sekä 0,5 + 12 345 €.",
        "Postinumerot 00100, 00950 ja 99999; aukiolo 08-16 09-12.",
    ],
)
def test_ordinary_numbers_survive(text: str) -> None:
    assert redact_text(text) == (text, RedactionCounts())


def test_a_number_after_a_phone_number_survives() -> None:
    text, _ = redact_text("Soita 040 123 4567 12 asiakasta ja 016 123 456 5 kertaa.")
    assert text == f"Soita {REDACTED} 12 asiakasta ja {REDACTED} 5 kertaa."


def test_control_characters_are_removed_but_tab_and_newline_kept() -> None:
    text = "a\x00b\x07c\x1bd\x7fe\x85f\r\ng\th"
    assert redact_text(text) == ("abcdef\ng\th", RedactionCounts())


def test_a_lone_carriage_return_becomes_a_line_break_so_lines_stay_apart() -> None:
    assert redact_text("rivi yksi\rrivi kaksi\r\rloppu\r\n") == (
        "rivi yksi\nrivi kaksi\n\nloppu\n",
        RedactionCounts(),
    )


@pytest.mark.parametrize("glued", ["Hetu010190-123A.", "hetu:010190-123Ax", "(010190-123A)"])
def test_an_identity_code_glued_to_other_characters_is_redacted(glued: str) -> None:
    text, counts = redact_text(glued)
    assert "010190" not in text
    assert counts == RedactionCounts(identity_codes=1)


@pytest.mark.parametrize(
    "control",
    [
        chr(code)
        for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
    ],
)
def test_each_control_character_alone_is_removed(control: str) -> None:
    assert redact_text(f"ä{control}ö") == ("äö", RedactionCounts())


def test_text_near_c1_controls_is_kept() -> None:
    text = "300 € \u00a7 5 \u00b0 \u00c2 \u00a6 \u00e4"
    assert redact_text(text) == (text, RedactionCounts())


def test_text_with_compatibility_characters_is_normalised_and_loses_invisible_ones() -> None:
    text = "\u00a0300\u00a0€ \u00bd ｋｏｏｄｉ\u200b \u00adx"
    assert redact_text(text) == (" 300 € 1\u20442 koodi x", RedactionCounts())


def test_a_control_character_inside_an_identity_code_does_not_hide_it() -> None:
    assert redact_text("hetu 0101\x0090-123A.")[0] == f"hetu {REDACTED}."


def test_every_kind_is_counted() -> None:
    text, counts = redact_text("010190-123A, 040 123 4567, a@b.fi ja 020305A902X sekä 09 1234 5678")
    assert counts == RedactionCounts(identity_codes=2, phones=2, emails=1)
    assert text.count(REDACTED) == 5


def test_redaction_counts_add_kind_by_kind_and_total() -> None:
    total = RedactionCounts(1, 2, 3) + RedactionCounts(emails=1)
    assert total == RedactionCounts(identity_codes=1, phones=2, emails=4)
    assert total.total == 7
    assert RedactionCounts().total == 0


def _delivered(rows: list[dict[str, str | None]]) -> pl.DataFrame:
    strings = {field: pl.String() for field in REPORT_FIELDS}
    frame = pl.DataFrame(rows, schema=strings)
    return frame.with_columns(
        source_id=pl.lit("698-csv"),
        delivery=pl.lit("a.csv"),
        delivery_sha256=pl.lit("0" * 64),
        delivery_seq=pl.lit(1, pl.Int64),
        row_number=pl.int_range(2, pl.len() + 2, dtype=pl.Int64),
    ).cast(LINEAGE_DTYPES)


def test_redacted_reports_redact_only_the_free_text_and_count_every_field() -> None:
    delivered = _delivered(
        [
            {
                "report_id": "0401234567",
                "theme": "010190-123A",
                "phenomenon": "Asiakas 010190-123A soitti 040 123 4567.",
                "causes": "Posti a@b.fi\x00",
                "proposal": None,
            },
            {"report_id": "R-2", "phenomenon": "Ei mitään poistettavaa 1.7.2026.", "causes": ""},
        ]
    )
    result, counts = redacted_reports(delivered)
    expected = delivered.with_columns(
        phenomenon=pl.Series(
            [f"Asiakas {REDACTED} soitti {REDACTED}.", delivered["phenomenon"][1]]
        ),
        causes=pl.Series([f"Posti {REDACTED}", ""]),
    )
    assert_frame_equal(result, expected)
    assert counts == RedactionCounts(identity_codes=1, phones=1, emails=1)


def test_redacted_reports_leave_the_delivered_frame_unchanged() -> None:
    delivered = _delivered([{"phenomenon": "Soita 040 123 4567."}])
    before = delivered.clone()
    redacted_reports(delivered)
    assert_frame_equal(delivered, before)


def test_redacted_reports_of_no_rows_are_no_rows() -> None:
    delivered = _delivered([])
    result, counts = redacted_reports(delivered)
    assert_frame_equal(result, delivered)
    assert counts == RedactionCounts()


@SETTINGS
@given(code=identity_codes(), before=words, after=words)
def test_any_valid_identity_code_in_any_text_is_removed(code: str, before: str, after: str) -> None:
    text, counts = redact_text(f"{before} {code} {after}")
    assert code not in text
    assert counts.identity_codes >= 1


@SETTINGS
@given(born=st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)))
def test_identity_codes_are_redacted_whatever_their_check_character(born: date) -> None:
    code = identity_code(born, 950, CENTURY_SIGNS[born.year // 100 * 100][0])
    wrong = code[:-1] + CHECK_CHARACTERS[(CHECK_CHARACTERS.index(code[-1]) + 1) % 31]
    assert redact_text(f"hetu {wrong}.") == (f"hetu {REDACTED}.", RedactionCounts(identity_codes=1))


@SETTINGS
@given(phone=phone_numbers(), before=st.sampled_from(["Soita", "Puh.", "numero:", "(tel"]))
def test_phone_numbers_in_generated_sentences_are_removed(phone: str, before: str) -> None:
    text, counts = redact_text(f"{before} {phone} tänään klo 9.")
    assert text == f"{before} {REDACTED} tänään klo 9."
    assert counts == RedactionCounts(phones=1)


@SETTINGS
@given(address=email_addresses(), before=words)
def test_emails_in_generated_sentences_are_removed(address: str, before: str) -> None:
    text, counts = redact_text(f"{before} sähköposti {address} , kiitos")
    assert address not in text
    assert text.endswith(f"sähköposti {REDACTED} , kiitos")
    assert counts.emails == 1


@SETTINGS
@given(numbers=st.lists(ordinary_numbers(), min_size=1, max_size=6))
def test_dates_sums_years_ids_and_postal_codes_survive(numbers: list[str]) -> None:
    text = "Havainto: " + ", ".join(numbers) + "."
    assert redact_text(text) == (text, RedactionCounts())
