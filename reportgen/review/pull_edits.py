"""Edits made in a built .docx, written back to programme.yaml (``reportgen pull-edits``).

A built document marks each text that came from programme.yaml with its place (see
``ooxml.provenance``) and carries what it was built from (``output.build.provenance_properties``).
Pulling edits:

1. reads the edited document, its tracked changes accepted (or rejected: ``tracked="reject"``),
   into parts: texts from the inputs, each with its place, and generated content;
2. renders the same deliverable from the current inputs and reads it the same way;
3. compares the generated content of the two (as text: cell by cell, paragraph by paragraph, so
   that the formatting LibreOffice or Word change on the way does not count). Any difference is
   an edit of what the build computes or the templates say: it is refused, with its place and,
   for a figure, where it is computed from;
4. turns each text from the inputs that differs into the Markdown its field holds (the blocks
   the author did not change keep their old Markdown, line breaks and all) and writes the new
   values into programme.yaml in place (``inputs.yaml_edit``), atomically.

Nothing is written if anything is refused. A document built from other inputs than the current
ones (the deliverable built from them would show something else: the document carries a hash of
what it shows, ``output.build.content_hash``) is accepted when every text edited in it is unchanged in programme.yaml since the build
(each text's hash is in the document); its generated content can then only be checked against
its own tracked changes.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.document.tree import (
    Block,
    BlockQuote,
    BulletList,
    Document,
    Emphasis,
    Figure,
    Heading,
    Link,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    Text,
    normalize_blocks,
    plain_text,
)
from reportgen.findings import Finding, Location, error, has_errors, warning
from reportgen.formats.docx.reader import DocxPart, read_docx_parts
from reportgen.formats.markdown.reader import parse
from reportgen.formats.markdown.writer import write_markdown
from reportgen.inputs.fingerprint import value_hash
from reportgen.inputs.load import FINANCES_FILE, PROGRAMME_FILE, Inputs, display_path
from reportgen.inputs.yaml_edit import (
    YamlEditError,
    parse_path,
    replace_scalar,
    scalar_style,
    value_at,
)
from reportgen.ooxml.provenance import bookmark_places, read_custom_properties

__all__ = ["Comment", "Edit", "PullResult", "pull_edits"]


@dataclass
class Edit:
    place: str  # e.g. projects[3].summary
    where: Location  # of the value in programme.yaml
    old: str
    new: str


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    anchor: str  # the text the comment is attached to
    place: str | None  # the place of the text from the inputs it is in, if any

    def as_dict(self) -> dict:
        return {"id": self.id, "author": self.author, "date": self.date, "text": self.text,
                "anchor": self.anchor, "place": self.place}


@dataclass
class PullResult:
    deliverable: str | None = None
    edits: list[Edit] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    diff: str = ""  # the unified diff of programme.yaml
    written: bool = False
    programme: Path | None = None
    notes: list[str] = field(default_factory=list)  # what was done that the user should know

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def as_dict(self) -> dict:
        return {"deliverable": self.deliverable, "ok": self.ok, "written": self.written,
                "edits": [{"place": e.place, "where": str(e.where), "old": e.old, "new": e.new} for e in self.edits],
                "comments": [c.as_dict() for c in self.comments],
                "notes": self.notes, "findings": [f.as_dict() for f in self.findings],
                "diff": self.diff}


def pull_edits(edited: Path, inputs_dir: Path, template_dir: Path | None = None, *, dry_run: bool = False,
               tracked: str = "accept") -> PullResult:
    """Pull the edits of ``edited`` (a .docx reportgen built) into ``inputs_dir``'s programme.yaml."""
    from reportgen.output.build import (
        DELIVERABLE_PROPERTY,
        INPUTS_PROPERTY,
        SOURCES_PROPERTY,
        render_deliverable,
    )
    from reportgen.report.resources import default_template_dir
    from reportgen.rules import decision as rules
    from reportgen.rules.ledger import ledger_of
    from reportgen.rules.validate import validate_inputs

    result = PullResult()
    where_doc = Location(display_path(Path(edited)))
    try:
        data = Path(edited).read_bytes()
    except OSError as exc:
        result.findings.append(error("pull-edits.unreadable", f"cannot read the document: {exc.strerror or exc}",
                                     where_doc))
        return result
    props = read_custom_properties(data)
    deliverable = props.get(DELIVERABLE_PROPERTY)
    if not deliverable:
        result.findings.append(error(
            "pull-edits.not-built", "the document does not say which deliverable it is: it was not built by "
            "reportgen, or by a version that did not mark the texts from the inputs", where_doc,
            hint="build it again with `reportgen build` and make the edits in the new document"))
        return result
    result.deliverable = deliverable
    inputs, findings = validate_inputs(Path(inputs_dir))
    if inputs is None or has_errors(findings):
        result.findings += [f for f in findings if f.is_error]
        return result
    result.programme = inputs.folder / PROGRAMME_FILE
    if deliverable not in [d.id for d in inputs.decision.deliverables]:
        result.findings.append(error(
            "pull-edits.unknown-deliverable", f"the document is the deliverable '{deliverable}', which "
            "decision.yaml no longer has", where_doc))
        return result
    template_dir = Path(template_dir) if template_dir else default_template_dir(Path(inputs_dir))
    ledger = ledger_of(inputs)
    readiness = rules.deliverable_completeness(inputs, ledger, deliverable)
    rendered, render_findings = render_deliverable(
        inputs, ledger, deliverable, template_dir, [f for f in findings if not f.is_error])
    if rendered is None or has_errors(readiness):
        result.findings += [f for f in readiness + render_findings if f.is_error]
        return result

    edited_parts, read_findings = read_docx_parts(data, bookmarks=bookmark_places(props), tracked=tracked,
                                                  name=where_doc.file)
    if has_errors(read_findings):
        result.findings += read_findings
        return result
    built_parts, _ = read_docx_parts(rendered.docx)
    # The same inputs, as far as the document can tell: the deliverable built from the current
    # inputs shows exactly what it showed (its hash of what it shows is the same). A change the
    # deliverable cannot see (a record dated after an interim report) is no change.
    same_inputs = props.get(INPUTS_PROPERTY) == read_custom_properties(rendered.docx).get(INPUTS_PROPERTY)
    try:
        built_hashes = json.loads(props.get(SOURCES_PROPERTY, "{}"))
    except ValueError:
        built_hashes = {}
    result.comments = read_comments(data, bookmark_places(props))

    # Generated content: against the build from the current inputs, or, when the document was
    # built from others, against the document before its tracked changes.
    if same_inputs:
        baseline = built_parts
    else:
        other = "reject" if tracked == "accept" else "accept"
        baseline, _ = read_docx_parts(data, bookmarks=bookmark_places(props), tracked=other)
        result.findings.append(warning(
            "pull-edits.other-inputs", "the document was built from other inputs than the current ones: its "
            "tables and figures cannot be checked against them (only against its own tracked changes); "
            "texts are taken only where programme.yaml has not changed them since", where_doc))
    result.findings += generated_changes(baseline, edited_parts, deliverable, inputs, where_doc)

    # Texts from the inputs.
    built_texts = _texts(built_parts)
    edited_texts = _texts(edited_parts)
    programme_text = result.programme.read_text(encoding="utf-8")
    new_text = programme_text
    for place, (blocks, section_level) in edited_texts.items():
        built = built_texts.get(place)
        recorded = built_hashes.get(place)
        if isinstance(recorded, list) and len(recorded) == 2 and value_hash(repr(blocks)) == recorded[1]:
            # Not edited: the document says what the text read as when it was built (whatever
            # the inputs say now).
            continue
        if built is not None and _same(built[0], blocks):
            continue  # it reads as what the current inputs say
        try:
            path = parse_path(place)
        except YamlEditError:
            result.findings.append(error("pull-edits.unknown-place", f"the text marked as coming from '{place}' "
                                         "has no place in programme.yaml", where_doc))
            continue
        old = value_at(inputs.programme_doc.data, path)
        yaml_where = inputs.programme_doc.where(path)
        if built is None or not isinstance(old, str):
            result.findings.append(error(
                "pull-edits.gone", f"the text from {place} was edited, but programme.yaml no longer has that "
                "text (or the report no longer shows it)", yaml_where,
                hint="copy the edit into programme.yaml by hand, then build again"))
            continue
        if not blocks:
            result.findings.append(error(
                "pull-edits.emptied", f"the text from {place} was deleted in the document; a text is not "
                "removed from programme.yaml this way", yaml_where,
                hint=f"delete or shorten {place} in programme.yaml itself"))
            continue
        # A folded scalar is wrapped by YAML itself: its Markdown is written a paragraph a line.
        folded = scalar_style(new_text, path) == ">"
        value = markdown_value(blocks, old, built[0], section_level, wrap=not folded)
        if value == old:
            continue  # the field says this already (pulled before)
        recorded_value = recorded[0] if isinstance(recorded, list) and recorded else recorded
        if not same_inputs and recorded_value != value_hash(old):
            result.findings.append(error(
                "pull-edits.conflict", f"{place} was edited in the document, and changed in programme.yaml "
                "since the document was built: which is newer cannot be told", yaml_where,
                hint="build the document again from the current inputs and make the edit there"))
            continue
        try:
            new_text = replace_scalar(new_text, path, value)
        except YamlEditError as exc:
            result.findings.append(error("pull-edits.yaml", f"cannot write {place}: {exc}", yaml_where))
            continue
        result.edits.append(Edit(place, yaml_where, old, value))
        if not same_inputs:
            result.notes.append(f"{yaml_where}: {place} is unchanged in programme.yaml since the document was "
                                "built from other inputs: its edit is applied")
    for place in built_texts.keys() - edited_texts.keys():
        result.findings.append(warning(
            "pull-edits.unmarked", f"the text from {place} is no longer marked in the document; it is left as "
            "programme.yaml has it", where_doc))

    name = display_path(result.programme)
    result.diff = "".join(difflib.unified_diff(
        programme_text.splitlines(keepends=True), new_text.splitlines(keepends=True),
        fromfile=f"a/{name}", tofile=f"b/{name}"))
    if not result.ok or dry_run or new_text == programme_text:
        return result
    write_atomically(result.programme, new_text)
    result.written = True
    return result


