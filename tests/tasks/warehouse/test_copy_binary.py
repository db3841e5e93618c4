"""Binary COPY: every type the warehouse loads arrives in PostgreSQL as it left polars."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import create_engine

from tasks.warehouse.copy_binary import binary_tuples
from tasks.warehouse.load import COPY_SLICE_ROWS, copy_into

SAMPLE = pl.DataFrame(
    {
        "label": ['Äitiys; "lainaus"\nrivi\\', "", None, "kyllä, ei", "x" * 10_000],
        "amount": [0, -1, None, 2**62, 12],
        "flag": [True, False, None, True, False],
        "day": [date(2000, 1, 1), date(1999, 12, 31), None, date(2026, 2, 28), date(1900, 3, 1)],
        "moment": [
            datetime(2026, 3, 29, 0, 59, 59, 999_999, tzinfo=UTC),
            datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
            None,
            datetime(2000, 1, 1, tzinfo=UTC),
            datetime(1970, 1, 1, tzinfo=UTC),
        ],
    },
    schema={
        "label": pl.String,
        "amount": pl.Int64,
        "flag": pl.Boolean,
        "day": pl.Date,
        "moment": pl.Datetime("us", "UTC"),
    },
)
CREATE = (
    "create temporary table sample "
    "(label text, amount bigint, flag boolean, day date, moment timestamptz)"
)


def _copied_back(pg_url: str, frame: pl.DataFrame) -> pl.DataFrame:
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("set time zone 'Europe/Helsinki'")  # the session's zone
        connection.exec_driver_sql(CREATE)
        copy_into(connection, "sample", frame)
        rows = connection.exec_driver_sql(
            "select label, amount, flag, day, moment from sample order by ctid"
        ).all()
    engine.dispose()
    back = pl.DataFrame(rows, schema=frame.schema, orient="row")
    return back.with_columns(pl.col("moment").dt.convert_time_zone("UTC"))


@pytest.mark.postgres
def test_every_type_and_null_arrives_as_it_left(pg_url: str) -> None:
    assert_frame_equal(_copied_back(pg_url, SAMPLE), SAMPLE)


@pytest.mark.postgres
def test_rows_arrive_whole_across_the_slices_of_a_copy(pg_url: str) -> None:
    many = pl.concat([SAMPLE] * (COPY_SLICE_ROWS // SAMPLE.height + 1)).with_columns(
        amount=pl.int_range(pl.len(), dtype=pl.Int64)
    )

    assert_frame_equal(_copied_back(pg_url, many), many)


def test_a_tuple_is_its_field_count_then_each_length_and_value_big_endian() -> None:
    row = SAMPLE.slice(1, 1)  # "", -1, False, 1999-12-31, 1999-12-31 23:59:59.000001

    assert bytes(binary_tuples(row)) == (
        b"\x00\x05"
        + b"\x00\x00\x00\x00"
        + b"\x00\x00\x00\x08\xff\xff\xff\xff\xff\xff\xff\xff"
        + b"\x00\x00\x00\x01\x00"
        + b"\x00\x00\x00\x04\xff\xff\xff\xff"
        + b"\x00\x00\x00\x08"
        + (-999_999).to_bytes(8, "big", signed=True)  # microseconds before 2000-01-01
    )


def test_a_null_is_length_minus_one_and_no_bytes() -> None:
    row = SAMPLE.slice(2, 1)

    assert bytes(binary_tuples(row)) == b"\x00\x05" + b"\xff\xff\xff\xff" * 5


def test_a_type_without_a_binary_form_names_its_column() -> None:
    frame = pl.DataFrame({"themes": [["a", "b"]]})

    with pytest.raises(TypeError, match="'themes'"):
        binary_tuples(frame)
