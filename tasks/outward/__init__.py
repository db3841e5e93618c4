"""The way out: the published files, and the brief sent by mail."""
