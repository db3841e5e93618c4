"""Helpers every stage may use: SQL files, URLs without secrets, atomic file writes."""
