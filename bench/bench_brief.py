"""Benchmark: the three briefs (fi, sv, en) of a realistic quarter and of a very busy one.

Run with `.venv/bin/python bench/bench_brief.py`. Prints wall seconds for the
facts and for the three PDFs, pages and size per brief, and peak RSS. The
target (issue 6) is at most 3 s for all three briefs of a quarter.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo.synthetic import approved_quotes, quarter_inputs, synthetic_reports  # noqa: E402
from schemas.reference import load_reference  # noqa: E402
from tasks.brief.facts import brief_facts  # noqa: E402
from tasks.brief.quotes import place_names  # noqa: E402
from tasks.brief.render import write_briefs  # noqa: E402

TARGET_SECONDS = 3.0


def _one_quarter(label: str, reports: int, out_dir: Path) -> float:
    """Build facts and write the three briefs for `reports` reports; print and return seconds."""
    rows = synthetic_reports(reports, seed=42)
    inputs = quarter_inputs(rows)
    started = time.perf_counter()
    inputs["quotes"] = approved_quotes(rows, place_names(load_reference()))
    facts = brief_facts(**inputs)
    facts_done = time.perf_counter()
    paths = write_briefs(facts, out_dir / label)
    finished = time.perf_counter()
    pages = [len(PdfReader(path).pages) for path in paths]
    sizes = [path.stat().st_size // 1024 for path in paths]
    total = finished - started
    print(  # noqa: T201
        f"{label:>9}: {reports:>5} reports  quotes+facts {facts_done - started:6.3f} s  "
        f"3 PDFs {finished - facts_done:6.3f} s  total {total:6.3f} s  "
        f"pages {pages}  KiB {sizes}  {'OK' if total <= TARGET_SECONDS else 'OVER TARGET'}"
    )
    return total


def main() -> None:
    """Run the realistic and the busy quarter (after one warm-up) and print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        out_dir = Path(folder)
        _one_quarter("cold", 50, out_dir)
        _one_quarter("zero", 0, out_dir)
        _one_quarter("realistic", 300, out_dir)
        _one_quarter("busy", 5000, out_dir)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MiB; target ≤ {TARGET_SECONDS:.0f} s for the three briefs")  # noqa: T201


if __name__ == "__main__":
    main()
