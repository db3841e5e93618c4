"""A synthetic published quarter for the brief's tests and benchmark.

Reports spread like Lapland's municipalities, and a small stand-in for the
aggregation stage: the published cube, trends, mentions and report mix that
`brief_facts` takes.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import polars as pl

from schemas.fields import ADDRESSEE_LEVELS, REPORT_DTYPES, REPORT_TYPES, URGENCIES
from schemas.findings import Finding
from schemas.quarter import Quarter
from schemas.reference import Reference, load_reference
from schemas.responses import DECISION_STATUSES, STATUSES
from tasks.brief.followup_facts import FollowupFacts, followup_facts
from tasks.brief.quotes import all_approved, place_names, quote_candidates, quotes_to_publish
from tasks.figures.followup import followup_quarters, followup_table, proposal_states

QUARTER = Quarter(2026, 3)
REFERENCE = load_reference()
CELL_SCHEMA = {
    "quarter": pl.String(),
    "level": pl.String(),
    "area_code": pl.String(),
    "area_name": pl.String(),
    "theme": pl.String(),
    "target_group": pl.String(),
    "reports": pl.Int64(),
    "clients_affected": pl.Int64(),
    "clients_missing": pl.Int64(),
    "suppressed": pl.Boolean(),
}
TREND_SCHEMA = {
    "quarter": pl.String(),
    "level": pl.String(),
    "area_code": pl.String(),
    "area_name": pl.String(),
    "theme": pl.String(),
    "reports": pl.Int64(),
    "suppressed": pl.Boolean(),
    "change_prev": pl.Int64(),
    "change_year": pl.Int64(),
    "status": pl.String(),
}
MUNICIPALITY_WEIGHTS = {
    "698": 65, "851": 21, "240": 20, "241": 8, "758": 8, "320": 7, "148": 7, "261": 6,
    "976": 4, "273": 4, "683": 4, "854": 3, "732": 3, "614": 3, "845": 3, "751": 3,
    "498": 2, "047": 2, "890": 1, "742": 1, "583": 1,
}  # fmt: skip
THEME_WEIGHTS = [9, 8, 6, 5, 8, 6, 4, 9, 5, 3, 5, 4, 2, 4, 3, 1, 1]


def synthetic_reports(count: int, quarter: Quarter = QUARTER, seed: int = 1) -> pl.DataFrame:
    """Return `count` valid reports of the quarter, spread like Lapland's municipalities."""
    rng = random.Random(seed)
    themes, groups = REFERENCE.theme_codes, REFERENCE.target_group_codes
    municipalities = list(MUNICIPALITY_WEIGHTS)
    span = (quarter.last_day - quarter.first_day).days
    rows = []
    for number in range(count):
        day = date.fromordinal(quarter.first_day.toordinal() + rng.randint(0, span))
        theme = rng.choices(themes, THEME_WEIGHTS)[0]
        rows.append(
            {
                "report_id": f"R-{seed}-{number:05d}",
                "municipality_code": rng.choices(
                    municipalities, list(MUNICIPALITY_WEIGHTS.values())
                )[0],
                "submitted_on": day,
                "updated_at": datetime(day.year, day.month, day.day, tzinfo=UTC),
                "reporter_role": "social_worker",
                "theme": theme,
                "secondary_themes": rng.sample(
                    [t for t in themes if t != theme], rng.randint(0, 2)
                ),
                "target_group": rng.choice(groups),
                "clients_affected": rng.choice([None, 1, 3, 8, 20]),
                "phenomenon": "Asiakkaiden tilanne on vaikeutunut selvästi tällä alueella.",
                "causes": None,
                "consequences": None,
                "proposal": rng.choice([None, "Lisää resursseja ja yhteistyötä palveluihin.", ""]),
                "addressee_level": rng.choice(ADDRESSEE_LEVELS),
                "urgency": rng.choices(URGENCIES, [5, 4, 1])[0],
                "consent_to_quote": rng.random() < 0.4,
                "report_type": rng.choices(REPORT_TYPES, [8, 1, 1])[0],
                "language": "fi",
            }
        )
    return pl.DataFrame(rows, schema=REPORT_DTYPES)


def _with_areas(reports: pl.DataFrame, reference: Reference) -> pl.DataFrame:
    areas = reference.municipalities.select(
        pl.col("code").alias("municipality_code"), "subregion_code"
    )
    return reports.join(areas, on="municipality_code", how="left")


