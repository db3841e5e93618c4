"""The limits a delivery must keep before it is parsed, with defaults that fit a 24 GB worker.

Up to eight sources are parsed at once (`SOURCE_KIND_LIMITS`), and parsing a
file takes a few times its size (a one-line CSV about 25 times): 256 MB per
delivery, a line of at most a report's worth of text, and a sheet of at most
five million cells (about 400 MB in the Excel reader) keep them all within
the worker's memory. A bigger delivery is refused with the limit and its size.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.report import TEXT_MAX_CHARS

MIB = 1 << 20
UTF8_MAX_BYTES = 4


@dataclass(frozen=True)
class DeliveryLimits:
    """Sizes a delivery may have; each is a `RAPORTTI_*` setting (see `schemas.settings`)."""

    max_bytes: int = 256 * MIB
    max_rows: int = 1_000_000
    max_cell_chars: int = TEXT_MAX_CHARS
    max_fields: int = 64
    max_sheet_cells: int = 5_000_000
    max_unzipped_bytes: int = 1024 * MIB
    max_json_depth: int = 32
    max_number_chars: int = 100
    parse_memory_bytes: int = 4096 * MIB

    @property
    def max_line_bytes(self) -> int:
        """Return the longest line a CSV may have: every field at the cell limit, in UTF-8."""
        return self.max_fields * self.max_cell_chars * UTF8_MAX_BYTES


DEFAULT_LIMITS = DeliveryLimits()
