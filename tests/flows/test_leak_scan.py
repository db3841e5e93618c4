"""A leak scan: an attacker's delivery, run as a steward runs it, and every published byte read.

The delivery holds what the issue found leaking and what an attacker would try
next: names in inflected forms, a first name before an unknown Sámi surname,
street addresses, postal places, accounts, business ids, every identity-code
and phone variant, obfuscated e-mails, a shifted column that puts a name and an
address into a code field, a report id and a file name shaped like an identity
code. The scan reads every file the run publishes (PDF text through pdftotext,
CSV, JSON, feedback, Data Docs HTML), the publication folder, the Prefect
database (the run's logs and artifacts) and the command line's output. It fails
on any hit.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.factories import FINNISH_HEADER, PHENOMENON

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("flow")]

QUARTER = "2026Q3"
MARK = "Ehdotamme kotikäyntejä"  # a harmless phrase each quote opens with: is any quote published?
PROPOSALS = [
    "Matti Meikäläinen, Koskikatu 5 B 12, 96100 Rovaniemi, IBAN FI21 1234 5600 0007 85, "
    "matti(at)kunta.fi, 040–123 4567.",
    "Soitin Liisan äidille ja annoin paperit Pekalle, Niemiselle kerroin myös. "
    "Asiakas Matti Näkkäläjärvi asuu Ounasjoentie 3a:ssa.",
    "Henkilötunnukset 131052–308T, 131052 - 308T, 131052\u2011308T, 131052\u2212308T, "
    "１３１０５２-３０８Ｔ ja 1310\u200b52-308T on kirjattu.",
    "Numerot 050\u20123456789, 044 \u2014 765 4321 ja +358\u201140\u2011111\u20112222 "
    "sekä liisa [at] lapha [dot] fi ja pekka＠kunta.fi.",
    "Tilille SE45 5000 0000 0583 9825 7466 ja toiminimelle 1572860\u20130 maksettiin, "
    "PL 8056, 99800 Ivalo.",
]
SECRET_WORDS = [
    "Matti",
    "Meikäläinen",
    "Koskikatu",
    "Liisa",
    "Pekka",
    "Pekalle",
    "Niemiselle",
    "Nieminen",
    "Näkkäläjärvi",
    "Ounasjoentie",
    "kunta.fi",
    "kunta(",
    "lapha [",
    "matti(at",
    "liisa [at",
]
SECRET_DIGITS = [
    "96100",
    "1234560000",
    "131052",
    "1052308",
    "1234567",
    "3456789",
    "7654321",
    "1112222",
    "5000000005839825",
    "15728600",
    "PL 8056",
    "99800",
]
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s\-\u2010-\u2015\u2212./]+(?=\d)")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Clock times that tools write (GX's Data Docs put one, with microseconds, in a logo's URL):
# with the separators between digits gone, `…T043512.096100Z` would read as the postcode 96100.
_TIMESTAMP = re.compile(
    r"\d{8}T\d{6}(?:\.\d+)?Z?"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _row(report_id: str, proposal: str, theme: str = "mobility") -> str:
    return (
        f"{report_id};698;3.8.2026;social_worker;{theme};older_people;{PHENOMENON};"
        f"{MARK}: {proposal};welfare_region;high;kyllä"
    )


def _delivery(inbox: Path) -> None:
    rows = [_row(f"R-{n}", text) for n, text in enumerate(PROPOSALS, start=1)]
    rows.append(_row("R-9", "Lisää kuljetuksia.", theme="Matti Meikäläinen, Koskikatu 5 B"))
    rows.append(_row("131052-308T", "Lisää kuljetuksia."))
    (inbox / "698").mkdir(parents=True)
    path = inbox / "698" / "raportit_131052-308T.csv"
    path.write_text("\n".join([FINNISH_HEADER, *rows]) + "\n", encoding="utf-8")
    (inbox / "sources.toml").write_text(
        '[[source]]\nmunicipality_code = "698"\nkind = "csv"\npath = "698/*.csv"\n',
        encoding="utf-8",
    )


def _raportti(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("raportti")), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)


def _pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return result.stdout


def _prefect_records(prefect_home: Path) -> str:
    """Return the run's logs, artifacts and flow-run inputs as the Prefect database holds them."""
    database = next(prefect_home.rglob("prefect.db"))
    with sqlite3.connect(database) as connection:
        logs = [row[0] for row in connection.execute("select message from log")]
        artifacts = [
            f"{data} {description}"
            for data, description in connection.execute("select data, description from artifact")
        ]
    return "\n".join([*logs, *artifacts])


