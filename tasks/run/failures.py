"""Failure reasons that carry no data: the project's own lines, else the exception's type.

A library's exception text can quote what it was handed (a polars error its
value, a driver error its row); such text reaches Prefect's log, the run
artifact and the command line. Only raportti's own exceptions, whose messages
it writes itself (file, row, field, fix), are shown, and even those with file
names and any identifying number redacted (`publishable_id`).
"""

from __future__ import annotations

import os

from tasks.intake.publishable import publishable_id

_OWN_PACKAGES = ("tasks", "flows", "schemas", "demo")
# Orchestration libraries: their errors are about the server, never about report data.
_PLUMBING_PACKAGES = ("prefect", "httpx", "httpcore", "anyio", "uvicorn")
WITHHELD = "details withheld (they may quote report data); see the worker's log with --verbose"


def is_own(error: BaseException) -> bool:
    """Return whether raportti (or the orchestration around it) wrote `error`'s message."""
    package = type(error).__module__.split(".")[0]
    return package in _OWN_PACKAGES or _raised_in(error) in _PLUMBING_PACKAGES


def _raised_in(error: BaseException) -> str:
    """Return the top package of the code that raised `error` (its traceback's last frame)."""
    trace = error.__traceback__
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    if trace is None:
        return ""
    return str(trace.tb_frame.f_globals.get("__name__", "")).split(".")[0]


def failure_reason(error: BaseException) -> str:
    """Return `error` as lines that quote no data.

    raportti's own message is kept (one line per file it names), redacted; an
    operating-system error is its type in the system's own words (no file name);
    any other error is its type only.
    """
    if isinstance(error, OSError) and error.errno:
        return f"{type(error).__name__}: {os.strerror(error.errno)}"
    if not is_own(error):
        return f"{type(error).__name__}: {WITHHELD}"
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return "\n".join(publishable_id(line, "en") for line in lines)
