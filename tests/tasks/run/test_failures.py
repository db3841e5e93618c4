"""Failure reasons quote no data: a library's message is withheld, raportti's own is redacted."""

from __future__ import annotations

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

    assert reason.startswith("UnreadableDelivery: inbox/698/raportit_")
    assert "131052" not in reason
    assert "the file is empty; deliver again" in reason