def _published_texts(*folders: Path) -> dict[str, str]:
    texts = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix == ".pdf":
                texts[str(path)] = _pdf_text(path)
            elif path.is_file() and ".db" not in path.name:
                texts[str(path)] = path.read_bytes().decode("utf-8", errors="replace")
    return texts


def _hits(texts: dict[str, str]) -> list[tuple[str, str]]:
    hits = []
    for name, text in texts.items():
        normal = unicodedata.normalize("NFKC", text).replace("\u200b", "")
        plain = _TIMESTAMP.sub("", _SHA256.sub("", normal))
        digits = _BETWEEN_DIGITS.sub("", plain)
        hits += [(name, w) for w in SECRET_WORDS if re.search(rf"\b{re.escape(w)}", plain)]
        hits += [(name, run) for run in SECRET_DIGITS if run in digits]
    return hits


@pytest.fixture(scope="module")
def attacked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Run the attacker's delivery: once before review, then after `quotes approve --all`."""
    root = tmp_path_factory.mktemp("attack")
    _delivery(root / "inbox")
    prefect_home = root / "prefect"
    env = {
        **os.environ,
        "PREFECT_HOME": str(prefect_home),
        "RAPORTTI_PUBLISH_DIR": str(root / "public"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
    }
    db = f"sqlite:///{(root / 'warehouse.db').as_posix()}"
    common = ["--quarter", QUARTER, "--db", db]
    run = ["run", *common, "--sources", str(root / "inbox" / "sources.toml")]
    run += ["--out", str(root / "out"), "--no-send", "--verbose"]
    first = _raportti(*run, env=env)
    before = _published_texts(root / "out" / QUARTER)
    approve = _raportti("quotes", "approve", "--all", *common, env=env)
    listing = _raportti("quotes", "list", *common, env=env)
    second = _raportti(*run, env=env)
    return {
        "root": root,
        "first": first,
        "before": before,
        "approve": approve,
        "listing": listing,
        "second": second,
        "prefect_home": prefect_home,
    }


def test_without_approval_no_quote_is_published_and_the_last_line_says_how_many_wait(
    attacked: dict[str, object],
) -> None:
    first = attacked["first"]
    assert first.returncode in (0, 1), first.stderr[-2000:]
    assert not [name for name, text in attacked["before"].items() if MARK in text]
    last = first.stdout.strip().splitlines()[-1]
    assert "5 quotes wait for review" in last
    assert "raportti quotes list --quarter 2026Q3" in last


def test_approved_quotes_are_published_with_nothing_identifying(
    attacked: dict[str, object],
) -> None:
    root = attacked["root"]
    assert attacked["approve"].returncode == 0, attacked["approve"].stderr[-2000:]
    assert "approved 5 quotes" in attacked["approve"].stdout
    brief = _pdf_text(root / "out" / QUARTER / "brief-fi.pdf")
    assert brief.count(MARK) >= 2
    assert "[nimi]" in brief
    assert "[osoite]" in brief
    assert "[tilinumero]" in brief
    assert "[name]" in _pdf_text(root / "out" / QUARTER / "brief-en.pdf")


def test_no_published_byte_log_or_artifact_holds_any_secret(attacked: dict[str, object]) -> None:
    root = attacked["root"]
    texts = _published_texts(root / "out" / QUARTER, root / "public", attacked["prefect_home"])
    texts["prefect database"] = _prefect_records(attacked["prefect_home"])
    for step in ("first", "second", "approve", "listing"):
        texts[f"{step} output"] = attacked[step].stdout + attacked[step].stderr
    assert any(name.endswith("quarantine.csv") for name in texts)
    assert any("feedback" in name for name in texts)
    assert _hits(texts) == []


def test_quarantine_holds_no_value_and_feedback_stays_out_of_the_publication_folder(
    attacked: dict[str, object],
) -> None:
    root = attacked["root"]
    quarantine = (root / "out" / QUARTER / "quarantine.csv").read_text(encoding="utf-8")
    assert "theme: unknown code\n" in quarantine
    assert "(value" not in quarantine
    assert "Meikäläinen" not in quarantine
    assert "report_id: looks like a personal identity code" in quarantine
    assert not (root / "public" / QUARTER / "698.csv").exists()
    feedback = (root / "out" / QUARTER / "feedback" / "698.csv").read_text(encoding="utf-8")
    assert "[nimi] [nimi], [osoite]" in feedback


def test_the_sqlite_warehouse_is_readable_by_its_owner_only(attacked: dict[str, object]) -> None:
    assert (attacked["root"] / "warehouse.db").stat().st_mode & 0o077 == 0
