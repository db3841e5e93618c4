"""Parsing: a delivery's rows as a delivered frame (every field as text) plus its unreadable rows.

Every kind ends in the same shape: the contract's fields as trimmed text (null when
empty or absent) and the lineage columns. Nothing is typed here (a code `005`
stays `005`); `tasks.validate` parses types and applies the contract's rules. A row
that cannot be read at all becomes a rejection (`unreadable_row`) with its line
number; a delivery that cannot be read at all raises `UnreadableDelivery`.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import fastexcel
import polars as pl

from schemas.fields import FINNISH_HEADERS, REJECTION_DTYPES, REPORT_FIELDS
from schemas.report import printable
from tasks.intake.extract import Delivery

ROW_FIELD = "(row)"
ROW_RULE = "unreadable_row"
_ROW = "row_number"
_CHUNK_BYTES = 1 << 24
_SNIFF_BYTES = 1 << 16
_HEADER_SEARCH_ROWS = 10
_SEPARATORS = (";", ",", "\t")
_EXCEL_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2}) 00:00:00$"
_EXCEL_DATETIME = r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$"
_BAD_ROW_SCHEMA = {
    _ROW: pl.Int64(),
    "municipality_code": pl.String(),
    "report_id": pl.String(),
    "reason": pl.String(),
    "reason_fi": pl.String(),
}
_RAGGED = (
    "the row has more cells than the header (a delimiter or quote out of place?); "
    "fix the row and deliver the file again",
    "rivillä on enemmän soluja kuin otsikkorivillä (väärä erotin tai lainausmerkki?); "
    "korjaa rivi ja toimita tiedosto uudelleen",
)
_BAD_QUOTE = (
    "the row has a quote character out of place and cannot be read; "
    "fix the row and deliver the file again",
    "rivillä on lainausmerkki väärässä kohdassa, eikä riviä voi lukea; "
    "korjaa rivi ja toimita tiedosto uudelleen",
)
_NOT_AN_OBJECT = (
    "the item in `reports` is not a JSON object; fix the export",
    "`reports`-listan kohde ei ole JSON-objekti; korjaa vienti",
)


class UnreadableDelivery(Exception):
    """A delivery that cannot be read at all; the message names the file, reason and fix."""


@dataclass(frozen=True)
class ParsedDelivery:
    """A delivery's readable rows (a delivered frame) and its unreadable rows (rejections)."""

    reports: pl.DataFrame
    rejections: pl.DataFrame


@dataclass(frozen=True)
class _Rows:
    """What a reader found: field columns plus `row_number`, and the rows it could not read."""

    cells: pl.DataFrame
    bad: pl.DataFrame


def parse_delivery(delivery: Delivery, seq: int) -> ParsedDelivery:
    """Return the delivery's rows as a delivered frame and its unreadable rows as rejections.

    Args:
        delivery: a delivery from `tasks.extract.list_deliveries`.
        seq: the delivery's order number; later deliveries have higher numbers.

    Returns:
        The delivered frame (`REPORT_FIELDS` as text plus lineage) and the rejection frame.

    Raises:
        UnreadableDelivery: the delivery cannot be read at all.
    """
    rows = _READERS[delivery.kind](delivery)
    return ParsedDelivery(
        reports=_delivered(rows.cells, delivery, seq), rejections=_rejections(rows.bad, delivery)
    )


def field_of_header(header: str | None) -> str | None:
    """Return the field a column header names (field name or Finnish header), or None."""
    if header is None:
        return None
    key = re.sub(r"[\s-]+", "_", unicodedata.normalize("NFC", header).strip().casefold())
    return key if key in REPORT_FIELDS else FINNISH_HEADERS.get(key)


# --- shared steps -------------------------------------------------------------------------


def _cleaned(column: pl.Expr) -> pl.Expr:
    """Return text trimmed, and null when empty (inner line breaks stay as delivered)."""
    return _blank_as_null(column.str.strip_chars())


def _blank_as_null(column: pl.Expr) -> pl.Expr:
    """Return text with the empty text as null (the text itself is not copied)."""
    return column.replace("", None)


def _is_padded(column: pl.Expr) -> pl.Expr:
    """Return whether text starts or ends with whitespace (the trimmed copy is dropped at once)."""
    return column.str.strip_chars().str.len_bytes() != column.str.len_bytes()


