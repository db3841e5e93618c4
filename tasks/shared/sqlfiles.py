"""The SQL the project runs, one statement file each under `sql/`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


@cache
def sql_text(name: str) -> str:
    """Return the statement kept in `sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql_statements(name: str) -> list[str]:
    """Return the `;`-separated statements of `sql/<name>.sql`, comments removed."""
    return split_statements(sql_text(name))


def split_statements(sql: str) -> list[str]:
    """Return the `;`-separated statements of `sql`, comment lines removed."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";") if part.strip()]
