"""The one redaction of every text that leaves the warehouse for a published file.

Stored text has already lost its identity codes, phone numbers and e-mail
addresses to `[poistettu]` (`tasks.intake.redact`, contract §1). Whatever is
published from it (a quote, a value in a municipality's feedback, a report id,
a file name) goes through `publishable_text` as well, which

1. normalises the text (NFKC, invisible format characters and control
   characters removed, so that full-width digits, a zero-width space inside a
   code or a non-breaking hyphen hide nothing);
2. replaces, each by a placeholder in the brief's language (`schemas.placeholders`):
   IBANs (any Finnish `FI` + 16 digits in any grouping, checksum or not; other
   countries' when `stdnum.iban` accepts them), Finnish business ids (seven
   digits, a dash-like sign, a digit; checksum or not), then identity codes,
   phone numbers and e-mail addresses (also obfuscated: `(at)`, `[at]`, ` at `,
   `＠`, `[dot]`) with the storage-time patterns, then street addresses (a word
   ending in a street suffix, its number, staircase and flat; a P.O. box; a
   postal code with the place after it), then people's names and place names
   (`tasks.intake.names`).

Missed, known and accepted: bank accounts in the old domestic form
(`123456-785`), addresses without a number (`Koskikadulla`), names Voikko does
not know standing alone, and identity codes written in other digit scripts
than those NFKC folds into ASCII. Over-redacted, accepted: road numbers
(`valtatie 4`), a first name used as a place (`Martti`, a village), and a
sentence opening with an ambiguous first name before a capitalised word.
"""

from __future__ import annotations

import re
import unicodedata

import polars as pl
from stdnum import iban

from schemas.placeholders import KINDS, PLACEHOLDERS
from tasks.intake.names import names_and_places
from tasks.intake.redact import MARKERS, marked_text

_MARK = {kind: chr(0xE000 + index) for index, kind in enumerate(KINDS)}
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_DASH = r"[\-\u2010-\u2015\u2212]"
_IBAN = re.compile(r"\b[A-Z]{2} ?[0-9]{2}(?:[ \-]?[0-9A-Z]){10,30}\b")
_FINNISH_IBAN = re.compile(r"^FI[0-9]{16}$")
_BUSINESS_ID = re.compile(r"(?<![0-9])[0-9]{7} ?" + _DASH + r" ?[0-9](?![0-9])")
_STREET_SUFFIX = (
    r"(?:katu|kadu|tie|kuja|polku|väylä|raitti|kaari|rinne|piha|tanhua|puisto|ranta|aukio"
    r"|gatan|gata|vägen|väg|gränd|stigen|road|street|geaidnu|luodda)"
)
_STREET = re.compile(
    r"\b[^\W\d_]*" + _STREET_SUFFIX + r"\s+[0-9]{1,4}(?:\s?[a-zA-Z](?![^\W\d_]))?"
    r"(?:\s?[A-Z](?![^\W\d_]))?(?:\s?(?:as\.?|bst\.?|lgh\.?)?\s?[0-9]{1,4}(?![0-9]|[.,][0-9]))?",
    re.IGNORECASE,
)
_PO_BOX = re.compile(r"\b(?:PL|PB|P\.O\. ?Box) ?[0-9]{1,5}\b")
_POSTAL_PLACE = re.compile(r"(?<![0-9])[0-9]{5}\s+[A-ZÄÖÅÁ][^\W\d_]+")


def normalised(text: str) -> str:
    """Return `text` in NFKC without invisible format, control or private-use characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return _PRIVATE_USE.sub("", _CONTROL.sub("", text))


def _iban_marked(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        compact = re.sub(r"[ \-]", "", match.group())
        if _FINNISH_IBAN.match(compact) or iban.is_valid(compact):
            return _MARK["account"]
        return match.group()

    return _IBAN.sub(replace, text)


def _addresses_marked(text: str) -> str:
    for pattern in (_STREET, _PO_BOX, _POSTAL_PLACE):
        text = pattern.sub(_MARK["address"], text)
    return text


def _names_marked(text: str) -> str:
    pieces, at = [], 0
    for found in names_and_places(text):
        pieces += [text[at : found.start], _MARK[found.kind]]
        at = found.end
    return "".join([*pieces, text[at:]])


def _storage_kinds_marked(text: str) -> str:
    marked = pl.DataFrame({"t": [text]}, schema={"t": pl.String}).select(marked_text(pl.col("t")))
    own = {"emails": "email", "identity_codes": "identity_code", "phones": "phone"}
    result = marked["t"].item()
    for kind, marker in MARKERS.items():
        result = result.replace(marker, _MARK[own[kind]])
    return result


def _numbers_marked(text: str) -> str:
    """Return the normalised text with accounts, business ids, codes, phones and e-mails marked."""
    text = _iban_marked(normalised(text))
    text = _BUSINESS_ID.sub(_MARK["business_id"], text)
    return _storage_kinds_marked(text)


def marked(text: str) -> str:
    """Return the normalised text with each identifying piece replaced by its kind's marker."""
    return _names_marked(_addresses_marked(_numbers_marked(text)))


def _placeholders(marked_text: str, lang: str) -> str:
    for kind, mark in _MARK.items():
        marked_text = marked_text.replace(mark, PLACEHOLDERS[lang][kind])
    return marked_text


def publishable_id(text: str, lang: str = "fi") -> str:
    """Return an id or a file name fit to publish: its numbers that identify replaced.

    Ids and file names are codes, not prose: `KEMI-SR-2026027` names a municipality, not a
    person, so words are not looked up; identity codes, phones, e-mails, accounts and
    business ids in them are replaced as in text.
    """
    return _placeholders(_numbers_marked(text), lang)


def publishable_text(text: str, lang: str = "fi") -> str:
    """Return `text` fit to publish: normalised, every identifying kind replaced by a placeholder.

    Args:
        text: any text bound for a published file.
        lang: the language of the placeholders (`fi`, `sv` or `en`).

    Returns:
        The text with names, places, addresses, accounts, business ids, identity codes,
        phone numbers and e-mail addresses replaced by `[nimi]`, `[paikka]`, `[osoite]`, ….
    """
    return _placeholders(marked(text), lang)


def found_kinds(text: str) -> dict[str, int]:
    """Return how many pieces of each kind `publishable_text` replaces in `text`."""
    result = marked(text)
    return {kind: result.count(mark) for kind, mark in _MARK.items() if mark in result}
