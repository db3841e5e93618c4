"""The quality gate finds hard and soft faults in a stored quarter, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import text

from schemas.expectations import (
    OPTIONAL_FIELDS,
    accepted_codes,
    asset_column,
    quality_expectations,
    quality_suite,
)
from schemas.findings import Finding
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tasks.figures.quality import (
    VOLUME_SCHEMA,
    expectation_findings,
    hard_failures,
    quality_gate,
    sorted_findings,
    volume_drop_findings,
)
from tasks.warehouse.connection import connect_warehouse

Q3 = Quarter(2026, 3)
REFERENCE = load_reference()
IDENTITY_CODE = "131052-308T"
PHONE = "040 123 4567"
EMAIL = "maija.meikalainen@example.fi"
PLANTED = (IDENTITY_CODE, PHONE, EMAIL, "131052", "1234567", "meikalainen")
FIRST_DAYS = {"2026Q1": "2026-02-01", "2026Q2": "2026-05-01", "2026Q3": "2026-08-01"}


def _row(municipality_code: str, report_id: str, quarter: str, **changes: Any) -> dict[str, Any]:
    row = {
        "municipality_code": municipality_code,
        "report_id": report_id,
        "quarter": quarter,
        "submitted_on": FIRST_DAYS[quarter],
        "updated_at": f"{FIRST_DAYS[quarter]} 00:00:00.000000+00:00",
        "reporter_role": "social_worker",
        "theme": "housing",
        "secondary_themes": "debt|loneliness",
        "target_group": "families",
        "clients_affected": 12,
        "phenomenon": "Vuokra-asuntoja ei ole tarjolla nuorille perheille.",
        "causes": "Asuntokanta on pieni.",
        "consequences": "Perheet muuttavat pois.",
        "proposal": "Kunta rakentaa vuokra-asuntoja.",
        "addressee_level": "municipality",
        "urgency": "medium",
        "consent_to_quote": False,
        "report_type": "problem",
        "language": "fi",
        "source_id": f"{municipality_code}-csv",
        "delivery": "inbox/reports.csv",
        "delivery_sha256": "0" * 64,
        "delivery_seq": 1,
        "row_number": 2,
    }
    return row | changes


def _history() -> list[dict[str, Any]]:
    """698 reports every quarter, 851 in the two before Q3 only, 240 in Q2 only."""
    return [
        _row("698", "r1", "2026Q1"),
        _row("698", "r2", "2026Q2"),
        _row("698", "r3", "2026Q3"),
        _row("698", "r4", "2026Q3"),
        _row("148", "i1", "2026Q3"),
        _row("148", "i2", "2026Q3"),
        _row("851", "t1", "2026Q1"),
        _row("851", "t2", "2026Q2"),
        _row("240", "k1", "2026Q2"),
    ]


def _insert(url: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    statement = text(
        f"insert into report ({', '.join(columns)}) "
        f"values ({', '.join(':' + column for column in columns)})"
    )
    engine = connect_warehouse(url)
    with engine.begin() as connection:
        connection.execute(statement, rows)
    engine.dispose()


def _drop_constraints(url: str) -> None:
    """Replace `report` by a test-only copy without primary key or not-null constraints."""
    engine = connect_warehouse(url)
    with engine.begin() as connection:
        connection.execute(text("create table report_copy as select * from report where 1 = 0"))
        connection.execute(text("drop table report"))
        connection.execute(text("alter table report_copy rename to report"))
    engine.dispose()


def _gate(url: str, docs_dir: Path) -> list[Finding]:
    return quality_gate(url, Q3, REFERENCE, docs_dir)


def _entries(folder: Path) -> set[str]:
    """Return the names in `folder`, the SQLite warehouse's own files left out."""
    return {path.name for path in folder.iterdir() if not path.name.startswith("warehouse.db")}


def _checks(findings: list[Finding], check: str) -> list[Finding]:
    return [finding for finding in findings if finding.check == check]


def test_clean_quarter_has_no_hard_findings(warehouse_url: str, tmp_path: Path) -> None:
    _insert(warehouse_url, _history())
    findings = _gate(warehouse_url, tmp_path / "quality")
    assert hard_failures(findings) == []
    assert _checks(findings, "completeness") == []


