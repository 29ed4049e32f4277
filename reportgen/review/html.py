"""The review page: two versions of the deliverables as one self-contained, safe HTML page.

``reportgen diff OLD NEW --html FILE`` writes :func:`review_page`; ``reportgen build --html``
writes :func:`preview_page` for each deliverable (the same renderer, without marks).

What is marked comes from the one alignment of ``reportgen diff --stat``
(:func:`reportgen.review.diff.align_units`): the paragraphs (headings, paragraphs, list items,
captions, figures) and table rows of both documents, aligned in document order. Every unit that
``--stat`` counts as added, removed or changed is one element carrying ``data-change`` (``added``,
``removed``, ``changed``) and ``data-unit`` (``p`` or ``row``), so the page's counts and
``--stat``'s are the same numbers by construction; inside it, the text is marked with
``<ins>``/``<del>``: word by word in a changed paragraph, cell by cell in a changed row, whole
in an added or removed unit. A mark holding a digit has the class ``rg-num`` (changed figures
stand out). No ``<ins>``/``<del>`` is outside such an element.

The structure is NEW's: a removed unit is shown where it stood, in the table or list of NEW that
its own table or list was aligned with (a container of OLD is mapped to the container of NEW
that holds the units its units were paired with), else in a container of its own. Sections
(a heading and what follows it up to the next heading of its level or above) in which nothing
changed are folded in ``<details>``.

Safe to publish as a CI artifact: every text goes through ``html.escape``; a link keeps its
target only for http, https and mailto (:func:`safe_href`), anything else is shown as text;
images are inlined as ``data:`` URIs only when their bytes are PNG, JPEG or GIF, and a draft's
image only when it lies inside the draft's folder; the page carries a Content-Security-Policy
that allows nothing but inline images and its own style and script (by their SHA-256 hashes).
The script is a convenience only (next/previous change with buttons or the keys n and p,
collapse and expand all); without it the page reads the same.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from reportgen.document.links import is_allowed
from reportgen.document.tree import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    Strong,
    Table,
    Text,
    plain_text,
)
from reportgen.review.diff import Place, Stat, align_units, places

__all__ = ["CSP", "SCRIPT", "STYLE", "Compared", "data_uri", "images_of", "preview_page",
           "review_page", "safe_href"]

ImageSource = Callable[[str], "bytes | None"]

# ============================================================================ links and images

def safe_href(url: str) -> str | None:
    """``url`` when it is a web address with a host (http, https) or an e-mail address (mailto),
    else None: the link is shown as its text. The documents' one link policy
    (:mod:`reportgen.document.links`), without its ``#bookmark`` targets, which mean nothing on
    this page."""
    url = url.strip()
    if not url or url.startswith("#") or not is_allowed(url):
        return None
    return url


_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))
MAX_IMAGE_BYTES = 20 * 1024 * 1024


def data_uri(data: bytes | None) -> str | None:
    """A ``data:`` URI for PNG, JPEG or GIF bytes (by their signature, not their name); None
    for anything else (an SVG could carry script, a file of another kind is no picture)."""
    if not data or len(data) > MAX_IMAGE_BYTES:
        return None
    for magic, mime in _IMAGE_TYPES:
        if data.startswith(magic):
            return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return None


def images_of(path: Path | None) -> ImageSource:
    """The pictures of one side of a comparison, by a figure's ``src``: from a .docx's media
    parts, or for a .md draft from files inside the draft's folder (never outside it: a
    draft's ``![x](../../secret)`` must not copy a file into a published page)."""
    if path is None:
        return lambda src: None
    if path.suffix.lower() == ".docx":
        return _docx_images(path)
    folder = path.parent.resolve()

    def read(src: str) -> bytes | None:
        try:
            target = (folder / src).resolve()
            if folder not in target.parents or not target.is_file():
                return None
            if target.stat().st_size > MAX_IMAGE_BYTES:
                return None
            return target.read_bytes()
        except (OSError, ValueError):
            return None

    return read


def _docx_images(path: Path) -> ImageSource:
    from reportgen.formats.docx.reader import NS, R_EMBED, DocxError, load_package

    found: dict[str, bytes] = {}
    try:
        pkg = load_package(path)
        root = pkg.xml(pkg.main)
        rels = pkg.rels(pkg.main)
    except (DocxError, OSError):
        root = None
    if root is not None:
        for pic in root.iter(f"{{{NS['pic']}}}pic"):
            cnv = pic.find(f".//{{{NS['pic']}}}cNvPr")
            blip = pic.find(f".//{{{NS['a']}}}blip")
            if blip is None:
                continue
            _, target, mode = rels.get(blip.get(R_EMBED) or "", ("", "", ""))
            data = pkg.entries.get(target) if mode != "External" else None
            if data is None:
                continue
            # The reader names a figure by the picture's name, else by its media file's.
            for name in ((cnv.get("name") if cnv is not None else None), Path(target).name):
                if name:
                    found.setdefault(name, data)
    return found.get


# ============================================================================ inline text

_TOKEN = re.compile(r"\d+(?:[\u00a0\u202f.,]\d+)*|\w+|\s+|[^\w\s]")
_Fmt = tuple  # (strong, emphasis, code, link url or None)
_PLAIN: _Fmt = (False, False, False, None)
_BREAK = ("\n", _PLAIN)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _tokens(inlines: Iterable[Inline]) -> list[tuple[str, _Fmt]]:
    """Words, numbers, spaces and punctuation, each with its formatting; a line break is
    ``("\\n", plain)``."""
    out: list[tuple[str, _Fmt]] = []

    def walk(items: Iterable[Inline], strong: bool, em: bool, link: str | None) -> None:
        for x in items:
            if isinstance(x, Text):
                out.extend((t, (strong, em, False, link)) for t in _TOKEN.findall(x.text))
            elif isinstance(x, Code):
                out.extend((t, (strong, em, True, link)) for t in _TOKEN.findall(x.text))
            elif isinstance(x, LineBreak):
                out.append(_BREAK)
            elif isinstance(x, Strong):
                walk(x.children, True, em, link)
            elif isinstance(x, Emphasis):
                walk(x.children, strong, True, link)
            elif isinstance(x, Link):
                walk(x.children, strong, em, x.url)

    walk(inlines, False, False, None)
    return out


