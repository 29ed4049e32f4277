"""Tagged PDF from the built .docx files, through LibreOffice headless.

``convert_to_pdf`` writes the documents into a temporary folder, runs LibreOffice once for all
of them (one start-up instead of one per document) with a profile of its own in another
temporary folder, so that runs in parallel, or a LibreOffice the user has open, never clash,
and returns the PDF bytes; nothing is written anywhere else. The export options ask for a
tagged PDF meeting PDF/UA (structure tree, headings, lists, table headers, alternative text of
the figures), with the document's language and its title from the core properties shown as the
window title. ``check_pdf`` then reads the catalogue and the document information back, so an
older LibreOffice that ignores the options (JSON filter options need LibreOffice 7.4 or newer)
fails the build instead of writing an untagged PDF.

PDFs are not byte-reproducible: LibreOffice writes the creation time and a random /ID into
every file. The .docx files are the reproducible outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXPORT_FILTER", "INSTALL_HINT", "PdfError", "check_pdf", "convert_to_pdf",
           "find_soffice"]

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui), "
                "or name its program with --soffice PATH")

#: writer_pdf_Export options (LibreOffice ≥ 7.4 takes them as JSON after the filter name).
EXPORT_OPTIONS: dict[str, tuple[str, str]] = {
    "UseTaggedPDF": ("boolean", "true"),
    "PDFUACompliance": ("boolean", "true"),
    "DisplayPDFDocumentTitle": ("boolean", "true"),  # viewers show the title, not the file name
    "ExportBookmarks": ("boolean", "true"),  # the headings as the PDF's outline
    "UseLosslessCompression": ("boolean", "true"),  # charts stay sharp (no JPEG artefacts)
    "ExportNotes": ("boolean", "false"),
}
EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {k: {"type": t, "value": v} for k, (t, v) in EXPORT_OPTIONS.items()}, separators=(",", ":"))

#: Seconds LibreOffice gets: a start-up (a few seconds with a new profile) and each document.
TIMEOUT_START, TIMEOUT_PER_DOCUMENT = 60.0, 30.0


@dataclass
class PdfError(Exception):
    code: str  # pdf-soffice-missing, pdf-conversion-failed, pdf-timeout
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        return self.message


def find_soffice(explicit: str | os.PathLike | None = None) -> str | None:
    """The LibreOffice program: ``explicit`` when given (a path, or a name on PATH), else
    ``soffice`` or ``libreoffice`` on PATH, else the usual install places."""
    if explicit:
        path = Path(explicit)
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
        return shutil.which(str(explicit))
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = ["/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice",
                  "/Applications/LibreOffice.app/Contents/MacOS/soffice",
                  r"C:\Program Files\LibreOffice\program\soffice.exe"]
    return next((c for c in candidates if os.path.isfile(c) and os.access(c, os.X_OK)), None)


def convert_to_pdf(documents: dict[str, bytes], soffice: str, *, timeout: float | None = None,
                   timings: dict[str, float] | None = None) -> dict[str, bytes]:
    """``{name: docx bytes}`` → ``{name: pdf bytes}`` (names without extension).

    Raises PdfError when LibreOffice fails, times out or leaves a document unconverted.
    ``timings``, when given, receives the wall time of the whole conversion under "total".
    """
    if not documents:
        return {}
    timeout = timeout or TIMEOUT_START + TIMEOUT_PER_DOCUMENT * len(documents)
    with tempfile.TemporaryDirectory(prefix="reportgen-pdf-") as tmp:
        work = Path(tmp)
        src, out, profile = work / "docx", work / "pdf", work / "profile"
        src.mkdir()
        out.mkdir()
        inputs = []
        for name, data in documents.items():
            path = src / f"{name}.docx"
            path.write_bytes(data)
            inputs.append(str(path))
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
               "--nologo", "--nodefault", "--norestore", "--nolockcheck",
               "--convert-to", EXPORT_FILTER, "--outdir", str(out), *inputs]
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=tmp,
                                    start_new_session=(os.name == "posix"))
        except OSError as exc:
            raise PdfError("pdf-soffice-missing", f"cannot start LibreOffice ({soffice}): "
                           f"{exc.strerror or exc}", INSTALL_HINT) from None
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(proc)
            raise PdfError("pdf-timeout", f"LibreOffice did not finish converting "
                           f"{len(documents)} document(s) to PDF within {timeout:.0f} s; it was "
                           "stopped", "try again; if it happens again, convert one document by "
                           "hand with soffice --headless --convert-to pdf FILE.docx") from None
        if timings is not None:
            timings["total"] = time.perf_counter() - started
        results: dict[str, bytes] = {}
        missing = []
        for name in documents:
            pdf = out / f"{name}.pdf"
            if pdf.is_file() and pdf.stat().st_size > 0:
                results[name] = pdf.read_bytes()
            else:
                missing.append(name)
        if missing:
            said = _tail((stderr or b"") + (stdout or b""))
            raise PdfError("pdf-conversion-failed",
                           f"LibreOffice (exit {proc.returncode}) did not write a PDF of "
                           f"{', '.join(f'{m}.docx' for m in missing)}"
                           + (f"; it said: {said}" if said else ""),
                           "check that the .docx opens in LibreOffice; LibreOffice 7.4 or newer "
                           "is needed")
        return results


def _stop(proc: subprocess.Popen) -> None:
    """Stop LibreOffice and the processes it started (its own process group)."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass


