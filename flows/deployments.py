"""Deployment wiring: the deployments of `prefect.yaml`, served in one process or by workers.

`prefect.yaml` is the single list of deployments. `prefect deploy --all` sends
them to a work pool that process workers on any number of hosts poll;
`raportti serve` serves the very same deployments from one process, without
a work pool. `raportti setup` creates what the deployments rely on in a
Prefect server: the work pool, the concurrency limit of each source kind and
the automation that marks silent flow runs crashed.
"""

from __future__ import annotations

import importlib
import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from prefect import Flow, get_client, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.steps import ensure_source_limits

if TYPE_CHECKING:
    from schemas.settings import Settings

PROJECT_DIR = Path(__file__).resolve().parents[1]
PREFECT_YAML = PROJECT_DIR / "prefect.yaml"
QUARTERLY_CRON = "0 6 1 1,4,7,10 *"
TIMEZONE = "Europe/Helsinki"
WORK_POOL = "raportti"
ZOMBIE_AUTOMATION = "raportti: mark silent flow runs crashed"
# Prefect's flow-run heartbeat comes every 180 s (PREFECT_FLOWS_HEARTBEAT_FREQUENCY): a run
# silent for this long has lost its process.
SILENCE = timedelta(minutes=10)


def deployment_specs(path: Path = PREFECT_YAML) -> list[dict[str, Any]]:
    """Return the deployments declared in `prefect.yaml`."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))["deployments"]


def flow_of(entrypoint: str) -> Flow:
    """Return the flow an entrypoint such as `flows/quarterly.py:quarterly_brief` names."""
    file, name = entrypoint.split(":")
    module = importlib.import_module(file.removesuffix(".py").replace("/", "."))
    return getattr(module, name)


def _schedules(spec: dict[str, Any]) -> list[Cron]:
    return [
        Cron(schedule["cron"], timezone=schedule.get("timezone", "UTC"))
        for schedule in spec.get("schedules") or []
    ]


def deployments(
    path: Path = PREFECT_YAML, defaults: dict[str, Any] | None = None
) -> list[RunnerDeployment]:
    """Return the deployments of `prefect.yaml` for serving from this process.

    `defaults` become each deployment's parameters where its flow takes them.
    """
    served = []
    for spec in deployment_specs(path):
        flow = flow_of(spec["entrypoint"])
        taken = {k: v for k, v in (defaults or {}).items() if k in flow.parameters.properties}
        served.append(
            flow.to_deployment(
                name=spec["name"],
                description=spec.get("description"),
                schedules=_schedules(spec),
                parameters=(spec.get("parameters") or {}) | taken,
                tags=spec.get("tags") or [],
            )
        )
    return served


def demo_defaults(out_dir: Path) -> dict[str, Any]:
    """Point this process at the demo under `out_dir/demo`; return the flows' parameters for it.

    The warehouse and the SQL source's URL go into the environment that served runs inherit.
    """
    from demo.inbox import demo_environment

    demo_dir = (out_dir / "demo").resolve()
    os.environ.update(demo_environment(demo_dir))
    os.environ["RAPORTTI_DB_URL"] = f"sqlite:///{(demo_dir / 'warehouse.db').as_posix()}"
    return {"sources_file": str(demo_dir / "sources.toml"), "out_dir": str(out_dir.resolve())}


def serve_deployments(defaults: dict[str, Any] | None = None) -> None:
    """Serve every deployment from this process until it is stopped.

    Stopping leaves the schedules on: a run that falls due meanwhile waits (Late in the UI)
    and starts when the deployments are served again, instead of never being made.
    """
    ensure_source_limits()
    ensure_zombie_automation()
    serve(*deployments(defaults=defaults), pause_on_shutdown=False)


def ensure_work_pool(name: str = WORK_POOL) -> None:
    """Create the process work pool that workers poll, when missing."""
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.workers.process import ProcessWorker

    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            pool = WorkPoolCreate(name=name, type="process", base_job_template=template)
            client.create_work_pool(pool)


def ensure_zombie_automation() -> None:
    """Create the automation that marks a flow run crashed when its heartbeats stop."""
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    try:
        Automation.read(name=ZOMBIE_AUTOMATION)
        return
    except ValueError:
        pass
    Automation(
        name=ZOMBIE_AUTOMATION,
        description="A flow run whose heartbeats stop has lost its process: mark it crashed.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={
                "prefect.flow-run.heartbeat",
                "prefect.flow-run.Completed",
                "prefect.flow-run.Failed",
                "prefect.flow-run.Cancelled",
                "prefect.flow-run.Crashed",
            },
            match=ResourceSpecification({"prefect.resource.id": ["prefect.flow-run.*"]}),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=SILENCE,
        ),
        actions=[
            ChangeFlowRunState(
                state=StateType.CRASHED,
                message="No heartbeat for 10 minutes: the flow process is gone.",
            )
        ],
    ).create()


def prepare_server(settings: Settings) -> bool:
    """Create the work pool, source-kind limits, zombie automation and steward notification.

    Args:
        settings: The CLI's settings, whose SMTP server and steward address the notification uses.

    Returns:
        Whether the steward is notified (RAPORTTI_SMTP_HOST and RAPORTTI_STEWARD_TO set).
    """
    from flows.notify import prepare_steward_notification

    ensure_work_pool()
    ensure_source_limits()
    ensure_zombie_automation()
    return prepare_steward_notification(settings)
