"""Follow-up mail: sheets to each addressee's list, digests to each municipality, ledger-kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tasks.outward.followup_mail import feedback_parcels, followup_parcels, send_parcels
from tasks.warehouse.connection import connect_warehouse
from tests.smtp import LoopbackController
from tests.tasks.outward.test_send import Mailbox, _config, smtp_server  # noqa: F401

QUARTER = "2026Q3"


def _files(folder: Path) -> tuple[list[Path], list[Path]]:
    names = ["brief-fi.pdf", "brief-en.pdf", "aggregates.csv", "responses/698.xlsx",
             "responses/welfare_region.xlsx", "responses/national.xlsx"]  # fmt: skip
    files = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(name.encode())
        files.append(path)
    digests = []
    for code in ("698", "851"):
        path = folder / "feedback" / f"{code}-koonti.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(code.encode())
        digests.append(path)
    return files, digests


def test_each_addressee_gets_its_own_sheet_with_the_briefs_once(
    tmp_path: Path,
    sqlite_url: str,
    smtp_server: Callable[..., LoopbackController],  # noqa: F811
) -> None:
    mailbox = Mailbox()
    server = smtp_server(mailbox)
    files, digests = _files(tmp_path)
    sheet_lists = {"698": ["kunta@rovaniemi.fi"], "welfare_region": ["kirjaamo@lapha.fi"]}
    digest_lists = {"851": ["sosiaalityo@tornio.fi"]}
    parcels = followup_parcels(QUARTER, files, digests, sheet_lists, digest_lists)
    engine = connect_warehouse(sqlite_url)

    failed = send_parcels(engine, _config(server), parcels)
    again = send_parcels(engine, _config(server), parcels)

    assert failed == again == []
    received = {
        recipients[0]: sorted(part.get_filename() for part in message.iter_attachments())
        for recipients, message in mailbox.received
    }
    assert received == {
        "kunta@rovaniemi.fi": ["698.xlsx", "brief-en.pdf", "brief-fi.pdf"],
        "kirjaamo@lapha.fi": ["brief-en.pdf", "brief-fi.pdf", "welfare_region.xlsx"],
        "sosiaalityo@tornio.fi": ["851-koonti.pdf"],
    }
    assert len(mailbox.received) == 3  # the second round sent nothing again


def test_rejected_lines_go_back_to_the_addressee_who_returned_the_sheet(
    tmp_path: Path,
    sqlite_url: str,
    smtp_server: Callable[..., LoopbackController],  # noqa: F811
) -> None:
    mailbox = Mailbox()
    server = smtp_server(mailbox)
    lists = {"698": ["kunta@rovaniemi.fi"], "welfare_region": ["kirjaamo@lapha.fi"]}
    folder = tmp_path / "responses-feedback"
    folder.mkdir()
    for stem in ("responses_vastaukset-1-welfare_region", "responses_698", "responses_tuntematon"):
        (folder / f"{stem}.csv").write_text("tiedosto,rivi,kenttä,syy\n", encoding="utf-8")

    parcels = feedback_parcels(sorted(folder.iterdir()), lists)
    send_parcels(connect_warehouse(sqlite_url), _config(server), parcels)

    received = {
        recipients[0]: [part.get_filename() for part in message.iter_attachments()]
        for recipients, message in mailbox.received
    }
    assert received == {
        "kunta@rovaniemi.fi": ["responses_698.csv"],
        "kirjaamo@lapha.fi": ["responses_vastaukset-1-welfare_region.csv"],
    }
