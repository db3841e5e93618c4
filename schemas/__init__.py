"""The contract: field lists, pandera models, code lists, settings, shared constants."""
