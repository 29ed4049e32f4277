"""Reviewer diffs: the normalized text of two versions of a deliverable, compared.

``reportgen diff OLD NEW`` compares two drafts (``.md``), two Word documents (``.docx``) or two
output folders. Each side is turned into the normalized Markdown of its document tree
(``write_markdown(parse(md))`` or ``write_markdown(read_docx(docx))``), so a ``.md`` and a
``.docx`` of the same tree give the same text and formatting noise never shows.

The text compared is that Markdown with table columns not padded (``compact_tables``), so one
changed cell is one changed line.

Folders are paired by deliverable: ``<id>.md`` and ``<id>.docx`` are the files of deliverable
``<id>``. Like is compared with like: when both folders have ``<id>.docx`` those are compared
(the document that is sent), else when both have ``<id>.md`` those; a deliverable that only one
folder has is compared with nothing (all added or all removed).

``--stat`` counts, per deliverable, the paragraphs (headings, paragraphs, list items, captions,
figures) and the table rows added, removed and changed. A changed row is an old and a new row
with the same first (key) cell, or failing that rows alike enough (``row_similarity``: the mean
of difflib SequenceMatcher ratios of the key cells and of the whole rows, at least 0.6); a
changed paragraph is an old and a new one whose words are at least 50 % alike.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.document.tree import (
    Block,
    BlockQuote,
    BulletList,
    Document,
    Figure,
    Heading,
    OrderedList,
    Paragraph,
    Table,
    plain_text,
)
from reportgen.findings import Finding, error

__all__ = ["DiffUsageError", "Side", "Stat", "align", "align_units", "compact_tables",
           "document_of", "pair_paths", "places", "stat", "stat_line", "text_of", "unified"]

# ============================================================================ alignment


def align(a: Sequence, b: Sequence, similarity: Callable[[int, int], float],
          threshold: float = 0.5, max_cells: int = 250_000
          ) -> list[tuple[int | None, int | None, bool]]:
    """Align two sequences of hashable keys: ``(i, j, equal)`` in order, where ``i`` or ``j``
    is None for an item only one side has.

    Equal runs come from difflib's SequenceMatcher; between them, items are paired when
    ``similarity(i, j)`` (0-1) reaches ``threshold``, keeping order and maximizing the summed
    similarity (dynamic programming; regions larger than ``max_cells`` pair by position).
    Within a gap, the old side's leftovers come before the new side's.
    """
    ids: dict = {}
    ka = [ids.setdefault(x, len(ids)) for x in a]
    kb = [ids.setdefault(x, len(ids)) for x in b]
    out: list[tuple[int | None, int | None, bool]] = []
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.extend((i, j, True) for i, j in zip(range(i1, i2), range(j1, j2)))
        else:
            out.extend(_pair_region(i1, i2, j1, j2, similarity, threshold, max_cells))
    return out


def _pair_region(i1: int, i2: int, j1: int, j2: int, sim: Callable[[int, int], float],
                 threshold: float, max_cells: int) -> list[tuple[int | None, int | None, bool]]:
    m, n = i2 - i1, j2 - j1
    pairs: list[tuple[int, int]] = []
    if m and n:
        if m * n > max_cells:
            for k in range(min(m, n)):
                if sim(i1 + k, j1 + k) >= threshold:
                    pairs.append((i1 + k, j1 + k))
        else:
            score = [[0.0] * (n + 1) for _ in range(m + 1)]
            take = [[False] * (n + 1) for _ in range(m + 1)]
            for x in range(1, m + 1):
                row, prev = score[x], score[x - 1]
                for y in range(1, n + 1):
                    best = max(prev[y], row[y - 1])
                    s = sim(i1 + x - 1, j1 + y - 1)
                    if s >= threshold and prev[y - 1] + s > best:
                        best = prev[y - 1] + s
                        take[x][y] = True
                    row[y] = best
            x, y = m, n
            while x and y:
                if take[x][y]:
                    pairs.append((i1 + x - 1, j1 + y - 1))
                    x, y = x - 1, y - 1
                elif score[x - 1][y] >= score[x][y - 1]:
                    x -= 1
                else:
                    y -= 1
            pairs.reverse()
    out: list[tuple[int | None, int | None, bool]] = []
    i, j = i1, j1
    for pi, pj in pairs + [(i2, j2)]:
        out.extend((k, None, False) for k in range(i, pi))
        out.extend((None, k, False) for k in range(j, pj))
        if pi < i2:
            out.append((pi, pj, False))
        i, j = pi + 1, pj + 1
    return out


def ratio(a: Sequence, b: Sequence, threshold: float = 0.0) -> float:
    """difflib's similarity of two sequences, 0 quickly when it cannot reach ``threshold``."""
    if not a and not b:
        return 1.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
        return 0.0
    return sm.ratio()


