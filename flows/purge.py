"""Retention as a flow: raw deliveries and rejected values older than the setting deleted."""

from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, get_run_logger

from flows.steps import run_settings
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.purge import Purged, parse_duration, purge_old_data


@flow(
    name="purge-old-data", description="Delete raw deliveries and rejected values past retention."
)
def purge_old(older_than: str = "", dry_run: bool = False) -> Purged:
    """Delete the landed bytes and rejected rows' values of deliveries older than `older_than`.

    Args:
        older_than: An age such as 400d, 12w or 2y. Empty: RAPORTTI_RETENTION_DAYS (400 days).
        dry_run: Only count what would be deleted.

    Returns:
        What was deleted (or would be), in counts.
    """
    settings = run_settings(None)
    age = parse_duration(older_than or f"{settings.retention_days}d")
    engine = connect_warehouse(settings.warehouse_url())
    purged = purge_old_data(engine, datetime.now(UTC) - age, dry_run)
    get_run_logger().info(purged.summary())
    return purged
