"""Deployments: prefect.yaml and `raportti serve` agree, run forms are typed, a worker runs one.

The slow test starts a real `prefect server start`, prepares it with
`raportti setup`, deploys from prefect.yaml, starts a process worker,
triggers `quarterly-brief` with parameters and reads the published files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prefect.exceptions import ParameterTypeError
from prefect.utilities.callables import parameter_schema

from demo.inbox import write_demo_inbox
from flows.deployments import QUARTERLY_CRON, TIMEZONE, deployment_specs, deployments, flow_of
from flows.quarterly import quarterly_brief
from flows.steward import backfill, check_submissions, resend_brief
from schemas.quarter import Quarter
from schemas.reference import load_reference
from tests.flows.prefect_processes import (
    BIN,
    flow_run_id_of,
    markdown_artifact,
    prefect_server,
    start_worker,
    wait_for_flow_runs,
)

FLOWS = [quarterly_brief, check_submissions, backfill, resend_brief]


def test_prefect_yaml_declares_the_four_deployments_in_one_work_pool() -> None:
    specs = {spec["name"]: spec for spec in deployment_specs()}

    assert set(specs) == {"quarterly-brief", "check-submissions", "backfill", "resend"}
    assert {spec["work_pool"]["name"] for spec in specs.values()} == {"raportti"}
    assert specs["quarterly-brief"]["schedules"] == [
        {"cron": "0 6 1 1,4,7,10 *", "timezone": "Europe/Helsinki"}
    ]
    assert specs["quarterly-brief"]["parameters"] == {}  # the quarter is chosen when it runs
    for name, spec in specs.items():
        assert not spec.get("schedules") or name == "quarterly-brief"


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


def test_the_quarter_field_accepts_only_yyyyqn() -> None:
    quarter = parameter_schema(quarterly_brief).model_dump()["properties"]["quarter"]

    (text,) = [choice for choice in quarter["anyOf"] if choice.get("type") == "string"]
    assert text["pattern"] == r"^\d{4}Q[1-4]$"
    assert quarterly_brief.validate_parameters({"quarter": "2026Q3"})["quarter"] == "2026Q3"
    for wrong in ("2026Q5", "2026-3", "26Q1"):
        with pytest.raises(ParameterTypeError):
            quarterly_brief.validate_parameters({"quarter": wrong})


def test_the_municipalities_field_offers_the_21_reference_codes() -> None:
    field = parameter_schema(quarterly_brief).model_dump()["properties"]["municipalities"]

    (codes,) = [choice for choice in field["anyOf"] if choice.get("type") == "array"]
    assert codes["items"]["enum"] == load_reference().municipality_codes
    assert len(codes["items"]["enum"]) == 21
    with pytest.raises(ParameterTypeError):
        quarterly_brief.validate_parameters({"municipalities": ["999"]})


def test_backfill_needs_both_ends_of_its_range() -> None:
    schema = parameter_schema(backfill).model_dump()

    assert schema["required"] == ["first", "last"]
    assert schema["properties"]["first"]["pattern"] == r"^\d{4}Q[1-4]$"


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

    with prefect_server(tmp_path, inbox.environment | warehouse) as server:
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
            'municipalities=["851", "240", "148", "698"]',
            "-p",
            "send=false",
        )
        flow_run_id = flow_run_id_of(started.stdout)
        (run,) = wait_for_flow_runs(server, [flow_run_id])
        assert run["state"]["type"] == "COMPLETED", server.log("worker-1")
        summary = markdown_artifact(server, flow_run_id)

    assert run["parameters"]["quarter"] == "2026Q2"
    for name in ("brief-fi.pdf", "brief-sv.pdf", "brief-en.pdf", "aggregates.csv"):
        assert (out / str(quarter) / name).stat().st_size > 0, name
    manifest = json.loads((out / str(quarter) / "manifest.json").read_text(encoding="utf-8"))
    read = [s["municipality_code"] for s in manifest["sources"] if s["status"] != "not_read"]
    assert sorted(read) == ["148", "240", "698", "851"]
    assert "(worker worker-1)" in summary