def _runs(tokens: list[tuple[str, _Fmt]]) -> str:
    """Tokens as HTML, formatting runs merged."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == _BREAK:
            out.append("<br>")
            i += 1
            continue
        fmt = tokens[i][1]
        j = i
        while j < len(tokens) and tokens[j][1] == fmt and tokens[j] != _BREAK:
            j += 1
        text = _e("".join(t for t, _ in tokens[i:j]))
        strong, em, code, link = fmt
        if code:
            text = f"<code>{text}</code>"
        if em:
            text = f"<em>{text}</em>"
        if strong:
            text = f"<strong>{text}</strong>"
        if link is not None:
            href = safe_href(link)
            if href is not None:
                text = f'<a href="{_e(href)}">{text}</a>'
        out.append(text)
        i = j
    return "".join(out)


_FIGURE = re.compile(r"\d+(?:[\u00a0\u202f.,]\d+)*")


def _is_figure(tokens: list[tuple[str, _Fmt]]) -> bool:
    """A changed figure: the marked text is numbers with at most a unit or sign around them
    ("26 200 000", "19", "5,2 %", "kr 1 200"), not a name that holds a digit ("SI-2018-01 ...")."""
    words = [t for t, _ in tokens if not t.isspace()]
    figures = sum(1 for t in words if _FIGURE.fullmatch(t))
    return figures > 0 and len(words) - figures <= 2 * figures and all(
        _FIGURE.fullmatch(t) or len(t) <= 4 for t in words)


def _marked(tag: str, tokens: list[tuple[str, _Fmt]]) -> str:
    """``tokens`` in one ``<ins>`` or ``<del>``; spaces at either end stay outside it, so that
    the underline or strike starts and ends with the words ("" for no tokens; only spaces are
    left unmarked)."""
    start, end = 0, len(tokens)
    while start < end and tokens[start][0].isspace():
        start += 1
    while end > start and tokens[end - 1][0].isspace():
        end -= 1
    if start == end:
        return _runs(tokens)
    inner = _runs(tokens[start:end])
    mark = f'<{tag} class="rg-num">{inner}</{tag}>' if _is_figure(tokens) else f"<{tag}>{inner}</{tag}>"
    return _runs(tokens[:start]) + mark + _runs(tokens[end:])


def _word_diff(old: list[tuple[str, _Fmt]], new: list[tuple[str, _Fmt]]) -> str:
    """NEW's text with the words OLD did not have in ``<ins>`` and OLD's words NEW does not
    have in ``<del>`` (a change of formatting shows as the word deleted and inserted)."""
    ops = SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    merged: list[list] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal" and merged and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        elif (tag != "equal" and len(merged) >= 2 and merged[-2][0] != "equal"
              and all(t.isspace() for t, _ in old[merged[-1][1]:merged[-1][2]])):
            # "a b" → "x y": one deletion and one insertion, not one per word around the
            # spaces they share.
            merged.pop()
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
        else:
            merged.append([tag, i1, i2, j1, j2])
    out = []
    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            out.append(_runs(new[j1:j2]))
        else:
            out.append(_marked("del", old[i1:i2]))
            out.append(_marked("ins", new[j1:j2]))
    return "".join(out)


# ============================================================================ the merged tree


@dataclass(frozen=True)
class _Leaf:
    kind: str  # "heading", "para", "figure", "caption", "row"
    block: Block
    row: int = -1  # a row's index: 0 the header, 1.. the body
    images: ImageSource | None = None


def _text(leaf: _Leaf | None) -> tuple[Inline, ...] | None:
    """The text of a paragraph-like unit, whatever it is: ``--stat`` may pair a heading with a
    paragraph, a table's caption with a paragraph, a figure with either (all are "p" units)."""
    if leaf is None:
        return None
    b = leaf.block
    if leaf.kind in ("heading", "para"):
        return b.inlines  # type: ignore[union-attr]
    if leaf.kind == "caption":
        return (Text(b.caption),) if b.caption else ()  # type: ignore[union-attr]
    if leaf.kind == "figure":
        return (Text(b.caption),) if b.caption else ()  # type: ignore[union-attr]
    return ()


@dataclass
class _Event:
    status: str  # "same", "added", "removed", "changed"
    unit: str  # "p" or "row", as diff --stat counts it
    new: _Leaf | None
    old: _Leaf | None

    @property
    def leaf(self) -> _Leaf:
        return self.new if self.new is not None else self.old  # type: ignore[return-value]


@dataclass
class _Node:
    key: tuple
    kind: str  # "ul", "ol", "li", "quote", "table"
    block: Block | None
    children: list = field(default_factory=list)
    index: dict = field(default_factory=dict)

    def child(self, key: tuple, kind: str, block: Block | None) -> _Node:
        node = self.index.get(key)
        if node is None:
            node = self.index[key] = _Node(key, kind, block)
            self.children.append(node)
        return node


def _kind(block: Block | None) -> str:
    if block is None:
        return "li"
    if isinstance(block, BulletList):
        return "ul"
    if isinstance(block, OrderedList):
        return "ol"
    if isinstance(block, BlockQuote):
        return "quote"
    if isinstance(block, (Table, Figure)):
        return "table"  # a table, or a chart's values (its data's rows, which --stat counts)
    return "group"  # a container this page knows no better tag for: its blocks in order


