"""The one package (zip) reader for Word files, and the reproducible zip writer.

``open_package`` is used by every command that opens a .docx (``check-docx``, ``docx-text``,
``diff``, ``--redline``, accept/reject). A .docx from outside may be a zip bomb: a few MB that
inflate to gigabytes. So nothing here reads a whole member blindly: each member is inflated a
piece at a time and refused as soon as it passes the limit for one part, or all members read
so far pass the limit for the package; a part with more elements than ``parser.MAX_ELEMENTS``
is refused before it is parsed. Each refusal is a ``DocxError`` that names the part.

The limits are far above any report (the main document of a report of 10 000 projects is
about 40 MB) and far below what would exhaust memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from reportgen.ooxml.ns import CT, NS, RT
from reportgen.ooxml.parser import MAX_ELEMENTS, DocxError, parse

__all__ = ["FIXED_ZIP_DATE", "LIMITS", "Limits", "Package", "open_package", "reproducible_zip"]

_MIB = 1024 * 1024
_CHUNK = _MIB


@dataclass(frozen=True)
class Limits:
    part: int = 128 * _MIB  # inflated bytes of one member
    total: int = 256 * _MIB  # inflated bytes of all members read
    members: int = 10_000
    elements: int = MAX_ELEMENTS  # per XML part


LIMITS = Limits()


def _mib(n: int) -> str:
    return f"{n / _MIB:.0f} MiB"


class _Members(Mapping):
    """The package's members by name, inflated (with the limits) when asked for."""

    def __init__(self, pkg: Package) -> None:
        self._pkg = pkg

    def __getitem__(self, name: str) -> bytes:
        data = self._pkg.read(name)
        if data is None:
            raise KeyError(name)
        return data

    def __contains__(self, name: object) -> bool:
        return name in self._pkg.infos

    def __iter__(self) -> Iterator[str]:
        return iter(self._pkg.infos)

    def __len__(self) -> int:
        return len(self._pkg.infos)


@dataclass
class Package:
    """An open .docx: its members (read on demand, within ``limits``), parsed parts (cached)
    and relationships. ``main`` is the main document's part name, e.g. "word/document.xml"."""

    zf: zipfile.ZipFile
    infos: dict[str, zipfile.ZipInfo]
    limits: Limits = LIMITS
    main: str = ""
    inflated: int = 0  # bytes inflated so far, counted once per member
    _counted: set[str] = field(default_factory=set, repr=False)
    _xml: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def entries(self) -> Mapping[str, bytes]:
        return _Members(self)

    def read(self, name: str) -> bytes | None:
        """A member's bytes (None when there is no such member). Raises DocxError past a
        limit or for a member that cannot be inflated."""
        info = self.infos.get(name)
        if info is None:
            return None
        limits = self.limits
        counted = name in self._counted
        budget = limits.part if counted else min(limits.part, limits.total - self.inflated)
        if info.file_size > budget:  # the declared size already says no
            raise self._too_large(name, info.file_size, counted)
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zf.open(info) as f:
                while chunk := f.read(_CHUNK):
                    size += len(chunk)
                    if size > budget:
                        raise self._too_large(name, size, counted)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
                ValueError) as exc:
            if isinstance(exc, DocxError):
                raise
            raise DocxError(f"cannot read part {name}: {exc}", name) from None
        if not counted:
            self._counted.add(name)
            self.inflated += size
        return b"".join(chunks)

    def _too_large(self, name: str, size: int, counted: bool) -> DocxError:
        limits = self.limits
        if size > limits.part or counted:
            return DocxError(f"part {name} inflates to more than {_mib(limits.part)} (the limit "
                             "for one part): not read", name)
        return DocxError(f"the package inflates to more than {_mib(limits.total)} (the limit "
                         f"for all parts together) at part {name}: not read", name)

    def xml(self, name: str | None):
        """The parsed part (cached); None when the package has no such part."""
        if not name:
            return None
        if name not in self._xml:
            data = self.read(name)
            self._xml[name] = None if data is None else parse(data, name,
                                                              max_elements=self.limits.elements)
        return self._xml[name]

    @staticmethod
    def rels_name(part: str) -> str:
        p = PurePosixPath(part)
        return str(p.parent / "_rels" / (p.name + ".rels"))

    def rels(self, part: str) -> dict[str, tuple[str, str, str]]:
        """Relationship id → (type, target, target mode) of a part ("" for the package);
        internal targets are resolved to part names (``media/image1.png`` →
        ``word/media/image1.png``)."""
        root = self.xml(self.rels_name(part))
        out: dict[str, tuple[str, str, str]] = {}
        if root is None:
            return out
        base = PurePosixPath(part).parent
        for rel in root.iter(f"{{{NS['rel']}}}Relationship"):
            mode = rel.get("TargetMode") or "Internal"
            target = rel.get("Target") or ""
            if mode != "External":
                target = resolve_target(base, target)
            out[rel.get("Id") or ""] = (rel.get("Type") or "", target, mode)
        return out

    def related_all(self, part: str, rel_type: str) -> list[str]:
        """The internal targets of ``part``'s relationships of a type, in document order."""
        return [target for typ, target, mode in self.rels(part).values()
                if typ == rel_type and mode != "External"]

    def related(self, part: str, rel_type: str) -> str | None:
        found = self.related_all(part, rel_type)
        return found[0] if found else None


