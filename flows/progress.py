"""Progress of a run's long steps, for a person at a terminal.

Silent by default (a worker or a served deployment has no one watching); the
CLI installs a reporter that draws rich progress bars. Only step labels and
counts pass through here, never data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol


class Reporter(Protocol):
    """Receives the start, the advances and the end of each long step."""

    def started(self, label: str, total: int | None) -> None:
        """A step began; `total` is its number of parts, None when unknown."""

    def advanced(self, label: str) -> None:
        """One part of the step is done."""

    def finished(self, label: str) -> None:
        """The step ended."""


class _Silent:
    def started(self, label: str, total: int | None) -> None:
        """Do nothing."""

    def advanced(self, label: str) -> None:
        """Do nothing."""

    def finished(self, label: str) -> None:
        """Do nothing."""


_reporter: Reporter = _Silent()


def use(reporter: Reporter | None) -> None:
    """Send progress to `reporter` from now on (None: silence)."""
    global _reporter
    _reporter = reporter or _Silent()


@contextmanager
def step(label: str, total: int | None = None) -> Iterator[Callable[[], None]]:
    """Report a long step around the block; yield a function that marks one part done."""
    reporter = _reporter
    reporter.started(label, total)
    try:
        yield lambda: reporter.advanced(label)
    finally:
        reporter.finished(label)
