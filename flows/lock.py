"""Locks in the warehouse: one run per quarter, one extraction per source, with heartbeats.

The locks work wherever the warehouse does (SQLite on one machine, PostgreSQL
shared by many workers) and for ad hoc runs without a Prefect server. A run
that finds its quarter held waits, then refuses; an extraction that finds its
source being read by another run (of another quarter) waits for it, then
skips what that run stored. A holder that is gone (its process no longer
exists on this host, or its heartbeat stopped) is replaced, and the runs it
left 'running' in the run log are marked crashed, in Prefect too when the
server still shows them running. Every step of a run is idempotent, so the
next run simply finishes the job.
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
from tasks.shared.processes import process_exists
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.locks import RunLock, claim_lock, refresh_lock, release_lock, take_over_lock
from tasks.warehouse.runlog import mark_crashed_runs

HEARTBEAT_SECONDS = 20
STALE_AFTER = timedelta(seconds=120)
POLL_SECONDS = 2.0
FLOW_NAME = "quarterly-brief"

Logger = logging.Logger | logging.LoggerAdapter


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


def _logger() -> Logger:
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("raportti.lock")


def holder_is_gone(holder: RunLock, now: datetime, host: str) -> bool:
    """Return whether a lock's holder has died: its process is gone here, or it went silent."""
    if holder.host == host and not process_exists(holder.pid):
        return True
    return now - holder.heartbeat_at > STALE_AFTER


@contextmanager
def quarter_lock(settings: Settings, quarter: Quarter, wait_minutes: float) -> Iterator[str]:
    """Hold the quarter for the block (waiting up to `wait_minutes`); yield this run's id."""
    engine = connect_warehouse(settings.warehouse_url())
    run_id = current_run_id()
    with progress.step(f"claiming {quarter}"):
        holder = _acquire(engine, str(quarter), run_id, time.monotonic() + 60 * wait_minutes)
    if holder is not None:
        message = f"quarter {quarter} is being run by {_described(holder)}"
        raise QuarterBusy(message, "wait for it to finish ('raportti status')")
    _recover_crashed(engine, quarter, run_id)
    with _kept(engine, str(quarter), run_id):
        yield run_id


@contextmanager
def source_lock(engine: Engine, source_id: str, wait_seconds: float) -> Iterator[None]:
    """Hold the source for one extraction, waiting up to `wait_seconds` for another run's."""
    name, holder_id = f"source:{source_id}", f"{current_run_id()}#{uuid.uuid4().hex[:8]}"
    holder = _acquire(engine, name, holder_id, time.monotonic() + wait_seconds)
    if holder is not None:
        raise TimeoutError(f"source {source_id} is still being read by {_described(holder)}")
    with _kept(engine, name, holder_id):
        yield


def _acquire(engine: Engine, name: str, run_id: str, deadline: float) -> RunLock | None:
    """Take the lock, replacing a dead holder; return the live holder if `deadline` passes."""
    host, pid, logger = socket.gethostname(), os.getpid(), _logger()
    waiting = False
    while True:
        now = datetime.now(UTC)
        holder = claim_lock(engine, name, run_id, host, pid, now)
        if holder.run_id == run_id:
            return None
        if holder_is_gone(holder, now, host):
            logger.warning("%s was held by %s, which is gone: taking over", name, holder.run_id)
            if take_over_lock(engine, holder, run_id, host, pid, now):
                return None
            continue
        if time.monotonic() >= deadline:
            return holder
        if not waiting:
            logger.info("waiting for %s, held by %s", name, _described(holder))
            waiting = True
        time.sleep(POLL_SECONDS)


def _described(holder: RunLock) -> str:
    since = holder.acquired_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"flow run {holder.run_id} on {holder.host} (pid {holder.pid}) since {since}"


@contextmanager
def _kept(engine: Engine, name: str, run_id: str) -> Iterator[None]:
    """Refresh the lock's heartbeat in the background during the block, then release it."""
    stop = threading.Event()
    beat = threading.Thread(
        target=_heartbeat, args=(engine, name, run_id, stop, _logger()), daemon=True
    )
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join(timeout=5)
        release_lock(engine, name, run_id)


def _heartbeat(
    engine: Engine, name: str, run_id: str, stop: threading.Event, logger: Logger
) -> None:
    """Refresh the lock every few seconds until `stop` is set."""
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            held = refresh_lock(engine, name, run_id, datetime.now(UTC))
        except Exception as error:  # noqa: BLE001 - a missed heartbeat is retried on the next beat
            logger.warning("could not refresh the lock %s: %s", name, error)
            continue
        if not held:
            logger.error("the lock %s was taken by another run after a long silence", name)
            return


def _recover_crashed(engine: Engine, quarter: Quarter, run_id: str) -> None:
    """Mark the quarter's runs that died without finishing as crashed, here and in Prefect."""
    crashed = mark_crashed_runs(engine, quarter, FLOW_NAME, run_id, datetime.now(UTC))
    logger = _logger()
    for stale in crashed:
        logger.warning("run %s of %s had crashed; this run finishes its work", stale, quarter)
        _mark_crashed_in_prefect(stale, logger)


def _crash_unfinished_task_runs(client: object, flow_run_id: uuid.UUID, message: str) -> None:
    """Crash a dead run's unfinished task runs and give back their tag concurrency slots.

    Without this, the slots its source tasks held stay taken until their leases run out,
    and the next run's sources wait for them.
    """
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.states import Crashed

    runs = client.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
    )
    for task_run in runs:
        if task_run.state is None or task_run.state.is_final():
            continue
        client.set_task_run_state(task_run.id, Crashed(message=message), force=True)
        if task_run.tags:
            client.decrement_v1_concurrency_slots(
                names=list(task_run.tags), task_run_id=task_run.id, occupancy_seconds=0
            )


def _mark_crashed_in_prefect(run_id: str, logger: Logger) -> None:
    """Set a flow run that Prefect still shows as running to Crashed (best effort)."""
    from prefect import get_client
    from prefect.states import Crashed

    with suppress(ValueError):
        flow_run_id = uuid.UUID(run_id)
        try:
            with get_client(sync_client=True) as client:
                state = client.read_flow_run(flow_run_id).state
                message = "The flow process stopped without reporting; found by a later run"
                if state is not None and not state.is_final():
                    client.set_flow_run_state(flow_run_id, Crashed(message=message), force=True)
                _crash_unfinished_task_runs(client, flow_run_id, message)
        except Exception as error:  # noqa: BLE001 - the warehouse is the record; Prefect a view
            logger.warning("could not mark flow run %s crashed in Prefect: %s", run_id, error)
