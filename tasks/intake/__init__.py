"""The way in: deliveries extracted, parsed, redacted and validated (pure of the warehouse)."""
