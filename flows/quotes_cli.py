"""`raportti quotes list|approve|reject`: a person decides on every quote (contract §6)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    import polars as pl
    from sqlalchemy import Engine

    from schemas.quarter import Quarter

app = typer.Typer(
    help="Review the quotes of a quarter: only approved quotes are published.",
    no_args_is_help=True,
)
QuarterArg = Annotated[str, typer.Option("--quarter", help="The quarter, e.g. 2026Q3.")]
IdsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Quote ids as `raportti quotes list` shows them: 698/R-1 for a proposal, "
        "response/698/R-1 for the response to it."
    ),
]
DbArg = Annotated[
    str | None,
    typer.Option(
        "--db", help="Warehouse URL (default: $RAPORTTI_DB_URL, else SQLite in outputs/)."
    ),
]


def _candidates(quarter_text: str, db: str | None) -> tuple[Engine, Quarter, pl.DataFrame]:
    """Return the warehouse, the quarter and its candidate quotes with ids and decisions."""
    from flows.cli import _quarter_text, _settings, _warehouse
    from flows.quotes import stored_response_candidates, with_ids
    from schemas.quarter import Quarter
    from tasks.brief.quotes import place_names, quote_candidates, review_candidates
    from tasks.warehouse.quote_decisions import read_quote_decisions, with_decisions
    from tasks.warehouse.reads import read_reports

    quarter = Quarter.parse(_quarter_text(quarter_text))
    settings = _settings(db)
    engine = _warehouse(settings)
    names = place_names(settings.reference())
    proposals = quote_candidates(read_reports(engine, [quarter]), names)
    candidates = review_candidates(proposals, stored_response_candidates(engine, quarter, names))
    decided = with_decisions(candidates, read_quote_decisions(engine, quarter))
    return engine, quarter, with_ids(decided)


@app.command("list")
def list_quotes(quarter: QuarterArg, db: DbArg = None) -> None:
    """List the quarter's candidate quotes (redacted): proposals and responses, ids, decisions.

    Example: raportti quotes list --quarter 2026Q3
    """
    from flows.cli import console

    _engine, _quarter, candidates = _candidates(quarter, db)
    table = Table(title=Text(f"quotes {quarter}"))
    widest_id = max((len(i) for i in candidates["id"]), default=2)
    table.add_column("id", no_wrap=True, min_width=widest_id)  # copied whole into approve
    for column in ("decision", "kind", "theme", "addressee", "text"):
        table.add_column(column, overflow="fold")
    for row in candidates.iter_rows(named=True):
        decision = Text(row["decision"]) if row["decision"] else Text("waiting", style="yellow")
        cells = [row[key] for key in ("kind", "theme", "addressee_level", "text")]
        table.add_row(Text(row["id"]), decision, *map(Text, cells))  # text as text, not markup
    console.print(table)
    waiting = candidates.filter(candidates["decision"].is_null()).height
    console.print(f"{candidates.height} quotes, {waiting} waiting for review", highlight=False)


def _decide(
    quarter: str, ids: list[str] | None, every: bool, db: str | None, decision: str
) -> None:
    from flows.cli import console, fail
    from tasks.warehouse.quote_decisions import record_quote_decisions

    if bool(ids) == every:
        fail("name the quotes", "give their ids (see raportti quotes list) or --all, not both")
    engine, period, candidates = _candidates(quarter, db)
    chosen = candidates if every else candidates.filter(candidates["id"].is_in(ids or []))
    unknown = sorted(set(ids or []) - set(chosen["id"].to_list()))
    if unknown:
        fail(f"no quote {', '.join(unknown)} in {quarter}", "see raportti quotes list")
    count = record_quote_decisions(engine, period, chosen, decision)
    console.print(f"{decision} {count} quotes of {quarter}; the next run publishes accordingly")


@app.command()
def approve(
    quarter: QuarterArg,
    ids: IdsArg = None,
    every: Annotated[bool, typer.Option("--all", help="Approve every candidate quote.")] = False,
    db: DbArg = None,
) -> None:
    """Approve quotes for publication, as their texts now stand.

    Example: raportti quotes approve --quarter 2026Q3 698/R-2026-0042 response/698/R-2025-0007
    """
    _decide(quarter, ids, every, db, "approved")


@app.command()
def reject(quarter: QuarterArg, ids: IdsArg = None, db: DbArg = None) -> None:
    """Reject quotes: they are never published (until their text changes).

    Example: raportti quotes reject --quarter 2026Q3 698/R-2026-0042
    """
    _decide(quarter, ids, False, db, "rejected")
