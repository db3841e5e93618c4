"""Filled response sheets for the demo: what the addressees answered to earlier proposals.

Written as the addressees would return them (CONTRACT.md §6): one sheet per addressee and
round, XLSX with Finnish headers (one welfare-region round as `;` CSV), statuses as codes or
Finnish labels, decision references in the style of municipal minutes. Older proposals have
moved further; some answers come late; a later round corrects an earlier answer; a few lines
are wrong on purpose (an unknown report, a status not on the list, an impossible date).
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl
import xlsxwriter

from schemas.quarter import Quarter, quarter_of
from schemas.reference import Reference
from schemas.responses import SHEET_FIELDS, SHEET_HEADERS_FI, STATUS_LABELS_FI, addressee_of

RESPONSES_DIR = "responses"
RESPONSES_GLOB = "responses/*.*"
PLANTED_REJECTIONS = 3  # unknown proposal, status not on the list, impossible date
_BODIES = {
    "welfare_region": ("Hyvinvointilautakunta", "Aluehallitus", "Sosiaalipalvelujen johtoryhmä"),
    "national": ("Sosiaali- ja terveysministeriö, lausunto", "THL:n asiantuntijaryhmä"),
    "ngo_or_other": ("Järjestön hallitus", "Seurakuntayhtymän diakonia-johtokunta"),
}
_RESPONSES = (
    "Asia on otettu valmisteluun, ja siitä raportoidaan lautakunnalle.",
    "Ehdotus sisällytetään ensi vuoden talousarvioesitykseen.",
    "Palvelun aukioloaikoja on laajennettu ehdotuksen mukaisesti.",
    "Resurssit eivät tällä hetkellä riitä, mutta asiaan palataan.",
    "Asiasta on sovittu yhteistyö järjestöjen kanssa.",
    "Lisätietoja palvelupäällikkö, puh. 040 765 4321.",
)
_ROLES = ("palvelupäällikkö", "sosiaalijohtaja", "lautakunnan sihteeri", "kehittämispäällikkö")


def demo_proposals(reports: pl.DataFrame, last_quarter: Quarter) -> pl.DataFrame:
    """Return the demo's stored proposals before `last_quarter`: valid, current, with a text."""
    return (
        reports.filter(
            pl.col("planted_fault").is_null()
            & ~pl.col("superseded")
            & pl.col("proposal").is_not_null()
            & (pl.col("proposal").str.strip_chars() != "")
        )
        .with_columns(quarter_of("submitted_on").alias("quarter"))
        .filter(pl.col("quarter") < str(last_quarter))
        .sort("municipality_code", "report_id")
    )


def demo_answers(proposals: pl.DataFrame, last_quarter: Quarter, seed: int) -> list[dict]:
    """Return one answer per answered proposal: older ones further along; some never answered."""
    rng = random.Random(seed * 7 + 21)
    answers = []
    for row in proposals.iter_rows(named=True):
        age = _quarters_between(Quarter.parse(row["quarter"]), last_quarter)
        if rng.random() > min(0.85, 0.25 + 0.12 * age):
            continue
        answers.append(_answer(rng, row, age, last_quarter))
    return answers


def _quarters_between(first: Quarter, last: Quarter) -> int:
    return (last.year - first.year) * 4 + last.number - first.number


def _answer(rng: random.Random, row: dict, age: int, last: Quarter) -> dict:
    status = rng.choices(
        ["received", "in_preparation", "decided", "implemented", "not_taken_forward"],
        weights=[3, 3 + age, 1 + age, max(0, age - 2), 1],
    )[0]
    late = rng.random() < 0.2
    delay = rng.randint(200, 400) if late else rng.randint(20, 150)
    decided_on = min(row["submitted_on"] + timedelta(days=delay), last.last_day)
    answer = {
        "municipality_code": row["municipality_code"],
        "report_id": row["report_id"],
        "quarter": row["quarter"],
        "theme": row["theme"],
        "urgency": row["urgency"],
        "proposal": row["proposal"],
        "status": status,
        "decision_ref": None,
        "decided_on": None,
        "response": rng.choice(_RESPONSES) if rng.random() < 0.7 else None,
        "responder_role": rng.choice(_ROLES),
        "addressee": addressee_of(row["addressee_level"], row["municipality_code"]),
        "_submitted_on": row["submitted_on"],
    }
    if status in ("decided", "implemented", "not_taken_forward"):
        body = _body(rng, row)
        answer["decision_ref"] = f"{body} {_fi_date(decided_on)} § {rng.randint(3, 140)}"
        answer["decided_on"] = decided_on
    return answer


