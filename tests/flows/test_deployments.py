"""Deployments: prefect.yaml and `raportti serve` agree, run forms are typed, a worker runs one.

The slow test starts a real `prefect server start`, prepares it with
`raportti setup`, deploys from prefect.yaml, starts a process worker,
triggers `quarterly-brief` with parameters and reads the published files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from prefect.exceptions import ParameterTypeError
from prefect.utilities.callables import parameter_schema

from demo.inbox import write_demo_inbox
from flows.deployments import QUARTERLY_CRON, TIMEZONE, deployment_specs, deployments, flow_of
from flows.form import municipality_codes
from flows.purge import purge_old
from flows.quarterly import quarterly_brief
from flows.steward import backfill, check_submissions, resend_brief
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tests.flows.prefect_processes import (
    BIN,
    PrefectServer,
    flow_run_id_of,
    markdown_artifact,
    prefect_server,
    start_worker,
    wait_for_flow_runs,
    wait_for_pause,
)


def _quote_list(server: PrefectServer, quarter: Quarter) -> str:
    """Return what `raportti quotes list` prints to the steward (wide enough for whole ids)."""
    command = [str(BIN / "raportti"), "quotes", "list", "--quarter", str(quarter)]
    return server.run("env", "COLUMNS=400", *command).stdout


def _waiting_quote_ids(server: PrefectServer, quarter: Quarter) -> list[str]:
    """Return the ids of the quarter's quotes that wait for review, as the steward reads them."""
    rows = _quote_list(server, quarter).splitlines()
    waiting = re.compile(r"((?:response/)?\d{3}/\S+)\s+│\s+waiting")
    return [m.group(1) for row in rows if (m := waiting.search(row))]


FLOWS = [quarterly_brief, check_submissions, backfill, resend_brief, purge_old]


def test_prefect_yaml_declares_the_six_deployments_in_one_work_pool() -> None:
    specs = {spec["name"]: spec for spec in deployment_specs()}

    assert set(specs) == {
        "quarterly-brief",
        "collect-responses",
        "check-submissions",
        "backfill",
        "resend",
        "purge-old-data",
    }
    assert {spec["work_pool"]["name"] for spec in specs.values()} == {"raportti"}
    assert specs["quarterly-brief"]["schedules"] == [
        {"cron": "0 6 1 1,4,7,10 *", "timezone": "Europe/Helsinki"}
    ]
    assert specs["quarterly-brief"]["parameters"] == {}  # the quarter is chosen when it runs
    assert specs["collect-responses"]["schedules"] == [
        {"cron": "0 7 * * 1", "timezone": "Europe/Helsinki"}
    ]
    assert specs["purge-old-data"]["schedules"] == [
        {"cron": "0 3 * * 0", "timezone": "Europe/Helsinki"}
    ]
    scheduled = {"quarterly-brief", "collect-responses", "purge-old-data"}
    for name, spec in specs.items():
        assert not spec.get("schedules") or name in scheduled
        assert "scheduled" not in spec["tags"], name  # ad hoc runs carry the deployment's tags


def test_serve_offers_exactly_the_deployments_of_prefect_yaml() -> None:
    served = {deployment.name: deployment for deployment in deployments()}
    declared = {spec["name"]: spec for spec in deployment_specs()}

    assert set(served) == set(declared)
    for name, deployment in served.items():
        assert deployment.entrypoint == declared[name]["entrypoint"], name
        assert deployment.flow_name == flow_of(declared[name]["entrypoint"]).name
    (schedule,) = served["quarterly-brief"].schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == (QUARTERLY_CRON, TIMEZONE)


def test_the_quarterly_schedule_fires_at_six_in_helsinki_on_the_first_day_of_each_quarter() -> None:
    import asyncio
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from prefect.server.schemas.schedules import CronSchedule

    helsinki = ZoneInfo(TIMEZONE)
    schedule = CronSchedule(cron=QUARTERLY_CRON, timezone=TIMEZONE)
    start = datetime(2026, 2, 1, tzinfo=helsinki)

    fires = asyncio.run(schedule.get_dates(n=4, start=start))

    local = [fire.astimezone(helsinki) for fire in fires]
    assert [(f.month, f.day, f.hour, f.minute) for f in local] == [
        (4, 1, 6, 0),
        (7, 1, 6, 0),
        (10, 1, 6, 0),
        (1, 1, 6, 0),
    ]
    assert [f.utcoffset().total_seconds() / 3600 for f in local] == [3, 3, 3, 2]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.name)
def test_every_parameter_of_the_run_form_is_described(flow: object) -> None:
    schema = parameter_schema(flow).model_dump()

    for name, field in schema["properties"].items():
        assert len(field.get("description") or "") > 15, (flow.name, name)


def test_no_field_of_any_run_form_can_be_none() -> None:
    for flow in FLOWS:
        for name, field in parameter_schema(flow).model_dump()["properties"].items():
            assert "anyOf" not in field, (flow.name, name)  # Prefect's UI shows a type toggle
            assert field.get("default", "") is not None, (flow.name, name)