# ---------------------------------------------------------------------------- texts


def _texts(parts: list[DocxPart]) -> dict[str, tuple[tuple[Block, ...], int]]:
    """Place → (its blocks, the level of the heading it stands under)."""
    out: dict[str, tuple[tuple[Block, ...], int]] = {}
    level = 0
    for part in parts:
        if part.place is None:
            for b in part.blocks:
                if isinstance(b, Heading):
                    level = b.level
            continue
        blocks, at = out.get(part.place, ((), level))
        out[part.place] = (blocks + part.blocks, at)
    return out


def _same(a: tuple[Block, ...], b: tuple[Block, ...]) -> bool:
    return write_markdown(Document(a)) == write_markdown(Document(b))


def _heading_levels(blocks) -> list[int]:
    return [b.level for b in blocks if isinstance(b, Heading)]


def markdown_value(blocks: tuple[Block, ...], old: str, built: tuple[Block, ...], section_level: int, *,
                   wrap: bool = True) -> str:
    """The Markdown for a field whose text now reads as ``blocks``; ``old`` is its value, which
    printed as ``built``. Blocks that did not change keep their old Markdown."""
    # Templates push a text's headings below the section it stands in (|rubriknivå): undo that.
    old_levels = _heading_levels(parse(old)[0].blocks)
    built_levels = _heading_levels(built)
    shift = (min(built_levels) - min(old_levels)) if old_levels and built_levels else section_level
    if shift and _heading_levels(blocks):
        blocks = tuple(Heading(max(1, b.level - shift), b.inlines) if isinstance(b, Heading) else b
                       for b in blocks)
    new = write_markdown(Document(tidy_blocks(blocks))).strip("\n")
    merged = _keep_unchanged(old, new, wrap=wrap)
    value = merged if parse(merged)[0] == parse(new)[0] else new
    if old.endswith("\n"):
        value += "\n"
    return value


