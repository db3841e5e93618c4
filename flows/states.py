"""How a run ends in Prefect, and in the warehouse's run log.

A run that published but left something for the steward (a source failed, the
quality gate stopped publication, mail is owed) ends in a Failed-type state
named `Needs attention`, with the quarter and the reasons as its message: red
in every view of Prefect's UI, distinct from a crash by its name, and still
carrying the run's summary. A configuration problem stops the run with one
line that says what to fix; the run log row is finished either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State

from flows.steps import fail_run_log, start_run_log
from schemas.quarter import Quarter
from schemas.settings import Settings
from tasks.run.summary import RunSummary, attention_reasons

ATTENTION = "Needs attention"


class RunStopped(Exception):
    """The run could not go on: one line saying what happened and what to do."""

    def __init__(self, message: str, fix: str, code: int = 2) -> None:
        super().__init__(message, fix, code)  # all in args, so that it survives pickling
        self.message, self.fix, self.code = message, fix, code

    def __str__(self) -> str:
        return f"{self.message} — {self.fix}"

    def __repr__(self) -> str:
        return f"RunStopped({str(self)!r})"


def quarterly_run_name() -> str:
    """Return a quarterly run's name: its quarter (the latest complete one when not given)."""
    quarter = flow_run.parameters.get("quarter") or Quarter.latest_complete(datetime.now(UTC))
    return f"quarterly-brief {quarter}"


def final_state(summary: RunSummary) -> State:
    """Return Completed for a clean run, else `Needs attention` naming the quarter and reasons."""
    reasons = attention_reasons(summary)
    if not reasons:
        published = f"{len(summary.published)} files published"
        return Completed(message=f"{summary.quarter}: {published}", data=summary)
    message = f"{summary.quarter} needs attention: {'; '.join(reasons)}"
    return Failed(name=ATTENTION, message=message, data=summary)


def backfill_state(states: list[State]) -> State:
    """Return Completed when every quarter was, else `Needs attention` naming the others."""
    summaries = [state.result(raise_on_failure=False) for state in states]
    owed = [state.message or state.name for state in states if not state.is_completed()]
    if not owed:
        return Completed(message=f"{len(states)} quarters published", data=summaries)
    return Failed(name=ATTENTION, message=" | ".join(owed), data=summaries)


@contextmanager
def explained_failures(settings: Settings) -> Iterator[None]:
    """Turn an error of configuration or reach into `RunStopped` with a one-line message."""
    from flows.terminal import explanation

    try:
        yield
    except RunStopped:
        raise
    except Exception as error:
        explained = explanation(error, settings.warehouse_url(), str(settings.sources_file))
        raise RunStopped(explained.message, explained.fix, explained.code) from None


@contextmanager
def logged_run(settings: Settings, quarter: Quarter, flow_name: str) -> Iterator[str]:
    """Note the run in the run log and yield its id; a run that raises is noted `failed`."""
    run_id = start_run_log(settings, quarter, flow_name)
    try:
        yield run_id
    except BaseException as error:
        fail_run_log(settings, run_id, quarter, error)
        raise