def _places(doc: Document, side: str, images: ImageSource
            ) -> tuple[list[Place], list[tuple[tuple, _Leaf]], dict[tuple, tuple[str, Block | None]]]:
    """Each unit of ``doc`` (``diff.places``, the walk --stat counts by): the keys of the
    containers it sits in and what it is; and what each container is."""
    where = places(doc)
    out: list[tuple[tuple, _Leaf]] = []
    containers: dict[tuple, tuple[str, Block | None]] = {}
    for path, block, row in where:
        keys = []
        for pos, container in path:
            key = (side, pos)
            containers.setdefault(key, (_kind(container), container))
            keys.append(key)
        if row >= 0:
            leaf = _Leaf("row", block, row)
        elif row == -2:
            leaf = _Leaf("caption", block)
        elif isinstance(block, Heading):
            leaf = _Leaf("heading", block)
        elif isinstance(block, Figure):
            leaf = _Leaf("figure", block, images=images)
        else:
            leaf = _Leaf("para", block)
        out.append((tuple(keys), leaf))
    return where, out, containers


def _merge(old: Document, new: Document, old_images: ImageSource, new_images: ImageSource
           ) -> tuple[_Node, Stat]:
    """NEW's tree with OLD's removed units put where they stood, and the counts of --stat."""
    where_a, places_a, cont_a = _places(old, "old", old_images)
    where_b, places_b, cont_b = _places(new, "new", new_images)
    units_a, units_b, pairs = align_units(old, new, where_a, where_b)
    mapping: dict[tuple, tuple] = {}
    for i, j, _ in pairs:
        if i is None or j is None:
            continue
        for ko, kn in zip(places_a[i][0], places_b[j][0], strict=False):
            if ko in mapping:
                if mapping[ko] != kn:
                    break
                continue
            if cont_a[ko][0] != cont_b[kn][0]:
                break
            mapping[ko] = kn
    root = _Node((), "root", None)
    stat = Stat()
    containers = {**cont_a, **cont_b}
    for i, j, equal in pairs:
        if j is not None:
            path, leaf = places_b[j]
            unit = units_b[j].kind
            old_leaf = places_a[i][1] if i is not None else None
            status = "same" if equal else "added" if i is None else "changed"
        else:
            assert i is not None
            path_a, old_leaf = places_a[i]
            unit = units_a[i].kind
            path = []
            for k, ko in enumerate(path_a):
                if ko not in mapping:
                    path.extend(path_a[k:])
                    break
                path.append(mapping[ko])
            path, leaf, status = tuple(path), None, "removed"
        counts = stat.rows if unit == "row" else stat.paragraphs
        if status == "added":
            counts.added += 1
        elif status == "removed":
            counts.removed += 1
        elif status == "changed":
            counts.changed += 1
        node = root
        for key in path:
            kind, block = containers[key]
            node = node.child(key, kind, block)
        node.children.append(_Event(status, unit, leaf, old_leaf))
    return root, stat


# ============================================================================ rendering


def _changed(item) -> bool:
    if isinstance(item, _Event):
        return item.status != "same"
    return any(_changed(c) for c in item.children)


def _count(item) -> tuple[int, int]:
    """(paragraphs, table rows) under an item."""
    if isinstance(item, _Event):
        return (0, 1) if item.unit == "row" else (1, 0)
    p = r = 0
    for c in item.children:
        cp, cr = _count(c)
        p, r = p + cp, r + cr
    return p, r


def _attrs(ev: _Event, marks: bool) -> str:
    if not marks or ev.status == "same":
        return ""
    return f' data-change="{ev.status}" data-unit="{ev.unit}" tabindex="-1"'


def _inline_change(ev: _Event, old_inlines, new_inlines) -> str:
    """The text of a paragraph-like unit with its marks."""
    if ev.status == "same" or ev.status == "added" and new_inlines is None:
        return _runs(_tokens(new_inlines or ()))
    if ev.status == "added":
        return _whole("ins", _tokens(new_inlines))
    if ev.status == "removed":
        return _whole("del", _tokens(old_inlines))
    a, b = _tokens(old_inlines), _tokens(new_inlines)
    out = _word_diff(a, b)
    if "<ins" not in out and "<del" not in out:
        # Changed only in what the words do not show (a heading's level, spaces): old and new
        # whole, so that every unit --stat counts carries a mark.
        out = _whole("del", a) + " " + _whole("ins", b)
    return out


def _whole(tag: str, tokens: list[tuple[str, _Fmt]]) -> str:
    """All of a unit's text marked; an empty or blank text shows as "(tomt)", so that every
    unit --stat counts carries a mark."""
    out = _marked(tag, tokens)
    return out if f"<{tag}" in out else out + f"<{tag}>(tomt)</{tag}>"


def _chart_data(fig) -> Table | None:
    """A native chart's data table (``Figure.data``), else None."""
    data = getattr(fig, "data", None)
    return data if isinstance(data, Table) else None


def _table_of(block: Block) -> Table:
    """The table a row belongs to: a table's own, or a chart's data."""
    return _chart_data(block) or block if isinstance(block, Figure) else block  # type: ignore[return-value]


_VALUE = re.compile(r"[-−]?\d+(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?")
_PALETTE = ("#0b5cad", "#c2410c", "#2f7d32", "#6d28d9", "#9a3412", "#0f766e")


def _value(text: str) -> float | None:
    m = _VALUE.search(text)
    if m is None:
        return None
    number = re.sub(r"[\u00a0\u202f ]", "", m.group()).replace(",", ".").replace("−", "-")
    return float(number)


