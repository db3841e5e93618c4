"""The warehouse's SQL, one statement or migration per file (shipped with the package)."""
