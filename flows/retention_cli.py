"""`raportti purge`: raw deliveries and rejected rows' values deleted past their retention."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer


def purge(
    older_than: Annotated[
        str | None,
        typer.Option(
            "--older-than",
            help="Age such as 400d, 12w or 2y (default: $RAPORTTI_RETENTION_DAYS, 400 days).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only say what would be deleted.")
    ] = False,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Warehouse URL (default: $RAPORTTI_DB_URL, else SQLite)."),
    ] = None,
) -> None:
    """Delete landed bytes and rejected rows' values of deliveries older than the age.

    Example: raportti purge --older-than 400d --dry-run
    """
    from flows.cli import _settings, _warehouse, console, fail
    from tasks.warehouse.purge import parse_duration, purge_old_data

    settings = _settings(db)
    try:
        age = parse_duration(older_than or f"{settings.retention_days}d")
    except ValueError as error:
        fail(str(error), "for example --older-than 400d")
    purged = purge_old_data(_warehouse(settings), datetime.now(UTC) - age, dry_run)
    console.print(purged.summary(), highlight=False)
