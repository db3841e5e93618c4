"""`raportti check` on every case of the hostile corpus: one clear line each, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.tasks.intake.hostile_corpus import CASES, CODE, FIXTURES, Case

SLOW = {"cell_50mb.csv", "line_500mb.csv", "zip_bomb.xlsx"}


def corpus_file(case: Case, folder: Path) -> Path:
    """Return the case's file: the committed one, or one written into `folder` now."""
    if case.make is None:
        return FIXTURES / case.name
    path = folder / case.name
    case.make(path)
    return path


def _params() -> list[object]:
    return [
        pytest.param(case, id=case.name, marks=[pytest.mark.slow] if case.name in SLOW else [])
        for case in CASES
    ]


def _check(*paths: Path) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(
        app, ["check", *map(str, paths), "--municipality", CODE, "--encoding", "cp1252"]
    )
    return result.exit_code, result.output, result.exception


@pytest.mark.parametrize("case", _params())
def test_check_gives_the_hostile_file_one_clear_line_and_its_exit_status(
    case: Case, tmp_path: Path
) -> None:
    status, output, exception = _check(corpus_file(case, tmp_path))

    assert status == case.exit_code, output
    assert exception is None or isinstance(exception, SystemExit), output
    assert "Traceback" not in output
    if case.sees:
        assert re.search(case.sees, output), output
        assert all(len(line) < 600 for line in output.splitlines())
    else:
        assert output == ""


def test_check_goes_on_past_a_refused_file_to_the_next(tmp_path: Path) -> None:
    good = tmp_path / "ok.json"
    good.write_bytes((FIXTURES / "wrong_municipality.json").read_bytes().replace(b"698", b"851"))

    status, output, exception = _check(FIXTURES / "nested_10000_deep.json", good)

    assert status == 2
    assert exception is None or isinstance(exception, SystemExit)
    assert output.splitlines() == [
        f"error: {FIXTURES / 'nested_10000_deep.json'}: refused: its nesting is more than 32 "
        "levels, over the limit of 32 levels; ask the municipality to export the file in the "
        "contract's shape (reports of values)"
    ]
