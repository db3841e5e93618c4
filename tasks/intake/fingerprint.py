"""A source's fingerprint: its settings and the files it now holds, for the extraction cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from schemas.sources import SourceConfig
from tasks.intake.extract import matching_files


def source_fingerprint(source: SourceConfig, base_dir: Path) -> str:
    """Return a digest of the source's settings and of the files it now holds (name, size, time).

    An SQL source is incremental by its watermark, a URL is fetched whole: both are keyed
    by their settings alone.
    """
    digest = hashlib.sha256(source.model_dump_json().encode())
    for path in matching_files(source, base_dir) if source.path else []:
        stat = path.stat()
        digest.update(json.dumps([path.name, stat.st_size, stat.st_mtime_ns]).encode())
    return digest.hexdigest()[:32]
