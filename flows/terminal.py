"""What a person at a terminal sees during a run: progress lines, quiet logs, one-line errors.

Prefect's console log is kept to warnings and errors, one line each (full
tracebacks still go to Prefect's own log); `--verbose` shows it all.
"""

from __future__ import annotations

import copy
import logging
import os
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from flows import progress

if TYPE_CHECKING:
    from pydantic import ValidationError

STARTING = "starting Prefect"


class RichReporter:
    """Draws each long step of a run as a line with a spinner, a bar and a count."""

    def __init__(self, bars: Progress) -> None:
        self._bars = bars
        self._steps: dict[str, TaskID] = {STARTING: bars.add_task(STARTING, total=None, count="")}

    def started(self, label: str, total: int | None) -> None:
        """Add a line for the step (ending 'starting Prefect' when it is still open)."""
        self.finished(STARTING)
        count = f"0/{total}" if total else ""
        self._steps[label] = self._bars.add_task(label, total=total, count=count)

    def advanced(self, label: str) -> None:
        """Count one part of the step done."""
        step = self._steps.get(label)
        if step is not None:
            self._bars.advance(step)
            task = self._bars.tasks[step]
            self._bars.update(step, count=f"{int(task.completed)}/{int(task.total or 0)}")

    def finished(self, label: str) -> None:
        """Fill the step's bar and stop its clock."""
        step = self._steps.pop(label, None)
        if step is not None:
            total = self._bars.tasks[step].total or 1
            self._bars.update(step, total=total, completed=total)
            self._bars.stop_task(step)