def chart_svg(data: Table, alt: str) -> str:
    """A native chart's bars drawn from its data table, as inline SVG (nothing to load, nothing
    the page's policy forbids); "" when a value is not a number. Horizontal bars, one colour per
    series, the values written at the bars; the table below stays the accessible version."""
    categories = [plain_text(r[0]) if r else "" for r in data.rows]
    series = [plain_text(c) for c in data.header[1:]]
    values = [[_value(plain_text(r[k])) if k < len(r) else None for k in range(1, len(data.header))]
              for r in data.rows]
    if not categories or not series or any(v is None for row in values for v in row):
        return ""
    labels = [[plain_text(r[k]) for k in range(1, len(data.header))] for r in data.rows]
    low = min(0.0, *(v for row in values for v in row))  # type: ignore[type-var]
    high = max(0.0, *(v for row in values for v in row))  # type: ignore[type-var]
    span = (high - low) or 1.0
    bar, gap = 16, 10
    label_w, plot_w, value_w = 190, 330, 110
    legend = 22 if len(series) > 1 else 0
    group = bar * len(series) + gap
    height = legend + group * len(categories) + 4
    width = label_w + plot_w + value_w

    def x(v: float) -> float:
        return label_w + (v - low) / span * plot_w

    out = [(f'<svg class="rg-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{_e(alt)}" font-family="sans-serif" '
           f'font-size="12"><title>{_e(alt)}</title>')]
    for k, name in enumerate(series if legend else []):
        lx = label_w + k * 150
        out.append(f'<rect x="{lx}" y="4" width="12" height="12" fill="{_PALETTE[k % len(_PALETTE)]}"/>'
                   f'<text x="{lx + 16}" y="14" fill="#1b1b1b">{_e(name)}</text>')
    for i, cat in enumerate(categories):
        top = legend + i * group
        out.append(f'<text x="{label_w - 6}" y="{top + bar * len(series) / 2 + 4:.1f}" text-anchor="end" '
                   f'fill="#1b1b1b">{_e(cat)}</text>')
        for k, v in enumerate(values[i]):
            x0, x1 = sorted((x(0.0), x(v)))  # type: ignore[arg-type]
            y = top + k * bar
            out.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 0.5):.1f}" height="{bar - 3}" '
                       f'fill="{_PALETTE[k % len(_PALETTE)]}"/>'
                       f'<text x="{x1 + 4:.1f}" y="{y + bar - 5}" fill="#1b1b1b">{_e(labels[i][k])}</text>')
    out.append(f'<line x1="{x(0.0):.1f}" y1="{legend}" x2="{x(0.0):.1f}" y2="{height}" stroke="#1b1b1b"/></svg>')
    return "".join(out)


def _cell_diff(old, new) -> str:
    """A changed cell: word by word when most of it stayed (a renamed project keeps most of its
    title), else the old cell struck and the new one inserted (an amount, a status)."""
    a, b = _tokens(old), _tokens(new)
    if (a and b and not _is_figure(a) and not _is_figure(b)
            and SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.5):
        out = _word_diff(a, b)
        if "<ins" in out or "<del" in out:
            return out
    out = " ".join(x for x in (_marked("del", a), _marked("ins", b)) if x)
    return out if "<ins" in out or "<del" in out else _whole("del", a) + " " + _whole("ins", b)


