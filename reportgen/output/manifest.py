"""The output folder's manifest: what the last build was made from, and the hash of each file.

A build whose inputs, templates, options and reportgen code are unchanged, into a folder whose
files still match the manifest, has nothing to do: `reportgen build` says so and stops before it
loads anything (about 0.1 s instead of seconds). `--force` rebuilds regardless. This module
imports nothing heavy on purpose: it runs before the build decides to load the inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from reportgen.output.cache import code_hash

NAME = ".reportgen-manifest.json"
FORMAT = 1
# What else changes a build's bytes, besides the files: the core properties' date.
_ENV = ("SOURCE_DATE_EPOCH",)


def _tree_hash(h: hashlib._Hash, folder: Path, label: str) -> None:
    if not folder.is_dir():
        h.update(f"{label}: missing\0".encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        h.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())


def build_key(inputs_dir: Path, template_dir: Path, ids: Iterable[str] | None, options: Mapping[str, object]) -> str:
    """One hash over everything a build's outputs are made from."""
    h = hashlib.sha256(f"reportgen-manifest-{FORMAT}\0{code_hash()}\0".encode())
    _tree_hash(h, Path(inputs_dir), "inputs")
    _tree_hash(h, Path(template_dir), "templates")
    h.update(json.dumps({"ids": sorted(ids) if ids else None, **{k: options[k] for k in sorted(options)},
                         "env": {k: os.environ.get(k) for k in _ENV}}, sort_keys=True).encode())
    return h.hexdigest()


def render(key: str, files: Mapping[str, bytes], previous: Mapping[str, str] | None = None,
           drafts: Mapping[str, str] | None = None) -> bytes:
    """The manifest for a folder holding ``files`` (and the unchanged files of ``previous``).
    ``drafts``: the deliverables in the folder built as drafts (build --draft), each with the
    hash of its .docx (see :func:`drafts`); none, and the manifest is as it was before drafts."""
    hashes = dict(previous or {})
    hashes.update({rel: hashlib.sha256(data).hexdigest() for rel, data in files.items()})
    data: dict = {"format": FORMAT, "key": key, "files": dict(sorted(hashes.items()))}
    if drafts:
        data["drafts"] = dict(sorted(drafts.items()))
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def recorded_drafts(out_dir: Path) -> dict[str, str]:
    """What the folder's manifest records as drafts: deliverable id → hash of its .docx."""
    data = read(out_dir)
    recorded = data.get("drafts") if data is not None else None
    if not isinstance(recorded, dict):
        return {}
    return {k: v for k, v in recorded.items() if isinstance(k, str) and isinstance(v, str)}


def drafts(out_dir: Path) -> set[str]:
    """The deliverables whose ``<id>.docx`` in ``out_dir`` is a draft (built with build --draft:
    marked UTKAST, its gaps listed). The manifest records the hash of each draft's .docx, so a
    draft later replaced by a complete build (or by any other file) no longer counts as one."""
    found = set()
    for deliverable_id, digest in recorded_drafts(out_dir).items():
        try:
            data = (Path(out_dir) / f"{deliverable_id}.docx").read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == digest:
            found.add(deliverable_id)
    return found


def read(out_dir: Path) -> dict | None:
    try:
        data = json.loads((Path(out_dir) / NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == FORMAT else None


def up_to_date(out_dir: Path, key: str) -> list[Path] | None:
    """The output files when the folder already holds this build's outputs intact, else None."""
    from reportgen.output.outfolder import needs_recovery

    if needs_recovery(out_dir):
        return None  # a killed build left a half-done swap: only a real build cleans it up
    data = read(out_dir)
    if data is None or data.get("key") != key or not isinstance(data.get("files"), dict):
        return None
    paths = []
    for rel, digest in data["files"].items():
        path = Path(out_dir) / rel
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return None
        except OSError:
            return None
        paths.append(path)
    return paths
