"""Fingerprints of values of the inputs, which a built document carries so that edits to it can
be checked against the inputs they were made from (see ``reportgen pull-edits``). The hash of
what a whole document shows is ``reportgen.output.build.content_hash``."""

from __future__ import annotations

import hashlib


def value_hash(value: object) -> str:
    """A short hash of one value of the inputs (a narrative text), to tell whether it changed."""
    text = value if isinstance(value, str) else repr(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