_WORDS = re.compile(r"\d+(?:[\u00a0\u202f.,]\d+)*|\w+|[^\w\s]", re.UNICODE)


def words(text: str) -> list[str]:
    """Words, numbers (with their no-break-space group separators) and punctuation."""
    return _WORDS.findall(text)


ROW_THRESHOLD = 0.6


def row_similarity(key_a: Sequence, all_a: Sequence, key_b: Sequence, all_b: Sequence) -> float:
    """How alike two table rows are: 1 when their first (key) cells are equal and not empty,
    else the mean of the key cells' and the whole rows' word similarity, counted only from
    ``ROW_THRESHOLD`` (0.6) up: "Totalt, 20 projekt | 64 600 000" and "Totalt, 19 projekt |
    63 400 000" pair, "Hallands län | 2 500 000" and "Gotlands län | 1 500 000" do not."""
    if key_a and key_a == key_b:
        return 1.0
    s = 0.5 * ratio(key_a, key_b) + 0.5 * ratio(all_a, all_b)
    return s if s >= ROW_THRESHOLD else 0.0


# ============================================================================ sides


class DiffUsageError(Exception):
    """A side is missing, of an unknown kind, or the two sides cannot be compared."""


@dataclass(frozen=True)
class Side:
    """One file of a comparison (None: the deliverable does not exist on that side)."""

    path: Path | None

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else "/dev/null"


KINDS = (".md", ".docx")


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in KINDS:
        raise DiffUsageError(f"{path}: expected a .md draft, a .docx or a folder of them")
    return suffix


def _deliverables(folder: Path) -> dict[str, dict[str, Path]]:
    out: dict[str, dict[str, Path]] = {}
    for p in sorted(folder.iterdir()):
        if not p.is_file() or p.name.startswith((".", "~$")):
            continue
        suffix = p.suffix.lower()
        if suffix in KINDS:
            out.setdefault(p.stem, {})[suffix] = p
    return out


def pair_paths(old: Path, new: Path) -> list[tuple[str, Side, Side]]:
    """What to compare: ``(name, old side, new side)`` per file or deliverable.

    Files are compared as given (any mix of .md and .docx). Folders pair ``<id>.docx`` with
    ``<id>.docx`` when both have it, else ``<id>.md`` with ``<id>.md``, else whatever each has.
    """
    for p in (old, new):
        if not p.exists():
            raise DiffUsageError(f"{p}: no such file or folder")
    if old.is_dir() != new.is_dir():
        raise DiffUsageError(f"cannot compare a folder with a file: {old} and {new}")
    if not old.is_dir():
        _kind(old)
        _kind(new)
        return [(new.stem if new.stem == old.stem else f"{old.name} → {new.name}",
                 Side(old), Side(new))]
    a, b = _deliverables(old), _deliverables(new)
    if not a and not b:
        raise DiffUsageError(f"no .md or .docx files in {old} or {new}")
    pairs = []
    for name in sorted(set(a) | set(b)):
        fa, fb = a.get(name, {}), b.get(name, {})
        if ".docx" in fa and ".docx" in fb:
            pairs.append((name, Side(fa[".docx"]), Side(fb[".docx"])))
        elif ".md" in fa and ".md" in fb:
            pairs.append((name, Side(fa[".md"]), Side(fb[".md"])))
        else:
            pick_a = fa.get(".docx") or fa.get(".md")
            pick_b = fb.get(".docx") or fb.get(".md")
            pairs.append((name, Side(pick_a), Side(pick_b)))
    return pairs


def document_of(side: Side) -> tuple[Document, list[Finding]]:
    """The (normalized) document tree of one side; an empty document for a missing side."""
    from reportgen.findings import Location
    from reportgen.formats.docx.reader import read_docx
    from reportgen.formats.markdown.reader import parse

    if side.path is None:
        return Document(()), []
    if _kind(side.path) == ".docx":
        return read_docx(side.path, name=str(side.path))
    try:
        text = side.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return Document(()), [error("diff.unreadable", f"cannot read the draft: {exc}",
                                    Location(str(side.path)))]
    return parse(text, str(side.path))


_TABLE_LINE = re.compile(r"^((?:> ?)*[ ]*)(\|.*\|)$")
_DELIMITER_CELL = re.compile(r"^(:?)-+(:?)$")
_PAD_BEFORE = re.compile(r" {2,}\|")
_PAD_AFTER = re.compile(r"(?<!\\)\| {2,}")