def _cleaned_grid(grid: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Return the grid with `columns` cleaned, copying only the columns that need trimming."""
    padded = grid.select(_is_padded(pl.col(columns)).any())
    cleaned = (_cleaned if padded[name].item() else _blank_as_null for name in columns)
    return grid.with_columns(
        clean(pl.col(name)) for clean, name in zip(cleaned, columns, strict=True)
    )


def _delivered(cells: pl.DataFrame, delivery: Delivery, seq: int) -> pl.DataFrame:
    """Return a delivered frame: every field as text, then the lineage columns."""
    fields = [
        pl.col(field) if field in cells.columns else pl.lit(None, pl.String).alias(field)
        for field in REPORT_FIELDS
    ]
    return cells.select(
        *fields,
        source_id=pl.lit(delivery.source_id, pl.String),
        delivery=pl.lit(delivery.name, pl.String),
        delivery_sha256=pl.lit(delivery.sha256, pl.String),
        delivery_seq=pl.lit(seq, pl.Int64),
        row_number=pl.col(_ROW).cast(pl.Int64),
    )


def _rejections(bad: pl.DataFrame, delivery: Delivery) -> pl.DataFrame:
    """Return one `unreadable_row` rejection per row that could not be read."""
    code = pl.col("municipality_code")
    return bad.select(
        source_id=pl.lit(delivery.source_id, pl.String),
        municipality_code=pl.when(code.str.contains(r"^\d{3}$"))
        .then(code)
        .otherwise(pl.lit(delivery.municipality_code)),
        report_id=printable(pl.col("report_id")).fill_null(""),
        delivery=pl.lit(delivery.name, pl.String),
        row_number=pl.col(_ROW),
        field=pl.lit(ROW_FIELD),
        rule=pl.lit(ROW_RULE),
        reason=pl.col("reason"),
        reason_fi=pl.col("reason_fi"),
    ).cast(REJECTION_DTYPES)


def _bad_rows(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Return unreadable rows (row number, own code and id, reasons) as a frame."""
    return pl.DataFrame(rows, schema=_BAD_ROW_SCHEMA)


def _fields_by_column(headers: list[str | None], delivery: Delivery) -> dict[int, str]:
    """Return the field each column position holds; a field named twice is an error."""
    fields = {position: field_of_header(header) for position, header in enumerate(headers)}
    known = {position: field for position, field in fields.items() if field}
    if not known:
        raise UnreadableDelivery(
            f"{delivery.name}: no recognisable header (expected field names such as "
            "report_id, theme, or Finnish headers such as raportin_tunnus, teema); "
            "put the header row (field names) above the reports and deliver the file again"
        )
    twice = sorted(field for field, count in Counter(known.values()).items() if count > 1)
    if twice:
        raise UnreadableDelivery(
            f"{delivery.name}: the header names {', '.join(twice)} more than once; "
            "keep one column per field and deliver the file again"
        )
    return known


# --- decoding -----------------------------------------------------------------------------


def _is_utf8(data: bytes) -> bool:
    """Return whether `data` decodes strictly as UTF-8 (checked in chunks, without a copy)."""
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK_BYTES):
            decoder.decode(view[start : start + _CHUNK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def delivery_text(delivery: Delivery) -> str:
    """Return the content as text: strict UTF-8 (BOM dropped), else the declared encoding."""
    try:
        return delivery.content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _fallback_text(delivery)


def _fallback_text(delivery: Delivery) -> str:
    """Return the content decoded strictly in the source's encoding (cp1252 when none)."""
    content = delivery.content
    codec = delivery.encoding or "cp1252"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    _refuse_false_utf8_mark(delivery)
    try:
        return content.decode(codec).removeprefix("\ufeff")
    except LookupError:
        reason, fix = f"the encoding {codec!r} is unknown", "fix `encoding` in sources.toml"
    except UnicodeDecodeError as error:
        reason = f"byte {error.start + 1} is neither UTF-8 nor {codec}"
        fix = "save the file as UTF-8 (in Excel: CSV UTF-8) or declare its encoding in sources.toml"
    raise UnreadableDelivery(f"{delivery.name}: cannot decode the file ({reason}); {fix}")


def _refuse_false_utf8_mark(delivery: Delivery) -> None:
    """Raise when a file starts with UTF-8's byte order mark but is not UTF-8 after it."""
    if delivery.content.startswith(codecs.BOM_UTF8):
        try:
            delivery.content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UnreadableDelivery(
                f"{delivery.name}: the file starts with UTF-8's byte order mark, but byte "
                f"{error.start + 1} is not UTF-8 (saved in another encoding?); "
                "save the file again as CSV UTF-8 and deliver it again"
            ) from None


def _refuse_utf16_without_mark(delivery: Delivery) -> None:
    """Raise when a text file looks like UTF-16 (every other byte NUL) without a byte order mark."""
    head = delivery.content[:_SNIFF_BYTES]
    if (
        len(head) >= 4
        and head.count(0) * 3 > len(head)
        and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    ):
        raise UnreadableDelivery(
            f"{delivery.name}: the file looks like UTF-16 text without a byte order mark; "
            "save it again as CSV UTF-8 and deliver it again"
        )


# --- CSV ------------------------------------------------------------------------------------


def _csv_rows(delivery: Delivery) -> _Rows:
    """Return the rows of a CSV delivery (`;` or `,` delimited, quoted, a title line allowed)."""
    data = delivery.content
    if not data or data.isspace():
        raise UnreadableDelivery(f"{delivery.name}: the file is empty; deliver the export again")
    _refuse_utf16_without_mark(delivery)
    separator = _separator(data)
    grid = _polars_grid(data, separator)
    if grid is None and not _is_utf8(data):
        data = _fallback_text(delivery).encode("utf-8")
        grid = _polars_grid(data, separator)
    broken: list[int] = []
    if grid is None:
        grid, broken = _python_grid(data.decode("utf-8-sig"), separator, delivery)
    rows = _grid_rows(grid, delivery)
    quoted = _bad_of(pl.DataFrame({_ROW: broken}, schema={_ROW: pl.Int64}), _BAD_QUOTE)
    return _Rows(rows.cells, pl.concat([rows.bad, quoted]).sort(_ROW))


def _separator(data: bytes) -> str:
    """Return the header's delimiter: the first line that names fields decides, else line one.

    A title or blank line may come before the header; a line that names fields
    when split by one delimiter is the header, and that delimiter wins (the one
    naming more fields, `;` on a tie). Without such a line, the delimiter the
    first non-blank line uses most wins.
    """
    lines = [line for line in _head_text(data).splitlines() if line.strip()]
    for line in lines[:_HEADER_SEARCH_ROWS]:
        named = {separator: _fields_named(line, separator) for separator in _SEPARATORS}
        best = max(_SEPARATORS, key=named.__getitem__)
        if named[best]:
            return best
    first = lines[0] if lines else ""
    return max(_SEPARATORS, key=first.count)


def _head_text(data: bytes) -> str:
    """Return the file's first lines as text (UTF-8, else Windows-1252), for sniffing only."""
    head = data[:_SNIFF_BYTES]
    if len(data) > _SNIFF_BYTES and b"\n" in head:
        head = head[: head.rindex(b"\n")]
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return head.decode("cp1252", errors="replace")


def _fields_named(line: str, separator: str) -> int:
    """Return how many cells of `line`, split by `separator`, name a field."""
    return sum(
        field_of_header(cell.strip().strip('"')) is not None for cell in line.split(separator)
    )


def _polars_grid(data: bytes, separator: str) -> pl.DataFrame | None:
    """Return the cells with each record's first line number, or None when polars cannot tell.

    Polars reads strict UTF-8 (a BOM is dropped) and refuses ragged rows and stray
    quotes; lines ending in a bare CR, and any disagreement with the file's line
    count, also send the file to the exact but slower reader.
    """
    if b"\r" in data and re.search(b"\r(?!\n)", data):
        return None
    try:
        grid = pl.read_csv(data, separator=separator, has_header=False, infer_schema=False)
    except pl.exceptions.PolarsError:
        return None
    grid.columns = _column_names(grid.width)
    breaks = pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).fill_null(0))
    grid = grid.with_columns(_lines=breaks + 1)
    lines = int(grid.get_column("_lines").sum())
    if lines != data.count(b"\n") + (not data.endswith(b"\n")):
        return None
    starts = pl.col("_lines").cum_sum().shift(1, fill_value=0) + 1
    return grid.with_columns(starts.cast(pl.Int64).alias(_ROW)).drop("_lines")


