"""A slot of a source kind's concurrency limit, held only while a source is read.

The limits `source-kind:<kind>` (tag limits, created by `raportti setup`) bound
how many sources of a kind all runs read at once. A task tagged with the kind
would give its slot back only after it has finished, so the next source the run
had gated on it asks while the slot is still taken, is refused and waits the
server's Retry-After (seconds, with jitter). Taken here, inside the task, the
slot is free again before the task ends.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from prefect.concurrency.asyncio import concurrency
from prefect.settings import get_current_settings

LEASE_SECONDS = 60  # renewed while the source is read


@asynccontextmanager
async def source_kind_slot(kind: str) -> AsyncIterator[None]:
    """Hold a slot of `source-kind:<kind>` on a shared server; nothing to hold without one."""
    if not get_current_settings().api.url:
        yield
        return
    async with concurrency(f"tag:source-kind:{kind}", lease_duration=LEASE_SECONDS):
        yield