class _Renderer:
    def __init__(self, marks: bool, shift: int, collapse: bool, label: str = "") -> None:
        self.marks = marks
        self.label = label  # added to a table's region name, which must be unique on the page
        self.shift = shift  # added to a document heading's level (the page's own come first)
        self.collapse = collapse
        self.out: list[str] = []

    # ---------------------------------------------------------------- leaves

    def text_of(self, ev: _Event) -> str:
        new, old = _text(ev.new), _text(ev.old)
        if not self.marks:
            return _runs(_tokens(new or ()))
        return _inline_change(ev, old, new)

    def event(self, ev: _Event) -> None:
        kind = ev.leaf.kind
        attrs = _attrs(ev, self.marks)
        if kind == "heading":
            level = min(6, ev.leaf.block.level + self.shift)  # type: ignore[union-attr]
            self.out.append(f"<h{level}{attrs}>{self.text_of(ev)}</h{level}>\n")
        elif kind == "para":
            self.out.append(f"<p{attrs}>{self.text_of(ev)}</p>\n")
        elif kind == "figure":
            self.figure(ev, attrs)
        else:  # pragma: no cover - captions and rows are rendered by table()
            raise AssertionError(kind)

    def figure(self, ev: _Event, attrs: str) -> None:
        def img(leaf: _Leaf | None) -> str:
            if leaf is None or leaf.kind != "figure":
                return ""
            fig: Figure = leaf.block  # type: ignore[assignment]
            uri = data_uri(leaf.images(fig.src)) if leaf.images else None
            if uri is None:
                data = _chart_data(fig)
                if data is not None:  # a native chart: drawn here from its data, the table below
                    return chart_svg(data, fig.alt)
                return f'<span class="rg-noimg">[Bild: {_e(fig.alt or fig.src)}]</span>'
            return f'<img src="{uri}" alt="{_e(fig.alt)}">'

        def caption(leaf: _Leaf | None) -> tuple[Inline, ...]:
            return _text(leaf) or ()

        if not self.marks or ev.status == "same":
            picture = img(ev.new)
        elif ev.status == "added":
            picture = f"<ins>{img(ev.new)}</ins>"
        elif ev.status == "removed":
            picture = f"<del>{img(ev.old)}</del>"
        else:
            before, after = img(ev.old), img(ev.new)
            if before == after:
                picture = after
            elif before and after:
                picture = f'<div class="rg-figpair"><del>{before}</del><ins>{after}</ins></div>'
            else:  # a figure paired with a paragraph: one side has no picture
                picture = f"<del>{before}</del>" if before else f"<ins>{after}</ins>"
            old_alt = ev.old.block.alt if ev.old is not None and ev.old.kind == "figure" else ""  # type: ignore[union-attr]
            if old_alt != ev.new.block.alt:  # type: ignore[union-attr]
                picture += (f'<p class="rg-alt">Alternativtext: '
                            f'{_word_diff(_tokens((Text(old_alt),)), _tokens((Text(ev.new.block.alt),)))}'  # type: ignore[union-attr]
                            "</p>")
        if self.marks and ev.status == "changed" and caption(ev.old) == caption(ev.new):
            text = _runs(_tokens(caption(ev.new)))  # only the picture, its data or its text changed
        else:
            text = self.caption_text(ev, caption)
        if self.marks and ev.status == "changed" and "<ins" not in picture + text and "<del" not in picture + text:
            # Nothing the page shows differs (the picture's name in the document): say which.
            old_src = ev.old.block.src if ev.old.kind == "figure" else ""  # type: ignore[union-attr]
            new_src = ev.new.block.src  # type: ignore[union-attr]
            picture += (f'<p class="rg-alt">Bildens namn: {_marked("del", _tokens((Text(old_src),)))} '
                        f'{_marked("ins", _tokens((Text(new_src),)))}</p>')
        cap = f"<figcaption>{text}</figcaption>" if text else ""
        self.out.append(f"<figure{attrs}>{picture}{cap}</figure>\n")

    def caption_text(self, ev: _Event, get) -> str:
        new, old = get(ev.new), get(ev.old)
        if not self.marks:
            return _runs(_tokens(new))
        if ev.status == "changed" and not old and not new:
            return ""
        return _inline_change(ev, old, new)

    def cells(self, ev: _Event) -> list[tuple[str, bool]]:
        """Each cell's HTML and whether it is a changed cell of a changed row."""
        def row_of(leaf: _Leaf | None) -> tuple:
            if leaf is None:
                return ()
            t = _table_of(leaf.block)
            return t.header if leaf.row == 0 else t.rows[leaf.row - 1]

        new, old = row_of(ev.new), row_of(ev.old)
        if not self.marks or ev.status == "same":
            return [(_runs(_tokens(c)), False) for c in new]
        if ev.status in ("added", "removed"):
            tag, row = ("ins", new) if ev.status == "added" else ("del", old)
            cells = [(_marked(tag, _tokens(c)), False) for c in row]
            if cells and not any(f"<{tag}" in c for c, _ in cells):  # a row of empty cells
                cells[0] = (f"<{tag}>(tom rad)</{tag}>", False)
            return cells
        out = []
        for k in range(max(len(old), len(new))):
            a = old[k] if k < len(old) else ()
            b = new[k] if k < len(new) else ()
            if plain_text(a) == plain_text(b):
                out.append((_runs(_tokens(b)), False))
            else:
                out.append((_cell_diff(a, b), True))
        if not any(changed for _, changed in out):
            # Equal cell texts in a changed row (a column added or dropped at the end): whole.
            out = [(" ".join(x for x in (_marked("del", _tokens(a)), _marked("ins", _tokens(b))) if x), True)
                   for a, b in zip(old, new, strict=False)]
        return out

    # ---------------------------------------------------------------- containers

    def table(self, node: _Node) -> None:
        chart = isinstance(node.block, Figure)
        t = _table_of(node.block)  # type: ignore[arg-type]
        captions = [e for e in node.children if isinstance(e, _Event) and e.leaf.kind == "caption"]
        head = [e for e in node.children if isinstance(e, _Event) and e.leaf.kind == "row" and e.leaf.row == 0]
        body = [e for e in node.children if isinstance(e, _Event) and e.leaf.kind == "row" and e.leaf.row > 0]
        if chart:  # a chart's values, under the chart: named after it
            fig: Figure = node.block  # type: ignore[assignment]
            name = " – ".join(x for x in ("Diagrammets värden", fig.caption or fig.alt, self.label) if x)
        else:
            name = " – ".join(x for x in (t.caption or "Tabell", self.label) if x)
        kind = ' class="rg-chartdata"' if chart else ""
        self.out.append(f'<div class="rg-table" role="region" aria-label="{_e(name)}" tabindex="0">\n'
                        f"<table{kind}>\n")
        if chart:
            self.out.append("<caption>Diagrammets värden</caption>\n")
        if captions:
            parts = []
            for ev in captions:
                text = self.caption_text(ev, _text)
                attrs = _attrs(ev, self.marks)
                parts.append(f"<span{attrs}>{text}</span>" if attrs else text)
            self.out.append(f"<caption>{' '.join(parts)}</caption>\n")
        align = ["left"] * len(t.header)
        for a_k, a in enumerate(t.align):
            if a_k < len(align):
                align[a_k] = a

        def cls(k: int, extra: str = "") -> str:
            names = [n for n in (f"rg-{align[k]}" if k < len(align) and align[k] != "left" else "", extra) if n]
            return f' class="{" ".join(names)}"' if names else ""

        if head:
            self.out.append("<thead>\n")
            for ev in head:
                cells = "".join(f'<th scope="col"{cls(k, "rg-cell" if ch else "")}>{c}</th>'
                                for k, (c, ch) in enumerate(self.cells(ev)))
                self.out.append(f"<tr{_attrs(ev, self.marks)}>{cells}</tr>\n")
            self.out.append("</thead>\n")
        if body:
            self.out.append("<tbody>\n")
            for ev in body:
                leaf = ev.leaf
                lt = _table_of(leaf.block)
                total = lt.totals and leaf.row == len(lt.rows)
                cells = []
                for k, (c, ch) in enumerate(self.cells(ev)):
                    tag = "th" if k == 0 else "td"
                    scope = ' scope="row"' if k == 0 else ""
                    cells.append(f"<{tag}{scope}{cls(k, 'rg-cell' if ch else '')}>{c}</{tag}>")
                row_cls = ' class="rg-total"' if total else ""
                self.out.append(f"<tr{row_cls}{_attrs(ev, self.marks)}>{''.join(cells)}</tr>\n")
            self.out.append("</tbody>\n")
        self.out.append("</table>\n</div>\n")

    def item(self, item) -> None:
        if isinstance(item, _Event):
            self.event(item)
        elif item.kind == "table":
            self.table(item)
        elif item.kind in ("ul", "ol"):
            start = ""
            if item.kind == "ol" and getattr(item.block, "start", 1) != 1:
                start = f' start="{int(item.block.start)}"'  # type: ignore[union-attr]
            self.out.append(f"<{item.kind}{start}>\n")
            for c in item.children:
                self.item(c)
            self.out.append(f"</{item.kind}>\n")
        elif item.kind == "li":
            self.out.append("<li>")
            for c in item.children:
                self.item(c)
            self.out.append("</li>\n")
        elif item.kind == "quote":
            self.out.append("<blockquote>\n")
            for c in item.children:
                self.item(c)
            self.out.append("</blockquote>\n")
        elif item.kind == "group":
            self.out.append("<div>\n")
            for c in item.children:
                self.item(c)
            self.out.append("</div>\n")
        else:  # pragma: no cover
            raise AssertionError(item.kind)

    # ---------------------------------------------------------------- sections

    def document(self, root: _Node) -> None:
        top = _Section(None, 0)
        stack = [top]
        for it in root.children:
            if isinstance(it, _Event) and it.leaf.kind == "heading":
                level = it.leaf.block.level  # type: ignore[union-attr]
                while stack[-1].level >= level:
                    stack.pop()
                sec = _Section(it, level)
                stack[-1].subs.append(sec)
                stack.append(sec)
            else:
                stack[-1].items.append(it)
        self.body(top)

    def body(self, sec: _Section) -> None:
        content = sec.items + sec.subs
        if self.collapse and sec.heading is not None and content and not any(map(_section_changed, content)):
            p = r = 0
            for c in content:
                cp, cr = _section_count(c)
                p, r = p + cp, r + cr
            what = f"{p} stycken" + (f", {r} tabellrader" if r else "")
            self.out.append(f'<details class="rg-same"><summary>Oförändrat avsnitt ({what})</summary>\n')
            self.contents(sec)
            self.out.append("</details>\n")
        else:
            self.contents(sec)

    def contents(self, sec: _Section) -> None:
        for it in sec.items:
            self.item(it)
        for sub in sec.subs:
            self.out.append("<section>\n")
            self.event(sub.heading)  # type: ignore[arg-type]
            self.body(sub)
            self.out.append("</section>\n")


