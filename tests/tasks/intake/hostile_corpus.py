"""The corpus of broken and hostile deliveries: how each is made, and what the steward must see.

Small files are committed under `tests/fixtures/hostile/` (run this module to write
them again); the large ones (a 50 MB cell, a 500 MB line, a zip bomb) are written
on the fly, streamed, never held whole. Each case names the line the steward must
see (a regular expression), `raportti check`'s exit status, and how many of its rows
a run stores.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "hostile"
CODE = "851"  # the municipality whose drop holds the corpus
HEADER = (
    "report_id;municipality_code;submitted_on;reporter_role;theme;target_group;phenomenon;"
    "addressee_level;urgency;clients_affected"
)
TEXT = "Asiakkaat joutuvat matkustamaan yli sata kilometriä lähimpään palveluun."
MB = 1_000_000


def row(report_id: str, submitted: str = "2.5.2026", clients: str = "3", text: str = TEXT) -> str:
    """Return one valid CSV report line (`;`-delimited), with the given values."""
    return (
        f"{report_id};{CODE};{submitted};social_worker;mobility;older_people;{text};"
        f"welfare_region;medium;{clients}"
    )


def csv_text(*rows: str, header: str = HEADER) -> str:
    """Return a CSV file's text: the header and `rows`, each ending in a newline."""
    return "".join(f"{line}\n" for line in (header, *rows))


def report(report_id: str, **overrides: object) -> dict[str, object]:
    """Return one valid JSON report."""
    values = dict(zip(HEADER.split(";"), row(report_id).split(";"), strict=True))
    values["submitted_on"] = "2026-05-02"
    return values | overrides


def export(reports: object, code: str = CODE) -> bytes:
    """Return a JSON export in the contract's shape."""
    document = {"municipality_code": code, "exported_at": "2026-07-01T06:00:00+03:00"}
    return json.dumps({**document, "reports": reports}, ensure_ascii=False).encode()


