"""The pipeline's work, free of Prefect: one package per stage, in pipeline order."""
