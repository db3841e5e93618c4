r"""Redaction of the free text: identity codes, phone numbers and e-mail addresses out.

Every free-text field (`schemas.fields.FREE_TEXT_FIELDS`) has its line breaks
made `\n` (a `\r\n` or a lone `\r` of an old Mac export, so lines stay apart),
is put in Unicode NFKC (full-width digits and signs become ASCII, a non-breaking
hyphen a hyphen) when it holds anything outside ASCII and Latin letters, loses its
invisible format characters (Cf: zero-width spaces, soft hyphens) and other
control characters (Unicode Cc, tab excepted) and then, in this order, its
e-mail addresses, Finnish personal identity codes and Finnish phone numbers,
each replaced by `REDACTED`. Everything else, the other columns included, is
left as delivered. All of it is polars (Rust `regex`), no Python per row: one
combined pass flags the texts that hold anything to remove; only those go
through each pattern, where a match becomes a one-character marker; the
markers are counted by kind and then replaced by `REDACTED`. Word boundaries
of phone numbers are ASCII (`(?-u:\b)`), so the lazy DFA keeps running on
Finnish text (ä, ö).

Identity codes (henkilötunnus): `DDMMYY`, a century sign (`+ - A–F Y X W V U`, and
any dash-like sign: U+2010–U+2015, U+2212), up to two spaces on each side of it,
three digits (900–999, the temporary numbers, too) and a check character.
Every token of that shape whose date exists on the calendar (29 February
only in leap years of the sign's century) is redacted, whether or not its
check character is right; signs and check characters in lower case count
too, and so does a code glued to other characters (`hetu:010190-123A`,
`Hetu010190-123Axx`): better a letter too many redacted than a code kept. A
token with an impossible date (`320190-123A`) is not an identity code and
stays.

E-mail addresses: `local@domain.tld`, letters of any script in the local part
and the domain, also obfuscated: `(at)`, `[at]`, `{at}`, ` at `, `＠` for `@`
and `(dot)`, `[dot]`, ` dot `, `(piste)` for a dot. The price of ` at `: an
English "meet at noon.Then" without a space after its full stop is redacted.

Phone numbers: a national number starting with `0` and a non-zero digit, or
the same without its `0` after `+358`, `00358` or `+358 (0)`: an area code of
one to three digits (also in brackets), a space, slash or dash-like sign (with a
space on either side or not), and a subscriber part of 5–9 digits written whole
(`1234567`) or in the Finnish groupings `123 4567`, `1234 5678`, `123 456`,
`123 45 67`, `12 34 567` (space or dash-like sign); without any separator the
national number has 8–11 digits (`0401234567`). Any other number with a
country code (`+46 70 123 45 67`, `0047 412 34 567`, `+358 (40) 123 4567`) is
`+` or `00`, one to three digits, then 6–12 digits in any grouping (space,
hyphen, slash, brackets).
The trade-offs of that choice:

- Dots are never separators, so dates (`1.7.2026`, `01.07.2026`) survive;
  so do phone numbers written with dots (`040.123.4567`): rare, accepted.
- Only tokens that start with `0`, `(0`, `+358` or `00358` are candidates, so
  years, euro sums (`1 200 €`, `1200,50 e`), postal codes (`96100`),
  percentages, client counts and ids (`R-2026-0042`) survive.
- An ungrouped zero-led token needs 8 digits: a business id (`0245437-2`)
  survives, and so would a 7-digit landline number written without any space
  (`0912345`): rare, accepted.
- Groups must take the Finnish shapes, so a count after a number survives
  (`040 123 4567 12 asiakasta`), and so do opening hours (`08-16 09-12`).
  After a country code other than Finland's any grouping goes, so a count
  right after such a number is redacted with it (`+46 70 123 45 67 12`).
- The price is over-redaction of rare zero-led digit groups shaped like a
  phone number: a date written with spaces (`05 10 2026`), or a sum of
  billions with a zero-led group (`12 040 500 000 €`), and numbers that
  start with `00` and run on for seven more digits (`00123456789`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from schemas.fields import FREE_TEXT_FIELDS

REDACTED = "[poistettu]"

_CONTROL = r"[\x00-\x08\x0B-\x1F\x7F-\x9F]"
_INVISIBLE = r"\p{Cf}"
_NOT_PLAIN = r"[^\x00-\x7F\u00C0-\u024F]"
_B = r"(?-u:\b)"
_DASHES = r"\-\u2010-\u2015\u2212"
_AT = r"(?:@|\s*[(\[{]\s*(?i:at|ät)\s*[)\]}]\s*|\s+(?i:at)\s+)"
_DOT = r"(?:\.|\s*[(\[{]\s*(?i:dot|piste)\s*[)\]}]\s*|\s+(?i:dot|piste)\s+)"
_EMAIL = r"[\w.%+'-]+" + _AT + r"[\w-]+(?:" + _DOT + r"[\w-]+)*" + _DOT + r"[A-Za-z]{2,}" + _B
_SIGN = r" {0,2}[+A-FYXWVUa-fyxwvu" + _DASHES + r"] {0,2}"
_DAY_MONTH = (
    r"(?:(?:0[1-9]|1[0-9]|2[0-8])(?:0[1-9]|1[0-2])"
    r"|(?:29|30)(?:0[13-9]|1[0-2])"
    r"|31(?:0[13578]|1[02]))"
)
_LEAP_DAY = r"2902(?:(?:0[48]|[2468][048]|[13579][26])" + _SIGN + r"|00 {0,2}[A-Fa-f] {0,2})"
_IDENTITY_CODE = (
    r"(?:" + _DAY_MONTH + r"[0-9]{2}" + _SIGN + r"|" + _LEAP_DAY + r")[0-9]{3}[0-9A-Za-z]"
)
_SEP = r"(?: ?[" + _DASHES + r"] ?|[ \u00a0])"
_AREA_SEP = r"(?: ?[/" + _DASHES + r"] ?|[ \u00a0])"
_SUBSCRIBER = (
    r"(?:[0-9]{3}" + _SEP + r"[0-9]{2}" + _SEP + r"[0-9]{2,3}"
    r"|[0-9]{2}" + _SEP + r"[0-9]{2}" + _SEP + r"[0-9]{3}"
    r"|[0-9]{2,4}" + _SEP + r"[0-9]{3,5}"
    r"|[0-9]{5,9})"
)
_INTERNATIONAL = (
    r"(?:\+|" + _B + r"00)358" + _SEP + r"?(?:\(0\)" + _SEP + r"?)?"
    r"[1-9][0-9]{0,2}" + _AREA_SEP + r"?" + _SUBSCRIBER
)
_BRACKETED = r"\(0[1-9][0-9]{0,2}\)" + _AREA_SEP + r"?" + _SUBSCRIBER
_NATIONAL = _B + r"0[1-9][0-9]{0,2}" + _AREA_SEP + _SUBSCRIBER
_UNGROUPED = _B + r"0[1-9][0-9]{6,9}"
_ANY_COUNTRY = r"(?:\+|" + _B + r"00)[1-9][0-9]{0,2}(?:" + _AREA_SEP + r"?\(?[0-9]\)?){6,12}"
_PHONE = (
    r"(?:" + r"|".join((_INTERNATIONAL, _BRACKETED, _NATIONAL, _UNGROUPED, _ANY_COUNTRY)) + r")"
) + _B

MARKERS = {"emails": "\x01", "identity_codes": "\x02", "phones": "\x03"}
IDENTITY_CODE = _IDENTITY_CODE
_PATTERNS = {"emails": _EMAIL, "identity_codes": _IDENTITY_CODE, "phones": _PHONE}
_ANY = "|".join((_CONTROL, _INVISIBLE, _NOT_PLAIN, *_PATTERNS.values()))


@dataclass(frozen=True)
class RedactionCounts:
    """How many identity codes, phone numbers and e-mail addresses were redacted."""

    identity_codes: int = 0
    phones: int = 0
    emails: int = 0

    def __add__(self, other: RedactionCounts) -> RedactionCounts:
        """Return the counts of both added kind by kind."""
        return RedactionCounts(
            identity_codes=self.identity_codes + other.identity_codes,
            phones=self.phones + other.phones,
            emails=self.emails + other.emails,
        )

    @property
    def total(self) -> int:
        """Return the number of redactions of every kind."""
        return self.identity_codes + self.phones + self.emails


def normalised_text(text: pl.Expr) -> pl.Expr:
    r"""Return `text` in NFKC, without invisible format characters (`\p{Cf}`)."""
    return text.str.normalize("NFKC").str.replace_all(_INVISIBLE, "")


def marked_text(text: pl.Expr) -> pl.Expr:
    r"""Return `text` with `\n` line breaks, no other control characters, and matches marked."""
    expr = (
        text.str.replace_all(r"\r\n?", "\n")
        .str.normalize("NFKC")
        .str.replace_all(_INVISIBLE, "")
        .str.replace_all(_CONTROL, "")
    )
    for kind, pattern in _PATTERNS.items():
        expr = expr.str.replace_all(pattern, MARKERS[kind])
    return expr


def _unmarked(text: pl.Expr) -> pl.Expr:
    """Return `text` with every marker replaced by `REDACTED`."""
    markers = list(MARKERS.values())
    return text.str.replace_many(markers, [REDACTED] * len(markers))


def redacted_text(text: pl.Expr) -> pl.Expr:
    """Return an expression of `text` redacted as a free-text field is (without the counts)."""
    return _unmarked(marked_text(text))


def _flagged(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Return, per column, whether each text holds anything to remove (one regex pass each)."""
    texts = (pl.col(column).cast(pl.String) for column in columns)
    return frame.select(text.str.contains(_ANY).fill_null(False) for text in texts)