def _python_grid(text: str, separator: str, delivery: Delivery) -> tuple[pl.DataFrame, list[int]]:
    """Return the cells read record by record, and the lines of records with a misplaced quote."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    records: list[list[str]] = []
    numbers: list[int] = []
    broken: list[int] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            _raise_if_unclosed(error, start, delivery)
            broken.append(start)
        else:
            records.append(cells)
            numbers.append(start)
        start = reader.line_num + 1
    return _grid_of(records, numbers), broken


def _raise_if_unclosed(error: csv.Error, line: int, delivery: Delivery) -> None:
    """Raise `UnreadableDelivery` when a quoted field runs to the end of the file."""
    message = str(error)
    if message.startswith(("unexpected end of data", "field larger than field limit")):
        raise UnreadableDelivery(
            f"{delivery.name}: a quoted field that starts on line {line} is never closed; "
            "fix the quotes on that line and deliver the file again"
        ) from None


def _grid_of(records: list[list[str]], numbers: list[int]) -> pl.DataFrame:
    """Return ragged records as a rectangular all-text grid with their line numbers."""
    width = max((len(cells) for cells in records), default=0)
    padded = [cells + [""] * (width - len(cells)) for cells in records]
    schema = dict.fromkeys(_column_names(width), pl.String)
    grid = pl.DataFrame(padded, schema=schema, orient="row")
    return grid.with_columns(pl.Series(_ROW, numbers, pl.Int64))


def _column_names(width: int) -> list[str]:
    """Return the names of a grid's positional columns."""
    return [f"cell_{position}" for position in range(width)]


