"""The `raportti` command: run, demo, check, quotes, purge and the steward's other commands."""

from __future__ import annotations

import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows import quotes_cli, retention_cli

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from schemas.settings import Settings

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# A temporary Prefect server takes 15 s on a fresh PREFECT_HOME, more on a busy machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

EXIT_USAGE = 2
console = Console(stderr=False)
errors = Console(stderr=True)
app = typer.Typer(
    help="raportti: social reports from Lapland's municipalities to quarterly PDF briefs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(quotes_cli.app, name="quotes")
app.command()(retention_cli.purge)

QuarterOption = Annotated[
    str | None,
    typer.Option(help="Quarter as YYYYQn, e.g. 2026Q3 (default: latest complete quarter)."),
]
SourcesOption = Annotated[Path, typer.Option("--sources", help="The sources.toml to read.")]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Warehouse URL (default: $RAPORTTI_DB_URL, else SQLite in outputs/)."
    ),
]
OutOption = Annotated[Path, typer.Option("--out", help="Folder the quarter is published under.")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show Prefect's full log instead of progress lines.")
]
DeprecatedDeliverOption = Annotated[
    bool | None,
    typer.Option(
        "--deliver/--no-deliver",
        hidden=True,
        help="Deprecated alias of --send/--no-send; removed in the next release.",
    ),
]
WaitOption = Annotated[
    float,
    typer.Option(
        "--wait",
        min=0,
        help="Minutes to wait while another run holds the same quarter (default: refuse at once).",
    ),
]


def _send_choice(send: bool, deliver: bool | None) -> bool:
    """Return whether to e-mail the briefs: `--send/--no-send`, or the deprecated old flag."""
    if deliver is None:
        return send
    old, new = ("--deliver", "--send") if deliver else ("--no-deliver", "--no-send")
    errors.print(
        f"[yellow]warning:[/] {old} is deprecated and will be removed; use {new}", highlight=False
    )
    return deliver