def workbook(build: Callable[[xlsxwriter.Workbook], None]) -> bytes:
    """Return the bytes of a workbook that `build` fills."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    build(book)
    book.close()
    return buffer.getvalue()


def _sheet_of_reports(book: xlsxwriter.Workbook, name: str, ids: list[str]) -> None:
    sheet = book.add_worksheet(name)
    for at, line in enumerate([HEADER, *(row(i, submitted="2026-05-02") for i in ids)]):
        sheet.write_row(at, 0, line.split(";"))


def _several_sheets(book: xlsxwriter.Workbook) -> None:
    _sheet_of_reports(book, "raportit", ["X-1", "X-2"])
    _sheet_of_reports(book, "vanhat", ["X-OLD-1"])


def _merged_cells(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 9, "Sosiaalinen raportointi 2026")
    for at, line in enumerate([HEADER, row("M-1", submitted="2026-05-02")], start=1):
        sheet.write_row(at, 0, line.split(";"))
    sheet.merge_range(3, 0, 3, 9, "merged across the whole row")


def _formulas(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER.split(";"))
    sheet.write_row(1, 0, row("F-1", submitted="2026-05-02").split(";"))
    sheet.write_formula(1, 9, "=1+2", None, 3)  # clients_affected as a formula, value cached
    sheet.write_formula(2, 0, '=HYPERLINK("http://example.invalid","F-2")', None, "F-2")


def _dimension_bomb(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER.split(";"))
    sheet.write(400_000, 60, "x")  # BI400001: the reader would build 24 million cells


def zip_bomb(path: Path, unzipped_bytes: int = 1100 * MB) -> None:
    """Write a real workbook whose first sheet unzips to `unzipped_bytes` of blank XML."""
    small = workbook(lambda book: _sheet_of_reports(book, "raportit", ["Z-1"]))
    with zipfile.ZipFile(io.BytesIO(small)) as source, zipfile.ZipFile(path, "w") as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                continue
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with bomb.open(entry, "w", force_zip64=True) as sheet:
                head, _, tail = data.partition(b"<sheetData>")
                sheet.write(head + b"<sheetData>")
                blank = b" " * MB
                for _ in range(unzipped_bytes // MB):
                    sheet.write(blank)
                sheet.write(tail)


def one_line(path: Path, size: int = 500 * MB) -> None:
    """Write a CSV whose second line is `size` bytes long, streamed a megabyte at a time."""
    with path.open("wb") as out:
        out.write(f"{HEADER}\nL-1;{CODE};2.5.2026;social_worker;mobility;older_people;".encode())
        chunk = b"a" * MB
        for _ in range(size // MB):
            out.write(chunk)
        out.write(b";welfare_region;medium;3\n")


def big_cell(path: Path, size: int = 50 * MB) -> None:
    """Write a CSV with one quoted 50 MB cell that spans many lines."""
    with path.open("wb") as out:
        out.write(f'{HEADER}\nC-1;{CODE};2.5.2026;social_worker;mobility;older_people;"'.encode())
        chunk = b"a" * 999 + b"\n"
        for _ in range(size // 1000):
            out.write(chunk)
        out.write(b'";welfare_region;medium;3\n')


@dataclass(frozen=True)
class Case:
    """One hostile delivery and what handling it must give."""

    name: str  # the file's name (in the fixtures, or written by `make`)
    sees: str  # regular expression of the line the steward sees (check and run)
    exit_code: int  # `raportti check`'s exit status
    stored: int = 0  # valid rows a run stores from it
    make: Callable[[Path], None] | None = None  # writes a large file on the fly

    @property
    def kind(self) -> str:
        """Return the kind of source the file is delivered by."""
        return {"csv": "csv", "xlsx": "xlsx", "json": "json"}[self.name.rpartition(".")[2]]


UTF8_BOM = b"\xef\xbb\xbf"
SMALL_FILES: dict[str, bytes] = {
    "empty.csv": b"",
    "header_only.csv": csv_text().encode(),
    "column_twice.csv": csv_text(row("D-1") + ";mobility", header=HEADER + ";theme").encode(),
    "unknown_and_missing_columns.csv": csv_text(
        "U-1;851;2.5.2026;jotain", header="report_id;municipality_code;submitted_on;hattu"
    ).encode(),
    "mixed_delimiters.csv": csv_text(row("MD-1"), row("MD-2").replace(";", ",")).encode(),
    "unbalanced_quotes.csv": csv_text(row("Q-1"), row("Q-2", text='"Alkaa lainauksella')).encode(),
    "too_many_fields.csv": csv_text(row("T-1"), row("T-2") + ";ylimääräinen;kenttä").encode(),
    "control_bytes.csv": csv_text(row("N-1"), row("N-2", text=TEXT + "\x00\x07\x1b")).encode(),
    "cp1252_claiming_utf8.csv": UTF8_BOM + csv_text(row("W-1")).encode("cp1252"),
    "utf8_in_cp1252_source.csv": csv_text(row("R-1")).encode("utf-8"),
    "utf16_with_bom.csv": csv_text(row("B-1")).encode("utf-16"),
    "utf16_without_bom.csv": csv_text(row("B-2")).encode("utf-16-le"),
    "impossible_dates.csv": csv_text(
        row("DT-1", submitted="31.2.2026"),
        row("DT-2", submitted="2026-13-01"),
        row("DT-3", submitted="1.1.26"),
    ).encode(),
    "decimal_commas.csv": csv_text(row("DC-1", clients="3,5"), row("DC-2", clients="4,0")).encode(),
    "several_sheets.xlsx": workbook(_several_sheets),
    "merged_cells.xlsx": workbook(_merged_cells),
    "formulas.xlsx": workbook(_formulas),
    "renamed_text.xlsx": csv_text(row("RT-1")).encode(),
    "dimension_bomb.xlsx": workbook(_dimension_bomb),
    "truncated.json": export([report("J-1"), report("J-2")])[:-40],
    "nested_10000_deep.json": export("[" * 10_000 + "]" * 10_000)
    .replace(b'"[', b"[")
    .replace(b']"', b"]"),
    "number_10000_digits.json": export([report("J-3", clients_affected=0)]).replace(
        b'"clients_affected": 0', b'"clients_affected": ' + b"9" * 10_000
    ),
    "wrong_municipality.json": export(
        [report("J-4", municipality_code=None), report("J-5", municipality_code=None)], code="698"
    ),
    "reports_not_a_list.json": export({"J-6": report("J-6")}),
}


def write_small_files(folder: Path = FIXTURES) -> None:
    """Write the committed small files of the corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in SMALL_FILES.items():
        (folder / name).write_bytes(content)


if __name__ == "__main__":
    write_small_files()


def _sees_row(name: str, row_number: int, report_id: str, field_reason: str) -> str:
    return rf"{name}, row {row_number}, report {report_id}: {field_reason}"