def tidy_blocks(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """The blocks with the spaces at the edges of bold, italic and link text moved outside them.

    Word makes bold text with its trailing space (a double click selects the space too); in
    Markdown that space must be written as a character reference (``**Viktigt:&#32;**och``).
    Outside the emphasis it reads the same and is written as a plain space.
    """
    def inlines(items) -> tuple:
        out: list = []
        for x in items:
            if isinstance(x, (Strong, Emphasis, Link)):
                kids = list(inlines(x.children))
                lead = trail = ""
                if kids and isinstance(kids[0], Text) and kids[0].text[:1].isspace():
                    stripped = kids[0].text.lstrip()
                    lead = kids[0].text[:len(kids[0].text) - len(stripped)]
                    kids[0] = Text(stripped)
                if kids and isinstance(kids[-1], Text) and kids[-1].text[-1:].isspace():
                    stripped = kids[-1].text.rstrip()
                    trail = kids[-1].text[len(stripped):]
                    kids[-1] = Text(stripped)
                kids = [k for k in kids if not (isinstance(k, Text) and not k.text)]
                if lead:
                    out.append(Text(lead))
                if kids:
                    out.append(Link(x.url, tuple(kids)) if isinstance(x, Link) else type(x)(tuple(kids)))
                if trail:
                    out.append(Text(trail))
            else:
                out.append(x)
        return tuple(out)

    def block(b):
        if isinstance(b, Paragraph):
            return Paragraph(inlines(b.inlines))
        if isinstance(b, Heading):
            return Heading(b.level, inlines(b.inlines))
        if isinstance(b, BulletList):
            return BulletList(tuple(tuple(block(x) for x in item) for item in b.items))
        if isinstance(b, OrderedList):
            return OrderedList(tuple(tuple(block(x) for x in item) for item in b.items), b.start)
        if isinstance(b, BlockQuote):
            return BlockQuote(tuple(block(x) for x in b.blocks))
        return b

    return normalize_blocks(tuple(block(b) for b in blocks))


def _chunks(text: str) -> list[str]:
    return [c for c in text.strip("\n").split("\n\n") if c.strip()]


def _keep_unchanged(old: str, new: str, *, wrap: bool = True) -> str:
    """``new`` with each of its blank-line-separated chunks that reads as one of ``old``'s
    written as ``old`` wrote it (its line breaks kept), in order; a changed paragraph keeps the
    old one's first lines as far as they are unchanged."""
    old_chunks, new_chunks = _chunks(old), _chunks(new)
    old_keys = [write_markdown(parse(c)[0]) for c in old_chunks]
    new_keys = [write_markdown(parse(c)[0]) for c in new_chunks]
    out = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += old_chunks[i1:i2]
            continue
        for k, chunk in enumerate(new_chunks[j1:j2]):
            before = old_chunks[i1 + k] if tag == "replace" and i1 + k < i2 else None
            out.append(_rewrapped(chunk, before) if wrap else chunk)
    return "\n\n".join(out)


def _rewrapped(chunk: str, before: str | None, width: int = 92) -> str:
    """A changed paragraph (one line, as the Markdown writer writes it) in lines: the lines of
    the paragraph it replaces as long as they are its start, then the rest broken at spaces
    before letters (a break there cannot start a list or a heading). Kept as one line when that
    would read differently."""
    if "\n" in chunk:
        return chunk
    kept: list[str] = []
    rest = chunk
    if before is not None and "\n" in before:
        for line in before.split("\n")[:-1]:
            if line and line.strip() == line and rest.startswith(line + " "):
                kept.append(line)
                rest = rest[len(line) + 1:]
            else:
                break
    words = rest.split(" ")
    lines, line = [], words[0]
    for word in words[1:]:
        if line and word[:1].isalpha() and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}"
    lines.append(line)
    wrapped = "\n".join(kept + lines)
    return wrapped if parse(wrapped)[0] == parse(chunk)[0] else chunk


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a crash leaves either the old file or the new one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ---------------------------------------------------------------------------- generated content


