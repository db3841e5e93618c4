"""Extraction: every configured source's new deliveries, as raw bytes with their sha256.

A *delivery* is one unit the pipeline lands as received: a file of a file drop,
one JSON export fetched over HTTP(S), or one incremental SQL extract. Files and
HTTP bodies are kept byte for byte; an SQL extract becomes a CSV file (UTF-8,
`,`, header row, RFC 4180 quoting) of canonical text values in the query's row
order, which `tasks.parse` reads back like any other delivery. PostgreSQL
writes it itself (`COPY ... TO STDOUT`, canonical text made by the server);
other databases are read through SQLAlchemy and written by polars
(`text_frame`).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import polars as pl
import psycopg
import sqlalchemy as sa
from psycopg import sql as pgsql
from sqlalchemy.engine import Connection, Engine, make_url

from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.sources import ResponsesSource, SourceConfig, SourceKind
from tasks.intake import fetch
from tasks.intake.refusals import refusal, shown_name
from tasks.shared.sqlfiles import sql_text
from tasks.shared.urls import safe_url, url_secrets

DEFAULT_QUERY = "extract_social_reports"
HTTP_DOWNLOAD_DEADLINE_S = 300
CONNECT_TIMEOUT_S = 15
SQLITE_TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f+00:00"
DATETIME_TZ_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%:z"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.f"
_DATABASE_ERRORS = (
    sa.exc.SQLAlchemyError,
    psycopg.Error,
    pl.exceptions.PolarsError,
    ImportError,
    OSError,
    ValueError,
)
# How PostgreSQL gives each type as canonical text (session time zone UTC). A value
# to_char cannot write faithfully (infinity, years BC or past 9999) stays PostgreSQL's text.
_PG_SECONDS = "rtrim(rtrim(to_char({c}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '0'), '.')"
_PG_IN_RANGE = "extract(year from {c}) between 1 and 9999"
_PG_CANONICAL = {
    "bool": "case when {c} then 'true' when not {c} then 'false' end",
    "timestamptz": f"case when {_PG_IN_RANGE} then {_PG_SECONDS} || '+00:00' else {{c}}::text end",
    "timestamp": f"case when {_PG_IN_RANGE} then {_PG_SECONDS} else {{c}}::text end",
    "numeric": "case when position('.' in {c}::text) > 0 "
    "then rtrim(rtrim({c}::text, '0'), '.') else {c}::text end",
    "array": "array_to_string({c}, '|')",
}


class SourceUnavailable(Exception):
    """A source could not be reached or read; the message says what the steward can do."""


class SourceTimedOut(Exception):
    """A source took longer than its deadline (not retried: it would only take as long again)."""


class SourceMisconfigured(Exception):
    """A source's settings cannot work (an unset variable, credentials over plain HTTP)."""


@dataclass(frozen=True)
class Delivery:
    """One delivery as received: a file, an HTTP body or an SQL extract."""

    source_id: str
    municipality_code: str
    kind: SourceKind
    name: str
    content: bytes
    encoding: str | None
    refused: str | None = None  # why the delivery was not read (its content is then empty)

    @cached_property
    def sha256(self) -> str:
        """Return the hex sha256 of the delivery's raw bytes."""
        return hashlib.sha256(self.content).hexdigest()


