"""The warehouse: connection, each source stored (ingest, bulk load), reads, run log, locks."""