def test_municipality_silent_after_two_quarters_is_a_volume_drop(
    warehouse_url: str, tmp_path: Path
) -> None:
    _insert(warehouse_url, _history())
    findings = _gate(warehouse_url, tmp_path / "quality")
    assert findings == [Finding("volume_drop", "soft", None, "851", 1.0)]


def test_rarely_filled_optional_field_is_a_soft_completeness_finding(
    warehouse_url: str, tmp_path: Path
) -> None:
    rows = [
        _row("698", "a", "2026Q3", proposal="   "),
        _row("698", "b", "2026Q3", proposal=None, clients_affected=None),
        _row("698", "c", "2026Q3", proposal=None),
        _row("698", "d", "2026Q3"),
    ]
    _insert(warehouse_url, rows)
    findings = _gate(warehouse_url, tmp_path / "quality")
    assert findings == [Finding("completeness", "soft", "proposal", None, 0.75)]


def test_completeness_finding_observes_the_share_of_reports_with_the_field_empty(
    warehouse_url: str, tmp_path: Path
) -> None:
    rows = [
        _row("698", "a", "2026Q3", consequences=None),
        _row("698", "b", "2026Q3", consequences=None),
        _row("148", "c", "2026Q3", consequences=None),
        _row("698", "d", "2026Q2"),
    ]
    _insert(warehouse_url, rows)
    findings = _gate(warehouse_url, tmp_path / "quality")
    assert _checks(findings, "completeness") == [
        Finding("completeness", "soft", "consequences", None, 1.0)
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"theme": "not_a_theme"}, Finding("accepted_codes", "hard", "theme", None, 1.0)),
        (
            {"municipality_code": "999"},
            Finding("accepted_codes", "hard", "municipality_code", None, 1.0),
        ),
        ({"language": "de"}, Finding("accepted_codes", "hard", "language", None, 1.0)),
        ({"urgency": "urgent"}, Finding("accepted_codes", "hard", "urgency", None, 1.0)),
    ],
)
def test_unaccepted_code_is_a_hard_finding(
    warehouse_url: str, tmp_path: Path, changes: dict[str, str], expected: Finding
) -> None:
    _insert(warehouse_url, [_row("698", "a", "2026Q3"), _row("698", "b", "2026Q3") | changes])
    assert hard_failures(_gate(warehouse_url, tmp_path / "quality")) == [expected]


def test_duplicate_key_and_missing_required_values_are_hard_findings(
    warehouse_url: str, tmp_path: Path
) -> None:
    """`report` has a primary key, so the test runs on a copy of it without one."""
    _drop_constraints(warehouse_url)
    rows = [
        _row("698", "a", "2026Q3"),
        _row("698", "a", "2026Q3", reporter_role=None),
        _row("698", "b", "2026Q3", phenomenon=" "),
        _row("698", "a", "2026Q2"),
    ]
    _insert(warehouse_url, rows)
    assert hard_failures(_gate(warehouse_url, tmp_path / "quality")) == [
        Finding("key_unique", "hard", None, None, 2.0),
        Finding("not_null", "hard", "phenomenon", None, 1.0),
        Finding("not_null", "hard", "reporter_role", None, 1.0),
    ]


