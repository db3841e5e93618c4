"""The brief: its facts, quotes, sections, charts, texts, style and the rendered PDF."""
