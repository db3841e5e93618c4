"""Limits checked before a delivery is parsed: bytes, lines, XLSX sheet extent, JSON shape.

Each check reads the raw bytes without building what they describe: a CSV's
lines are counted, an XLSX's zip directory and its first sheet's XML are
streamed (the declared `<dimension>`, the largest cell reference, the count of
rows and cells), and a JSON text's nesting and longest number are measured
with its strings blanked. A delivery over a limit raises `DeliveryRefused`:
one line with the file, the limit, its size and what the municipality can do.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from posixpath import join, normpath

from schemas.limits import DeliveryLimits
from tasks.intake.extract import Delivery, too_large
from tasks.intake.parse import UnreadableDelivery
from tasks.intake.refusals import ASK_SMALLER, refusal

_SCAN_BYTES = 1 << 20
_OVERLAP_BYTES = 256
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = bytes(set(range(256)) - set(b"[]{}"))
_INNERMOST_PAIR = re.compile(rb"[\[{][\]}]")
_NUMBER_RUN = r"(?<![-+.eE0-9])[-+.eE0-9]{%d}"
_FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id=\"([^\"]+)\"")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"(?:[^\":]*:)?([A-Z]*)(\d*)\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\sr=\"([A-Z]{1,7})(\d{1,12})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\sr=\"(\d{1,12})\"")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_XLSX_FIX = "ask the municipality to save only the reports, from cell A1 on, in a new workbook"


class DeliveryRefused(UnreadableDelivery):
    """A delivery over a limit, refused before it is parsed (the others go on)."""


@dataclass(frozen=True)
class SheetExtent:
    """How far a sheet reaches from A1: its last row and column, and its row and cell tags."""

    rows: int = 0
    columns: int = 0
    row_tags: int = 0
    cells: int = 0

    def __or__(self, other: SheetExtent) -> SheetExtent:
        """Return the extent of two parts of one sheet."""
        return SheetExtent(
            max(self.rows, other.rows),
            max(self.columns, other.columns),
            self.row_tags + other.row_tags,
            self.cells + other.cells,
        )

    @property
    def last_row(self) -> int:
        """Return the last row the sheet reaches (a row without a reference counts in order)."""
        return max(self.rows, self.row_tags)


def check_limits(delivery: Delivery, limits: DeliveryLimits) -> None:
    """Raise `DeliveryRefused` when the delivery breaks a limit; parse nothing.

    Args:
        delivery: a delivery as extracted (`refused` set when it was not even read).
        limits: the configured limits.
    """
    if delivery.refused:
        raise DeliveryRefused(delivery.refused)
    if len(delivery.content) > limits.max_bytes:
        raise DeliveryRefused(too_large(delivery.name, len(delivery.content), limits.max_bytes))
    _CHECKS.get(delivery.kind, _nothing_more)(delivery, limits)


def check_rows(delivery: Delivery, rows: int, limits: DeliveryLimits) -> None:
    """Raise `DeliveryRefused` when a parsed delivery has more rows than the limit."""
    if rows > limits.max_rows:
        raise DeliveryRefused(
            refusal(delivery.name, "the delivery", rows, limits.max_rows, "rows", ASK_SMALLER)
        )


def _nothing_more(_delivery: Delivery, _limits: DeliveryLimits) -> None:
    """Check nothing beyond the bytes (an SQL extract is made by the pipeline itself)."""


# --- CSV ------------------------------------------------------------------------------------


def _check_csv(delivery: Delivery, limits: DeliveryLimits) -> None:
    """Refuse a CSV with more lines than rows allowed, or a line longer than a report can be."""
    data = delivery.content
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limits.max_rows + 1:
        raise DeliveryRefused(
            refusal(
                delivery.name,
                "the file",
                lines,
                limits.max_rows + 1,
                "lines",
                ASK_SMALLER,
            )
        )
    longest = longest_line(data) if len(data) > limits.max_line_bytes else 0
    if longest > limits.max_line_bytes:
        fix = (
            f"a report's text fields hold at most {limits.max_cell_chars:,} characters each; "
            "ask the municipality to check the file's quotes and line breaks"
        )
        raise DeliveryRefused(
            refusal(delivery.name, "its longest line", longest, limits.max_line_bytes, "bytes", fix)
        )


def longest_line(data: bytes) -> int:
    """Return the length in bytes of the longest line of `data`."""
    longest, start = 0, 0
    while (end := data.find(b"\n", start)) != -1:
        longest = max(longest, end - start)
        start = end + 1
    return max(longest, len(data) - start)


# --- JSON -----------------------------------------------------------------------------------


def _check_json(delivery: Delivery, limits: DeliveryLimits) -> None:
    """Refuse JSON nested deeper than the limit, or with a number longer than the limit."""
    skeleton = json_skeleton(_ascii_compatible(delivery.content))
    depth = json_depth(skeleton, limits.max_json_depth)
    if depth > limits.max_json_depth:
        fix = "ask the municipality to export the file in the contract's shape (reports of values)"
        raise DeliveryRefused(
            refusal(
                delivery.name,
                "its nesting",
                f"more than {limits.max_json_depth:,}",
                limits.max_json_depth,
                "levels",
                fix,
            )
        )
    number = re.search(_NUMBER_RUN.encode() % (limits.max_number_chars + 1), skeleton)
    if number:
        fix = "ask the municipality to export numbers as ordinary numbers (or as text)"
        size = len(re.match(rb"[-+.eE0-9]*", skeleton[number.start() :]).group())
        raise DeliveryRefused(
            refusal(delivery.name, "a number", size, limits.max_number_chars, "characters", fix)
        )


def _ascii_compatible(data: bytes) -> bytes:
    """Return `data` as UTF-8 when it is UTF-16 or UTF-32 (brackets and quotes are then ASCII)."""
    if b"\x00" not in data[:4]:
        return data
    for codec in ("utf-32", "utf-16"):
        try:
            return data.decode(codec).encode("utf-8")
        except UnicodeDecodeError:
            continue
    return data


def json_skeleton(data: bytes) -> bytes:
    """Return JSON text with every string emptied: only structure, numbers and words remain."""
    return _JSON_STRING.sub(b'""', data)


def json_depth(skeleton: bytes, enough: int) -> int:
    """Return how deep the skeleton's brackets nest, or a number over `enough` once it is passed.

    Innermost pairs are removed one level per pass (at C speed); what is left after
    `enough` passes is either nothing nested or a sign of deeper nesting.
    """
    brackets = skeleton.translate(None, _NOT_A_BRACKET)
    for level in range(enough + 1):
        reduced = _INNERMOST_PAIR.sub(b"", brackets)
        if reduced == brackets:
            return max(level, len(brackets.lstrip(b"]}")))
        brackets = reduced
    return enough + 1


# --- XLSX -----------------------------------------------------------------------------------


def _check_xlsx(delivery: Delivery, limits: DeliveryLimits) -> None:
    """Refuse a workbook that unzips too large, or whose first sheet reaches too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(delivery.content))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip at all: the parser says so
    with archive:
        unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > limits.max_unzipped_bytes:
            raise DeliveryRefused(
                refusal(
                    delivery.name,
                    "the workbook unzipped",
                    unzipped,
                    limits.max_unzipped_bytes,
                    "bytes",
                    _XLSX_FIX,
                )
            )
        sheet = first_sheet(archive)
        if sheet is None:
            return
        try:
            extent = sheet_extent(_chunks(archive, sheet))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
            return  # a broken entry: the parser says so
    _check_extent(delivery, extent, limits)


