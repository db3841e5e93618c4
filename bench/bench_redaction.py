"""Benchmark: what the publication redaction finds in the demo's text, and how fast.

Run: `.venv/bin/python bench/bench_redaction.py`. The demo's free
text (`demo/text.py`) holds no names, addresses, accounts or business ids; its
only personal data are the planted identity codes, phones and e-mails, which
storage already turned into `[poistettu]`. So every name, address, account or
business id that `publishable_text` finds in the stored demo text is a false
positive; places are counted apart (villages are scrubbed by design). Prints,
per kind, the texts and words hit and the rate over all texts and words, then
texts per second (the Voikko lexicon's load time apart).
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

from demo.inbox import demo_reports
from schemas.fields import FREE_TEXT_FIELDS
from schemas.placeholders import KINDS
from schemas.quarter import Quarter
from tasks.intake.names import word_classes
from tasks.intake.publishable import found_kinds
from tasks.intake.redact import redacted_reports


def stored_texts() -> tuple[list[str], int, int]:
    """Return the demo's free texts as stored, with storage's redactions and the planted count."""
    reports = demo_reports(Quarter.latest_complete(datetime.now(UTC)))
    redacted, counts = redacted_reports(reports)
    texts = [text for field in FREE_TEXT_FIELDS for text in redacted[field].drop_nulls()]
    return texts, counts.total, int(reports["redaction_kinds"].list.len().sum())


def main() -> None:
    """Print the finds of every kind on the demo's text and the speed."""
    texts, stored, planted = stored_texts()
    words = sum(len(text.split()) for text in texts)
    started = time.perf_counter()
    word_classes("lappi")  # load the lexicon before timing
    loaded = time.perf_counter()
    per_text = [found_kinds(text) for text in texts]
    done = time.perf_counter()
    found, texts_hit = Counter(), Counter()
    for kinds in per_text:
        found.update(kinds)
        texts_hit.update(kinds.keys())
    print(f"demo text: {len(texts)} texts, {words} words")  # noqa: T201
    print(f"  storage redacted {stored} identity codes, phones, e-mails; planted {planted}")  # noqa: T201
    for kind in sorted(set(found) | set(KINDS)):
        label = "(by design)" if kind == "place" else "false positives"
        print(  # noqa: T201
            f"  {kind:14} {found[kind]:6} words in {texts_hit[kind]:5} texts: "
            f"{found[kind] / words:.4%} of words, "
            f"{texts_hit[kind] / len(texts):.2%} of texts {label}"
        )
    print(  # noqa: T201
        f"lexicon load {loaded - started:.1f} s; {len(texts) / (done - loaded):,.0f} texts/s"
    )


if __name__ == "__main__":
    main()