@dataclass
class _Section:
    heading: _Event | None
    level: int
    items: list = field(default_factory=list)
    subs: list[_Section] = field(default_factory=list)


def _section_changed(x) -> bool:
    if isinstance(x, _Section):
        return (x.heading is not None and _changed(x.heading)) or any(map(_section_changed, x.items + x.subs))
    return _changed(x)


def _section_count(x) -> tuple[int, int]:
    if isinstance(x, _Section):
        p, r = (1, 0) if x.heading is not None else (0, 0)
        for c in x.items + x.subs:
            cp, cr = _section_count(c)
            p, r = p + cp, r + cr
        return p, r
    return _count(x)


# ============================================================================ the page

STYLE = """
:root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c8c8c8;--ins:#dafbe1;--ins-ink:#0b4f1c;--del:#ffe1e1;
--del-ink:#8a1111;--num:#ffe58a;--focus:#1a5fb4}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--ink);background:#fff}
main{max-width:52rem;margin:0 auto;padding:0 1rem 4rem}
h1{font-size:1.6rem;line-height:1.25;margin:1.2rem 0 .5rem}
h2{font-size:1.4rem;margin:1.8rem 0 .5rem;padding-top:.5rem;border-top:3px solid var(--ink)}
h3{font-size:1.2rem;margin:1.6rem 0 .5rem}
h4,h5,h6{font-size:1.05rem;margin:1.2rem 0 .4rem}
p,li{max-width:70ch}
a{color:#0b4fa0}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em}
ins,.rg-ins{background:var(--ins);color:var(--ins-ink);text-decoration:underline;text-decoration-thickness:2px}
del,.rg-del{background:var(--del);color:var(--del-ink);text-decoration:line-through}
ins.rg-num,del.rg-num{font-weight:700;outline:2px solid var(--num);outline-offset:0}
ins::before,ins::after,del::before,del::after{position:absolute;width:1px;height:1px;overflow:hidden;
clip-path:inset(50%);white-space:nowrap}
ins::before{content:" [tillagt: "}del::before{content:" [borttaget: "}
ins::after,del::after{content:"] "}
[data-change]{scroll-margin:5rem}
p[data-change],li>[data-change],h3[data-change],h4[data-change],h5[data-change],h6[data-change],
figure[data-change]{border-left:4px solid var(--line);padding-left:.6rem;margin-left:-.85rem}
li>[data-change]{margin-left:0}
[data-change=added]{border-left-color:#2da44e!important}
[data-change=removed]{border-left-color:#cf222e!important}
[data-change=changed]{border-left-color:#bf8700!important}
tr[data-change=added]{box-shadow:inset 4px 0 #2da44e}
tr[data-change=removed]{box-shadow:inset 4px 0 #cf222e}
tr[data-change=changed]{box-shadow:inset 4px 0 #bf8700}
.rg-current{outline:3px solid var(--focus)!important;outline-offset:2px}
[data-change]:focus{outline:3px solid var(--focus);outline-offset:2px}
.rg-table{overflow-x:auto;margin:1rem 0;max-width:100%}
.rg-table:focus{outline:2px solid var(--focus)}
table{border-collapse:collapse;font-size:.92rem;min-width:60%}
caption{caption-side:top;text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;vertical-align:top;text-align:left}
thead th{background:#f0f0f0}
tbody th{font-weight:400}
.rg-right{text-align:right;font-variant-numeric:tabular-nums}
.rg-center{text-align:center}
tr.rg-total th,tr.rg-total td{font-weight:700;border-top:2px solid var(--ink)}
figure{margin:1rem 0}
figure img,figure svg{max-width:100%;height:auto;display:block}
.rg-figpair{display:flex;gap:.5rem;align-items:flex-start}
.rg-figpair>del,.rg-figpair>ins{flex:1 1 0;min-width:0;padding:3px;text-decoration:none}
figcaption{font-size:.92rem;color:var(--muted);margin-top:.3rem}
.rg-noimg{display:inline-block;padding:1rem;border:1px dashed var(--line)}
.rg-alt{font-size:.9rem;color:var(--muted)}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--line)}
details.rg-same{margin:.4rem 0 1rem;border:1px solid var(--line);border-radius:4px;padding:.2rem .7rem}
details.rg-same>summary{cursor:pointer;color:var(--muted);padding:.3rem 0}
details.rg-same[open]>summary{margin-bottom:.4rem}
.rg-bar{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid var(--line)}
.rg-toolbar{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;padding:.5rem 1rem}
.rg-toolbar button{font:inherit;font-size:.95rem;padding:.35rem .8rem;border:1px solid #555;
border-radius:4px;background:#f6f6f6;color:var(--ink);min-height:2.5rem;cursor:pointer}
.rg-toolbar button:focus{outline:3px solid var(--focus);outline-offset:1px}
.rg-toolbar [hidden]{display:none}
#rg-position{color:var(--muted);margin-left:.3rem}
#rg-keys-label{font-size:.9rem;display:inline-flex;align-items:center;gap:.3rem;min-height:2.5rem}
#rg-keys-label[hidden]{display:none}
#rg-keys{width:1.1rem;height:1.1rem}
.rg-meta{color:var(--muted);font-size:.95rem}
.rg-legend{font-size:.95rem;border:1px solid var(--line);border-radius:4px;padding:.5rem .8rem}
nav ul{padding-left:1.2rem}
li>p{margin:.25rem 0}
td.rg-cell,th.rg-cell{background:#fff8d6}
.rg-counts{color:var(--muted);font-size:.95rem}
del+ins{margin-left:.2em}
@media (max-width:40rem){body{font-size:.97rem}
.rg-toolbar{flex-wrap:nowrap;overflow-x:auto;padding:.3rem .5rem;gap:.3rem}
.rg-toolbar button{font-size:.85rem;padding:.2rem .5rem;white-space:nowrap;min-height:2.75rem}
#rg-position{white-space:nowrap;font-size:.85rem}main{padding:0 .6rem 3rem}h1{font-size:1.35rem}
h2{font-size:1.2rem}table{font-size:.85rem}th,td{padding:.25rem .35rem}
p[data-change],li>[data-change],h3[data-change],h4[data-change],h5[data-change],h6[data-change],
figure[data-change]{margin-left:0}}
@media print{.rg-bar{display:none}main{max-width:none;padding:0}body{font-size:10.5pt}
section.rg-deliverable{break-before:page}h2{border-top:none}h2,h3,h4,h5,h6{break-after:avoid}
tr,figure{break-inside:avoid}.rg-table{overflow:visible}table{width:100%;font-size:8pt;min-width:0}
th,td{overflow-wrap:break-word;padding:.1rem .25rem}.rg-right{white-space:nowrap}a{color:inherit}
ins{background:none;color:inherit;text-decoration:underline}del{background:none;color:inherit}
ins.rg-num,del.rg-num{outline:none}details.rg-same{border:none;padding:0}
[data-change]{box-shadow:none}}
""".strip()

