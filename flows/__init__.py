"""Orchestration only: the quarterly flow, thin Prefect steps, steward flows, the CLI."""

from flows.logs import one_line_errors

one_line_errors()