@dataclass(frozen=True)
class _Item:
    """One comparable piece of generated content: a heading, a paragraph, a list item, a table
    row (with its table's caption), a figure."""

    kind: str
    text: str
    caption: str = ""
    section: str = ""
    header: tuple[str, ...] = ()  # a row's table's column names

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.text, self.caption)


def _items(parts: list[DocxPart]) -> list[_Item]:
    out: list[_Item] = []
    section = ""
    for part in parts:
        if part.place is not None:
            continue
        for b in part.blocks:
            if isinstance(b, Heading):
                section = _flat(plain_text(b.inlines))
                out.append(_Item("heading", section, section=section))
            else:
                _block_items(b, section, out)
    return out


def _flat(text: str) -> str:
    # Runs of ordinary white space are one space; no-break spaces (in amounts) stay.
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def _block_items(b: Block, section: str, out: list[_Item]) -> None:
    if isinstance(b, Paragraph):
        text = _flat(plain_text(b.inlines))
        if text:
            out.append(_Item("paragraph", text, section=section))
    elif isinstance(b, (BulletList, OrderedList)):
        for item in b.items:
            for inner in item:
                if isinstance(inner, Paragraph):
                    text = _flat(plain_text(inner.inlines))
                    out.append(_Item("list item", text, section=section))
                else:
                    _block_items(inner, section, out)
    elif isinstance(b, BlockQuote):
        for inner in b.blocks:
            _block_items(inner, section, out)
    elif isinstance(b, Table):
        caption = _flat(b.caption or "")
        header = tuple(_flat(plain_text(c)) for c in b.header)
        for row in (b.header, *b.rows):
            cells = [_flat(plain_text(c)) for c in row]
            out.append(_Item("row", " | ".join(cells), caption, section, header))
    elif isinstance(b, Figure):
        out.append(_Item("figure", _flat(b.caption), section=section))


