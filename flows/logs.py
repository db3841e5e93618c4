"""Errors in Prefect's run logs as one line each: the traceback only when debugging.

Prefect logs a failed task or flow with its traceback; a steward reading the
UI needs the one line that says what went wrong. With `--verbose` (which sets
RAPORTTI_VERBOSE) or PREFECT_LOGGING_LEVEL=DEBUG the traceback is kept.
"""

from __future__ import annotations

import logging
import os

RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


def tracebacks_wanted() -> bool:
    """Return whether this process shows tracebacks (verbose or debug logging)."""
    verbose = os.environ.get("RAPORTTI_VERBOSE", "").lower() in {"1", "true", "yes"}
    return verbose or os.environ.get("PREFECT_LOGGING_LEVEL", "").upper() == "DEBUG"


class OneLineErrors(logging.Filter):
    """Drop the traceback of an error record and keep its message's first line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Shorten an error record to its first line, unless tracebacks are wanted; keep all."""
        if record.levelno >= logging.ERROR and not tracebacks_wanted():
            first_line = (record.getMessage().strip().splitlines() or [""])[0]
            record.msg, record.args = first_line, ()
            record.error = record.exc_info[1] if record.exc_info else None  # for other filters
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def one_line_errors() -> None:
    """Install the filter on Prefect's flow-run and task-run loggers (once)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineErrors) for f in logger.filters):
            logger.addFilter(OneLineErrors())
