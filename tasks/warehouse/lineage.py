"""Cell lineage: the report keys behind every published cell."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Engine, text

from schemas.quarter import Quarter
from tasks.shared.sqlfiles import sql_text


def replace_cell_lineage(engine: Engine, quarter: Quarter, lineage: pl.DataFrame) -> None:
    """Replace the quarter's cell lineage (report keys behind every published cell)."""
    with engine.begin() as connection:
        connection.execute(text(sql_text("delete_cell_lineage")), {"quarter": str(quarter)})
        if lineage.height:
            connection.execute(text(sql_text("insert_cell_lineage")), lineage.to_dicts())


def read_cell_lineage(
    engine: Engine, quarter: Quarter, area_code: str, theme: str, target_group: str
) -> pl.DataFrame:
    """Return the report keys behind one published cell."""
    parameters = {
        "quarter": str(quarter),
        "area_code": area_code,
        "theme": theme,
        "target_group": target_group,
    }
    with engine.connect() as connection:
        rows = [
            tuple(r) for r in connection.execute(text(sql_text("select_cell_lineage")), parameters)
        ]
    schema = {"municipality_code": pl.String, "report_id": pl.String}
    return pl.DataFrame(rows, schema=schema, orient="row")
