"""Validate delivered files for a steward without storing anything (`raportti check`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.quarter import Quarter
from schemas.reference import Reference
from tasks.extract import Delivery, too_large
from tasks.ingest import checked_delivery
from tasks.parse import UnreadableDelivery
from tasks.validate import format_rejections

KIND_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}


@dataclass(frozen=True)
class CheckOutcome:
    """Readable lines for every rejected row, the unreadable files, and the exit status."""

    lines: list[str]
    unreadable: list[str]
    rejected_rows: int

    @property
    def exit_code(self) -> int:
        """Return 2 when a file could not be read, 1 when rows were rejected, else 0."""
        if self.unreadable:
            return 2
        return 1 if self.rejected_rows else 0


def file_delivery(
    path: Path,
    municipality_code: str,
    encoding: str | None,
    max_bytes: int = DEFAULT_LIMITS.max_bytes,
) -> Delivery:
    """Return a delivered file as a Delivery of the kind its suffix names (refused when too big)."""
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise UnreadableDelivery(
            f"{path}: unknown file type {path.suffix!r}; deliver .csv, .xlsx or .json"
        )
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        content = handle.read(max_bytes + 1) if size <= max_bytes else b""
    size = max(size, len(content))
    refused = too_large(str(path), size, max_bytes) if size > max_bytes else None
    return Delivery(
        source_id=f"{municipality_code}-{kind}",
        municipality_code=municipality_code,
        kind=kind,
        name=str(path),
        content=b"" if refused else content,
        encoding=encoding,
        refused=refused,
    )


def check_files(
    paths: list[Path],
    municipality_code: str,
    lang: str,
    encoding: str | None,
    reference: Reference,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> CheckOutcome:
    """Return every rejection in `paths` as readable lines, without storing anything."""
    now = datetime.now(UTC)
    lines: list[str] = []
    unreadable: list[str] = []
    rejected = 0
    for path in paths:
        try:
            checked = checked_delivery(
                file_delivery(path, municipality_code, encoding, limits.max_bytes),
                reference,
                Quarter.of(now.date()),
                now,
                limits,
            )
        except (OSError, UnreadableDelivery) as error:
            unreadable.append(
                str(error) if isinstance(error, UnreadableDelivery) else f"{path}: {error.strerror}"
            )
            continue
        lines += format_rejections(checked.rejections, lang)
        rejected += checked.record.rows_quarantined
    return CheckOutcome(lines, unreadable, rejected)