def _grid_rows(grid: pl.DataFrame, delivery: Delivery) -> _Rows:
    """Return the rows under the grid's first non-empty row (the header), cells cleaned."""
    columns = [name for name in grid.columns if name != _ROW]
    grid = _cleaned_grid(grid, columns)
    filled = grid.select(pl.any_horizontal(pl.col(columns).is_not_null())).to_series()
    if not filled.any():
        raise UnreadableDelivery(f"{delivery.name}: the file has no rows; deliver the export again")
    header_at = _header_row(grid.select(columns), filled)
    headers = list(grid.select(columns).row(header_at))
    fields = _fields_by_column(headers, delivery)
    width = max(position for position, header in enumerate(headers) if header) + 1
    extra = columns[width:]
    ragged = pl.any_horizontal(pl.col(extra).is_not_null()) if extra else pl.lit(False)
    named = [pl.col(columns[position]).alias(field) for position, field in fields.items()]
    body = grid.slice(header_at + 1).select(
        *named, _ROW, _filled=filled.slice(header_at + 1), _ragged=ragged
    )
    cells = body.filter(pl.col("_filled") & ~pl.col("_ragged")).drop("_filled", "_ragged")
    bad = body.filter(pl.col("_filled") & pl.col("_ragged")).drop("_filled", "_ragged")
    return _Rows(cells, _bad_of(bad, _RAGGED))


def _header_row(cells: pl.DataFrame, filled: pl.Series) -> int:
    """Return the header's index: the first of the first filled rows that names a field.

    Rows above it (a title, a date of export) are not reports. When none of them
    names a field, the first filled row is taken, and its error says so.
    """
    candidates = filled.arg_true().head(_HEADER_SEARCH_ROWS).to_list()
    named = (at for at in candidates if any(map(field_of_header, cells.row(at))))
    return next(named, candidates[0])


def _bad_of(rows: pl.DataFrame, reasons: tuple[str, str]) -> pl.DataFrame:
    """Return unreadable rows with the row's own municipality code and report id, if any."""
    own = [
        (pl.col(name) if name in rows.columns else pl.lit(None, pl.String)).alias(name)
        for name in ("municipality_code", "report_id")
    ]
    return rows.select(pl.col(_ROW), *own, reason=pl.lit(reasons[0]), reason_fi=pl.lit(reasons[1]))


# --- XLSX -----------------------------------------------------------------------------------


def first_sheet(delivery: Delivery) -> pl.DataFrame:
    """Return the workbook's first sheet as text cells, typed dates and times in ISO form.

    Raises:
        UnreadableDelivery: the content is not a workbook that can be read.
    """
    try:
        reader = fastexcel.read_excel(delivery.content)
        sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        grid = sheet.to_polars()
    except fastexcel.FastExcelError as error:
        reason = str(error).strip().splitlines()[0]
        raise UnreadableDelivery(
            f"{delivery.name}: not an Excel workbook that can be read ({reason}); "
            "save it again as .xlsx in Excel and deliver it again"
        ) from None
    typed = pl.all().str.replace(_EXCEL_MIDNIGHT, "${1}").str.replace(_EXCEL_DATETIME, "${1}T${2}")
    return grid.with_columns(typed)


def _xlsx_rows(delivery: Delivery) -> _Rows:
    """Return the rows of the workbook's first sheet; typed cells become canonical text."""
    grid = first_sheet(delivery).with_row_index(_ROW, offset=1)
    return _grid_rows(grid.with_columns(pl.col(_ROW).cast(pl.Int64)), delivery)


# --- JSON -----------------------------------------------------------------------------------


