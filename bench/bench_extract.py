"""Benchmark: extract and parse 1,000,000 social reports from a CSV file drop and from PostgreSQL.

Run: `.venv/bin/python bench/bench_extract.py [rows]` (PostgreSQL from RAPORTTI_TEST_PG_URL,
default `postgresql+psycopg://postgres@127.0.0.1:5432/postgres`; a database of its own is
created and dropped). Prints wall seconds per phase, rows per second, and the peak resident
memory of each measured source, which runs in a fresh process of its own.

Phases, one function each: `generate_reports` (a realistic typed frame), `write_csv_drop`
and `load_postgres` (the two sources), `extract_and_parse` (list_deliveries +
parse_delivery, timed). To time storing as well, append a phase that takes the
`ParsedDelivery` list that `extract_and_parse` returns.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from schemas.fields import FIELD_HEADERS_FI, REPORT_FIELDS
from schemas.reference import load_reference
from schemas.sources import SourceConfig
from tasks.intake.extract import list_deliveries
from tasks.intake.parse import ParsedDelivery, parse_delivery

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
URL_ENV = "RAPORTTI_BENCH_SOURCE_URL"
SINCE = datetime(2000, 1, 1, tzinfo=UTC)
UNTIL = datetime(2030, 1, 1, tzinfo=UTC)
SAMPLE_TEXT = (
    "asiakkaiden asiakas palvelut palveluihin kunnan hyvinvointialueen sosiaalityö "
    "toimeentulotuki asuminen vuokra velka ikääntyneet lapsiperheet nuoret työttömät "
    "matkat pitkät etäisyydet kyyti taksi bussi ajanvaraus puhelin odotusaika "
    "mielenterveys päihteet yksinäisyys ruoka-apu jono viikkoa kuukautta euroa "
    "on ovat ei eivät jää saa tarvitsee joutuu koska mutta myös sekä kanssa ilman "
    "Rovaniemellä Sodankylässä Inarissa kylällä keskustassa kotiin ja tai että kun "
    "040 123 4567 matti.meikalainen@example.fi 1.7.2026 350,50 € 12 %"
)
WORDS = SAMPLE_TEXT.split()
CREATE_TABLE = """
create table social_report (
    report_id text primary key, municipality_code text, submitted_on date,
    updated_at timestamptz, reporter_role text, theme text, secondary_themes text,
    target_group text, clients_affected integer, phenomenon text, causes text,
    consequences text, proposal text, addressee_level text, urgency text,
    consent_to_quote boolean, report_type text, language text
)
"""


def _paragraphs(rng: random.Random, size: int, low: int, high: int) -> pl.Series:
    """Return `size` Finnish-looking paragraphs of `low`–`high` characters, a few of two lines."""
    texts = []
    for _ in range(size):
        words = rng.choices(WORDS, k=rng.randint(low, high) // 8)
        if rng.random() < 0.2:
            words.insert(len(words) // 2, ".\n")
        texts.append(" ".join(words) + ".")
    return pl.Series(texts)


def generate_reports(rows: int, seed: int = 11) -> pl.DataFrame:
    """Return `rows` typed reports of realistic text length (about 1 kB a row)."""
    rng, pick = random.Random(seed), np.random.default_rng(seed)
    reference = load_reference()
    themes = reference.themes.get_column("code")
    groups = reference.target_groups.get_column("code")
    phenomena, others = _paragraphs(rng, 20_000, 150, 700), _paragraphs(rng, 20_000, 40, 300)

    def some(pool: pl.Series, share: float) -> pl.Series:
        values = pool.gather(pick.integers(0, len(pool), rows))
        return pl.select(pl.when(pl.lit(pick.random(rows)) < share).then(values)).to_series()

    def choice(values: pl.Series | tuple[str, ...]) -> pl.Series:
        return pl.Series(values).gather(pick.integers(0, len(values), rows))

    days = np.datetime64("2025-01-01") + pick.integers(0, 640, rows).astype("timedelta64[D]")
    seconds = pick.integers(0, 86_400 * 30, rows).astype("timedelta64[s]").astype("timedelta64[us]")
    pairs = pl.select(pl.concat_str(pl.lit(choice(themes)), pl.lit(choice(themes)), separator="|"))
    return pl.DataFrame(
        {
            "report_id": pl.int_range(rows, eager=True).cast(pl.String).str.zfill(7),
            "municipality_code": pl.repeat("698", rows, eager=True),
            "submitted_on": pl.Series(days),
            "updated_at": pl.Series(days + seconds)
            .cast(pl.Datetime("us"))
            .dt.replace_time_zone("UTC"),
            "reporter_role": choice(("social_worker", "social_counsellor", "manager", "other")),
            "theme": choice(themes),
            "secondary_themes": some(pairs.to_series(), 0.4),
            "target_group": choice(groups),
            "clients_affected": pl.Series(pick.integers(1, 60, rows), dtype=pl.Int32),
            "phenomenon": some(phenomena, 1.0),
            "causes": some(others, 0.7),
            "consequences": some(others, 0.6),
            "proposal": some(others, 0.8),
            "addressee_level": choice(("municipality", "welfare_region", "national")),
            "urgency": choice(("low", "medium", "high")),
            "consent_to_quote": pl.Series(pick.random(rows) < 0.3),
            "report_type": choice(("problem", "problem", "good_practice", "weak_signal")),
            "language": choice(("fi",) * 8 + ("sv", "se")),
        }
    )


def write_csv_drop(reports: pl.DataFrame, inbox: Path) -> Path:
    """Write the reports as a Finnish office would export them: `;`, d.m.yyyy, kyllä/ei, BOM."""
    text = reports.with_columns(
        pl.col("submitted_on").dt.to_string("%-d.%-m.%Y"),
        pl.col("updated_at").dt.convert_time_zone("Europe/Helsinki").dt.to_string("%+"),
        pl.col("consent_to_quote").replace_strict({True: "kyllä", False: "ei"}),
        municipality_code=pl.lit("851"),
    ).rename(FIELD_HEADERS_FI)
    path = inbox / "851" / "raportit-2026-09.csv"
    path.parent.mkdir(parents=True)
    text.write_csv(path, separator=";", include_bom=True, line_terminator="\r\n")
    return path


def load_postgres(reports: pl.DataFrame, admin_url: str) -> str:
    """Create a database holding the reports in table `social_report`; return its URL."""
    name = f"raportti_bench_{uuid.uuid4().hex[:8]}"
    with sa.create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(sa.text(f'create database "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(CREATE_TABLE))
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy("copy social_report from stdin (format csv)") as copy:
            copy.write(reports.select(REPORT_FIELDS).write_csv(include_header=False))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("vacuum analyze social_report"))  # as a live table would be
    engine.dispose()
    return url


def drop_database(admin_url: str, url: str) -> None:
    """Drop the benchmark's database."""
    name = make_url(url).database
    with sa.create_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(sa.text(f'drop database if exists "{name}" with (force)'))


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB since it started its program.

    Linux's `ru_maxrss` carries the parent's peak over a fork and exec, so a measuring
    child would report its parent's peak when that is higher; `VmHWM` is the child's own.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """Return the CPU seconds this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def extract_and_parse(
    source: SourceConfig, base_dir: Path
) -> tuple[list[ParsedDelivery], dict[str, float]]:
    """Return the source's parsed deliveries and the seconds each step took (wall and CPU)."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    deliveries = list_deliveries(source, base_dir, SINCE, UNTIL)
    extracted = time.perf_counter()
    parsed = [parse_delivery(delivery, seq) for seq, delivery in enumerate(deliveries, start=1)]
    finished = time.perf_counter()
    return parsed, {
        "extract": extracted - started,
        "parse": finished - extracted,
        "total": finished - started,
        "cpu": _cpu_seconds() - cpu,
    }


