"""Orchestration only: the quarterly flow, thin Prefect steps, steward flows, the CLI."""