REFUSED_BYTES = r"refused: the delivery is [\d,]+ bytes, over the limit of 268,435,456 bytes"
CASES: list[Case] = [
    Case("empty.csv", r"empty\.csv: the file is empty", 2),
    Case("header_only.csv", "", 0),
    Case("column_twice.csv", r"column_twice\.csv: the header names theme more than once", 2),
    Case(
        "unknown_and_missing_columns.csv",
        _sees_row("unknown_and_missing_columns.csv", 2, "U-1", "phenomenon: missing"),
        1,
    ),
    Case(
        "mixed_delimiters.csv",
        r"mixed_delimiters\.csv, row 3, .*municipality_code: missing",
        1,
        stored=1,
    ),
    Case(
        "unbalanced_quotes.csv",
        r"unbalanced_quotes\.csv: a quoted field that starts on line 3 is never closed",
        2,
    ),
    Case(
        "too_many_fields.csv",
        _sees_row("too_many_fields.csv", 3, "T-2", "the row has more cells than the header"),
        1,
        stored=1,
    ),
    Case("control_bytes.csv", "", 0, stored=2),
    Case(
        "cp1252_claiming_utf8.csv",
        r"cp1252_claiming_utf8\.csv: the file starts with UTF-8's byte order mark, but byte \d+ "
        "is not UTF-8",
        2,
    ),
    Case("utf8_in_cp1252_source.csv", "", 0, stored=1),
    Case("utf16_with_bom.csv", "", 0, stored=1),
    Case(
        "utf16_without_bom.csv",
        r"utf16_without_bom\.csv: the file looks like UTF-16 text without a byte order mark",
        2,
    ),
    Case(
        "impossible_dates.csv",
        _sees_row("impossible_dates.csv", 4, "DT-3", r'submitted_on: not a date .*"1\.1\.26"'),
        1,
    ),
    Case(
        "decimal_commas.csv",
        _sees_row("decimal_commas.csv", 2, "DC-1", 'clients_affected: not a whole number .*"3,5"'),
        1,
        stored=1,
    ),
    Case(
        "cell_50mb.csv",
        _sees_row("cell_50mb.csv", 2, "C-1", "phenomenon: longer than 10000 characters"),
        1,
        make=big_cell,
    ),
    Case(
        "line_50mb.csv",
        r"line_50mb\.csv: refused: its longest line is [\d,]+ bytes, over the limit of "
        r"2,560,000 bytes",
        2,
        make=lambda path: one_line(path, 50 * MB),
    ),
    Case("line_500mb.csv", r"line_500mb\.csv: " + REFUSED_BYTES, 2, make=one_line),
    Case("several_sheets.xlsx", "", 0, stored=2),
    Case(
        "merged_cells.xlsx",
        r"merged_cells\.xlsx, row 4, report merged across the whole row: municipality_code: "
        "missing",
        1,
        stored=1,
    ),
    Case("formulas.xlsx", _sees_row("formulas.xlsx", 3, "F-2", "municipality_code: missing"), 1, 1),
    Case("renamed_text.xlsx", r"renamed_text\.xlsx: not an Excel workbook that can be read", 2),
    Case(
        "dimension_bomb.xlsx",
        r"dimension_bomb\.xlsx: refused: the first sheet from A1 to its last cell is 24,400,061 "
        "cells, over the limit of 5,000,000 cells",
        2,
    ),
    Case(
        "zip_bomb.xlsx",
        r"zip_bomb\.xlsx: refused: the workbook unzipped is [\d,]+ bytes, over the limit of "
        "1,073,741,824 bytes",
        2,
        make=zip_bomb,
    ),
    Case("truncated.json", r"truncated\.json: not valid JSON \(Unterminated string", 2),
    Case(
        "nested_10000_deep.json",
        r"nested_10000_deep\.json: refused: its nesting is more than 32 levels",
        2,
    ),
    Case(
        "number_10000_digits.json",
        r"number_10000_digits\.json: refused: a number is 10,000 characters, over the limit of "
        "100 characters",
        2,
    ),
    Case(
        "wrong_municipality.json",
        _sees_row(
            "wrong_municipality.json", 1, "J-4", "municipality_code: differs from the source's"
        ),
        1,
    ),
    Case("reports_not_a_list.json", r"reports_not_a_list\.json: the JSON is not shaped as", 2),
]