SCRIPT = """
(function(){
var marks=Array.prototype.slice.call(document.querySelectorAll('[data-change]'));
var cur=-1,pos=document.getElementById('rg-position');
function show(id){var b=document.getElementById(id);if(b){b.hidden=false;}return b;}
function go(step){
if(!marks.length){return;}
if(cur>=0){marks[cur].classList.remove('rg-current');}
cur=(cur+step+marks.length)%marks.length;
var el=marks[cur],p=el.parentElement;
while(p){if(p.tagName==='DETAILS'){p.open=true;}p=p.parentElement;}
el.classList.add('rg-current');
var tall=el.getBoundingClientRect().height>window.innerHeight*0.6;
el.scrollIntoView({block:tall?'start':'center'});
el.focus({preventScroll:true});
if(pos){pos.textContent='Ändring '+(cur+1)+' av '+marks.length;}
}
function all(open){var d=document.querySelectorAll('details');for(var i=0;i<d.length;i++){d[i].open=open;}}
var n=show('rg-next'),p=show('rg-prev'),c=show('rg-collapse'),e=show('rg-expand'),keys=document.getElementById('rg-keys');
show('rg-keys-label');
if(n){n.addEventListener('click',function(){go(1);});}
if(p){p.addEventListener('click',function(){go(-1);});}
if(c){c.addEventListener('click',function(){all(false);});}
if(e){e.addEventListener('click',function(){all(true);});}
document.addEventListener('keydown',function(ev){
if(ev.altKey||ev.ctrlKey||ev.metaKey||ev.defaultPrevented||(keys&&!keys.checked)){return;}
var t=ev.target&&ev.target.tagName;
if(t==='INPUT'||t==='TEXTAREA'||t==='SELECT'||(ev.target&&ev.target.isContentEditable)){return;}
if(ev.key==='n'||ev.key==='j'){go(1);ev.preventDefault();}
else if(ev.key==='p'||ev.key==='k'){go(-1);ev.preventDefault();}
});
var opened=[];
window.addEventListener('beforeprint',function(){opened=[];var d=document.querySelectorAll('details:not([open])');
for(var i=0;i<d.length;i++){d[i].open=true;opened.push(d[i]);}});
window.addEventListener('afterprint',function(){for(var i=0;i<opened.length;i++){opened[i].open=false;}});
})();
""".strip()


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