def _json_rows(delivery: Delivery) -> _Rows:
    """Return the rows of a JSON export `{"municipality_code": …, "reports": [{…}, …]}`."""
    reports, default_code = _json_reports(delivery)
    cells: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    for number, item in enumerate(reports, start=1):
        try:
            cells.append({**_json_cells(item), _ROW: number})
        except _RowProblem as problem:
            bad.append(_json_bad_row(number, item, problem))
    schema = {**dict.fromkeys(REPORT_FIELDS, pl.String), _ROW: pl.Int64}
    frame = pl.DataFrame(cells, schema=schema).with_columns(_cleaned(pl.col(REPORT_FIELDS)))
    frame = frame.filter(pl.any_horizontal(pl.col(REPORT_FIELDS).is_not_null()))
    code = pl.coalesce("municipality_code", pl.lit(default_code, pl.String))
    return _Rows(frame.with_columns(code), _bad_rows(bad).with_columns(code))


def _json_bad_row(number: int, item: Any, problem: _RowProblem) -> dict[str, Any]:
    """Return an unreadable JSON item with its own municipality code and report id, if any."""
    own = item if isinstance(item, dict) else {}
    english, finnish = problem.args
    return {
        _ROW: number,
        **{name: _plain_text(own.get(name)) for name in ("municipality_code", "report_id")},
        "reason": english,
        "reason_fi": finnish,
    }


def _json_reports(delivery: Delivery) -> tuple[list[Any], str | None]:
    """Return the export's `reports` list and its top-level municipality code."""
    try:
        document = json.loads(delivery_text(delivery))
    except json.JSONDecodeError as error:
        raise UnreadableDelivery(
            f"{delivery.name}: not valid JSON ({error.msg} at line {error.lineno}, column "
            f"{error.colno}); ask the municipality to export the file again"
        ) from None
    reports = document.get("reports") if isinstance(document, dict) else None
    if not isinstance(reports, list):
        raise UnreadableDelivery(
            f"{delivery.name}: the JSON is not shaped as "
            '{"municipality_code": …, "exported_at": …, "reports": [ … ]}; '
            "ask the municipality to export the file in the contract's shape"
        )
    return reports, _plain_text(document.get("municipality_code"))


def _plain_text(value: Any) -> str | None:
    """Return a JSON scalar as trimmed text, None for containers, nulls and blanks."""
    text = None if isinstance(value, dict | list) else _json_text(value)
    return text.strip() or None if text else None


class _RowProblem(Exception):
    """A JSON item that cannot be read as a row: args are the English and Finnish reasons."""


def _json_cells(item: Any) -> dict[str, str | None]:
    """Return a JSON item's fields as canonical text."""
    if not isinstance(item, dict):
        raise _RowProblem(*_NOT_AN_OBJECT)
    row: dict[str, str | None] = {}
    for key, value in item.items():
        field = field_of_header(str(key))
        if field is None:
            continue
        if field in row:
            raise _RowProblem(
                f"the item gives {field} twice; keep one key per field",
                f"kohteessa on {field} kahdesti; jätä yksi avain kenttää kohden",
            )
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(part, dict | list) for part in value)
        ):
            raise _RowProblem(
                f"{field} holds nested JSON instead of a value or a list; fix the export",
                f"{field} on sisäkkäistä JSONia eikä arvo tai lista; korjaa vienti",
            )
        row[field] = _json_text(value)
    return row


def _json_text(value: Any) -> str | None:
    """Return a JSON value as canonical text: booleans true/false, lists joined with `|`."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, list):
        parts = [(_json_text(part) or "").strip() for part in value]
        return "|".join(part for part in parts if part)
    return str(value)


# --- SQL extracts -------------------------------------------------------------------------


def _sql_rows(delivery: Delivery) -> _Rows:
    """Return the rows of an SQL extract: CSV of canonical text with a header, rows by position."""
    try:
        grid = pl.read_csv(delivery.content, has_header=False, infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise UnreadableDelivery(
            f"{delivery.name}: not an SQL extract that can be read ({type(error).__name__}); "
            "extract the source again"
        ) from None
    fields = _fields_by_column(list(grid.row(0)), delivery)
    named = [_cleaned(pl.col(grid.columns[at])).alias(field) for at, field in fields.items()]
    cells = grid.slice(1).select(*named).with_row_index(_ROW, offset=1)
    filled = pl.any_horizontal(pl.col(list(fields.values())).is_not_null())
    return _Rows(cells.with_columns(pl.col(_ROW).cast(pl.Int64)).filter(filled), _bad_rows([]))


_READERS: dict[str, Callable[[Delivery], _Rows]] = {
    "csv": _csv_rows,
    "xlsx": _xlsx_rows,
    "json": _json_rows,
    "sql": _sql_rows,
}
