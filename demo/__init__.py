"""The demo generator: a seeded, realistic inbox for all 21 municipalities (used by no stage)."""