#: Nothing may load or run but the page's own style and script (by hash) and inline images.
CSP = (f"default-src 'none'; img-src data:; style-src '{_sha256(STYLE)}'; "
       f"script-src '{_sha256(SCRIPT)}'; base-uri 'none'; form-action 'none'")


def _page(title: str, body: str, script: bool) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}"
        + (f"<script>{SCRIPT}</script>\n" if script else "")
        + "</body>\n</html>\n")


@dataclass
class Compared:
    """One deliverable of a comparison: its name and both versions (``None``: it is missing on
    that side)."""

    name: str
    old: Document | None
    new: Document | None
    old_images: ImageSource = field(default=lambda src: None)
    new_images: ImageSource = field(default=lambda src: None)


def _counts_text(s: Stat) -> str:
    p, r = s.paragraphs, s.rows
    if not s.any:
        return "Inga ändringar."
    return (f"Stycken: {p.added} tillagda, {p.removed} borttagna, {p.changed} ändrade. "
            f"Tabellrader: {r.added} tillagda, {r.removed} borttagna, {r.changed} ändrade.")


def _total(s: Stat) -> int:
    return (s.paragraphs.added + s.paragraphs.removed + s.paragraphs.changed
            + s.rows.added + s.rows.removed + s.rows.changed)


def review_page(items: list[Compared], old_label: str, new_label: str) -> tuple[str, list[Stat]]:
    """The review page of ``items`` and the counts of each (the same as ``diff --stat``)."""
    sections, stats = [], []
    for k, item in enumerate(items, start=1):
        root, stat = _merge(item.old or Document(()), item.new or Document(()), item.old_images,
                            item.new_images)
        stats.append(stat)
        r = _Renderer(marks=True, shift=2, collapse=True, label=item.name)
        r.document(root)
        note = ""
        if item.old is None:
            note = '<p class="rg-meta">Finns bara i den nya versionen.</p>\n'
        elif item.new is None:
            note = '<p class="rg-meta">Finns bara i den gamla versionen.</p>\n'
        inner = "".join(r.out)
        if not stat.any and item.old is not None and item.new is not None:
            inner = (f'<details class="rg-same"><summary>Inga ändringar: visa leveransen</summary>\n'
                     f"{inner}</details>\n")
        else:
            inner = f'<p class="rg-counts">{_e(_counts_text(stat))}</p>\n{inner}'
        sections.append(
            f'<section class="rg-deliverable" id="d{k}" aria-labelledby="d{k}-h">\n'
            f'<h2 id="d{k}-h">{_e(item.name)}</h2>\n{note}{inner}</section>\n')
    total = sum(_total(s) for s in stats)
    toc = "".join(
        f'<li><a href="#d{k}">{_e(item.name)}</a>: '
        f'{_total(s)} {"ändring" if _total(s) == 1 else "ändringar"}</li>\n'
        for k, (item, s) in enumerate(zip(items, stats, strict=True), start=1))
    body = (
        '<header class="rg-bar"><div class="rg-toolbar" role="toolbar" aria-label="Granskning">\n'
        '<button type="button" id="rg-prev" hidden>Föregående ändring</button>\n'
        '<button type="button" id="rg-next" hidden>Nästa ändring</button>\n'
        '<button type="button" id="rg-collapse" hidden>Fäll ihop alla</button>\n'
        '<button type="button" id="rg-expand" hidden>Fäll ut alla</button>\n'
        # Single-key shortcuts can be turned off (WCAG 2.1.4), e.g. for speech input users.
        '<label id="rg-keys-label" hidden><input type="checkbox" id="rg-keys" checked> Kortkommandon n och p</label>\n'
        '<span id="rg-position" role="status" aria-live="polite"></span>\n</div></header>\n'
        "<main>\n<h1>Granskning av ändringar</h1>\n"
        f'<p class="rg-meta">Gammal version: <code>{_e(old_label)}</code><br>'
        f"Ny version: <code>{_e(new_label)}</code><br>"
        f"{total} {'ändring' if total == 1 else 'ändringar'} i {len(items)} "
        f"{'leverans' if len(items) == 1 else 'leveranser'}.</p>\n"
        '<p class="rg-legend"><span class="rg-ins">Tillagd text</span> är understruken på grön botten, '
        '<span class="rg-del">borttagen text</span> överstruken på röd botten; ändrade tal är i fetstil med gul ram. '
        "Ett ändrat stycke eller en ändrad tabellrad har en färgad kant till vänster. "
        "Oförändrade avsnitt är hopfällda.</p>\n"
        f'<nav aria-labelledby="toc-h">\n<h2 id="toc-h">Innehåll</h2>\n<ul>\n{toc}</ul>\n</nav>\n'
        + "".join(sections) + "</main>\n")
    return _page("Granskning av ändringar", body, script=True), stats


def preview_page(doc: Document, title: str, images: ImageSource) -> str:
    """One deliverable as a page of its own (``reportgen build --html``): no marks, no script."""
    root, _ = _merge(Document(()), doc, lambda src: None, images)
    r = _Renderer(marks=False, shift=1, collapse=False)
    r.document(root)
    body = f"<main>\n<h1>{_e(title)}</h1>\n{''.join(r.out)}</main>\n"
    return _page(title, body, script=False)
