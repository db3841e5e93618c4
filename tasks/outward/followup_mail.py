"""Follow-up mail: each addressee its response sheet with the briefs, each municipality its digest.

Sent through `send.send_brief`, so every message is in the publication ledger under its own
key (`<quarter>/responses/<addressee>`, `<quarter>/digest/<code>`): a recipient gets a
version once, and a failed one is owed until a later run sends it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from tasks.outward.digest import DIGEST_SUFFIX
from tasks.outward.response_sheets import is_response_sheet
from tasks.outward.send import SmtpConfig, brief_version, send_brief

SHEET_SUBJECT = "Ehdotukset vastattavaksi {quarter} / Förslag att besvara / Proposals to answer"
SHEET_BODY = (
    "Liitteenä teille osoitetut avoimet ehdotukset ja katsaus {quarter}. Täyttäkää sarakkeet "
    "tila, päätös, päätöspäivä, vastaus ja vastaajan_rooli ja palauttakaa taulukko.\n"
    "Attached: the open proposals addressed to you, with the brief. Fill in the status, "
    "decision, decision date, response and responder role columns and return the sheet.\n"
)
DIGEST_SUBJECT = "Sosiaalisen raportoinnin palautekooste {quarter}"
DIGEST_BODY = (
    "Liitteenä kuntanne ammattilaisten sosiaalisten raporttien koonti {quarter} ja se, mitä "
    "niiden ehdotuksille on tapahtunut. Koonti on vain kunnan käyttöön, eikä sitä julkaista.\n"
)


@dataclass(frozen=True)
class Parcel:
    """One message kind for one addressee: its ledger key, attachments and recipients."""

    ledger_key: str
    attachments: list[Path]
    recipients: list[str]
    subject: str
    body: str


def followup_parcels(
    quarter: str,
    files: list[Path],
    digests: list[Path],
    sheet_lists: dict[str, list[str]],
    digest_lists: dict[str, list[str]],
) -> list[Parcel]:
    """Return the messages owed: a sheet with the briefs per addressee, a digest per municipality.

    An addressee or municipality without an address list gets nothing.
    """
    briefs = sorted(
        path for path in files if path.name.startswith("brief-") and path.suffix == ".pdf"
    )
    sheets = [
        Parcel(
            f"{quarter}/responses/{sheet.stem}",
            [sheet, *briefs],
            sheet_lists.get(sheet.stem, []),
            SHEET_SUBJECT.format(quarter=quarter),
            SHEET_BODY.format(quarter=quarter),
        )
        for sheet in sorted(filter(is_response_sheet, files))
    ]
    own = [
        Parcel(
            f"{quarter}/digest/{digest.name.removesuffix(DIGEST_SUFFIX)}",
            [digest],
            digest_lists.get(digest.name.removesuffix(DIGEST_SUFFIX), []),
            DIGEST_SUBJECT.format(quarter=quarter),
            DIGEST_BODY.format(quarter=quarter),
        )
        for digest in sorted(digests)
    ]
    return [parcel for parcel in [*sheets, *own] if parcel.recipients]


def send_parcels(engine: Engine, config: SmtpConfig, parcels: list[Parcel]) -> list[str]:
    """Send every parcel to its recipients still owed it; return those whose sending failed."""
    failed: list[str] = []
    for parcel in parcels:
        outcome = send_brief(
            engine,
            config,
            parcel.ledger_key,
            brief_version(parcel.attachments),
            parcel.attachments,
            parcel.recipients,
            parcel.subject,
            parcel.body,
        )
        failed += sorted(outcome.failed)
    return failed


FEEDBACK_SUBJECT = "Palautettujen vastausten virheet: {name}"
FEEDBACK_BODY = (
    "Osaa palauttamanne vastaustaulukon riveistä ei voitu tallentaa. Liitteessä on kunkin "
    "rivin numero, kenttä ja syy. Korjatkaa rivit ja palauttakaa ne uudelleen.\n"
)


def sender_of(stem: str, sheet_lists: dict[str, list[str]]) -> str | None:
    """Return the addressee a returned sheet came from: the known one its name ends with."""
    for addressee in sorted(sheet_lists, key=len, reverse=True):
        if stem == addressee or stem.endswith((f"-{addressee}", f"_{addressee}")):
            return addressee
    return None


def feedback_parcels(feedback: list[Path], sheet_lists: dict[str, list[str]]) -> list[Parcel]:
    """Return each returned sheet's rejected lines as a message to the addressee who sent it."""
    parcels = []
    for path in sorted(feedback):
        sender = sender_of(path.stem, sheet_lists)
        if sender is not None:
            subject = FEEDBACK_SUBJECT.format(name=path.stem)
            parcels.append(
                Parcel(f"responses-feedback/{path.stem}", [path], sheet_lists[sender], subject,
                       FEEDBACK_BODY)
            )  # fmt: skip
    return parcels
