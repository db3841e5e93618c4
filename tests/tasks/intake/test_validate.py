"""Tests of tasks.intake.validate: parsing, every rule of the contract, rejections, wording."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from schemas.fields import LINEAGE_DTYPES, REJECTION_DTYPES, REPORT_DTYPES, REPORT_FIELDS
from schemas.reference import Reference, load_reference
from tasks.intake.redact import REDACTED, redacted_reports
from tasks.intake.validate import Validated, format_rejections, validated_reports

TODAY = date(2026, 11, 15)
TEXT = "Asiakkaiden matkat palveluihin ovat pitkiä."
VALID: dict[str, str | None] = {
    "report_id": "R-2026-0001",
    "municipality_code": "698",
    "submitted_on": "1.7.2026",
    "updated_at": None,
    "reporter_role": "social_worker",
    "theme": "housing",
    "secondary_themes": None,
    "target_group": "older_people",
    "clients_affected": "12",
    "phenomenon": TEXT,
    "causes": None,
    "consequences": None,
    "proposal": None,
    "addressee_level": "welfare_region",
    "urgency": "medium",
    "consent_to_quote": None,
    "report_type": None,
    "language": None,
}


def delivered(*overrides: dict[str, Any]) -> pl.DataFrame:
    """Return a delivered frame: one row per override dict applied to a valid report."""
    rows = [VALID | row for row in overrides]
    frame = pl.DataFrame(rows, schema=dict.fromkeys(REPORT_FIELDS, pl.String()))
    return frame.with_columns(
        source_id=pl.lit("698-csv"),
        delivery=pl.lit("inbox/698/raportit.csv"),
        delivery_sha256=pl.lit("0" * 64),
        delivery_seq=pl.lit(1, pl.Int64),
        row_number=pl.int_range(2, pl.len() + 2, dtype=pl.Int64),
    )


def validate(frame: pl.DataFrame, expected: str | None = "698", **kwargs: Any) -> Validated:
    """Return `frame` validated on the packaged reference, today being TODAY."""
    reference = kwargs.pop("reference", load_reference())
    return validated_reports(frame, expected, reference, kwargs.pop("today", TODAY))


def failed(result: Validated, row_number: int) -> set[tuple[str, str]]:
    """Return the (field, rule) pairs rejected for one row."""
    rows = result.rejections.filter(pl.col("row_number") == row_number)
    return set(rows.select("field", "rule").iter_rows())


def assert_rows_add_up(frame: pl.DataFrame, result: Validated) -> None:
    """Assert the invariant rows in = valid + distinct rejected rows, and one rejection per rule."""
    rejected = result.rejections.select("delivery", "row_number").unique().height
    assert frame.height == result.reports.height + rejected
    keys = result.rejections.select("delivery", "row_number", "field", "rule")
    assert not keys.is_duplicated().any()
    assert result.reports.join(result.rejections, on="row_number", how="semi").is_empty()


LONG = "x" * 10_000
# id, overrides of a valid row, expected (field, rule) failures: empty = valid
RULE_CASES: list[tuple[str, dict[str, Any], set[tuple[str, str]]]] = [
    ("report_id ok", {"report_id": "R-1"}, set()),
    ("report_id 64 chars ok", {"report_id": "r" * 64}, set()),
    ("report_id missing", {"report_id": None}, {("report_id", "required")}),
    ("report_id blank", {"report_id": "  "}, {("report_id", "required")}),
    ("report_id 65 chars", {"report_id": "r" * 65}, {("report_id", "too_long")}),
    ("municipality 3 digits", {"municipality_code": "240"}, set()),
    ("municipality Excel number", {"municipality_code": "47"}, set()),
    ("municipality Excel float", {"municipality_code": "47.0"}, set()),
    ("municipality missing", {"municipality_code": None}, {("municipality_code", "required")}),
    ("municipality unknown", {"municipality_code": "999"}, {("municipality_code", "code_list")}),
    ("municipality letters", {"municipality_code": "69a"}, {("municipality_code", "format")}),
    ("municipality 4 digits", {"municipality_code": "6980"}, {("municipality_code", "format")}),
    ("submitted d.m.yyyy", {"submitted_on": "1.7.2026"}, set()),
    ("submitted dd.mm.yyyy", {"submitted_on": "01.07.2026"}, set()),
    ("submitted ISO", {"submitted_on": "2026-07-01"}, set()),
    ("submitted Excel midnight", {"submitted_on": "2026-07-01 00:00:00"}, set()),
    ("submitted today", {"submitted_on": "15.11.2026"}, set()),
    ("submitted first day", {"submitted_on": "1.1.2019"}, set()),
    ("submitted missing", {"submitted_on": None}, {("submitted_on", "required")}),
    ("submitted two-digit year", {"submitted_on": "1.7.26"}, {("submitted_on", "format")}),
    ("submitted no such day", {"submitted_on": "31.2.2026"}, {("submitted_on", "format")}),
    ("submitted month 13", {"submitted_on": "2026-13-01"}, {("submitted_on", "format")}),
    ("submitted ISO date-time", {"submitted_on": "2026-07-01T12:00:00+03:00"}, set()),
    ("submitted Finnish time", {"submitted_on": "1.7.2026 12:00"}, {("submitted_on", "format")}),
    ("submitted before 2019", {"submitted_on": "31.12.2018"}, {("submitted_on", "date_range")}),
    ("submitted tomorrow", {"submitted_on": "16.11.2026"}, {("submitted_on", "date_range")}),
    ("updated ISO offset", {"updated_at": "2026-07-01T12:00:00+03:00"}, set()),
    ("updated naive", {"updated_at": "2026-07-01 12:00"}, set()),
    ("updated Finnish", {"updated_at": "1.7.2026 12.30"}, set()),
    ("updated unreadable", {"updated_at": "eilen"}, {("updated_at", "format")}),
    ("updated skipped hour", {"updated_at": "2026-03-29 03:30"}, {("updated_at", "format")}),
    ("role code", {"reporter_role": "manager"}, set()),
    ("role label", {"reporter_role": "Sosiaalityöntekijä"}, set()),
    ("role missing", {"reporter_role": None}, {("reporter_role", "required")}),
    ("role unknown", {"reporter_role": "talonmies"}, {("reporter_role", "code_list")}),
    ("theme label", {"theme": " asuminen JA  asunnottomuus "}, set()),
    ("theme missing", {"theme": None}, {("theme", "required")}),
    ("theme unknown", {"theme": "asumisen tuki"}, {("theme", "code_list")}),
    ("secondary list", {"secondary_themes": "debt|Ruoka-apu; mobility,debt"}, set()),
    ("secondary JSON", {"secondary_themes": '["debt", "food_aid"]'}, set()),
    (
        "secondary unknown",
        {"secondary_themes": "debt|lottery"},
        {("secondary_themes", "code_list")},
    ),
    (
        "secondary repeats",
        {"secondary_themes": "debt|housing"},
        {("secondary_themes", "repeats_theme")},
    ),
    ("target label", {"target_group": "Ikääntyneet (65+)"}, set()),
    ("target missing", {"target_group": None}, {("target_group", "required")}),
    ("target unknown", {"target_group": "seniorit"}, {("target_group", "code_list")}),
    ("clients missing", {"clients_affected": None}, set()),
    ("clients zero", {"clients_affected": "0"}, set()),
    ("clients max", {"clients_affected": "100000"}, set()),
    ("clients grouped", {"clients_affected": "1 200"}, set()),
    ("clients decimal", {"clients_affected": "12.5"}, {("clients_affected", "format")}),
    ("clients words", {"clients_affected": "noin 10"}, {("clients_affected", "format")}),
    ("clients negative", {"clients_affected": "-1"}, {("clients_affected", "range")}),
    ("clients too many", {"clients_affected": "100001"}, {("clients_affected", "range")}),
    ("phenomenon 20 chars", {"phenomenon": "  " + "p" * 20 + "\n"}, set()),
    ("phenomenon 10000 chars", {"phenomenon": LONG}, set()),
    ("phenomenon missing", {"phenomenon": None}, {("phenomenon", "required")}),
    ("phenomenon blank", {"phenomenon": " \n\t "}, {("phenomenon", "required")}),
    ("phenomenon 19 chars", {"phenomenon": "  " + "p" * 19 + "  "}, {("phenomenon", "too_short")}),
    ("phenomenon too long", {"phenomenon": LONG + "x"}, {("phenomenon", "too_long")}),
    ("causes 10000 chars", {"causes": LONG, "consequences": LONG, "proposal": LONG}, set()),
    ("causes too long", {"causes": LONG + "x"}, {("causes", "too_long")}),
    ("consequences too long", {"consequences": LONG + "x"}, {("consequences", "too_long")}),
    ("proposal too long", {"proposal": LONG + "x"}, {("proposal", "too_long")}),
    ("addressee label", {"addressee_level": "Hyvinvointialue"}, set()),
    ("addressee missing", {"addressee_level": None}, {("addressee_level", "required")}),
    ("addressee unknown", {"addressee_level": "eduskunta"}, {("addressee_level", "code_list")}),
    ("urgency label", {"urgency": "KORKEA"}, set()),
    ("urgency missing", {"urgency": None}, {("urgency", "required")}),
    ("urgency unknown", {"urgency": "heti"}, {("urgency", "code_list")}),
    ("consent yes", {"consent_to_quote": "Kyllä"}, set()),
    ("consent unreadable", {"consent_to_quote": "ehkä"}, {("consent_to_quote", "format")}),
    ("type label", {"report_type": "hyvä käytäntö"}, set()),
    ("type unknown", {"report_type": "idea"}, {("report_type", "code_list")}),
    ("language label", {"language": "ruotsi"}, set()),
    ("language unknown", {"language": "de"}, {("language", "code_list")}),
]


@pytest.fixture(scope="module")
def rule_results() -> Validated:
    """Return every rule case validated in one batch (row number = case position + 2)."""
    return validate(delivered(*(case[1] for case in RULE_CASES)), expected=None)


@pytest.mark.parametrize(
    ("position", "expected"),
    [pytest.param(i, case[2], id=case[0]) for i, case in enumerate(RULE_CASES)],
)
def test_each_rule_passes_its_good_value_and_rejects_its_bad_one(
    rule_results: Validated, position: int, expected: set[tuple[str, str]]
) -> None:
    assert failed(rule_results, position + 2) == expected


def test_the_batch_of_rule_cases_adds_up(rule_results: Validated) -> None:
    assert_rows_add_up(delivered(*(case[1] for case in RULE_CASES)), rule_results)
    invalid = sum(1 for case in RULE_CASES if case[2])
    assert rule_results.rejections.select("row_number").n_unique() == invalid


# field, delivered value, typed value
PARSE_CASES: list[tuple[str, str | None, Any]] = [
    ("municipality_code", "47", "047"),
    ("municipality_code", "47.0", "047"),
    ("municipality_code", " 698 ", "698"),
    ("submitted_on", "1.7.2026", date(2026, 7, 1)),
    ("submitted_on", "01.07.2026", date(2026, 7, 1)),
    ("submitted_on", "2026-07-01", date(2026, 7, 1)),
    ("submitted_on", "2026-07-01T00:00:00", date(2026, 7, 1)),
    ("submitted_on", "2026-07-01T10:00:00+03:00", date(2026, 7, 1)),
    ("submitted_on", "2026-06-30 23:30:15.5Z", date(2026, 7, 1)),  # the day in Helsinki
    ("submitted_on", "2026-07-01T12:00", date(2026, 7, 1)),
    ("updated_at", None, datetime(2026, 6, 30, 21, tzinfo=UTC)),
    ("updated_at", "2026-07-01T12:00:00+03:00", datetime(2026, 7, 1, 9, tzinfo=UTC)),
    ("updated_at", "2026-07-01T12:00:00.250Z", datetime(2026, 7, 1, 12, 0, 0, 250_000, tzinfo=UTC)),
    ("updated_at", "2026-07-01 12:00:00+0200", datetime(2026, 7, 1, 10, tzinfo=UTC)),
    (
        "updated_at",
        "2026-07-01T09:00:00.123456+00:00",
        datetime(2026, 7, 1, 9, 0, 0, 123456, tzinfo=UTC),
    ),
    ("updated_at", "2026-07-01T12:00", datetime(2026, 7, 1, 9, tzinfo=UTC)),
    ("updated_at", "2026-01-15 12:00:00", datetime(2026, 1, 15, 10, tzinfo=UTC)),
    ("updated_at", "1.7.2026 12:30", datetime(2026, 7, 1, 9, 30, tzinfo=UTC)),
    ("updated_at", "1.7.2026 12.30.15", datetime(2026, 7, 1, 9, 30, 15, tzinfo=UTC)),
    ("updated_at", "2.7.2026", datetime(2026, 7, 1, 21, tzinfo=UTC)),
    ("reporter_role", "SOCIAL_worker", "social_worker"),
    ("reporter_role", "sosiaaliohjaaja", "social_counsellor"),
    ("theme", "Asuminen ja asunnottomuus", "housing"),
    ("theme", "  MIELENTERVEYS ", "mental_health"),
    ("secondary_themes", None, []),
    ("secondary_themes", "", []),
    ("secondary_themes", "debt", ["debt"]),
    ("secondary_themes", "debt|Ruoka-apu; mobility,debt", ["debt", "food_aid", "mobility"]),
    ("secondary_themes", '["debt", "food_aid"]', ["debt", "food_aid"]),
    ("target_group", "lapsiperheet", "families"),
    ("clients_affected", "12", 12),
    ("clients_affected", "1 200", 1200),
    ("clients_affected", "12.0", 12),
    ("clients_affected", None, None),
    ("addressee_level", "kunta", "municipality"),
    ("urgency", "Korkea", "high"),
    ("urgency", "LOW", "low"),
    ("report_type", None, "problem"),
    ("report_type", "heikko signaali", "weak_signal"),
    ("language", None, "fi"),
    ("language", "Pohjoissaame", "se"),
    ("phenomenon", f"  {TEXT}\n", TEXT),
    ("causes", "   ", None),
    ("consent_to_quote", None, False),
    *(("consent_to_quote", word, True) for word in ("kyllä", "K", "true", "YES", "1")),
    *(("consent_to_quote", word, False) for word in ("ei", "e", "False", "no", "0")),
]


@pytest.fixture(scope="module")
def parse_results() -> Validated:
    """Return every parse case validated in one batch (row number = case position + 2)."""
    rows = [{field: value} for field, value, _ in PARSE_CASES]
    return validate(delivered(*rows), expected=None)


@pytest.mark.parametrize(
    ("position", "field", "expected"),
    [pytest.param(i, f, typed, id=f"{f}={v!r}") for i, (f, v, typed) in enumerate(PARSE_CASES)],
)
def test_accepted_written_forms_are_read_into_the_contract_types(
    parse_results: Validated, position: int, field: str, expected: Any
) -> None:
    row = parse_results.reports.filter(pl.col("row_number") == position + 2)
    assert row[field].to_list() == [expected]


def test_a_valid_row_comes_out_typed_with_defaults_and_lineage() -> None:
    result = validate(delivered({"secondary_themes": "Velkaantuminen ja talousvaikeudet"}))
    expected = pl.DataFrame(
        [
            VALID
            | {
                "submitted_on": date(2026, 7, 1),
                "updated_at": datetime(2026, 6, 30, 21, tzinfo=UTC),
                "secondary_themes": ["debt"],
                "clients_affected": 12,
                "consent_to_quote": False,
                "report_type": "problem",
                "language": "fi",
                "source_id": "698-csv",
                "delivery": "inbox/698/raportit.csv",
                "delivery_sha256": "0" * 64,
                "delivery_seq": 1,
                "row_number": 2,
            }
        ],
        schema=REPORT_DTYPES | LINEAGE_DTYPES,
    )
    assert_frame_equal(result.reports, expected)
    assert_frame_equal(result.rejections, pl.DataFrame(schema=REJECTION_DTYPES))


def test_a_batch_with_many_different_failures_reports_all_of_them_at_once() -> None:
    frame = delivered(
        {"report_id": None, "submitted_on": "1.7.26", "theme": "tuntematon"},
        {"report_id": "R-2"},
        {"report_id": "R-3", "clients_affected": "noin 10", "urgency": None, "phenomenon": "lyhyt"},
        {"report_id": "R-4", "municipality_code": "240", "consent_to_quote": "ehkä"},
        {"report_id": "R-5", "submitted_on": "2027-01-01", "secondary_themes": "housing|x"},
    )
    result = validate(frame)
    assert failed(result, 2) == {
        ("report_id", "required"),
        ("submitted_on", "format"),
        ("theme", "code_list"),
    }
    assert failed(result, 3) == set()
    assert failed(result, 4) == {
        ("clients_affected", "format"),
        ("urgency", "required"),
        ("phenomenon", "too_short"),
    }
    assert failed(result, 5) == {
        ("municipality_code", "municipality_mismatch"),
        ("consent_to_quote", "format"),
    }
    assert failed(result, 6) == {
        ("submitted_on", "date_range"),
        ("secondary_themes", "code_list"),
        ("secondary_themes", "repeats_theme"),
    }
    assert result.reports["report_id"].to_list() == ["R-2"]
    assert_rows_add_up(frame, result)


def test_rejections_carry_lineage_the_rows_own_municipality_and_report_id() -> None:
    frame = delivered(
        {"report_id": "R-1", "municipality_code": "240"},
        {"report_id": None, "municipality_code": "69x", "theme": None},
    )
    result = validate(frame)
    expected = pl.DataFrame(
        {
            "source_id": ["698-csv"] * 4,
            "municipality_code": ["240", "698", "698", "698"],
            "report_id": ["R-1", "", "", ""],
            "delivery": ["inbox/698/raportit.csv"] * 4,
            "row_number": [2, 3, 3, 3],
            "field": ["municipality_code", "report_id", "municipality_code", "theme"],
            "rule": ["municipality_mismatch", "required", "format", "required"],
        },
        schema={name: REJECTION_DTYPES[name] for name in list(REJECTION_DTYPES)[:7]},
    )
    assert_frame_equal(result.rejections.select(list(expected.columns)), expected)
    assert result.rejections.schema == pl.Schema(REJECTION_DTYPES)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("698", set()),
        ("240", {("municipality_code", "municipality_mismatch")}),
        ("999", {("municipality_code", "code_list")}),
    ],
)
def test_a_row_of_another_municipality_than_its_source_is_rejected(
    code: str, expected: set[tuple[str, str]]
) -> None:
    assert failed(validate(delivered({"municipality_code": code}), expected="698"), 2) == expected


def test_without_an_expected_municipality_any_listed_one_is_valid() -> None:
    result = validate(delivered({"municipality_code": "240"}), expected=None)
    assert result.reports["municipality_code"].to_list() == ["240"]


def test_reasons_are_plain_words_in_english_and_finnish() -> None:
    result = validate(delivered({"theme": "asumisen tuki", "urgency": None}))
    reasons = result.rejections.select("field", "reason", "reason_fi").rows()
    assert reasons == [
        (
            "theme",
            'theme: unknown code (value "asumisen tuki")',
            'teema: tuntematon koodi (arvo "asumisen tuki")',
        ),
        ("urgency", "urgency: missing", "kiireellisyys: puuttuu"),
    ]


def test_no_free_text_value_reaches_a_reason() -> None:
    secret = "Asiakas 010190-123A, puh. 040 123 4567, matti@example.fi kertoi."
    frame = delivered(
        {"phenomenon": secret * 300, "causes": secret * 300, "theme": secret},
        {"phenomenon": "010190-123A", "submitted_on": "010190-123A"},
        {"report_id": "R-3", "consent_to_quote": secret, "clients_affected": "x" * 200},
    )
    result = validate(frame)
    text = " ".join(result.rejections.select("reason", "reason_fi").to_series().to_list())
    text += " ".join(result.rejections["reason_fi"].to_list())
    for private in ("010190", "123A", "040 123", "matti@", "Asiakas", "kertoi"):
        assert private not in text
    assert all(len(reason) < 160 for reason in result.rejections["reason"].to_list())
    assert_rows_add_up(frame, result)


def test_a_report_redacted_first_is_valid_with_its_text_redacted() -> None:
    frame = delivered({"phenomenon": "Asiakas 010190-123A soitti numerosta 040 123 4567."})
    redacted, _ = redacted_reports(frame)
    result = validate(redacted)
    assert result.reports["phenomenon"].to_list() == [
        f"Asiakas {REDACTED} soitti numerosta {REDACTED}."
    ]


def test_format_rejections_names_file_row_report_field_and_reason() -> None:
    result = validate(delivered({"report_id": "R-9", "theme": None}, {"report_id": None}))
    assert format_rejections(result.rejections, "en") == [
        "inbox/698/raportit.csv, row 2, report R-9: theme: missing",
        "inbox/698/raportit.csv, row 3, report -: report_id: missing",
    ]
    assert format_rejections(result.rejections, "fi") == [
        "inbox/698/raportit.csv, rivi 2, raportti R-9: teema: puuttuu",
        "inbox/698/raportit.csv, rivi 3, raportti -: raportin_tunnus: puuttuu",
    ]


def test_code_lists_come_from_the_reference_given() -> None:
    packaged = load_reference()
    themes = pl.DataFrame(
        {
            "code": ["reindeer"],
            "fi": ["Poronhoito"],
            "sv": ["Renskötsel"],
            "en": ["Reindeer herding"],
        }
    )
    reference = Reference(packaged.municipalities, themes, packaged.target_groups)
    frame = delivered({"theme": "poronhoito"}, {"theme": "housing"})
    result = validate(frame, reference=reference)
    assert result.reports["theme"].to_list() == ["reindeer"]
    assert failed(result, 3) == {("theme", "code_list")}


def test_missing_optional_columns_take_their_defaults() -> None:
    frame = delivered({}).drop("report_type", "language", "consent_to_quote", "updated_at")
    result = validate(frame)
    assert result.reports.select("report_type", "language", "consent_to_quote").row(0) == (
        "problem",
        "fi",
        False,
    )


def test_no_rows_in_is_no_rows_out() -> None:
    result = validate(delivered().head(0))
    assert result.reports.schema == pl.Schema(REPORT_DTYPES | LINEAGE_DTYPES)
    assert result.rejections.schema == pl.Schema(REJECTION_DTYPES)
    assert result.reports.is_empty()
    assert result.rejections.is_empty()


values = {
    "report_id": st.sampled_from([None, "", "R-1", "r" * 70, "R-2"]),
    "municipality_code": st.sampled_from([None, "698", "47", "999", "abc", "6980"]),
    "submitted_on": st.sampled_from([None, "1.7.2026", "2026-07-01", "31.2.2026", "1.7.26", "x"]),
    "updated_at": st.sampled_from([None, "2026-07-01T12:00:00+03:00", "1.7.2026 12.30", "?"]),
    "theme": st.sampled_from([None, "housing", "Toimeentulo", "zz", "  "]),
    "secondary_themes": st.sampled_from([None, "debt|x", "housing", "[1, 2]", "|;,"]),
    "clients_affected": st.sampled_from([None, "3", "-5", "1e3", "99999999999999999999"]),
    "consent_to_quote": st.sampled_from([None, "kyllä", "nope"]),
    "phenomenon": st.one_of(st.none(), st.text(max_size=30), st.just(TEXT)),
}


@settings(max_examples=30, deadline=None)
@given(rows=st.lists(st.fixed_dictionaries(values), min_size=1, max_size=8))
def test_any_mix_of_values_is_rejected_or_valid_never_a_crash(rows: list[dict[str, Any]]) -> None:
    frame = delivered(*rows)
    result = validate(frame)
    assert_rows_add_up(frame, result)
    assert result.rejections.filter(pl.col("reason") == "").is_empty()


@pytest.mark.parametrize(
    ("report_id", "rejected"),
    [
        ("131052-308T", True),
        ("hetu 131052 – 308T", True),
        ("１３１０５２-３０８Ｔ", True),
        ("131052\u200b-308T", True),
        ("047-2026-001", False),
        ("ROI-2026-0042", False),
        ("a1310523-3081-4abc-9def-0123456789ab", False),
    ],
)
def test_a_report_id_shaped_like_an_identity_code_is_rejected_with_that_reason(
    report_id: str, rejected: bool
) -> None:
    result = validate(delivered({"report_id": report_id}))

    assert (("report_id", "personal_data") in failed(result, 2)) is rejected
    reasons = result.rejections.filter(pl.col("rule") == "personal_data")["reason"].to_list()
    assert reasons == (
        ["report_id: looks like a personal identity code: use an id that names no one"]
        if rejected
        else []
    )