def _hidden(count: pl.Expr, threshold: int) -> pl.Expr:
    return (count > 0) & (count < threshold)


def synthetic_cells(
    reports: pl.DataFrame, reference: Reference = REFERENCE, threshold: int = 5
) -> pl.DataFrame:
    """Return a published cube of the reports: every level × theme × target group, 1–4 hidden."""
    frame = _with_areas(reports, reference).with_columns(region=pl.lit("19"))
    areas = [
        ("region", "region"),
        ("subregion", "subregion_code"),
        ("municipality", "municipality_code"),
    ]
    grid = []
    for level, column in areas:
        codes = frame[column].unique().to_list() if level != "region" else ["19"]
        codes = {"subregion": reference.subregions()["subregion_code"].to_list(),
                 "municipality": reference.municipality_codes}.get(level, codes)  # fmt: skip
        for theme in ["all", *reference.theme_codes]:
            for group in ["all", *reference.target_group_codes]:
                for code in codes:
                    grid.append((level, column, code, theme, group))
    counts = {}
    for level, column in areas:
        for theme_key in ("all", "theme"):
            for group_key in ("all", "target_group"):
                keys = [column] + [k for k in (theme_key, group_key) if k != "all"]
                agg = frame.group_by(keys).agg(
                    pl.len().alias("n"), pl.col("clients_affected").sum().alias("c")
                )
                for row in agg.iter_rows(named=True):
                    theme = row.get("theme", "all") if theme_key == "theme" else "all"
                    group = row.get("target_group", "all") if group_key == "target_group" else "all"
                    counts[(level, row[column], theme, group)] = (row["n"], row["c"])
    rows = []
    for level, _column, code, theme, group in grid:
        n, clients = counts.get((level, code, theme, group), (0, 0))
        hidden = 0 < n < threshold
        rows.append(
            {
                "quarter": str(QUARTER),
                "level": level,
                "area_code": code,
                "area_name": code,
                "theme": theme,
                "target_group": group,
                "reports": None if hidden else n,
                "clients_affected": None if hidden else clients,
                "clients_missing": 0,
                "suppressed": hidden,
            }
        )
    return pl.DataFrame(rows, schema=CELL_SCHEMA)


def synthetic_trends(
    current: pl.DataFrame, quarter: Quarter = QUARTER, threshold: int = 5, seed: int = 2
) -> pl.DataFrame:
    """Return region trends for eight quarters: earlier quarters scaled from the current one."""
    rng = random.Random(seed)
    now = current.filter((pl.col("level") == "region") & (pl.col("target_group") == "all")).select(
        "theme", "reports", "suppressed"
    )
    base = {theme: (n if n is not None else 3) for theme, n, _s in now.iter_rows()}
    series = {}
    for theme, n in base.items():
        values = [max(0, round(n * rng.uniform(0.5, 1.3))) for _ in range(7)] + [n]
        series[theme] = values
    series["all"] = [sum(series[t][i] for t in base if t != "all") for i in range(8)]
    series["all"][-1] = base["all"]
    rows = []
    quarters = [quarter.previous(steps) for steps in range(7, -1, -1)]
    for theme, values in series.items():
        for i, q in enumerate(quarters):
            n = values[i]
            hidden = 0 < n < threshold
            prev = values[i - 1] if i else None
            year = values[i - 4] if i >= 4 else None
            change = None if prev is None or hidden or 0 < prev < threshold else n - prev
            status = (
                None
                if change is None
                else "rising"
                if change > 2
                else "falling"
                if change < -2
                else "steady"
            )
            if prev == 0 and n >= threshold:
                status = "new"
            rows.append((str(q), "region", "19", "Lappi", theme, None if hidden else n, hidden,
                         change, None if year is None or hidden else n - year, status))  # fmt: skip
    return pl.DataFrame(rows, schema=TREND_SCHEMA, orient="row")


def synthetic_mentions(reports: pl.DataFrame, threshold: int = 5) -> pl.DataFrame:
    """Return the secondary themes' mentions at region level."""
    counts = reports.select(pl.col("secondary_themes").explode().alias("theme")).drop_nulls()
    counts = counts.group_by("theme").len("n")
    return counts.select(
        quarter=pl.lit(str(QUARTER)),
        theme="theme",
        mentions=pl.when(_hidden(pl.col("n"), threshold))
        .then(None)
        .otherwise(pl.col("n"))
        .cast(pl.Int64),
        suppressed=_hidden(pl.col("n"), threshold),
    ).sort("theme")


