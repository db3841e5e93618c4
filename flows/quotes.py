"""A person approves every quote: the quarterly flow's review step (contract §6).

The flow lists the quarter's candidate quotes (redacted): consented proposals, and the
responses of the decisions that the follow-up section lists. Those with a decision on
their very text are settled; the others wait. On a Prefect server
(`PREFECT_API_URL`) with `RAPORTTI_QUOTE_REVIEW_MINUTES` above 0, the flow run
pauses with a form in Prefect's UI listing them; the steward approves or rejects
quotes there and resumes. Without a server, or when the pause times out, the
run goes on and the brief leaves every unreviewed quote out; the summary, the
artifact and the command line say how many wait and how to review them
(`raportti quotes list|approve|reject`).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from prefect import get_client, get_run_logger
from prefect.context import FlowRunContext
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from prefect.settings import get_current_settings
from prefect.states import Running
from prefect.utilities.urls import url_for
from pydantic import Field
from sqlalchemy import Engine

from schemas.quarter import Quarter
from schemas.settings import Settings
from tasks.brief.followup_facts import listed_decisions
from tasks.brief.quotes import (
    RESPONSE,
    approved_responses,
    quotes_to_publish,
    response_candidates,
    review_candidates,
)
from tasks.figures.followup import followup_quarters, proposal_states
from tasks.warehouse.connection import connect_warehouse
from tasks.warehouse.proposals import read_proposals, read_responses
from tasks.warehouse.quote_decisions import (
    read_quote_decisions,
    record_quote_decisions,
    with_decisions,
)

RESPONSE_ID_PREFIX = "response/"


@dataclass(frozen=True)
class ReviewedQuotes:
    """The quotes the brief may print, and how many candidates still wait for a person.

    `published` are the proposals quoted, `responses` the approved response quotes.
    """

    published: pl.DataFrame
    responses: pl.DataFrame
    waiting: int


class QuoteReview(RunInput):
    """The steward's decisions on the waiting quotes, by id (`698/R-1`, `response/698/R-1`)."""

    approve: list[str] = Field(default_factory=list, description="Ids of quotes to publish")
    reject: list[str] = Field(default_factory=list, description="Ids of quotes never to publish")


def with_ids(candidates: pl.DataFrame) -> pl.DataFrame:
    """Return the candidates with their `id` column first: `698/R-1`, `response/698/R-1`.

    A proposal's id starts with its three-digit municipality code, a response's with
    `response/`, so the two never meet whatever a report id holds.
    """
    is_response = pl.col("kind") == RESPONSE
    prefix = pl.when(is_response).then(pl.lit(RESPONSE_ID_PREFIX)).otherwise(pl.lit(""))
    ids = pl.concat_str(prefix, "municipality_code", pl.lit("/"), "report_id").alias("id")
    return candidates.select(ids, pl.all())


def stored_response_candidates(
    engine: Engine, quarter: Quarter, names: tuple[str, ...]
) -> pl.DataFrame:
    """Return the quarter's response candidates from the stored proposals and responses."""
    quarters = followup_quarters(quarter)
    states = proposal_states(read_proposals(engine), read_responses(engine), quarters)
    return response_candidates(listed_decisions(states, quarter), names)


def review_quotes(
    settings: Settings, quarter: Quarter, proposals: pl.DataFrame, responses: pl.DataFrame
) -> ReviewedQuotes:
    """Return the approved quotes, after asking the steward in Prefect's UI when on a server.

    `proposals` and `responses` are the quarter's candidates of each kind
    (`quote_candidates`, `response_candidates`).
    """
    candidates = review_candidates(proposals, responses)
    engine = connect_warehouse(settings.warehouse_url())
    decided = with_decisions(candidates, read_quote_decisions(engine, quarter))
    waiting = decided.filter(pl.col("decision").is_null())
    if not waiting.is_empty() and _can_pause(settings):
        answer = _steward_answer(quarter, with_ids(waiting), settings.quote_review_minutes)
        if answer is not None:
            _record_answer(engine, quarter, with_ids(waiting), answer)
            decided = with_decisions(candidates, read_quote_decisions(engine, quarter))
    waiting_count = decided.filter(pl.col("decision").is_null()).height
    settled = decided.filter(pl.col("decision").is_not_null())
    published = quotes_to_publish(candidates, settled)
    quoted_responses = approved_responses(candidates, settled)
    get_run_logger().info(
        "quotes: %s candidates, %s proposals and %s responses published, %s waiting for review",
        candidates.height,
        published.height,
        quoted_responses.height,
        waiting_count,
    )
    return ReviewedQuotes(published, quoted_responses, waiting_count)


def _can_pause(settings: Settings) -> bool:
    """Return whether a person can answer here: a Prefect server, a flow run and time to wait."""
    on_server = bool(get_current_settings().api.url)
    return on_server and FlowRunContext.get() is not None and settings.quote_review_minutes > 0


def review_description(quarter: Quarter, waiting: pl.DataFrame) -> str:
    """Return the form's text: every waiting quote with its id (Markdown, text escaped)."""
    lines = [
        f"## Quotes of {quarter} waiting for review",
        "",
        "Copy the ids of the quotes to publish into **approve** and of those never to publish "
        "into **reject**; the rest keep waiting and are left out of the brief.",
        "",
    ]
    for row in waiting.iter_rows(named=True):
        text = row["text"].replace("|", "\\|").replace("<", "&lt;").replace("`", "'")
        about = f"{row['kind']}, {row['theme']}, {row['addressee_level']}"
        lines.append(f"- `{row['id']}` ({about}): {text}")
    return "\n".join(lines)


def _steward_answer(quarter: Quarter, waiting: pl.DataFrame, minutes: float) -> QuoteReview | None:
    """Pause the flow run for the steward's form; None when nobody answered in time."""
    form = QuoteReview.with_initial_data(description=review_description(quarter, waiting))
    get_run_logger().info(
        "%s quotes wait for review: approve or reject them in the form of this flow run in "
        "Prefect's UI (%s) within %s minutes; unreviewed quotes are left out of the brief",
        waiting.height,
        _flow_run_page() or "Runs, then this run",
        minutes,
    )
    try:
        return pause_flow_run(
            wait_for_input=form, timeout=max(1, int(minutes * 60)), poll_interval=2
        )
    except FlowPauseTimeout:
        _resume_after_timeout()
        get_run_logger().warning("quote review timed out: unreviewed quotes are left out")
        return None


def _flow_run_page() -> str | None:
    """Return this flow run's page in Prefect's UI, when the UI's address is known."""
    context = FlowRunContext.get()
    return url_for("flow-run", obj_id=context.flow_run.id) if context else None


def _resume_after_timeout() -> None:
    """Put the flow run back to Running after an unanswered pause, so that it can finish."""
    context = FlowRunContext.get()
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(context.flow_run.id, Running(), force=True)


def _record_answer(
    engine: Engine, quarter: Quarter, waiting: pl.DataFrame, answer: QuoteReview
) -> None:
    """Store the steward's decisions on the quotes they named; unknown ids are ignored."""
    for decision, ids in (("approved", answer.approve), ("rejected", answer.reject)):
        named = waiting.filter(pl.col("id").is_in([i.strip() for i in ids]))
        record_quote_decisions(engine, quarter, named, decision)
