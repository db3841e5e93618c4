"""Benchmark: redact and validate 1,000,000 delivered reports of realistic text length.

Run: `.venv/bin/python bench/bench_validate.py [rows]`. Prints wall and CPU
seconds per phase, rows per second and the peak resident memory of the process.
The aim (issue 4): at most 10 s and 4 GB for redaction plus validation.

The data: a phenomenon of 300–800 characters in every report, causes,
consequences and proposal of 80–400 characters in 40 %, 30 % and 50 %; about
4 % of the words are numbers (dates, sums, years, ids, postal codes) and 0.1 %
an identity code, phone number or e-mail address (so that some 7 % of the
reports hold one); codes and labels mixed; 1 report in 200 unreadable.
"""

from __future__ import annotations

import random
import resource
import sys
import time
from datetime import date

import numpy as np
import polars as pl

from schemas.fields import LINEAGE_DTYPES, REPORT_FIELDS
from schemas.reference import load_reference
from tasks.intake.redact import redacted_reports
from tasks.intake.validate import validated_reports

WORDS = (  # noqa: SIM905 - a paragraph is easier to read than a list
    "asiakkaiden asiakas palvelut palveluihin kunnan hyvinvointialueen sosiaalityö "
    "toimeentulotuki asuminen vuokra velka ikääntyneet lapsiperheet nuoret työttömät "
    "matkat pitkät etäisyydet kyyti taksi bussi ajanvaraus puhelin odotusaika "
    "mielenterveys päihteet yksinäisyys ruoka-apu jono viikkoa kuukautta euroa on "
    "ovat ei eivät jää saa tarvitsee joutuu koska mutta myös sekä kanssa ilman "
    "Rovaniemellä Sodankylässä Inarissa kylällä keskustassa kotiin ja tai että kun"
).split()
PII = (
    "010190-123A",
    "120305A902X",
    "040 123 4567",
    "(016) 322 111",
    "+358 50 765 4321",
    "matti.meikalainen@example.fi",
)
NUMBERS = (
    "1.7.2026",
    "2026-07-01",
    "1 200 €",
    "350,50 e",
    "2025",
    "12 %",
    "45",
    "96100",
    "R-2026-0042",
)
THEMES = ("housing", "Toimeentulo", "mobility", "mental_health", "Palvelujen saatavuus")
SECONDARY = (None, "debt", "Yksinäisyys ja osallisuus; debt", "food_aid|debt")
CLIENTS = (*(str(n) for n in range(0, 200)), None, "noin 10")  # about 1 in 200 unreadable


def _paragraph(rng: random.Random, low: int, high: int) -> str:
    """Return a Finnish-looking paragraph of `low`–`high` characters, sometimes with PII."""
    target = rng.randint(low, high)
    words: list[str] = []
    length = 0
    while length < target:
        draw = rng.random()
        word = rng.choice(PII if draw < 0.001 else NUMBERS if draw < 0.04 else WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:target].strip() + "."


def _pool(rng: random.Random, size: int, low: int, high: int) -> pl.Series:
    return pl.Series([_paragraph(rng, low, high) for _ in range(size)])


def _updated_at_text(rows: int) -> pl.Expr:
    """Return a distinct ISO 8601 timestamp with offset for every other report, else null."""
    seconds = pl.int_range(rows, dtype=pl.Int64) * 37 % 86_400
    stamp = pl.col("submitted_on").cast(pl.Datetime("us")) + pl.duration(seconds=seconds)
    every_other = pl.int_range(rows) % 2 == 0
    return (
        pl.when(every_other).then(stamp.dt.strftime("%Y-%m-%dT%H:%M:%S+03:00")).alias("updated_at")
    )


def delivered_frame(rows: int, seed: int = 7) -> pl.DataFrame:
    """Return a delivered frame (all text) of `rows` reports, mostly valid."""
    rng = random.Random(seed)
    pick = np.random.default_rng(seed)
    phenomena = _pool(rng, 20_000, 300, 800)
    others = _pool(rng, 20_000, 80, 400)
    municipalities = np.array(load_reference().municipality_codes)

    def gathered(pool: pl.Series, share: float) -> pl.Series:
        values = pool.gather(pick.integers(0, len(pool), rows))
        return pl.select(pl.when(pl.lit(pick.random(rows)) < share).then(values)).to_series()

    days = pick.integers(0, 2700, rows)
    frame = pl.DataFrame(
        {
            "report_id": [f"R-{i:07d}" for i in range(rows)],
            "municipality_code": municipalities[pick.integers(0, len(municipalities), rows)],
            "submitted_on": pl.Series(days * 86_400_000, dtype=pl.Int64).cast(pl.Duration("ms"))
            + date(2019, 1, 1),
            "phenomenon": gathered(phenomena, 1.0),
            "causes": gathered(others, 0.4),
            "consequences": gathered(others, 0.3),
            "proposal": gathered(others, 0.5),
            "theme": np.array(THEMES)[pick.integers(0, len(THEMES), rows)],
            "clients_affected": pl.Series(CLIENTS).gather(pick.integers(0, len(CLIENTS), rows)),
            "secondary_themes": pl.Series(SECONDARY).gather(pick.integers(0, 4, rows)),
        }
    ).with_columns(
        pl.col("submitted_on").dt.strftime("%-d.%-m.%Y"),
        _updated_at_text(rows),
        pl.lit("sosiaalityöntekijä").alias("reporter_role"),
        pl.lit("older_people").alias("target_group"),
        pl.lit("welfare_region").alias("addressee_level"),
        pl.lit("korkea").alias("urgency"),
        pl.lit("kyllä").alias("consent_to_quote"),
        pl.lit(None, pl.String).alias("report_type"),
        pl.lit("fi").alias("language"),
        pl.lit("bench").alias("source_id"),
        pl.lit("bench.csv").alias("delivery"),
        pl.lit("0" * 64).alias("delivery_sha256"),
        pl.lit(1, pl.Int64).alias("delivery_seq"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 2).alias("row_number"),
    )
    return frame.select(*REPORT_FIELDS, *LINEAGE_DTYPES)


def main(rows: int) -> None:
    """Generate the data, then time redaction and validation and report peak memory."""
    reference = load_reference()
    delivered = delivered_frame(rows)
    text_mb = sum(delivered[c].str.len_bytes().sum() or 0 for c in REPORT_FIELDS) / 1e6
    print(f"rows {rows:,}, text {text_mb:,.0f} MB")  # noqa: T201
    cpu_started = time.process_time()
    started = time.perf_counter()
    redacted, counts = redacted_reports(delivered)
    redacted_at, redacted_cpu = time.perf_counter(), time.process_time()
    validated = validated_reports(redacted, None, reference, date(2026, 11, 15))
    finished = time.perf_counter()
    cpu = time.process_time() - cpu_started
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    redact_cpu = redacted_cpu - cpu_started
    print(f"redact   {redacted_at - started:6.2f} s  (cpu {redact_cpu:.2f} s)  {counts}")  # noqa: T201
    print(  # noqa: T201
        f"validate {finished - redacted_at:6.2f} s  valid {validated.reports.height:,}, "
        f"rejections {validated.rejections.height:,}"
    )
    print(f"total    {finished - started:6.2f} s  {rows / (finished - started):,.0f} rows/s")  # noqa: T201
    print(f"cpu      {cpu:6.2f} s  (user+system of this process, both phases, 2 cores)")  # noqa: T201
    print(f"peak RSS {peak_gb:6.2f} GB")  # noqa: T201


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
