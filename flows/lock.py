"""At most one run per quarter: a lock row in the warehouse, kept alive by a heartbeat.

The lock works wherever the warehouse does (SQLite on one machine, PostgreSQL
shared by many workers) and for ad hoc runs without a Prefect server. A run
that finds its quarter held waits, then refuses. A holder that is gone (its
process no longer exists on this host, or its heartbeat stopped) is replaced,
and the runs it left as 'running' in the run log are marked crashed, in
Prefect too when the server still shows them running. Every step of a run is
idempotent, so the next run simply finishes the job.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

from prefect import get_run_logger
from prefect.exceptions import MissingContextError
from prefect.runtime import flow_run
from sqlalchemy import Engine

from flows import progress
from schemas.quarter import Quarter
from schemas.settings import Settings
from tasks.store import (
    RunLock,
    claim_quarter,
    mark_crashed_runs,
    refresh_quarter_lock,
    release_quarter,
    take_over_quarter,
)
from tasks.warehouse import connect_warehouse

HEARTBEAT_SECONDS = 20
STALE_AFTER = timedelta(seconds=120)
POLL_SECONDS = 5.0
FLOW_NAME = "quarterly-brief"


class QuarterBusy(RuntimeError):
    """Raised when another live run holds the quarter for longer than this run may wait."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message, fix)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}; {self.fix}"


def current_run_id() -> str:
    """Return this flow run's id (a fresh id outside Prefect)."""
    return str(flow_run.id) if flow_run.id else uuid.uuid4().hex


def _logger() -> logging.Logger | logging.LoggerAdapter:
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("raportti.lock")


def holder_is_gone(holder: RunLock, now: datetime, host: str) -> bool:
    """Return whether the lock's holder has died: its process is gone here, or it went silent."""
    if holder.host == host and not _process_alive(holder.pid):
        return True
    return now - holder.heartbeat_at > STALE_AFTER


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def quarter_lock(settings: Settings, quarter: Quarter, wait_minutes: float) -> Iterator[str]:
    """Hold the quarter's lock for the block (waiting up to `wait_minutes`); yield the run id."""
    engine = connect_warehouse(settings.warehouse_url())
    run_id = current_run_id()
    with progress.step(f"claiming {quarter}"):
        _acquire(engine, quarter, run_id, time.monotonic() + 60 * wait_minutes)
    _recover_crashed(engine, quarter, run_id)
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(engine, str(quarter), run_id, stop, _logger()), daemon=True
    )
    beat.start()
    try:
        yield run_id
    finally:
        stop.set()
        beat.join(timeout=5)
        release_quarter(engine, str(quarter), run_id)


def _acquire(engine: Engine, quarter: Quarter, run_id: str, deadline: float) -> None:
    """Take the lock, replacing a dead holder; wait for a live one until `deadline`."""
    host, pid, logger = socket.gethostname(), os.getpid(), _logger()
    while True:
        now = datetime.now(UTC)
        holder = claim_quarter(engine, quarter, run_id, host, pid, now)
        if holder.run_id == run_id:
            return
        if holder_is_gone(holder, now, host):
            logger.warning(
                "run %s of %s stopped without finishing: taking over", holder.run_id, quarter
            )
            if take_over_quarter(engine, holder, run_id, host, pid, now):
                return
            continue
        if time.monotonic() >= deadline:
            raise QuarterBusy(_busy_message(holder), "wait for it to finish ('raportti status')")
        logger.info("waiting for run %s of %s on %s to finish", holder.run_id, quarter, holder.host)
        time.sleep(POLL_SECONDS)


def _busy_message(holder: RunLock) -> str:
    since = holder.acquired_at.strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"quarter {holder.quarter} is being run by flow run {holder.run_id} "
        f"on {holder.host} (pid {holder.pid}) since {since}"
    )


def _recover_crashed(engine: Engine, quarter: Quarter, run_id: str) -> None:
    """Mark the quarter's runs that died without finishing as crashed, here and in Prefect."""
    crashed = mark_crashed_runs(engine, quarter, FLOW_NAME, run_id, datetime.now(UTC))
    logger = _logger()
    for stale in crashed:
        logger.warning("run %s of %s had crashed; this run finishes its work", stale, quarter)
        _mark_crashed_in_prefect(stale)


def _mark_crashed_in_prefect(run_id: str) -> None:
    """Set a flow run that Prefect still shows as running to Crashed (best effort)."""
    from prefect import get_client
    from prefect.states import Crashed

    with suppress(ValueError):
        flow_run_id = uuid.UUID(run_id)
        try:
            with get_client(sync_client=True) as client:
                state = client.read_flow_run(flow_run_id).state
                if state is not None and not state.is_final():
                    message = "The flow process stopped without reporting; found by a later run"
                    client.set_flow_run_state(flow_run_id, Crashed(message=message), force=True)
        except Exception as error:  # noqa: BLE001 - the warehouse is the record; Prefect's is a view
            _logger().warning("could not mark flow run %s crashed in Prefect: %s", run_id, error)


def _heartbeat(
    engine: Engine,
    quarter: str,
    run_id: str,
    stop: threading.Event,
    logger: logging.Logger | logging.LoggerAdapter,
) -> None:
    """Refresh the lock every few seconds until `stop` is set."""
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            held = refresh_quarter_lock(engine, quarter, run_id, datetime.now(UTC))
        except Exception as error:  # noqa: BLE001 - a missed heartbeat is retried on the next beat
            logger.warning("could not refresh the lock of %s: %s", quarter, error)
            continue
        if not held:
            logger.error("the lock of %s was taken by another run after a long silence", quarter)
            return
