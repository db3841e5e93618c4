"""Proposal follow-up (CONTRACT.md §6): the response sheet's fields, status codes and model.

A *response line* is one filled line of a response sheet: an addressee's answer to one
tracked proposal, keyed by (`municipality_code`, `report_id`). `tasks.intake.responses`
parses a delivered sheet into the types of `RESPONSE_DTYPES` first and validates the typed
frame with `ResponseModel`; every check is named after its rule, never its value.
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

STATUSES: tuple[str, ...] = (
    "received",
    "in_preparation",
    "decided",
    "implemented",
    "not_taken_forward",
)
OPEN = "open"  # no response yet (followup.csv)
FOLLOWUP_STATUSES: tuple[str, ...] = (OPEN, *STATUSES)
DECISION_STATUSES: tuple[str, ...] = ("decided", "implemented", "not_taken_forward")
CLOSED_STATUSES: tuple[str, ...] = ("implemented", "not_taken_forward")  # off the sheets
STATUS_LABELS_FI: dict[str, str] = {
    "received": "vastaanotettu",
    "in_preparation": "valmistelussa",
    "decided": "päätetty",
    "implemented": "toteutettu",
    "not_taken_forward": "ei_edetty",
}
FOLLOWUP_QUARTERS = 8
DIGEST_QUARTERS = 4
RESPONSE_MAX_CHARS = 2000
RESPONDER_ROLE_MAX_CHARS = 100
DECISION_REF_MAX_CHARS = 300
RESPONSES_SOURCE_ID = "responses"
SHEET_FIELDS: tuple[str, ...] = (
    "municipality_code",
    "report_id",
    "quarter",
    "theme",
    "urgency",
    "proposal",
    "status",
    "decision_ref",
    "decided_on",
    "response",
    "responder_role",
)
FILLED_FIELDS: tuple[str, ...] = SHEET_FIELDS[6:]
SHEET_HEADERS_FI: dict[str, str] = {
    "municipality_code": "kuntanumero",
    "report_id": "raportin_tunnus",
    "quarter": "vuosineljännes",
    "theme": "teema",
    "urgency": "kiireellisyys",
    "proposal": "ehdotus",
    "status": "tila",
    "decision_ref": "päätös",
    "decided_on": "päätöspäivä",
    "response": "vastaus",
    "responder_role": "vastaajan_rooli",
}
RESPONSE_DTYPES: dict[str, pl.DataType] = {
    "municipality_code": pl.String(),
    "report_id": pl.String(),
    "status": pl.String(),
    "decision_ref": pl.String(),
    "decided_on": pl.Date(),
    "response": pl.String(),
    "responder_role": pl.String(),
    "row_number": pl.Int64(),
}
RESPONSE_REJECTION_DTYPES: dict[str, pl.DataType] = {
    "row_number": pl.Int64(),
    "municipality_code": pl.String(),
    "report_id": pl.String(),
    "field": pl.String(),
    "rule": pl.String(),
    "reason": pl.String(),
    "reason_fi": pl.String(),
}
REJECTION_REASONS: dict[str, tuple[str, str]] = {
    "required": ("a value is required", "arvo puuttuu"),
    "code_list": ("not a code of the list", "ei listan koodi"),
    "format": ("not a date (d.m.yyyy or yyyy-mm-dd)", "ei päivämäärä (p.k.vvvv tai vvvv-kk-pp)"),
    "too_long": ("text too long", "teksti liian pitkä"),
    "unknown_proposal": (
        "no stored proposal has this municipality_code and report_id",
        "tällä kuntanumerolla ja raportin tunnuksella ei ole tallennettua ehdotusta",
    ),
}


def addressee_of(addressee_level: str, municipality_code: str) -> str:
    """Return whom a proposal's sheet goes to: the municipality's code, or the level."""
    return municipality_code if addressee_level == "municipality" else addressee_level


class ResponseModel(pa.DataFrameModel):
    """A typed response line (one row per filled sheet line) as it is stored."""

    municipality_code: str = pa.Field(str_matches=r"^\d{3}$", description="Key of the proposal")
    report_id: str = pa.Field(str_length={"min_value": 1, "max_value": 64}, description="Its id")
    status: str = pa.Field(isin=list(STATUSES), description="Where the proposal stands")
    decision_ref: str = pa.Field(
        nullable=True,
        str_length={"max_value": DECISION_REF_MAX_CHARS},
        description="Body, date and section of the decision, a public record",
    )
    decided_on: pl.Date = pa.Field(nullable=True, description="Day of the decision")
    response: str = pa.Field(
        nullable=True,
        str_length={"max_value": RESPONSE_MAX_CHARS},
        description="The addressee's answer, redacted",
    )
    responder_role: str = pa.Field(
        nullable=True,
        str_length={"max_value": RESPONDER_ROLE_MAX_CHARS},
        description="Who answered, as a role",
    )
    row_number: int = pa.Field(ge=1, description="Line of the delivered file")

    class Config:
        """Strict: no column beyond the model's."""

        strict = True