def fail(message: str, fix: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one clear line with its fix and exit with `code`."""
    errors.print(f"[bold red]error:[/] {message} — {fix}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _quarter_text(quarter: str | None) -> str | None:
    from schemas.quarter import Quarter

    if quarter is None:
        return None
    try:
        return str(Quarter.parse(quarter))
    except ValueError as error:
        fail(str(error), "give the quarter as YYYYQn, for example 2026Q3")
    return None


def _settings(db: str | None = None) -> Settings:
    """Return this command's settings, built once: the environment's, with --db on top."""
    from schemas.settings import Settings

    return Settings(db_url=db) if db else Settings()


def _warehouse(settings: Settings) -> Engine:
    """Return the warehouse of `settings`; a warehouse newer than this code is one line."""
    from tasks.warehouse.connection import WarehouseTooNew, connect_warehouse

    try:
        return connect_warehouse(settings.warehouse_url())
    except WarehouseTooNew as error:
        fail(error.message, error.fix)


def _require_sources_file(sources: Path) -> None:
    if not sources.is_file():
        fail(f"{sources}: no such sources file", "give its path with --sources FILE")


def _require_known_municipalities(codes: list[str] | None, settings: Settings) -> None:
    known = settings.reference().municipality_codes
    for code in codes or []:
        if code not in known:
            fail(
                f"unknown municipality code {code!r}", "use a code of municipalities.csv, e.g. 698"
            )


def _run_flow(
    flow: object, verbose: bool, sources: Path, settings: Settings, **parameters: object
) -> object:
    """Run a flow in this process on `settings`, with progress lines; a failure is one line."""
    from rich.markup import escape

    from flows.steps import flows_run_on
    from flows.terminal import explanation, live_progress

    try:
        with live_progress(errors, verbose), flows_run_on(settings):
            state = flow(**parameters, return_state=True)  # type: ignore[operator]
        outcome = state.result(raise_on_failure=False)
    except Exception as error:  # noqa: BLE001 - e.g. no Prefect server: explained below
        outcome = error
    if isinstance(outcome, BaseException):
        explained = explanation(outcome, settings.warehouse_url(), str(sources))
        fail(escape(explained.message), escape(explained.fix), explained.code)
    return outcome


@app.command()
def run(
    quarter: QuarterOption = None,
    sources: SourcesOption = Path("sources.toml"),
    db: DbOption = None,
    out: OutOption = Path("outputs"),
    municipality: Annotated[
        list[str] | None, typer.Option(help="Only this municipality's source (repeatable).")
    ] = None,
    send: Annotated[bool, typer.Option(help="E-mail the briefs after publishing.")] = True,
    deliver: DeprecatedDeliverOption = None,
    wait: WaitOption = 0,
    verbose: VerboseOption = False,
) -> None:
    """Run the quarterly flow now: extract, validate, store, check, publish and e-mail a quarter.

    Example: raportti run --quarter 2026Q3 --sources sources.toml --no-send

    Example: raportti run --municipality 698 --municipality 851 --db postgresql+psycopg://raportti@db/raportti

    Exit 0 when all is well; 1 when rows wait for a correction, a source failed, the quality
    gate stopped publication or mail is owed; 2 on bad usage, unreadable input or a quarter
    that another run holds.
    """
    send = _send_choice(send, deliver)
    quarter_text = _quarter_text(quarter)
    _require_sources_file(sources)
    settings = _settings(db)
    _require_known_municipalities(municipality, settings)
    from flows.quarterly import quarterly_brief

    summary = _run_flow(
        quarterly_brief,
        verbose,
        sources,
        settings,
        quarter=quarter_text or "",
        sources_file=sources,
        out_dir=out,
        municipalities=tuple(municipality or ()),
        send=send,
        wait_minutes=wait,
    )
    raise typer.Exit(_report(summary))


def attention_text(line: str) -> Text:
    """Return an attention line for the terminal; its words (file names too) are not markup."""
    return Text.assemble(("attention:", "yellow"), " ", line)


def _report(summary: object) -> int:
    from tasks.run.summary import attention_lines, exit_status

    table = Table(title=f"raportti {summary.quarter}", show_lines=False)
    for column in ("source", "deliveries", "rows in", "valid", "quarantined", "redacted", "status"):
        table.add_column(column)
    for source in summary.sources:
        status = "[red]failed[/]" if source.failed else "ok"
        table.add_row(
            source.source_id,
            str(len(source.deliveries)),
            str(source.rows_in),
            str(source.rows_valid),
            str(source.rows_quarantined),
            str(source.redactions.total),
            status,
        )
    console.print(table)
    console.print(
        f"{summary.valid_reports} valid reports in {summary.quarter}; "
        f"{summary.open_rejected_rows} rejected rows open; {len(summary.published)} files published"
    )
    for line in attention_lines(summary):
        console.print(attention_text(line), highlight=False, soft_wrap=True)
    return exit_status(summary)


@app.command()
def demo(out: OutOption = Path("outputs"), verbose: VerboseOption = False) -> None:
    """Make a demo inbox for all 21 municipalities and publish its latest complete quarter.

    The demo's planted faults are expected: it exits 0 when they were all caught.

    Example: raportti demo --out outputs
    """
    from demo.inbox import write_demo_inbox
    from schemas.quarter import Quarter

    quarter = Quarter.latest_complete(datetime.now(UTC))
    demo_dir = out / "demo"
    shutil.rmtree(demo_dir, ignore_errors=True)
    inbox = write_demo_inbox(demo_dir, quarter)
    os.environ.update(inbox.environment)  # as an operator would: the SQL source's URL variable
    settings = _settings(f"sqlite:///{(demo_dir / 'warehouse.db').as_posix()}")
    console.print(f"demo inbox for {quarter} written to {demo_dir}")
    from flows.quarterly import quarterly_brief

    parameters = {"quarter": str(quarter), "sources_file": inbox.sources_file, "out_dir": out}
    summary = _run_flow(
        quarterly_brief, verbose, inbox.sources_file, settings, **parameters, send=False
    )
    _report(summary)
    if summary.quotes_waiting:
        _approve_demo_quotes(quarter, settings.warehouse_url())
        _run_flow(quarterly_brief, verbose, inbox.sources_file, settings, **parameters, send=False)
    raise typer.Exit(_demo_verdict(summary, inbox, out / str(quarter)))


def _approve_demo_quotes(quarter: object, db: str) -> None:
    """Approve every quote of the demo's quarter, as its steward would, and say so."""
    from flows.quotes_cli import approve

    console.print(
        f"the demo reviews its own quotes: raportti quotes approve --quarter {quarter} --all",
        highlight=False,
    )
    approve(str(quarter), None, every=True, db=db)
    console.print("the demo publishes its brief again, with the approved quotes")


def _demo_verdict(summary: object, inbox: object, published: Path) -> int:
    import polars as pl

    planted = inbox.reports.filter(pl.col("planted_fault").is_not_null()).height
    redactions = inbox.reports["redaction_kinds"].list.len().sum()
    as_designed = (
        not summary.failed_sources
        and summary.rows_quarantined == planted
        and summary.redactions >= redactions
        and (published / "brief-fi.pdf").is_file()
    )
    console.print(
        f"quarantined {summary.rows_quarantined} rows (planted {planted}), "
        f"redacted {summary.redactions} identity codes, phones and e-mails (planted {redactions}); "
        f"briefs in {published}"
    )
    if not as_designed:
        errors.print("[bold red]the demo did not run as designed[/]")
    return 0 if as_designed else 1


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Delivered files (.csv, .xlsx, .json).")],
    municipality: Annotated[
        str | None, typer.Option(help="The delivering municipality's code (reports).")
    ] = None,
    responses: Annotated[
        bool, typer.Option("--responses", help="The files are filled response sheets.")
    ] = False,
    db: DbOption = None,
    lang: Annotated[str, typer.Option(help="Language of the report: en or fi.")] = "en",
    encoding: Annotated[
        str | None, typer.Option(help="Codec of non-UTF-8 files (default cp1252).")
    ] = None,
) -> None:
    """Validate delivered files without storing anything; print each rejected row.

    Exit 0 when every row is valid, 1 when some are not, 2 when a file cannot be read.
    Example: raportti check inbox/851/raportit.csv --municipality 851 --lang fi
    A response sheet is checked against the warehouse's proposals:
    raportti check responses/698.xlsx --responses [--db URL]
    """
    from tasks.intake.dry_run import validate_files

    if lang not in ("en", "fi"):
        fail(f"unknown language {lang!r}", "use --lang en or --lang fi")
    settings = _settings(db)
    if responses:
        _check_response_sheets(files, lang, encoding, settings)
    if municipality is None:
        fail(
            "--municipality is missing", "name the delivering municipality, e.g. --municipality 851"
        )
    _require_known_municipalities([municipality], settings)
    outcome = validate_files(
        files, municipality, lang, encoding, settings.reference(), settings.delivery_limits()
    )
    for line in outcome.lines:
        typer.echo(line)
    for problem in outcome.unreadable:
        typer.echo(f"error: {problem}", err=True)
    raise typer.Exit(outcome.exit_code)