def synthetic_mix(reports: pl.DataFrame, threshold: int = 5) -> pl.DataFrame:
    """Return the region's counts by report type, urgency and addressee level."""
    frames = []
    for dimension in ("report_type", "urgency", "addressee_level"):
        counts = reports.group_by(pl.col(dimension).alias("value")).len("n")
        frames.append(counts.with_columns(dimension=pl.lit(dimension)))
    mix = pl.concat(frames) if frames else pl.DataFrame()
    return mix.select(
        quarter=pl.lit(str(QUARTER)),
        dimension="dimension",
        value="value",
        reports=pl.when(_hidden(pl.col("n"), threshold))
        .then(None)
        .otherwise(pl.col("n"))
        .cast(pl.Int64),
        suppressed=_hidden(pl.col("n"), threshold),
    ).sort("dimension", "value")


def quarter_inputs(
    reports: pl.DataFrame, reference: Reference = REFERENCE, **overrides: object
) -> dict[str, object]:
    """Return every argument of `brief_facts` for a quarter of these reports."""
    cells = synthetic_cells(reports, reference)
    inputs: dict[str, object] = {
        "quarter": QUARTER,
        "cells": cells,
        "trends": synthetic_trends(cells),
        "mentions": synthetic_mentions(reports),
        "mix": synthetic_mix(reports),
        "quotes": approved_quotes(reports, place_names(reference)),
        "findings": [
            Finding("volume_drop", "soft", None, "273", 3.0),
            Finding("completeness", "soft", "clients_affected", None, 0.62),
        ],
        "failed_municipalities": ["742"],
        "rejected": pl.DataFrame({"municipality_code": ["851", "148"], "rows": [7, 2]}),
        "reference": reference,
    }
    return inputs | overrides


def approved_quotes(
    reports: pl.DataFrame,
    names: tuple[str, ...],
    max_per_theme: int = 2,
    max_chars: int = 300,
) -> pl.DataFrame:
    """Return the quotes of `reports` as the brief prints them once a steward approved them all.

    Args:
        reports: a report frame.
        names: municipality names to remove (`place_names(reference)`).
        max_per_theme: the most proposals quoted for one main theme.
        max_chars: the longest quote, `…` included.
    """
    candidates = quote_candidates(reports, names, max_chars)
    return quotes_to_publish(candidates, all_approved(candidates), max_per_theme)


def synthetic_followup(
    reports: pl.DataFrame, decision_ref: str = "Hyvinvointilautakunta 24.9.2026 § 42"
) -> tuple[FollowupFacts, pl.DataFrame]:
    """Return the follow-up facts and followup.csv's rows of the quarter's proposals, answered.

    Every sixth proposal has no response; the others cycle through the statuses, and those
    decided carry `decision_ref` and the quarter's last day.
    """
    quarters = followup_quarters(QUARTER)
    proposals = (
        reports.filter(pl.col("proposal").is_not_null())
        .with_columns(quarter=pl.lit(str(QUARTER)))
        .select(
            "municipality_code", "report_id", "quarter", "submitted_on", "theme",
            "addressee_level", "urgency", "proposal",
        )
    )  # fmt: skip
    answered = proposals.with_row_index("n").filter(pl.col("n") % 6 != 0)
    responses = (
        answered.select(
            "municipality_code",
            "report_id",
            status=pl.lit(pl.Series(list(STATUSES))).gather(pl.col("n") % len(STATUSES)),
            received_at=pl.lit(datetime(2026, 9, 30, 12, tzinfo=UTC)),
            delivery_seq=pl.lit(1, pl.Int64),
            row_number=pl.col("n").cast(pl.Int64) + 2,
        )
        .with_columns(
            decided=pl.col("status").is_in(DECISION_STATUSES),
            response=pl.lit(None, pl.String),
            responder_role=pl.lit(None, pl.String),
        )
        .with_columns(
            decision_ref=pl.when("decided").then(pl.lit(decision_ref)),
            decided_on=pl.when("decided").then(pl.lit(QUARTER.last_day)),
        )
        .drop("decided")
    )
    states = proposal_states(proposals, responses, quarters)
    themes = reports["theme"].unique().sort().to_list()
    table = followup_table(states, QUARTER, themes, 5)
    return followup_facts(states, table, quarters, 5), table