def test_data_docs_are_written_without_any_planted_private_value(
    warehouse_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    leaky = f"Asiakas {IDENTITY_CODE}, puh. {PHONE}, {EMAIL} kertoi asunnottomuudesta."
    rows = [
        _row("698", "a", "2026Q3", phenomenon=leaky, causes=leaky, proposal=leaky),
        _row("698", "b", "2026Q3", theme=PHONE, target_group=EMAIL, urgency=IDENTITY_CODE),
    ]
    _insert(warehouse_url, rows)
    docs_dir = tmp_path / "outputs" / "2026Q3" / "quality"
    findings = _gate(warehouse_url, docs_dir)
    assert {f.column for f in hard_failures(findings)} == {"theme", "target_group", "urgency"}
    assert (docs_dir / "index.html").is_file()
    files = [path for path in docs_dir.rglob("*") if path.is_file()]
    assert any("validations" in path.parts for path in files)
    for path in files:
        content = path.read_bytes()
        assert not [value for value in PLANTED if value.encode() in content], path
    assert _entries(tmp_path) == {"outputs"}
    assert _entries(docs_dir.parent) == {"quality"}


def test_rerun_replaces_the_data_docs(sqlite_url: str, tmp_path: Path) -> None:
    _insert(sqlite_url, _history())
    docs_dir = tmp_path / "quality"
    _gate(sqlite_url, docs_dir)
    _gate(sqlite_url, docs_dir)
    assert len(list((docs_dir / "validations").rglob("*.html"))) == 1
    assert _entries(tmp_path) == {"quality"}


def test_empty_quarter_writes_docs_and_flags_every_silent_municipality(
    warehouse_url: str, tmp_path: Path
) -> None:
    _insert(warehouse_url, [row for row in _history() if row["quarter"] != "2026Q3"])
    docs_dir = tmp_path / "quality"
    findings = _gate(warehouse_url, docs_dir)
    assert findings == [
        Finding("volume_drop", "soft", None, "698", 1.0),
        Finding("volume_drop", "soft", None, "851", 1.0),
    ]
    assert (docs_dir / "index.html").is_file()


def test_unsupported_warehouse_is_refused_with_a_masked_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unsupported warehouse mysql://u:\*\*\*@host/db"):
        quality_gate("mysql://u:secret@host/db", Q3, REFERENCE, tmp_path / "quality")


def test_volume_drop_needs_reports_in_both_previous_quarters() -> None:
    volumes = pl.DataFrame(
        [
            ("047", 0, 3, 2),
            ("148", 0, 0, 2),
            ("240", 0, 2, 0),
            ("261", 1, 2, 2),
        ],
        schema=VOLUME_SCHEMA,
        orient="row",
    )
    assert volume_drop_findings(volumes) == [Finding("volume_drop", "soft", None, "047", 3.0)]


def _result(success: bool, check: str, severity: str, column: str | None, **result: Any) -> dict:
    meta = {"check": check, "severity": severity, "column": column}
    return {"success": success, "expectation_config": {"meta": meta}, "result": result}


def test_failed_expectations_become_findings_and_unevaluated_ones_count_as_failed() -> None:
    results = [
        _result(True, "not_null", "hard", "theme", element_count=4, unexpected_count=0),
        _result(False, "completeness", "soft", "causes", element_count=8, unexpected_count=6),
        _result(False, "accepted_codes", "hard", "theme", element_count=8, unexpected_count=2),
        _result(False, "key_unique", "hard", None),
    ]
    assert expectation_findings(results) == [
        Finding("completeness", "soft", "causes", None, 0.75),
        Finding("accepted_codes", "hard", "theme", None, 2.0),
        Finding("key_unique", "hard", None, None, None),
    ]


def test_findings_sort_hard_first_in_check_order() -> None:
    findings = [
        Finding("volume_drop", "soft", None, "851", 2.0),
        Finding("completeness", "soft", "causes", None, 0.1),
        Finding("accepted_codes", "hard", "theme", None, 1.0),
        Finding("key_unique", "hard", None, None, 2.0),
    ]
    assert sorted_findings(findings) == [findings[3], findings[2], findings[1], findings[0]]
    assert hard_failures(findings) == [findings[2], findings[3]]


def test_suite_takes_accepted_codes_from_the_reference_lists() -> None:
    codes = accepted_codes(REFERENCE)
    assert codes["theme"] == tuple(REFERENCE.theme_codes)
    assert codes["municipality_code"] == tuple(REFERENCE.municipality_codes)
    specs = quality_expectations(REFERENCE, completeness_threshold=0.8)
    theme = next(s for s in specs if s.check == "accepted_codes" and s.column == "theme")
    assert theme.kwargs["value_set"] == list(REFERENCE.theme_codes)
    completeness = [s for s in specs if s.check == "completeness"]
    assert [(s.column, s.kwargs["mostly"]) for s in completeness] == [
        (field, 0.8) for field in OPTIONAL_FIELDS
    ]


@pytest.mark.parametrize(
    ("field", "column"),
    [("phenomenon", "phenomenon_length"), ("causes", "causes_length"), ("theme", "theme")],
)
def test_free_text_fields_are_validated_only_as_lengths(field: str, column: str) -> None:
    assert asset_column(field) == column


def test_suite_keeps_each_finding_in_the_expectation_meta() -> None:
    suite = quality_suite(REFERENCE)
    metas = [expectation.meta for expectation in suite.expectations]
    assert metas == [spec.meta for spec in quality_expectations(REFERENCE)]