def _check_response_sheets(
    files: list[Path], lang: str, encoding: str | None, settings: Settings
) -> None:
    """Validate response sheets against the stored proposals; exit with the check's status."""
    from tasks.intake.responses import validate_response_files
    from tasks.warehouse.proposals import read_proposal_keys, register_proposals

    engine = _warehouse(settings)
    register_proposals(engine)
    keys, limits = read_proposal_keys(engine), settings.delivery_limits()
    outcome = validate_response_files(files, keys, lang, encoding, limits)
    for line in outcome.lines:
        typer.echo(line)
    for problem in outcome.unreadable:
        typer.echo(f"error: {problem}", err=True)
    raise typer.Exit(outcome.exit_code)


@app.command()
def backfill(
    first: Annotated[str, typer.Option("--from", help="First quarter, e.g. 2025Q1.")],
    last: Annotated[str, typer.Option("--to", help="Last quarter, e.g. 2026Q3.")],
    sources: SourcesOption = Path("sources.toml"),
    db: DbOption = None,
    out: OutOption = Path("outputs"),
    send: Annotated[bool, typer.Option(help="E-mail each quarter's briefs.")] = False,
    deliver: DeprecatedDeliverOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Publish every quarter in a range, oldest first.

    Example: raportti backfill --from 2025Q1 --to 2026Q3 --sources sources.toml
    """
    send = _send_choice(send, deliver)
    first_text, last_text = _quarter_text(first), _quarter_text(last)
    if first_text > last_text:
        fail(f"--from {first_text} is after --to {last_text}", "swap the two quarters")
    _require_sources_file(sources)
    from flows.steward import backfill as backfill_flow

    summaries = _run_flow(
        backfill_flow,
        verbose,
        sources,
        _settings(db),
        first=first_text,
        last=last_text,
        sources_file=sources,
        out_dir=out,
        send=send,
    )
    raise typer.Exit(max((_report(summary) for summary in summaries), default=0))


@app.command()
def resend(
    quarter: Annotated[str, typer.Option(help="The published quarter, e.g. 2026Q3.")],
    db: DbOption = None,
    out: OutOption = Path("outputs"),
    owed_only: Annotated[
        bool, typer.Option("--owed-only", help="Only the recipients not yet sent this brief.")
    ] = False,
) -> None:
    """E-mail an already published brief again to the distribution list.

    Example: raportti resend --quarter 2026Q3 --owed-only
    """
    quarter_text = _quarter_text(quarter)
    if not (out / quarter_text / "brief-fi.pdf").is_file():
        fail(f"no published brief for {quarter_text} under {out}", "run 'raportti run' first")
    from flows.steps import flows_run_on
    from flows.steward import resend_brief

    with flows_run_on(_settings(db)):
        owed = resend_brief(quarter=quarter_text, out_dir=out, owed_only=owed_only)
    for recipient in owed:
        console.print(f"[yellow]still owed:[/] {recipient}", highlight=False)
    console.print("every recipient has the brief" if not owed else f"{len(owed)} still owed")
    raise typer.Exit(1 if owed else 0)


@app.command()
def serve(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Serve on the demo's sources, warehouse and outputs ('make demo' first)."
        ),
    ] = False,
    out: OutOption = Path("outputs"),
) -> None:
    """Serve the deployments of prefect.yaml from this machine, without a work pool.

    The quarterly brief then runs at 06:00 Europe/Helsinki on the first day of January,
    April, July and October; check-submissions, backfill and resend run when started from
    Prefect's UI or with 'prefect deployment run'. Stop with Ctrl-C: the deployments stay
    on the server, but no run starts (scheduled runs wait, then are marked Late) until
    'raportti serve' runs again.

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api raportti serve --demo

    Example: prefect deployment run quarterly-brief/quarterly-brief -p 'quarter="2026Q3"'
    """
    from flows.deployments import demo_defaults, serve_deployments
    from flows.terminal import explanation

    if demo and not (out / "demo" / "sources.toml").is_file():
        fail(f"no demo under {out / 'demo'}", "run 'make demo' (or 'raportti demo') first")
    try:
        serve_deployments(demo_defaults(out) if demo else None)
    except Exception as error:  # noqa: BLE001 - one line for a person, e.g. no Prefect server
        explained = explanation(error, "", "sources.toml")
        fail(explained.message, explained.fix, explained.code)


@app.command()
def setup() -> None:
    """Prepare the Prefect server of PREFECT_API_URL for raportti's deployments and workers.

    Creates, when missing: the process work pool 'raportti', a concurrency limit per
    source kind (tags source-kind:sql, :json, :xlsx, :csv), the automation that marks
    a flow run crashed when its heartbeats stop and, when RAPORTTI_SMTP_HOST and
    RAPORTTI_STEWARD_TO are set, the automation that e-mails the steward about runs that
    need attention, fail or crash.

    Example: raportti setup && RAPORTTI_PROJECT_DIR=$PWD prefect deploy --all

    Example: prefect worker start --pool raportti --type process --name host-1
    """
    from prefect.settings import get_current_settings

    from flows.deployments import WORK_POOL, prepare_server
    from flows.terminal import explanation

    api = get_current_settings().api.url
    if not api:
        fail("no Prefect server is configured", "set PREFECT_API_URL=http://HOST:4200/api")
    try:
        notified = prepare_server(_settings())
    except Exception as error:  # noqa: BLE001 - one line for a person
        explained = explanation(error, "", "sources.toml")
        fail(explained.message, explained.fix, explained.code)
    console.print(f"{api}: work pool '{WORK_POOL}', source-kind limits and automation are ready")
    if notified:
        console.print("the steward is e-mailed when a run needs attention, fails or crashes")
    else:
        console.print("no steward notification: set RAPORTTI_SMTP_HOST and RAPORTTI_STEWARD_TO")


@app.command()
def status(
    db: DbOption = None, limit: Annotated[int, typer.Option(help="Runs shown.")] = 20
) -> None:
    """Show the latest runs: the warehouse's run log, and Prefect's flow runs when a server is set.

    A run noted 'running' whose process died is marked 'crashed' by the next run of its
    quarter, which then finishes the job.

    Example: raportti status --limit 10

    Example: PREFECT_API_URL=http://prefect.internal:4200/api raportti status --db postgresql+psycopg://raportti@db/raportti
    """
    from tasks.warehouse.runlog import read_runs

    columns = ("quarter", "flow", "started_at", "finished_at", "status", "run_id")
    runs = read_runs(_warehouse(_settings(db)), limit)
    table = Table(title="latest runs (warehouse run log)")
    for column in columns:
        table.add_column(column)
    for row in runs.iter_rows(named=True):
        table.add_row(*(row[c] or "" for c in columns))
    console.print(table)
    _prefect_status(limit)


def _prefect_status(limit: int) -> None:
    """Print Prefect's latest flow runs when a Prefect server is configured."""
    from prefect.settings import get_current_settings

    if not get_current_settings().api.url:
        console.print("no Prefect server configured (PREFECT_API_URL): run log only", style="dim")
        return
    from flows.terminal import explanation, prefect_runs

    try:
        rows = prefect_runs(limit)
    except Exception as error:  # noqa: BLE001 - one line for a person
        explained = explanation(error, "", "sources.toml")
        fail(explained.message, explained.fix, explained.code)
    table = Table(title=f"latest flow runs ({get_current_settings().api.url})")
    for column in ("flow run", "flow", "deployment", "quarter", "state", "started", "seconds"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@app.command()
def lineage(
    quarter: Annotated[str, typer.Option(help="The published quarter, e.g. 2026Q3.")],
    area: Annotated[str, typer.Option(help="Area code: 19, a subregion or a municipality.")],
    theme: Annotated[str, typer.Option(help="Theme code or 'all'.")] = "all",
    target_group: Annotated[str, typer.Option(help="Target-group code or 'all'.")] = "all",
    db: DbOption = None,
) -> None:
    """List the reports behind one published figure (for stewards; never published).

    Example: raportti lineage --quarter 2026Q3 --area 191 --theme debt
    """
    quarter_text = _quarter_text(quarter)
    from schemas.quarter import Quarter
    from tasks.warehouse.lineage import read_cell_lineage

    engine = _warehouse(_settings(db))
    keys = read_cell_lineage(engine, Quarter.parse(quarter_text), area, theme, target_group)
    for municipality_code, report_id in keys.iter_rows():
        typer.echo(f"{municipality_code}\t{report_id}")
    console.print(f"{keys.height} reports", style="dim")


@app.command()
def landed(
    sha256: Annotated[
        str, typer.Argument(help="The delivery's sha256, or enough of its first digits.")
    ],
    out: Annotated[Path, typer.Option("--out", help="The file to write (replaced if it exists).")],
    db: DbOption = None,
) -> None:
    """Write a landed delivery back exactly as received, its sha256 checked (for stewards).

    The file is the delivery before redaction, personal data included: only its owner may
    read it. Each delivery's sha256 is in the manifest.json of the quarters it served.
    Exit 0 when written; 1 when the stored copy no longer matches its sha256 (nothing is
    written); 2 when no delivery, or more than one, has that sha256.

    Example: raportti landed 3f2a9c41 --out tornio-2026-09.csv
    """
    prefix = sha256.lower()
    if not re.fullmatch(r"[0-9a-f]{1,64}", prefix):
        fail(f"{sha256!r} is not a sha256", "give its hex digits, as manifest.json shows them")
    from tasks.shared.files import OWNER_ONLY_FILE_MODE, write_file_atomically
    from tasks.warehouse.reads import LandedContentMismatch, read_landed_content

    engine = _warehouse(_settings(db))
    full = _one_landed_hash(engine, prefix)
    try:
        content = read_landed_content(engine, full)
    except LandedContentMismatch as error:
        fail(str(error), "restore the warehouse from a backup or ask for the delivery again", 1)
    write_file_atomically(out, content, OWNER_ONLY_FILE_MODE)
    console.print(f"{out}: {len(content):,} bytes as received, sha256 {full} verified")


def _one_landed_hash(engine: Engine, prefix: str) -> str:
    """Return the one landed sha256 that starts with `prefix`; exit when none or several do."""
    from tasks.warehouse.reads import landed_hashes_starting_with

    matches = landed_hashes_starting_with(engine, prefix)
    if not matches:
        fail(f"no landed delivery has a sha256 starting {prefix}", "check it in manifest.json")
    if len(matches) > 1:
        fail(
            f"{len(matches)} landed deliveries have a sha256 starting {prefix}", "give more digits"
        )
    return matches[0]