class _ForPeople(logging.Filter):
    """Keep warnings and errors, minus the lines the CLI states better itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        if record.getMessage().startswith("Finished in state"):
            return False
        error = record.exc_info[1] if record.exc_info else getattr(record, "error", None)
        return not isinstance(error, _explained_types())


class _OneLine(logging.Formatter):
    """Format a record without its traceback (Prefect's own log keeps it)."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        plain = copy.copy(record)
        plain.exc_info, plain.exc_text, plain.stack_info = None, None, None
        return self._inner.format(plain).splitlines()[0]


@contextmanager
def live_progress(console: Console, verbose: bool) -> Iterator[None]:
    """Show a run's long steps as progress lines and keep Prefect's console log short."""
    if verbose:
        os.environ["RAPORTTI_VERBOSE"] = "1"  # tracebacks in Prefect's run log too (flows.logs)
        yield
        return
    columns = (
        SpinnerColumn(finished_text="[green]✓[/]"),
        TextColumn("{task.description}"),
        BarColumn(bar_width=24),
        TextColumn("{task.fields[count]}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as bars, _quiet_prefect_console():
        progress.use(RichReporter(bars))
        try:
            yield
        finally:
            progress.use(None)


@contextmanager
def _quiet_prefect_console() -> Iterator[None]:
    """Route Prefect's console handler through the live display, warnings only, one line each."""
    from prefect.logging.handlers import PrefectConsoleHandler

    handlers = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    saved = [(h.console.file, h.formatter) for h in handlers]
    keep = _ForPeople()
    for handler in handlers:
        handler.console.file = sys.stderr
        handler.setFormatter(_OneLine(handler.formatter))
        handler.addFilter(keep)
    try:
        yield
    finally:  # the filter stays: the temporary server's farewell is no news to a person
        for handler, (file, formatter) in zip(handlers, saved, strict=True):
            handler.console.file = file
            handler.setFormatter(formatter)


@dataclass(frozen=True)
class Explanation:
    """An error as one line: what happened, what to do, and the exit status."""

    message: str
    fix: str
    code: int


def _explained_types() -> tuple[type[BaseException], ...]:
    from flows.lock import QuarterBusy
    from flows.states import RunStopped
    from tasks.warehouse.connection import WarehouseTooNew

    return (QuarterBusy, WarehouseTooNew, tomllib.TOMLDecodeError, RunStopped)


def _missing_file(path: str, sources: str) -> Explanation:
    if Path(path).name == Path(sources).name:
        return Explanation(
            f"{path}: no such sources file",
            "give its path as sources_file (run form) or --sources (CLI); "
            "'make demo' writes outputs/demo/sources.toml",
            2,
        )
    return Explanation(f"{path}: no such file", "check the path in sources.toml", 2)


def _invalid_sources(sources: str, problem: str) -> Explanation:
    return Explanation(
        f"{sources} is not a valid sources file: {problem}",
        "fix the [[source]] table it names (see the README's Configuration)",
        2,
    )


def _first_problem(error: ValidationError) -> str:
    """Return a validation error's first problem as `[[source]] n field: what is wrong`."""
    problem = error.errors()[0]
    where = " ".join(_location_part(part) for part in problem["loc"])
    message = problem["msg"].removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _location_part(part: str | int) -> str:
    """Return one step of an error's location as the sources file reads (1-based tables)."""
    if part == "sources":
        return "[[source]]"
    return str(part + 1) if isinstance(part, int) else part


def explanation(error: BaseException, warehouse_url: str, sources: str) -> Explanation:
    """Return what a person should read about `error`, and do."""
    import httpx
    import pydantic
    import sqlalchemy.exc

    from flows.lock import QuarterBusy
    from flows.states import RunStopped
    from tasks.run.failures import failure_reason
    from tasks.shared.urls import safe_url
    from tasks.warehouse.connection import WarehouseTooNew

    first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    if isinstance(error, RunStopped):
        return Explanation(error.message, error.fix, error.code)
    if isinstance(error, FileNotFoundError):
        return _missing_file(str(error.filename or first_line), sources)
    if isinstance(error, QuarterBusy):
        return Explanation(error.message, f"{error.fix}, or add --wait 30 to wait for it", 2)
    if isinstance(error, WarehouseTooNew):
        return Explanation(error.message, error.fix, 2)
    if isinstance(error, pydantic.ValidationError):
        return _invalid_sources(sources, _first_problem(error))
    if isinstance(error, tomllib.TOMLDecodeError):
        return _invalid_sources(sources, first_line)
    if isinstance(error, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError):
        reason = (str(getattr(error, "orig", error)).strip().splitlines() or [""])[0]
        return Explanation(
            f"cannot reach the warehouse {safe_url(warehouse_url)}: {reason}",
            "check --db or RAPORTTI_DB_URL, and that the database is up",
            2,
        )
    if isinstance(error, httpx.HTTPError):
        api = os.environ.get("PREFECT_API_URL", "the Prefect API")
        return Explanation(
            f"cannot reach the Prefect server at {api}: {first_line}",
            "start it with 'prefect server start', or unset PREFECT_API_URL for a temporary one",
            2,
        )
    return Explanation(
        f"the run failed: {failure_reason(error)}",
        "read the flow run's log in Prefect ('prefect flow-run logs <id>') or add --verbose",
        1,
    )


def prefect_runs(limit: int) -> list[tuple[str, ...]]:
    """Return Prefect's latest started flow runs (not future scheduled ones) as table rows."""
    from prefect import get_client
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowFilter,
        FlowFilterId,
        FlowRunFilter,
        FlowRunFilterStartTime,
    )
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        started = FlowRunFilter(start_time=FlowRunFilterStartTime(is_null_=False))
        runs = client.read_flow_runs(
            flow_run_filter=started, sort=FlowRunSort.START_TIME_DESC, limit=limit
        )
        flow_ids = list({run.flow_id for run in runs})
        flows = client.read_flows(flow_filter=FlowFilter(id=FlowFilterId(any_=flow_ids)))
        deployment_ids = list({run.deployment_id for run in runs if run.deployment_id})
        deployments = client.read_deployments(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=deployment_ids))
        )
    flow_names = {flow.id: flow.name for flow in flows}
    deployment_names = {deployment.id: deployment.name for deployment in deployments}
    return [
        (
            run.name,
            flow_names.get(run.flow_id, ""),
            deployment_names.get(run.deployment_id, "") if run.deployment_id else "",
            _quarter_of(run.parameters),
            run.state.name if run.state else "",
            run.start_time.strftime("%Y-%m-%d %H:%M") if run.start_time else "",
            f"{run.total_run_time.total_seconds():.0f}",
        )
        for run in runs
    ]


def _quarter_of(parameters: dict[str, object]) -> str:
    if parameters.get("quarter"):
        return str(parameters["quarter"])
    if parameters.get("first"):
        return f"{parameters['first']}..{parameters.get('last', '')}"
    return ""