def compact_tables(markdown: str) -> str:
    """The normalized Markdown with table columns not padded: a changed cell changes its own
    row's line only, not every line of the table. Still parses to the same tree."""
    out = []
    for line in markdown.split("\n"):
        m = _TABLE_LINE.match(line)
        if m:
            prefix, row = m.groups()
            cells = row[1:-1].strip().split(" | ")
            if all(_DELIMITER_CELL.match(c) for c in cells):
                row = "| " + " | ".join(
                    "{}---{}".format(*_DELIMITER_CELL.match(c).groups()) for c in cells) + " |"
            else:
                # Cell text never starts or ends with a literal space (the writer escapes it),
                # so runs of spaces next to a column bar are padding.
                row = _PAD_AFTER.sub("| ", _PAD_BEFORE.sub(" |", row))
            line = prefix + row
        out.append(line)
    return "\n".join(out)


def text_of(doc: Document, side: Side) -> str:
    """What is compared: the normalized Markdown of the tree, tables unpadded
    (``compact_tables``); empty for a missing side."""
    from reportgen.formats.markdown.writer import write_markdown

    return "" if side.path is None else compact_tables(write_markdown(doc))


def unified(old_text: str, new_text: str, old_label: str, new_label: str,
            context: int = 3) -> str:
    """A unified diff of two texts (empty when they are equal), like ``diff -u``."""
    if old_text == new_text:
        return ""
    lines = difflib.unified_diff(old_text.splitlines(keepends=True),
                                 new_text.splitlines(keepends=True),
                                 old_label, new_label, n=context)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# ============================================================================ --stat


@dataclass
class Counts:
    added: int = 0
    removed: int = 0
    changed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Stat:
    paragraphs: Counts = field(default_factory=Counts)
    rows: Counts = field(default_factory=Counts)

    @property
    def any(self) -> bool:
        return self.paragraphs.any or self.rows.any


@dataclass(frozen=True)
class _Unit:
    kind: str  # "p" or "row"
    table: str  # the caption (or position) of a row's table; "" for paragraphs
    text: str  # what is compared: the Markdown of a paragraph, the cells of a row
    key: str  # a row's first cell
    words: tuple[str, ...]

    @property
    def key_words(self) -> tuple[str, ...]:
        return tuple(words(self.key))


#: Where a unit stands: the containers holding it, outermost first, each ``(key, block)``
#: (a list, a list item (block None), a block quote, a table or a chart's Figure; keys are
#: unique in the document), the unit's block, and ``row``: -1 for a heading, paragraph or
#: figure, -2 for a table's caption, 0 for a table's (or chart's data's) header row and 1.. for
#: its body rows.
Place = tuple[tuple[tuple[tuple, Block | None], ...], Block, int]


def places(doc: Document) -> list[Place]:
    """Every unit of ``doc`` (what ``--stat`` counts) in document order, with its place: the
    one walk of the tree that both ``stat`` and the review page (review/html.py) use."""
    out: list[Place] = []

    def walk(blocks, path: tuple, prefix: tuple) -> None:
        for k, b in enumerate(blocks):
            pos = prefix + (k,)
            if isinstance(b, (Heading, Paragraph, Figure)):
                out.append((path, b, -1))
                if isinstance(b, Figure) and b.data is not None:
                    # A chart: the figure, then its data's rows (header first), in the chart.
                    inner = path + ((pos, b),)
                    out.extend((inner, b, r) for r in range(1 + len(b.data.rows)))
            elif isinstance(b, (BulletList, OrderedList)):
                for m, item in enumerate(b.items):
                    ipos = pos + ("i", m)
                    walk(item, path + ((pos, b), (ipos, None)), ipos)
            elif isinstance(b, BlockQuote):
                walk(b.blocks, path + ((pos, b),), pos)
            elif isinstance(b, Table):
                inner = path + ((pos, b),)
                if b.caption:
                    out.append((inner, b, -2))
                out.extend((inner, b, r) for r in range(1 + len(b.rows)))
            elif isinstance(getattr(b, "blocks", None), tuple):
                # Any other block holding blocks is a wrapper that shows nothing of its own
                # (such as a mark of where text came from): its blocks count where they stand.
                walk(b.blocks, path, pos)  # type: ignore[union-attr]

    walk(doc.blocks, (), ())
    return out


