"""The run described: its summary and exit status, and the artifacts shown in Prefect."""
