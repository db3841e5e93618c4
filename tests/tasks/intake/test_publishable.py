"""The one redaction of published text: every kind, in the forms an attacker would try."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import iban
from stdnum.fi import ytunnus

from tasks.intake.publishable import found_kinds, normalised, publishable_id, publishable_text

DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uff0d"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
SETTLE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _digits(text: str) -> str:
    return re.sub(r"\D", "", normalised(text))


def _leaks(secret: str, published: str) -> bool:
    """Return whether the secret's digits (4 or more in a row) survive in the published text."""
    digits = _digits(secret)
    runs = {digits[i : i + 4] for i in range(len(digits) - 3)}
    return any(run in _digits(published) for run in runs)


@st.composite
def identity_codes(draw: st.DrawFn) -> str:
    """Draw an identity code as someone might type it: any sign, spacing, digits, check."""
    day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    year = draw(st.integers(0, 99))
    sign = draw(st.sampled_from([*DASHES, "+", "A", "B", "Y", "X", "W", "V", "U", "a"]))
    spaces = draw(st.sampled_from(["", " ", "  "])) if sign in DASHES else ""
    number = draw(st.integers(2, 999))
    body = f"{day:02}{month:02}{year:02}"
    check = draw(st.sampled_from(["valid", "wrong"]))
    check_char = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(body + f"{number:03}") % 31]
    check_char = check_char if check == "valid" else "Z"
    code = f"{body}{spaces}{sign}{spaces}{number:03}{check_char}"
    if draw(st.booleans()):
        code = code.translate(FULL_WIDTH)
    if draw(st.booleans()):
        at = draw(st.integers(1, len(code) - 1))
        code = code[:at] + draw(st.sampled_from(INVISIBLE)) + code[at:]
    return code


@SETTLE
@given(identity_codes(), st.sampled_from(["Asiakkaan hetu on {} ja", "{}", "(hetu:{})"]))
def test_identity_codes_in_any_form_are_replaced(code: str, sentence: str) -> None:
    published = publishable_text(sentence.format(code))
    assert "[henkilötunnus]" in published
    assert not _leaks(code, published)


@pytest.mark.parametrize("code", ["131052–308T", "131052 - 308T", "131052\u2011308T"])
def test_the_issues_identity_codes_are_replaced(code: str) -> None:
    assert publishable_text(f"Asiakas {code} odottaa.") == "Asiakas [henkilötunnus] odottaa."


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """Draw a Finnish mobile number with any dash-like or space separators."""
    area = draw(st.sampled_from(["040", "050", "044", "045", "0400", "09", "016"]))
    rest = draw(st.text("0123456789", min_size=7, max_size=7))
    sep = draw(st.sampled_from([" ", *DASHES, " – ", "-"]))
    grouping = draw(st.sampled_from([(3, 4), (3, 2, 2), (2, 2, 3)]))
    groups, at = [], 0
    for size in grouping:
        groups.append(rest[at : at + size])
        at += size
    inner = draw(st.sampled_from([" ", "-"]))
    number = area + sep + inner.join(groups)
    if draw(st.booleans()):
        number = "+358 " + number[1:]
    return number


@SETTLE
@given(phone_numbers())
def test_phone_numbers_with_any_dash_are_replaced(number: str) -> None:
    published = publishable_text(f"Soita numeroon {number}, kiitos.")
    assert "[puhelinnumero]" in published
    assert not _leaks(number, published)


@pytest.mark.parametrize(
    "email",
    [
        "matti(at)kunta.fi",
        "matti [at] kunta [dot] fi",
        "matti at kunta dot fi",
        "matti＠kunta.fi",
        "matti.meikalainen@lapha.fi",
        "matti(AT)kunta(piste)fi",
        "matti{at}kunta.fi",
    ],
)
def test_obfuscated_emails_are_replaced(email: str) -> None:
    published = publishable_text(f"Yhteys: {email} arkisin.")
    assert "[sähköposti]" in published
    assert "kunta" not in published
    assert "lapha" not in published


@st.composite
def finnish_ibans(draw: st.DrawFn) -> str:
    """Draw a Finnish IBAN, valid or not, grouped in fours or not at all."""
    bban = draw(st.text("0123456789", min_size=14, max_size=14))
    check = iban.calc_check_digits("FI00" + bban)
    compact = f"FI{check}{bban}" if draw(st.booleans()) else f"FI{(int(check) + 1) % 100:02}{bban}"
    if draw(st.booleans()):
        return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact


