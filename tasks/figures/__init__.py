"""The figures: the quality gate, the aggregates and their disclosure control."""
