"""Orchestration: the flows, the CLI and the deployment wiring."""

from flows.logs import one_line_errors

one_line_errors()
