"""Whether a process of this host is still alive (for locks and scratch files left behind)."""

from __future__ import annotations

import os


def process_exists(pid: int) -> bool:
    """Return whether process `pid` exists on this host (also when another user owns it)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
