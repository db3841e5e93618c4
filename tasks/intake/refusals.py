"""One line for a delivery that is refused before it is parsed: file, limit, size and the fix."""

from __future__ import annotations

from tasks.intake.redact import redact_text

ASK_SMALLER = "ask the municipality to split the export into smaller files (for example by month)"


def shown_name(name: str) -> str:
    """Return a delivery's name fit for a message: an identity code in it is redacted."""
    return redact_text(name)[0]


def refusal(name: str, what: str, size: int | str, limit: int, unit: str, fix: str) -> str:
    """Return the line that refuses a delivery: `<file>: refused: <what> is <size>, over …`."""
    shown = f"{size:,}" if isinstance(size, int) else size
    return (
        f"{shown_name(name)}: refused: {what} is {shown} {unit}, over the limit of "
        f"{limit:,} {unit}; {fix}"
    )