def _body(rng: random.Random, row: dict) -> str:
    if row["addressee_level"] == "municipality":
        return rng.choice(("Kunnanhallitus", "Perusturvalautakunta", "Kunnanvaltuusto"))
    return rng.choice(_BODIES[row["addressee_level"]])


def _fi_date(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def write_demo_responses(
    directory: Path, reports: pl.DataFrame, last_quarter: Quarter, reference: Reference, seed: int
) -> list[Path]:
    """Write the filled sheets under `directory/responses/`; return the files written."""
    answers = demo_answers(demo_proposals(reports, last_quarter), last_quarter, seed)
    folder = directory / RESPONSES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.*"):
        stale.unlink()
    by_addressee: dict[str, list[dict]] = {}
    for answer in answers:
        by_addressee.setdefault(answer["addressee"], []).append(answer)
    written = []
    for addressee, lines in sorted(by_addressee.items()):
        if addressee == "welfare_region":
            written += _welfare_region_rounds(folder, lines, last_quarter)
            continue
        written.append(_write_xlsx(folder / f"vastaukset-1-{addressee}.xlsx", lines, labels=True))
    return written


def _welfare_region_rounds(folder: Path, lines: list[dict], last: Quarter) -> list[Path]:
    """Write the region's answers in two rounds: a CSV with planted faults, then a correction."""
    first = [{**line, "status": "in_preparation", "decision_ref": None, "decided_on": None}
             if line["status"] == "decided" and i % 3 == 0 else line
             for i, line in enumerate(lines)]  # fmt: skip
    planted = _planted_faults(lines[0], last) if lines else []
    corrected = [line for i, line in enumerate(lines) if line["status"] == "decided" and i % 3 == 0]
    return [
        _write_csv(folder / "vastaukset-1-welfare_region.csv", [*first, *planted]),
        _write_xlsx(folder / "vastaukset-2-welfare_region.xlsx", corrected, labels=False),
    ]


def _planted_faults(line: dict, last: Quarter) -> list[dict]:
    return [
        {**line, "report_id": "EI-OLE-0001"},
        {**line, "status": "hyväksytty"},
        {**line, "status": "decided", "decided_on": "31.2." + str(last.year)},
    ]


def _cells(line: dict, labels: bool) -> list[str]:
    values = {**line}
    if labels and values["status"] in STATUS_LABELS_FI:
        values["status"] = STATUS_LABELS_FI[values["status"]]
    day = values["decided_on"]
    values["decided_on"] = _fi_date(day) if isinstance(day, date) else day
    return ["" if values[field] is None else str(values[field]) for field in SHEET_FIELDS]


def _write_xlsx(path: Path, lines: list[dict], labels: bool) -> Path:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("vastaukset")
    sheet.write_row(0, 0, [SHEET_HEADERS_FI[field] for field in SHEET_FIELDS])
    for row, line in enumerate(lines, start=1):
        for column, value in enumerate(_cells(line, labels)):
            sheet.write_string(row, column, value)
    workbook.set_properties({"created": datetime(2026, 1, 1)})
    workbook.close()
    path.write_bytes(buffer.getvalue())
    return path


def _write_csv(path: Path, lines: list[dict]) -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([SHEET_HEADERS_FI[field] for field in SHEET_FIELDS])
    writer.writerows(_cells(line, labels=False) for line in lines)
    path.write_bytes(text.getvalue().encode("utf-8-sig"))
    return path