def resolve_target(base: PurePosixPath, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (base / target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def open_package(source: str | Path | bytes | BinaryIO, limits: Limits | None = None) -> Package:
    """Open a .docx from a path, bytes or a binary file object and find its main document
    (the package relationship, else the content type, else word/document.xml). Raises
    DocxError. ``limits`` default to ``LIMITS`` (looked up at each call)."""
    limits = limits or LIMITS
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            zf = zipfile.ZipFile(BytesIO(bytes(source)))
        elif isinstance(source, (str, Path)):
            zf = zipfile.ZipFile(str(source))
        else:
            zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise DocxError(f"not a .docx: not a zip file ({exc})") from None
    infos = {info.filename: info for info in zf.infolist() if not info.is_dir()}
    if len(infos) > limits.members:
        raise DocxError(f"not a .docx: {len(infos)} members, more than the limit "
                        f"{limits.members}")
    pkg = Package(zf, infos, limits)
    main = pkg.related("", RT.OFFICE_DOCUMENT)
    if main is None or main not in infos:
        ct = pkg.xml("[Content_Types].xml")
        main = None
        if ct is not None:
            for o in ct.iter(f"{{{NS['ct']}}}Override"):
                if o.get("ContentType") in CT.MAIN:
                    main = (o.get("PartName") or "").lstrip("/")
                    break
    if (main is None or main not in infos) and "word/document.xml" in infos:
        main = "word/document.xml"
    if main is None or main not in infos:
        raise DocxError("not a .docx: no Word main document (word/document.xml) in the package")
    pkg.main = main
    return pkg


# ============================================================================ writing

FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes | Package, replace: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite a zip so that equal content gives equal bytes: ``[Content_Types].xml`` first
    (the OPC convention), the other entries sorted by name, a fixed date, DEFLATE at a fixed
    level, fixed "made by" system and file attributes. ``replace`` swaps entry contents.
    ``data`` is the zip's bytes (one reportgen made) or an open Package (a file from outside,
    whose members are then read within its limits)."""
    replace = replace or {}
    if isinstance(data, Package):
        entries = {name: data.read(name) for name in data.infos if name not in replace}
    else:
        with zipfile.ZipFile(BytesIO(data)) as src:
            entries = {info.filename: src.read(info) for info in src.infolist()
                       if info.filename not in replace}
    entries.update(replace)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Unix "made by" and rw-r--r--: a zero attribute would be replaced by Python's
            # default, and the platform default for create_system differs on Windows.
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()
