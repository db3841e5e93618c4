"""Failure reasons quote no data: a library's message is withheld, raportti's own is redacted."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tasks.intake.parse import UnreadableDelivery
from tasks.run.failures import WITHHELD, failure_reason


def test_a_librarys_message_with_a_value_is_withheld() -> None:
    with pytest.raises(pl.exceptions.InvalidOperationError) as caught:
        pl.Series(["Matti Meikäläinen 131052-308T"]).cast(pl.Int64, strict=True)

    reason = failure_reason(caught.value)

    assert reason == f"InvalidOperationError: {WITHHELD}"


def test_a_builtin_error_raised_in_project_code_is_withheld() -> None:
    with pytest.raises(ValueError, match="invalid literal") as caught:
        int("Matti Meikäläinen")

    assert "Matti" not in failure_reason(caught.value)


def test_raportti_s_own_message_is_shown_with_file_names_redacted() -> None:
    error = UnreadableDelivery(
        "inbox/698/raportit_131052-308T.csv: the file is empty; deliver again"
    )

    reason = failure_reason(error)

    assert reason.startswith("inbox/698/raportit_")
    assert "131052" not in reason
    assert "the file is empty; deliver again" in reason


def test_an_os_error_is_given_in_the_systems_words_without_its_file_name(tmp_path: Path) -> None:
    named = tmp_path / "Matti Meikäläinen 131052-308T.csv"
    with pytest.raises(FileNotFoundError) as caught:
        named.read_bytes()

    reason = failure_reason(caught.value)

    assert reason == "FileNotFoundError: No such file or directory"
