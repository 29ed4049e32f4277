"""Fingerprints of the inputs, which a built document carries so that edits to it can be
checked against the inputs they were made from (see ``reportgen pull-edits``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from reportgen.inputs.load import DECISION_FILE, FINANCES_FILE, PROGRAMME_FILE

INPUT_FILES = (DECISION_FILE, PROGRAMME_FILE, FINANCES_FILE)


def inputs_hash(folder: Path) -> str:
    """One hash over the three input files (name and bytes; a missing file counts as such)."""
    h = hashlib.sha256(b"reportgen-inputs-1\0")
    for name in INPUT_FILES:
        path = Path(folder) / name
        h.update(name.encode() + b"\0")
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return "sha256:" + h.hexdigest()


def value_hash(value: object) -> str:
    """A short hash of one value of the inputs (a narrative text), to tell whether it changed."""
    text = value if isinstance(value, str) else repr(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