def measure(kind: str, base_dir: Path) -> None:
    """Extract and parse one source in this (fresh) process and print its figures."""
    if kind == "csv":
        source = SourceConfig(municipality_code="851", kind="csv", path="inbox/851/*.csv")
    else:
        source = SourceConfig(municipality_code="698", kind="sql", url_env=URL_ENV)
    parsed, seconds = extract_and_parse(source, base_dir)
    rows = sum(result.reports.height + result.rejections.height for result in parsed)
    peak_mb = peak_rss_mb()
    print(  # noqa: T201 - a benchmark prints its figures
        f"{kind:>8}: {rows:,} rows in {seconds['total']:.2f} s = "
        f"{rows / seconds['total']:,.0f} rows/s (extract {seconds['extract']:.2f} s, "
        f"parse {seconds['parse']:.2f} s, client CPU {seconds['cpu']:.1f} s), "
        f"peak RSS {peak_mb:,.0f} MB"
    )


def _measure_in_child(kind: str, base_dir: Path, env: dict[str, str]) -> None:
    """Run `measure` in a fresh interpreter so that each source's peak memory is its own."""
    command = [sys.executable, __file__, "--measure", kind, "--base-dir", str(base_dir)]
    subprocess.run(command, check=True, env={**os.environ, **env})


def main() -> None:
    """Generate the sources, then measure extraction and parsing for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--measure", choices=("csv", "postgres"))
    parser.add_argument("--base-dir", type=Path)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.base_dir)
        return
    admin_url = os.environ.get("RAPORTTI_TEST_PG_URL", DEFAULT_PG_URL)
    started = time.perf_counter()
    reports = generate_reports(args.rows)
    with tempfile.TemporaryDirectory(prefix="bench_extract_") as folder:
        csv_path = write_csv_drop(reports, Path(folder) / "inbox")
        url = load_postgres(reports, admin_url)
        del reports
        size_mb = csv_path.stat().st_size / 1e6
        seconds = time.perf_counter() - started
        print(f"generated {args.rows:,} rows ({size_mb:,.0f} MB CSV) in {seconds:.1f} s")  # noqa: T201
        try:
            _measure_in_child("csv", Path(folder), {})
            _measure_in_child("postgres", Path(folder), {URL_ENV: url})
        finally:
            drop_database(admin_url, url)


if __name__ == "__main__":
    main()