def generated_changes(baseline: list[DocxPart], edited: list[DocxPart], deliverable: str, inputs: Inputs,
                      where_doc: Location) -> list[Finding]:
    """An error for each change in the generated content, with its place and sources."""
    a, b = _items(baseline), _items(edited)
    found: list[Finding] = []
    matcher = difflib.SequenceMatcher(None, [x.key for x in a], [x.key for x in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        pairs = list(zip(olds, news))
        for old, new in pairs:
            found.append(_refusal(deliverable, old, new, inputs, where_doc))
        for old in olds[len(pairs):]:
            found.append(_refusal(deliverable, old, None, inputs, where_doc))
        for new in news[len(pairs):]:
            found.append(_refusal(deliverable, None, new, inputs, where_doc))
    return found


def _refusal(deliverable: str, old: _Item | None, new: _Item | None, inputs: Inputs,
             where_doc: Location) -> Finding:
    item = old or new
    assert item is not None
    place = f"section '{item.section}'" if item.section else "the start of the document"
    if item.kind == "row":
        first = item.text.split(" | ", 1)[0]
        place += f", table '{item.caption}', row '{first}'"
    else:
        place += f", {item.kind}"
    column = ""
    if old is not None and new is not None and item.kind == "row" and \
            len(old.text.split(" | ")) == len(new.text.split(" | ")) == len(item.header):
        cells = [(h, a, b) for h, a, b in zip(item.header, old.text.split(" | "), new.text.split(" | ")) if a != b]
        change = "; ".join(f"column '{h}': '{a}' became '{b}'" for h, a, b in cells)
        column = cells[0][0] if len(cells) == 1 else ""
    elif old is not None and new is not None:
        change = f"'{old.text}' became '{new.text}'"
    elif old is not None:
        change = f"'{old.text}' was deleted"
    else:
        change = f"'{new.text}' was added"  # type: ignore[union-attr]
    sources = figure_sources(item, inputs, column)
    inline = _inline_place(old.text, inputs) if old is not None and item.kind in ("paragraph", "list item") else None
    if inline is not None:
        hint = (f"this text comes from {inline[0]} ({inline[1]}), which the template prints inside a sentence or "
                "list item, where it is not marked: edit it in programme.yaml")
    elif old is None and item.kind in ("paragraph", "list item"):
        hint = ("text added outside the texts from programme.yaml cannot be pulled: write it inside one of "
                "them (in Word, a content control titled 'Text från indata: ...'), or into programme.yaml")
    elif sources:
        hint = ("this is generated content: it is computed from the inputs or written by the templates. "
                f"Change {sources}, then build again")
    elif any(c.isdigit() for c in (old.text if old else "") + (new.text if new else "")):
        hint = (f"this is generated content: the template writes it, with figures computed from {FINANCES_FILE}, "
                f"{PROGRAMME_FILE} and decision.yaml; change those or the template, then build again")
    else:
        hint = "this is generated content, written by the templates: change the template, then build again"
    return error("pull-edits.generated", f"{deliverable}: {place}: {change}", where_doc, hint=hint)


def _inline_place(text: str, inputs: Inputs) -> tuple[str, Location] | None:
    """The place of a text of programme.yaml that ``text`` (a paragraph or list item) ends with."""
    from reportgen.inputs.yaml_edit import format_path

    def strings(node, path):
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, dict):
            for k, v in node.items():
                yield from strings(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from strings(v, (*path, i))

    for path, value in strings(inputs.programme_doc.data, ()):
        if len(value) < 20:
            continue
        doc = parse(value)[0]
        if len(doc.blocks) != 1 or not isinstance(doc.blocks[0], Paragraph):
            continue
        plain = _flat(plain_text(doc.blocks[0].inlines))
        if plain and text.endswith(plain):
            return format_path(path), inputs.programme_doc.where(path)
    return None


# Where the figures of each table come from, by a word of its caption.
_TABLE_SOURCES = (
    ("ramar", "decision.yaml frames (and amendments)"),
    ("Ekonomisk redovisning", (f"{FINANCES_FILE} sheets Rekvisitioner, Beviljat, Utbetalningar, Programkostnader "
                              "and decision.yaml frames")),
    ("Uppdraget i siffror", (f"{FINANCES_FILE} sheets Rekvisitioner, Beviljat, Utbetalningar, Programkostnader; "
                            "programme.yaml projects[].indicators")),
    ("per län", f"{FINANCES_FILE} sheets Beviljat and Utbetalningar, programme.yaml projects[].counties"),
    ("per fokusområde", f"{FINANCES_FILE} sheets Beviljat and Utbetalningar, programme.yaml projects[].focus_areas"),
    ("Resultatindikatorer", "programme.yaml projects[].indicators"),
    ("Medfinansiering", f"{FINANCES_FILE} sheet Medfinansiering"),
    ("Återbetalning", f"{FINANCES_FILE} sheet Återbetalningar"),
    ("projekt", f"programme.yaml projects and {FINANCES_FILE} sheets Beviljat and Utbetalningar"),
    ("Budget", "programme.yaml plan.budget and decision.yaml frames"),
    ("Tidplan", "programme.yaml plan.milestones and decision.yaml"),
)


def figure_sources(item: _Item, inputs: Inputs, column: str = "") -> str:
    """Where the figures of a generated row come from, as precisely as is known (``column``: the
    one column that changed, if so)."""
    if item.kind != "row":
        return ""
    first = item.text.split(" | ", 1)[0]
    project_id = first.split(" ", 1)[0]
    project = inputs.project(project_id) if project_id else None
    if project is not None:
        cells = []
        fin = inputs.finances
        kinds = [("beviljat", fin.grants), ("utbetalt", fin.disbursements), ("medfinansiering", fin.cofinancing)]
        wanted = [k for k in kinds if k[0] in column.lower()] or kinds
        for _, records in wanted:
            cells += [str(r.where("amount")) for r in records if r.project == project_id and r.where("amount")]
        where = inputs.where_project(project_id)
        return (f"project {project_id} in {where} and its amounts in " + ", ".join(cells[:12])
                + (f" and {len(cells) - 12} more cells" if len(cells) > 12 else "")) if cells else \
            f"project {project_id} in {where}"
    for word, sources in _TABLE_SOURCES:
        if word.lower() in item.caption.lower():
            return sources
    return "the inputs" if item.caption else ""


# ---------------------------------------------------------------------------- comments


def read_comments(data: bytes, places: dict[str, str] | None = None) -> list[Comment]:
    """The Word comments of a .docx, each with the text it is anchored to."""
    from reportgen.ooxml.comments import comments_with_anchors

    return [Comment(*c) for c in comments_with_anchors(data, places)]
