"""The warehouse schema is created once, even by several workers starting together."""

from __future__ import annotations

import threading

from sqlalchemy import inspect

from tasks.warehouse import connect_warehouse, safe_url


def test_concurrent_first_connections_create_the_schema_without_colliding(
    warehouse_url: str,
) -> None:
    errors: list[str] = []

    def connect(worker: int) -> None:
        separator = "&" if "?" in warehouse_url else "?"
        url = f"{warehouse_url}{separator}application_name=w{worker}"
        if warehouse_url.startswith("sqlite"):
            url = warehouse_url + f"?timeout={30 + worker}"
        try:
            connect_warehouse(url)
        except Exception as error:  # noqa: BLE001 - the test collects every failure
            errors.append(type(error).__name__)

    workers = [threading.Thread(target=connect, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert "report" in inspect(connect_warehouse(warehouse_url)).get_table_names()


def test_safe_url_hides_the_password() -> None:
    shown = safe_url("postgresql+psycopg://raportti:s3cret@db.example/raportti")

    assert "s3cret" not in shown
    assert "db.example" in shown