def _units(doc: Document, where: list[Place] | None = None) -> list[_Unit]:
    from reportgen.formats.markdown.writer import write_markdown

    units: list[_Unit] = []
    tables: dict[tuple, int] = {}
    for path, b, row in (where if where is not None else places(doc)):
        if row == -1:
            if isinstance(b, Figure) and b.data is not None:
                b = Figure(b.src, b.alt, b.caption)  # a chart's values are its rows, below
            text = write_markdown(Document((b,))).strip()
            units.append(_Unit("p", "", text, "", tuple(words(text))))
        elif row == -2:
            units.append(_Unit("p", "", b.caption, "", tuple(words(b.caption))))  # type: ignore[union-attr]
        else:
            if isinstance(b, Figure):  # a chart's data: a changed value is a changed row
                table, name = b.data, b.caption or b.src
            else:
                table = b
                name = b.caption or f"#{tables.setdefault(path[-1][0], len(tables) + 1)}"  # type: ignore[union-attr]
            cells = tuple(plain_text(c) for c in (table.header if row == 0 else table.rows[row - 1]))  # type: ignore[union-attr]
            text = " | ".join(cells)
            units.append(_Unit("row", name, text, cells[0] if cells else "", tuple(words(text))))
    return units


def align_units(old: Document, new: Document, old_places: list[Place] | None = None,
                new_places: list[Place] | None = None
                ) -> tuple[list[_Unit], list[_Unit], list[tuple[int | None, int | None, bool]]]:
    """The units (paragraphs and table rows, in document order) of ``old`` and ``new`` and their
    alignment: what ``stat`` counts, and what the HTML review page (review/html.py) marks.
    ``old_places``/``new_places``: the documents' ``places``, when the caller has them."""
    a, b = _units(old, old_places), _units(new, new_places)

    def similarity(i: int, j: int) -> float:
        x, y = a[i], b[j]
        if x.kind != y.kind:
            return 0.0
        if x.kind == "row":
            return row_similarity(x.key_words, x.words, y.key_words, y.words)
        return ratio(x.words, y.words, 0.5)

    return a, b, align([(u.kind, u.text) for u in a], [(u.kind, u.text) for u in b], similarity)


def stat(old: Document, new: Document) -> Stat:
    """Paragraphs and table rows added, removed and changed from ``old`` to ``new``."""
    a, b, pairs = align_units(old, new)
    result = Stat()
    for i, j, equal in pairs:
        if equal:
            continue
        unit = a[i] if i is not None else b[j]  # type: ignore[index]
        counts = result.rows if unit.kind == "row" else result.paragraphs
        if i is None:
            counts.added += 1
        elif j is None:
            counts.removed += 1
        else:
            counts.changed += 1
    return result


def stat_line(name: str, s: Stat) -> str:
    p, r = s.paragraphs, s.rows
    return (f"{name}: paragraphs {p.added} added, {p.removed} removed, {p.changed} changed; "
            f"table rows {r.added} added, {r.removed} removed, {r.changed} changed")


# ============================================================================ one call


@dataclass(frozen=True)
class DeliverableDiff:
    """The comparison of one pair: a file with a file, or one deliverable of two output folders."""

    name: str
    old: Path | None  # None: only the new side has this deliverable
    new: Path | None  # None: only the old side has it
    text: str  # the unified diff of the normalized Markdown; "" when equal
    stat: Stat
    findings: tuple[Finding, ...] = ()  # about reading either side (an unreadable file is an error)

    @property
    def equal(self) -> bool:
        return not self.text and (self.old is None) == (self.new is None)


@dataclass(frozen=True)
class DiffResult:
    """What ``reportgen diff OLD NEW`` finds, one entry per compared pair."""

    entries: tuple[DeliverableDiff, ...]

    @property
    def equal(self) -> bool:
        return all(e.equal for e in self.entries)

    @property
    def findings(self) -> list[Finding]:
        return [f for e in self.entries for f in e.findings]

    @property
    def text(self) -> str:
        """The whole unified diff, as ``reportgen diff`` prints it."""
        return "".join(e.text for e in self.entries)


def compare(old: Path, new: Path, context: int = 3) -> DiffResult:
    """Compare two drafts, Word documents or output folders (paired as :func:`pair_paths` says)
    as normalized text. Raises :class:`DiffUsageError` when a side is missing or of an unknown kind."""
    entries = []
    for name, a, b in pair_paths(Path(old), Path(new)):
        doc_a, found_a = document_of(a)
        doc_b, found_b = document_of(b)
        entries.append(DeliverableDiff(
            name, a.path, b.path, unified(text_of(doc_a, a), text_of(doc_b, b), a.label, b.label, context),
            stat(doc_a, doc_b), tuple(found_a + found_b)))
    return DiffResult(tuple(entries))