def list_deliveries(
    source: SourceConfig,
    base_dir: Path,
    since: datetime,
    until: datetime,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> list[Delivery]:
    """Return the source's deliveries: every matching file, the HTTP export, or new SQL rows.

    Args:
        source: the `[[source]]` entry of `sources.toml`.
        base_dir: the folder of `sources.toml`; `path` and `query` are relative to it.
        since: SQL sources only: rows with `updated_at` after this (exclusive, tz-aware).
        until: SQL sources only: rows with `updated_at` up to this (inclusive, tz-aware).
        limits: a file or HTTP body over `limits.max_bytes` is not read (it comes refused).

    Returns:
        Deliveries in delivery order (files by name); empty when nothing is there. A file
        that is too large or a link out of its drop folder comes with `refused` set.

    Raises:
        SourceUnavailable: the source cannot be reached or read (never shows a credential).
        SourceTimedOut: an HTTP export took longer than its deadline.
        SourceMisconfigured: the source's settings cannot work.
    """
    if source.kind == "sql":
        return _sql_deliveries(source, base_dir, since, until)
    if source.url or source.url_env:
        return [_http_delivery(source, limits.max_bytes)]
    drop = drop_folder(source, base_dir)
    return [
        _file_delivery(source, base_dir, path, drop, limits.max_bytes)
        for path in matching_files(source, base_dir)
    ]


# --- file drops ---------------------------------------------------------------------------


def matching_files(source: SourceConfig | ResponsesSource, base_dir: Path) -> list[Path]:
    """Return the files matching the source's glob, sorted by their delivery name."""
    pattern = base_dir / str(source.path)
    root = Path(pattern.anchor)
    files = [path for path in root.glob(str(pattern.relative_to(root))) if path.is_file()]
    return sorted(files, key=lambda path: file_name(path, base_dir))


def file_name(path: Path, base_dir: Path) -> str:
    """Return the delivery name of a file: its path relative to `base_dir`, in posix form."""
    try:
        return path.relative_to(base_dir).as_posix()
    except ValueError:
        return path.as_posix()


def drop_folder(source: SourceConfig | ResponsesSource, base_dir: Path) -> Path:
    """Return the real folder a file source's glob starts in (the part before any wildcard)."""
    parts = Path(str(source.path)).parts[:-1]  # the last part names files, even without a wildcard
    fixed = itertools.takewhile(lambda part: not any(char in part for char in "*?["), parts)
    return base_dir.joinpath(*fixed).resolve()


def _file_delivery(
    source: SourceConfig, base_dir: Path, path: Path, drop: Path, max_bytes: int
) -> Delivery:
    """Return one delivered file as bytes; refused when too large or linked out of its drop."""
    name = file_name(path, base_dir)
    content, refused = read_drop_file(source.source_id, path, name, drop, max_bytes)
    return _delivery(source, name, content, refused)


def read_drop_file(
    source_id: str, path: Path, name: str, drop: Path, max_bytes: int
) -> tuple[bytes, str | None]:
    """Return a dropped file's bytes, or no bytes and why it is refused (too large, linked out).

    Raises:
        SourceUnavailable: the file cannot be read at all.
    """
    if not path.resolve().is_relative_to(drop):
        return b"", _linked_out(name)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            content = handle.read(max_bytes + 1) if size <= max_bytes else b""
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise SourceUnavailable(
            f"source {source_id}: cannot read {shown_name(name)} ({reason}); check that "
            "the file is complete and that the pipeline's user may read it"
        ) from None
    if max(size, len(content)) > max_bytes:
        return b"", too_large(name, max(size, len(content)), max_bytes)
    return content, None


def too_large(name: str, size: int, max_bytes: int) -> str:
    """Return the line that refuses a delivery of `size` bytes."""
    fix = "ask the municipality to split the export into smaller files (for example by month)"
    return refusal(name, "the delivery", size, max_bytes, "bytes", fix)


def _linked_out(name: str) -> str:
    """Return the line that refuses a symbolic link to a file outside its drop folder."""
    return (
        f"{shown_name(name)}: refused: the file is a link to a place outside its drop folder, "
        "so it is not read; ask the municipality to deliver the file itself into the folder"
    )


def _delivery(
    source: SourceConfig, name: str, content: bytes, refused: str | None = None
) -> Delivery:
    """Return a delivery of `source` named `name`."""
    return Delivery(
        source_id=source.source_id,
        municipality_code=source.municipality_code,
        kind=source.kind,
        name=name,
        content=content,
        encoding=source.encoding,
        refused=refused,
    )


# --- JSON over HTTP(S) --------------------------------------------------------------------


def _http_delivery(source: SourceConfig, max_bytes: int) -> Delivery:
    """Return the JSON export fetched from the source's URL, under one deadline and a byte cap."""
    url = str(source.url) if source.url else _url_of(source, "the HTTPS address of the export")
    name = fetch.public_url(url)
    try:
        fetched = fetch.fetch(url, max_bytes, HTTP_DOWNLOAD_DEADLINE_S)
    except fetch.FetchTimedOut as error:
        raise SourceTimedOut(
            f"source {source.source_id}: {name} sent {error}; it was stopped and is not "
            "retried this run; ask the municipality to check its export service"
        ) from None
    except fetch.FetchRefused as error:
        raise SourceMisconfigured(
            f"source {source.source_id}: {name} is not fetched: {fetch.masked(str(error), url)}"
        ) from None
    except fetch.FetchFailed as error:
        raise SourceUnavailable(
            f"source {source.source_id}: cannot fetch {name} ({fetch.masked(str(error), url)}); "
            "check the address and that the municipality's export service is up, or ask for "
            "the export as a file"
        ) from None
    if fetched.too_large is not None:
        return _delivery(source, name, b"", too_large(name, fetched.too_large, max_bytes))
    return _delivery(source, name, fetched.body)


def _url_of(source: SourceConfig, what: str) -> str:
    """Return the URL held by the environment variable that the source names."""
    url = os.environ.get(str(source.url_env), "").strip()
    if not url:
        raise SourceMisconfigured(
            f"source {source.source_id}: the environment variable {source.url_env} is not set; "
            f"set it to {what}"
        )
    return url


# --- SQL ------------------------------------------------------------------------------------


def _sql_deliveries(
    source: SourceConfig, base_dir: Path, since: datetime, until: datetime
) -> list[Delivery]:
    """Return the rows changed in (since, until] as one delivery, or none when nothing changed."""
    if since.tzinfo is None or until.tzinfo is None:
        raise ValueError("since and until must be time-zone aware")
    url = _database_url(source)
    query = _query_text(source, base_dir)
    try:
        rows, content = _extract(url, query, since.astimezone(UTC), until.astimezone(UTC))
    except _DATABASE_ERRORS as error:
        reason = _scrubbed(_first_line(error), url)
    else:
        if rows == 0:
            return []
        label = f"{source.source_id}:extract-{hashlib.sha256(content).hexdigest()[:12]}"
        return [_delivery(source, label, content)]
    raise SourceUnavailable(
        f"source {source.source_id}: cannot read {safe_url(url)} ({reason}); check that the "
        f"database is up, that {source.url_env} holds a working SQLAlchemy URL, and the query"
    ) from None


def _database_url(source: SourceConfig) -> str:
    """Return the source's SQLAlchemy URL from the environment variable it names."""
    return _url_of(source, "the SQLAlchemy URL of the municipality's reports database")


def _query_text(source: SourceConfig, base_dir: Path) -> str:
    """Return the source's query (the file `sources.toml` names, else the default), no comments.

    Whole-line `--` comments go, so that a `:name` in a comment is not taken for a parameter.
    """
    text = sql_text(DEFAULT_QUERY) if not source.query else _query_file(source, base_dir)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


def _query_file(source: SourceConfig, base_dir: Path) -> str:
    """Return the text of the query file that `sources.toml` names."""
    try:
        return (base_dir / str(source.query)).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise SourceUnavailable(
            f"source {source.source_id}: cannot read the query file {source.query} ({reason}); "
            "fix `query` in sources.toml or remove it to use the project's default query"
        ) from None


def _extract(url: str, query: str, since: datetime, until: datetime) -> tuple[int, bytes]:
    """Return the number of rows the query gives for (since, until] and the extract's bytes."""
    engine = _source_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name != "postgresql":
                return _generic_extract(connection, query, since, until)
            connection.execute(sa.text("set transaction read only"))
            if engine.driver == "psycopg":
                return _postgres_extract(connection, query, {"since": since, "until": until})
            return _generic_extract(connection, query, since, until)
    finally:
        engine.dispose()


def _source_engine(url: str) -> Engine:
    """Return an engine for one extract, without a pool, with a connect timeout on PostgreSQL."""
    if make_url(url).get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": CONNECT_TIMEOUT_S}
        return sa.create_engine(
            url, poolclass=sa.NullPool, connect_args=connect_args, hide_parameters=True
        )
    return sa.create_engine(url, poolclass=sa.NullPool, hide_parameters=True)


def _generic_extract(
    connection: Connection, query: str, since: datetime, until: datetime
) -> tuple[int, bytes]:
    """Return the query's rows read through the driver (any SQLAlchemy database) as CSV."""
    params: dict[str, object] = {"since": since, "until": until}
    if connection.dialect.name == "sqlite":
        params = {key: value.strftime(SQLITE_TIMESTAMP_FORMAT) for key, value in params.items()}
    statement = sa.text(query).bindparams(**params)
    frame = text_frame(pl.read_database(statement, connection, infer_schema_length=None))
    content = io.BytesIO()
    frame.write_csv(content)  # UTF-8 bytes, without a str copy in between
    return frame.height, content.getvalue()


def _postgres_extract(
    connection: Connection, query: str, params: dict[str, datetime]
) -> tuple[int, bytes]:
    """Return the query's rows as canonical CSV written by PostgreSQL (`COPY ... TO STDOUT`)."""
    compiled = sa.text(query).bindparams(**params).compile(dialect=connection.dialect)
    inner = pgsql.SQL(compiled.string.strip().rstrip(";"))
    raw: psycopg.Connection = connection.connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute("set local timezone to 'UTC'")
        cursor.execute("set local datestyle to 'ISO, YMD'")
        cursor.execute("set local client_encoding to 'UTF8'")
        described = pgsql.SQL("select * from (\n{}\n) as q limit 0").format(inner)
        cursor.execute(described, compiled.params)
        columns = [(item.name, _pg_type(raw, item.type_code)) for item in cursor.description]
        content = io.BytesIO()  # grows in place: no second copy of the extract at the end
        with cursor.copy(_pg_copy(inner, columns), compiled.params) as copy:
            for block in copy:
                content.write(block)
        return cursor.rowcount, content.getvalue()


def _pg_type(raw: psycopg.Connection, oid: int) -> str:
    """Return the PostgreSQL type name of a result column (`array` for any array)."""
    info = raw.adapters.types.get(oid)
    if info is None:
        return "unknown"
    return "array" if info.array_oid == oid else info.name


def _pg_copy(inner: pgsql.Composable, columns: list[tuple[str, str]]) -> pgsql.Composed:
    """Return `COPY` of the query's rows as canonical text, in the query's order."""
    return pgsql.SQL(
        "copy (select {} from (\n{}\n) as q) to stdout (format csv, header true)"
    ).format(pgsql.SQL(", ").join(_pg_text(name, kind) for name, kind in columns), inner)


def _pg_text(name: str, kind: str) -> pgsql.Composable:
    """Return the select expression that gives a `kind` column as canonical text."""
    template = _PG_CANONICAL.get(kind, "{c}")
    return pgsql.SQL(template + " as {a}").format(
        c=pgsql.Identifier("q", name), a=pgsql.Identifier(name)
    )


def _decimal_text(column: pl.Expr) -> pl.Expr:
    """Return decimal text without trailing fractional zeros (`12.50` -> `12.5`, `3.0` -> `3`)."""
    return column.str.replace(r"^(-?\d+)\.0*$", "${1}").str.replace(r"^(-?\d+\.\d*?)0+$", "${1}")


# --- canonical text -----------------------------------------------------------------------


def text_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Return `frame` with every column as canonical text (dates ISO, booleans true/false)."""
    return pl.DataFrame([_text_series(series) for series in frame.iter_columns()])


def _text_series(series: pl.Series) -> pl.Series:
    """Return one column as canonical text."""
    dtype = series.dtype
    expr = pl.col(series.name)
    if dtype == pl.String:
        return series
    if dtype == pl.Boolean:
        expr = pl.when(expr).then(pl.lit("true")).when(~expr).then(pl.lit("false"))
    elif dtype == pl.Date:
        expr = expr.dt.to_string("%Y-%m-%d")
    elif isinstance(dtype, pl.Datetime):
        written = expr.dt.to_string(DATETIME_TZ_FORMAT if dtype.time_zone else DATETIME_FORMAT)
        expr = written.str.replace(r"(\.\d*?)0+([+-]|$)", "${1}${2}")
    elif dtype.is_float():
        integral = expr.is_finite() & (expr.round(0) == expr) & (expr.abs() < 2**53)
        expr = (
            pl.when(integral)
            .then(expr.cast(pl.Int64).cast(pl.String))
            .otherwise(expr.cast(pl.String))
        )
    elif dtype == pl.Decimal:
        expr = _decimal_text(expr.cast(pl.String))
    elif isinstance(dtype, pl.List | pl.Array):
        expr = expr.cast(pl.List(pl.String)).list.join("|")
    elif dtype.is_numeric() or dtype.is_temporal() or dtype == pl.Null:
        expr = expr.cast(pl.String)
    else:
        return pl.Series(series.name, [None if v is None else str(v) for v in series], pl.String)
    return series.to_frame().select(expr.alias(series.name)).to_series()


# --- messages ---------------------------------------------------------------------------------


def _first_line(error: BaseException) -> str:
    """Return the first line of an error's message, the driver's own when it has one."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines() or [type(original).__name__]
    return lines[0].strip()


def _scrubbed(text: str, url: str) -> str:
    """Return `text` with the URL and every credential written in it masked."""
    for secret in sorted([url, *url_secrets(url)], key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
