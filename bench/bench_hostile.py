"""Benchmark: peak memory of taking in each bomb and the 500 MB single line, against the limits.

Run: `.venv/bin/python bench/bench_hostile.py [line_mb]` (default 500; the zip bomb unzips
to 2.2 times that). Each case runs the
way in as a run does (the file read under the byte limit, the limits checked, the parse,
XLSX and JSON in the bounded child) in a fresh process of its own, and prints its wall
seconds, what happened, and two peaks: the process itself (`ru_maxrss`) and its largest
child (the parse child). The target: the process stays within its baseline (imports) plus
the delivery byte limit plus a margin of 256 MB, and the child within its address-space cap.
It also prints what one small workbook costs in the bounded child and in this process.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the corpus' generators live with the tests

from schemas.limits import DEFAULT_LIMITS, MIB, DeliveryLimits  # noqa: E402
from schemas.sources import SourceConfig  # noqa: E402
from tasks.intake import bounded  # noqa: E402
from tasks.intake.extract import list_deliveries  # noqa: E402
from tasks.intake.parse import UnreadableDelivery, parse_delivery  # noqa: E402
from tests.tasks.intake import hostile_corpus as corpus  # noqa: E402

MARGIN_BYTES = 256 * MIB
SMALL_FILE_ROUNDS = 10
CASES = {
    "dimension_bomb.xlsx": None,
    "zip_bomb.xlsx": corpus.zip_bomb,
    "nested_10000_deep.json": None,
    "number_10000_digits.json": None,
    "cell_50mb.csv": corpus.big_cell,
    "line_50mb.csv": lambda path: corpus.one_line(path, 50 * corpus.MB),
    "line_500mb.csv": corpus.one_line,
}


def measure_case(name: str, folder: Path, limits: DeliveryLimits) -> dict[str, object]:
    """Return wall seconds, outcome and baseline of taking in one corpus file (in this process)."""
    kind = name.rpartition(".")[2]
    source = SourceConfig(municipality_code=corpus.CODE, kind=kind, path=f"{kind}/{name}")
    baseline = _peak_bytes(resource.RUSAGE_SELF)
    started = time.perf_counter()
    [delivery] = list_deliveries(source, folder, *_window(), limits)
    try:
        parsed = bounded.parsed_delivery(delivery, 0, limits)
        outcome = f"parsed: {parsed.reports.height} rows, {parsed.rejections.height} rejections"
    except UnreadableDelivery as error:
        outcome = str(error).partition(": ")[2][:90]
    seconds = time.perf_counter() - started
    bounded._SERVER.close()
    return {"seconds": seconds, "outcome": outcome, "baseline": baseline}


def _window() -> tuple[object, object]:
    from datetime import UTC, datetime

    moment = datetime(2026, 7, 1, tzinfo=UTC)
    return moment, moment


def _peak_bytes(who: int) -> int:
    return resource.getrusage(who).ru_maxrss * 1024


def run_one(name: str, folder: Path, limits: DeliveryLimits) -> None:
    """Measure one case and print its figures as JSON (the fresh process's part)."""
    figures = measure_case(name, folder, limits)
    figures |= {
        "peak": _peak_bytes(resource.RUSAGE_SELF),
        "child_peak": _peak_bytes(resource.RUSAGE_CHILDREN),
    }
    print(json.dumps(figures))  # noqa: T201 - the parent reads it


def _fresh(name: str, folder: Path, lifted: bool) -> dict[str, object]:
    arguments = [sys.executable, __file__, "--one", name, "--folder", str(folder)]
    finished = subprocess.run(
        [*arguments, *(["--lifted"] if lifted else [])],
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if finished.returncode:
        raise SystemExit(f"{name}: {finished.stderr[-3000:]}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def write_cases(folder: Path, line_mb: int) -> None:
    """Write each case into `<folder>/<kind>/` (large ones streamed)."""
    for name, make in CASES.items():
        target = folder / name.rpartition(".")[2] / name
        target.parent.mkdir(exist_ok=True)
        if make is None:
            target.write_bytes((corpus.FIXTURES / name).read_bytes())
        elif name == "line_500mb.csv":
            corpus.one_line(target, line_mb * corpus.MB)
        elif name == "zip_bomb.xlsx":  # 1,100 MB unzipped at the default scale
            corpus.zip_bomb(target, unzipped_bytes=line_mb * 22 * corpus.MB // 10)
        else:
            make(target)


def small_file_cost() -> tuple[float, float]:
    """Return milliseconds per small workbook parsed in the bounded child and in this process."""
    from tasks.intake.extract import Delivery

    content = (corpus.FIXTURES / "several_sheets.xlsx").read_bytes()
    delivery = Delivery("851-xlsx", "851", "xlsx", "small.xlsx", content, None)
    bounded.parsed_delivery(delivery, 0, DEFAULT_LIMITS)  # the server starts once per process
    costs = []
    for parse in (
        lambda: bounded.parsed_delivery(delivery, 0, DEFAULT_LIMITS),
        lambda: parse_delivery(delivery, 0),
    ):
        started = time.perf_counter()
        for _ in range(SMALL_FILE_ROUNDS):
            parse()
        costs.append((time.perf_counter() - started) / SMALL_FILE_ROUNDS * 1000)
    return costs[0], costs[1]


def _mb(size: object) -> str:
    return f"{int(size) / MIB:7.0f} MB"  # type: ignore[call-overload]


def main() -> None:
    """Write the cases, measure each in a fresh process, and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("line_mb", nargs="?", type=int, default=500)
    parser.add_argument("--one")
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--lifted", action="store_true")
    options = parser.parse_args()
    lifted = DeliveryLimits(max_sheet_cells=10**12, max_rows=10**9, parse_memory_bytes=1024 * MIB)
    if options.one:
        run_one(options.one, options.folder, lifted if options.lifted else DEFAULT_LIMITS)
        return
    limits = DEFAULT_LIMITS
    budget = limits.max_bytes + MARGIN_BYTES
    print(  # noqa: T201 - a benchmark prints its figures
        f"limits: {limits.max_bytes / MIB:.0f} MB per delivery, child address space "
        f"{limits.parse_memory_bytes / MIB:.0f} MB; margin {MARGIN_BYTES / MIB:.0f} MB"
    )
    print(f"{'case':34} {'seconds':>9} {'peak-base':>10} {'child':>10}  within  outcome")  # noqa: T201
    with tempfile.TemporaryDirectory(prefix="raportti-bench-hostile-") as scratch:
        folder = Path(scratch)
        write_cases(folder, options.line_mb)
        runs = [(name, False) for name in CASES] + [("dimension_bomb.xlsx", True)]
        for name, lift in runs:
            figures = _fresh(name, folder, lift)
            grown = int(figures["peak"]) - int(figures["baseline"])
            cap = lifted.parse_memory_bytes if lift else limits.parse_memory_bytes
            within = grown <= budget and int(figures["child_peak"]) <= cap
            label = name + (" (checks lifted)" if lift else "")
            print(  # noqa: T201 - a benchmark prints its figures
                f"{label:34} {figures['seconds']:7.2f} s {_mb(grown)} {_mb(figures['child_peak'])}"
                f"  {'yes' if within else 'NO':6}  {figures['outcome']}"
            )
    in_child, here = small_file_cost()
    print(  # noqa: T201 - a benchmark prints its figures
        f"small workbook: {in_child:.1f} ms in the bounded child, {here:.1f} ms in this process "
        f"(+{in_child - here:.1f} ms per file)"
    )


if __name__ == "__main__":
    main()