def _check_extent(delivery: Delivery, extent: SheetExtent, limits: DeliveryLimits) -> None:
    """Refuse a sheet whose rows, or rectangle from A1, pass the limits."""
    if extent.last_row > limits.max_rows + 1:
        raise DeliveryRefused(
            refusal(
                delivery.name,
                "the first sheet's last row",
                extent.last_row,
                limits.max_rows + 1,
                "rows",
                _XLSX_FIX,
            )
        )
    cells = max(extent.last_row * extent.columns, extent.cells)
    if cells > limits.max_sheet_cells:
        raise DeliveryRefused(
            refusal(
                delivery.name,
                "the first sheet from A1 to its last cell",
                cells,
                limits.max_sheet_cells,
                "cells",
                _XLSX_FIX,
            )
        )


def first_sheet(archive: zipfile.ZipFile) -> str | None:
    """Return the zip entry of the workbook's first sheet (the one the parser reads), or None."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    found = _FIRST_SHEET.search(_small_entry(archive, "xl/workbook.xml"))
    if found is None:
        return None
    for element in _RELATIONSHIP.findall(_small_entry(archive, "xl/_rels/workbook.xml.rels")):
        if _attribute(element, b"Id") == found.group(1):
            target = (_attribute(element, b"Target") or b"").decode("utf-8", "replace")
            path = target.lstrip("/") if target.startswith("/") else join("xl", target)
            path = normpath(path)
            return path if path in names else None
    return None


def _small_entry(archive: zipfile.ZipFile, name: str, limit: int = 16 << 20) -> bytes:
    """Return the start of a zip entry (a workbook's directory files are small)."""
    with archive.open(name) as entry:
        return entry.read(limit)


def _attribute(element: bytes, name: bytes) -> bytes | None:
    """Return an XML attribute's value from one element's text."""
    found = re.search(rb"\s" + name + rb'="([^"]*)"', element)
    return found.group(1) if found else None


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """Yield a zip entry's bytes in overlapping chunks (a tag split by a chunk is seen whole)."""
    tail = b""
    with archive.open(name) as entry:
        while chunk := entry.read(_SCAN_BYTES):
            yield tail + chunk
            tail = chunk[-_OVERLAP_BYTES:]


def sheet_extent(chunks: Iterator[bytes]) -> SheetExtent:
    """Return how far a sheet's XML reaches: its declared dimension, cell references and tags."""
    extent = SheetExtent()
    for chunk in chunks:
        extent |= _chunk_extent(chunk)
    return extent


def _chunk_extent(chunk: bytes) -> SheetExtent:
    """Return the extent one chunk of sheet XML shows (tags counted, references at their max)."""
    refs = [*_DIMENSION.findall(chunk), *_CELL_REF.findall(chunk)]
    rows = [int(row) for _, row in refs if row] + [int(row) for row in _ROW_REF.findall(chunk)]
    columns = [column_number(column) for column, _ in refs if column]
    return SheetExtent(
        rows=max(rows, default=0),
        columns=max(columns, default=0),
        row_tags=len(_ROW_TAG.findall(chunk)),
        cells=len(_CELL_TAG.findall(chunk)),
    )


def column_number(letters: bytes) -> int:
    """Return the number of a column named by letters (`A` is 1, `BI` is 61)."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


_CHECKS: dict[str, Callable[[Delivery, DeliveryLimits], None]] = {
    "csv": _check_csv,
    "json": _check_json,
    "xlsx": _check_xlsx,
}