def test_a_bad_quarter_is_refused_naming_the_format_and_empty_means_the_latest() -> None:
    assert quarterly_brief.validate_parameters({"quarter": " 2026q3"})["quarter"] == "2026Q3"
    assert quarterly_brief.validate_parameters({})["quarter"] == ""
    for wrong in ("2026Q5", "2026-3", "26Q1"):
        with pytest.raises(ParameterTypeError, match="give the quarter as YYYYQn"):
            quarterly_brief.validate_parameters({"quarter": wrong})
    with pytest.raises(ParameterTypeError, match="a quarter is needed: give the quarter as YYYYQn"):
        backfill.validate_parameters({"first": "", "last": "2026Q3"})


def test_the_municipalities_are_picked_by_code_and_name() -> None:
    field = parameter_schema(quarterly_brief).model_dump()["properties"]["municipalities"]
    reference = load_reference()

    assert field["default"] == []
    assert field["items"]["enum"] == [
        f"{code} {reference.municipality_name(code)}" for code in reference.municipality_codes
    ]
    assert "698 Rovaniemi" in field["items"]["enum"]
    chosen = quarterly_brief.validate_parameters({"municipalities": ["698", "851 Tornio"]})
    assert chosen["municipalities"] == ("698 Rovaniemi", "851 Tornio")
    assert municipality_codes(chosen["municipalities"]) == ["698", "851"]
    assert municipality_codes(()) is None
    with pytest.raises(ParameterTypeError):
        quarterly_brief.validate_parameters({"municipalities": ["999"]})


def test_descriptions_render_as_written_in_both_uis() -> None:
    for flow in FLOWS:
        for name, field in parameter_schema(flow).model_dump()["properties"].items():
            assert not {"<", ">"} & set(field["description"]), (flow.name, name)


def test_backfill_needs_both_ends_of_its_range() -> None:
    schema = parameter_schema(backfill).model_dump()

    assert schema["required"] == ["first", "last"]


def test_flags_and_waiting_have_typed_defaults() -> None:
    properties = parameter_schema(quarterly_brief).model_dump()["properties"]

    assert (properties["send"]["type"], properties["send"]["default"]) == ("boolean", True)
    assert properties["wait_minutes"]["minimum"] == 0
    assert properties["sources_file"]["format"] == "path"


@pytest.mark.slow
@pytest.mark.xdist_group("server")
def test_a_process_worker_runs_the_deployed_quarterly_brief(tmp_path: Path) -> None:
    quarter = Quarter(2026, 2)
    inbox = write_demo_inbox(tmp_path / "inbox", quarter)
    out = tmp_path / "published"
    warehouse = {"RAPORTTI_DB_URL": f"sqlite:///{(tmp_path / 'warehouse.db').as_posix()}"}
    review = {"RAPORTTI_QUOTE_REVIEW_MINUTES": "10"}

    with prefect_server(tmp_path, inbox.environment | warehouse | review) as server:
        server.run(str(BIN / "raportti"), "setup")
        server.run(str(BIN / "prefect"), "--no-prompt", "deploy", "--all")
        start_worker(server, "worker-1")
        started = server.run(
            str(BIN / "prefect"),
            "deployment",
            "run",
            "quarterly-brief/quarterly-brief",
            "-p",
            f'quarter="{quarter}"',
            "-p",
            f'sources_file="{inbox.sources_file}"',
            "-p",
            f'out_dir="{out}"',
            "-p",
            'municipalities=["851 Tornio", "240 Kemi", "148 Inari", "698 Rovaniemi"]',
            "-p",
            "send=false",
        )
        flow_run_id = flow_run_id_of(started.stdout)
        wait_for_pause(server, flow_run_id)
        first, *others = _waiting_quote_ids(server, quarter)
        server.post(
            f"/flow_runs/{flow_run_id}/resume",
            {"run_input": {"approve": [first], "reject": others}},
        )  # as the steward's form in the UI sends it
        (run,) = wait_for_flow_runs(server, [flow_run_id])
        assert run["state"]["type"] == "COMPLETED", server.log("worker-1")
        summary = markdown_artifact(server, flow_run_id)
        decided = _quote_list(server, quarter)

    assert f"{1 + len(others)} quotes, 0 waiting for review" in decided
    assert re.search(rf"{re.escape(first)}\s+│\s+approved", decided), decided

    assert run["parameters"]["quarter"] == "2026Q2"
    for name in ("brief-fi.pdf", "brief-sv.pdf", "brief-en.pdf", "aggregates.csv"):
        assert (out / str(quarter) / name).stat().st_size > 0, name
    manifest = json.loads((out / str(quarter) / "manifest.json").read_text(encoding="utf-8"))
    read = [s["municipality_code"] for s in manifest["sources"] if s["status"] != "not_read"]
    assert sorted(read) == ["148", "240", "698", "851"]
    assert "(worker worker-1)" in summary