@SETTLE
@given(finnish_ibans())
def test_finnish_ibans_are_replaced_checksum_or_not(account: str) -> None:
    published = publishable_text(f"Tilille {account} maksettiin.")
    assert published == "Tilille [tilinumero] maksettiin."


def test_a_foreign_iban_with_its_checksum_is_replaced() -> None:
    assert "[tilinumero]" in publishable_text("Konto SE45 5000 0000 0583 9825 7466 där.")


@SETTLE
@given(st.integers(0, 9_999_999), st.sampled_from(DASHES))
def test_business_ids_are_replaced(number: int, dash: str) -> None:
    body = f"{number:07}"
    valid = [d for d in "0123456789" if ytunnus.is_valid(f"{body}-{d}")]
    business_id = f"{body}{dash}{(valid or ['0'])[0]}"
    published = publishable_text(f"Toiminimi {business_id} laskutti.")
    assert "[y-tunnus]" in published
    assert body not in _digits(published)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("asuu Koskikatu 5 B 12, 96100 Rovaniemi.", "asuu [osoite], [osoite]."),
        ("osoite Pohjolankatu 25 as. 3 on", "osoite [osoite] on"),
        ("Hän asuu Ounasjoentie 3a:ssa", "Hän asuu [osoite]:ssa"),
        ("bor på Storgatan 12 B 4 i", "bor på [osoite] i"),
        ("PL 8056, 96101 Rovaniemi", "[osoite], [osoite]"),
    ],
)
def test_street_addresses_and_postal_places_are_replaced(text: str, expected: str) -> None:
    assert publishable_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soitin Liisan äidille.", "Soitin [nimi] äidille."),
        ("Annoin lomakkeen Pekalle.", "Annoin lomakkeen [nimi]."),
        ("Kerroin Niemiselle asiasta.", "Kerroin [nimi] asiasta."),
        ("Matti Meikäläinen odottaa.", "[nimi] [nimi] odottaa."),
        ("Asiakas Ánde Matti Näkkäläjärvi odottaa.", "Asiakas [nimi] [nimi] [nimi] odottaa."),
        ("Asiakas Matti Näkkäläjärvi odottaa.", "Asiakas [nimi] [nimi] odottaa."),
        ("Tapasin Näkkäläjärvi Matin eilen.", "Tapasin [nimi] [nimi] eilen."),
        ("Liisa tarvitsee apua.", "[nimi] tarvitsee apua."),
        ("Anna asiakkaalle aikaa.", "Anna asiakkaalle aikaa."),
    ],
)
def test_names_in_inflected_forms_and_unknown_surnames_are_replaced(
    text: str, expected: str
) -> None:
    assert publishable_text(text) == expected


def test_the_issues_proposal_keeps_nothing_identifying() -> None:
    proposal = (
        "Matti Meikäläinen, Koskikatu 5 B 12, 96100 Rovaniemi, IBAN FI21 1234 5600 0007 85, "
        "matti(at)kunta.fi, 040–123 4567"
    )
    published = publishable_text(proposal)
    assert found_kinds(proposal) == {"name": 2, "address": 2, "account": 1, "email": 1, "phone": 1}
    for piece in ("Matti", "Meikäläinen", "Koskikatu", "96100", "1234", "kunta", "4567"):
        assert piece not in published


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "[nimi] soitti"), ("sv", "[namn] soitti"), ("en", "[name] soitti")],
)
def test_placeholders_are_in_the_briefs_language(lang: str, expected: str) -> None:
    assert publishable_text("Liisa soitti", lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Jonossa on 45 asiakasta ja odotus kestää 12 viikkoa.",
        "Tukea myönnettiin 1 200 € ja päätös tehtiin 1.7.2026.",
        "Lapin hyvinvointialue ja Kela sopivat yhteistyöstä.",
        "Palvelu on auki klo 8–16 arkisin.",
    ],
)
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert publishable_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KEMI-SR-2026027", "KEMI-SR-2026027"),
        ("inbox/698/raportit_131052-308T.csv", "inbox/698/raportit_[henkilötunnus].csv"),
        ("Matti-040 123 4567", "Matti-[puhelinnumero]"),
    ],
)
def test_ids_and_file_names_lose_their_numbers_but_keep_their_words(
    text: str, expected: str
) -> None:
    assert publishable_id(text) == expected