def _tail(output: bytes, limit: int = 300) -> str:
    lines = [ln for ln in output.decode("utf-8", "replace").splitlines()
             if ln.strip() and "javaldx" not in ln and not ln.startswith("convert ")]
    text = " ".join(lines)
    return text[-limit:]


# ============================================================================ reading it back


def check_pdf(data: bytes, *, language: str | None = None, title: str | None = None) -> list[str]:
    """What the PDF lacks of a tagged, titled PDF in ``language`` (an empty list when nothing).

    Reads the catalogue (also inside compressed object streams) for /MarkInfo << /Marked true >>,
    /StructTreeRoot and /Lang, and the document information dictionary for /Title.
    """
    problems = []
    if not data.startswith(b"%PDF-"):
        return ["not a PDF file"]
    catalog = _catalog(data)
    if catalog is None:
        return ["no document catalogue found"]
    if not re.search(rb"/MarkInfo\s*<<[^>]*/Marked\s+true", catalog):
        problems.append("not tagged: the catalogue has no /MarkInfo << /Marked true >>")
    if not re.search(rb"/StructTreeRoot\s+\d+\s+\d+\s+R", catalog):
        problems.append("not tagged: the catalogue has no /StructTreeRoot")
    lang = re.search(rb"/Lang\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", catalog)
    found_lang = _pdf_string(lang.group(1)) if lang else None
    if not found_lang:
        problems.append("no document language (/Lang) in the catalogue")
    elif language and found_lang.lower() != language.lower():
        problems.append(f"the document language is {found_lang}, expected {language}")
    found_title = _info_title(data)
    if not found_title:
        problems.append("no title (/Title) in the document information")
    elif title and found_title != title:
        problems.append(f"the title is {found_title!r}, expected {title!r}")
    return problems


def _object_texts(data: bytes):
    """The file itself, then the decompressed contents of its object streams."""
    yield data
    for m in re.finditer(rb"stream\r?\n", data):
        head = data[max(0, m.start() - 400): m.start()]
        dict_start = head.rfind(b"<<")
        if dict_start < 0 or b"/ObjStm" not in head[dict_start:]:
            continue
        try:
            yield zlib.decompressobj().decompress(data[m.end():])
        except zlib.error:
            continue


def _dict_at(text: bytes, start: int) -> bytes:
    """The dictionary that begins with the ``<<`` at ``start`` (nested ones included)."""
    depth, i = 0, start
    while i < len(text) - 1:
        pair = text[i:i + 2]
        if pair == b"<<":
            depth += 1
            i += 2
            continue
        if pair == b">>":
            depth -= 1
            i += 2
            if depth == 0:
                return text[start:i]
            continue
        i += 1
    return text[start:]


def _catalog(data: bytes) -> bytes | None:
    for text in _object_texts(data):
        m = re.search(rb"/Type\s*/Catalog\b", text)
        if m:
            start = text.rfind(b"<<", 0, m.start())
            while start > 0 and _dict_at(text, start).find(b"/Type") < 0:  # pragma: no cover
                start = text.rfind(b"<<", 0, start)
            return _dict_at(text, max(start, 0))
    return None


def _info_title(data: bytes) -> str | None:
    refs = re.findall(rb"/Info\s+(\d+)\s+(\d+)\s+R", data)
    for num, gen in reversed(refs):  # the last trailer wins (incremental updates)
        for text in _object_texts(data):
            m = re.search(rb"(?<![0-9])" + num + rb"\s+" + gen + rb"\s+obj\s*<<", text)
            if m is None:
                continue
            info = _dict_at(text, m.end() - 2)
            t = re.search(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)", info)
            return _pdf_string(t.group(1)) if t else None
    return None


_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(",
            b")": b")", b"\\": b"\\"}


def _pdf_string(token: bytes) -> str:
    """A PDF string token, (literal) or <hex>, as text (UTF-16 with BOM, else PDFDocEncoding,
    read here as Latin-1)."""
    if token.startswith(b"<"):
        hexdigits = re.sub(rb"\s", b"", token[1:-1])
        if len(hexdigits) % 2:
            hexdigits += b"0"
        raw = bytes.fromhex(hexdigits.decode("ascii"))
    else:
        body, raw, i = token[1:-1], bytearray(), 0
        while i < len(body):
            c = body[i:i + 1]
            if c == b"\\" and i + 1 < len(body):
                nxt = body[i + 1:i + 2]
                if nxt in _ESCAPES:
                    raw += _ESCAPES[nxt]
                    i += 2
                    continue
                octal = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
                if octal:
                    raw.append(int(octal.group(0), 8) & 0xFF)
                    i += 1 + len(octal.group(0))
                    continue
                i += 1
                continue
            raw += c
            i += 1
        raw = bytes(raw)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


if __name__ == "__main__":  # pragma: no cover - a manual check: python -m reportgen.checks.pdf FILE.pdf
    for arg in sys.argv[1:]:
        print(arg, check_pdf(Path(arg).read_bytes()) or "ok")