def _redacted_column(text: pl.Series, flagged: pl.Series) -> tuple[pl.Series, RedactionCounts]:
    """Return `text` redacted where flagged (the rest untouched), with the redactions by kind."""
    rows = flagged.arg_true()
    if rows.is_empty():
        return text, RedactionCounts()
    marked = text.gather(rows).to_frame("text").select(marked_text(pl.col("text")))["text"]
    counts = {k: marked.str.count_matches(m, literal=True).sum() for k, m in MARKERS.items()}
    redacted = marked.to_frame("text").select(_unmarked(pl.col("text")))["text"]
    return text.clone().scatter(rows, redacted), RedactionCounts(**counts)


def _redacted(frame: pl.DataFrame, columns: list[str]) -> tuple[pl.DataFrame, RedactionCounts]:
    """Return `frame` with `columns` redacted, and the redactions of all of them by kind."""
    flags = _flagged(frame, columns)
    results = [_redacted_column(frame[c].cast(pl.String), flags[c]) for c in columns]
    counts = sum((result[1] for result in results), RedactionCounts())
    return frame.with_columns(result[0] for result in results), counts


def redacted_reports(delivered: pl.DataFrame) -> tuple[pl.DataFrame, RedactionCounts]:
    """Return the delivered frame with its free text redacted, and the redactions by kind.

    Args:
        delivered: a delivered frame (see `schemas.fields`); other columns pass unchanged.

    Returns:
        The frame with identity codes, phone numbers and e-mail addresses of the
        free-text fields replaced by `REDACTED` and control characters removed,
        and the number of redactions of each kind.
    """
    columns = [column for column in FREE_TEXT_FIELDS if column in delivered.columns]
    return _redacted(delivered, columns)


def redact_text(text: str) -> tuple[str, RedactionCounts]:
    """Return one text redacted as `redacted_reports` redacts a free-text field, with the counts."""
    redacted, counts = _redacted(
        pl.DataFrame({"text": [text]}, schema={"text": pl.String}), ["text"]
    )
    return redacted["text"].item(), counts
