"""Read a YAML file into plain Python values, remembering where every value came from.

Nothing here knows about the domain. The loader is strict where PyYAML is lenient:

* YAML 1.2 core schema: ``no``/``on``/``yes`` stay text, ``010`` is ten, ``12:30`` is text,
  so no value silently changes meaning;
* duplicate keys are findings (PyYAML keeps the last one without a word);
* only the standard tags; ``!!python/...`` and other tags are refused;
* floats become ``Decimal`` built from the literal text, so ``0.1`` is exactly 0.1;
* bounded: file size, and node count after alias expansion (a "billion laughs" document is refused).
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from reportgen.document.switches import fast_paths_enabled
from reportgen.findings import Finding, Location, error
from reportgen.inputs.sources.yaml_graph import (
    BaseLoader,
    build_from_graph,
    compose,
    gc_paused,
    loc,
)
from reportgen.inputs.sources.yaml_stream import Streamer

MAX_FILE_BYTES = 10 * 1024 * 1024

_RELEASED = object()


class YamlDocument:
    """The values of one YAML file and the place of each of them."""

    def __init__(self, file: str, data: Any, text: str | None = None):
        self.file = file
        self._data = data
        # The source text. Places are looked up in its composed node graph when a finding needs
        # one, instead of being stored for every value (a 10 000-project file has 400 000 of them).
        # The graph is composed again only then: kept from loading on, it would be most of the
        # memory validation uses (150 MB for 10 000 projects), and most runs never ask for a place.
        self.text = text
        self._root: yaml.Node | None = None
        self._prepare: Callable[[Any], object] | None = None

    def __repr__(self) -> str:
        return f"YamlDocument(file={self.file!r})"

    @property
    def data(self) -> Any:
        if self._data is _RELEASED:
            doc, _ = _compose_and_build(self.file, self.text)  # it loaded once: the same text loads alike
            self._data = doc.data
            if self._prepare is not None:
                self._prepare(self._data)
        return self._data

    def release(self, prepare: Callable[[Any], object] | None = None) -> None:
        """Let the values go (once a model is made of them); they are built again if asked for.

        ``prepare`` is given the values built again, to redo what the caller changed in place.
        """
        if self.text is not None:
            self._data, self._prepare = _RELEASED, prepare

    @property
    def root(self) -> yaml.Node | None:
        if self._root is None and self.text is not None:
            self._root = compose(self.text)
        return self._root

    def may_hold_control_characters(self) -> bool:
        """False when no value can hold a control character other than tab and line breaks.

        Asked of a document that loaded: the reader refuses such characters written as they are,
        except NEL (U+0085), so the others reach a value only through an escape in a
        double-quoted text. (A search for every control character costs 25 times as much.)
        """
        text = self.text
        return text is None or "\x85" in text or ("\\" in text and _CONTROL_ESCAPE.search(text) is not None)

    def _walk(self, path: tuple) -> tuple[yaml.Node | None, yaml.Node | None]:
        """The deepest node along ``path`` that exists, and the key node of its last step."""
        node, key_node = self.root, None
        for part in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:  # the first of duplicate keys is the one that counts
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        child, key_node = v, k
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                child, key_node = node.value[part], None
            if child is None:
                return node, None
            node = child
        return node, key_node

    def where(self, path: tuple) -> Location:
        """The place of the value at ``path``, or of its nearest existing ancestor."""
        node, _ = self._walk(tuple(path))
        return loc(self.file, node.start_mark) if node is not None else Location(self.file)

    def where_key(self, path: tuple) -> Location:
        """The place of the key at the end of ``path`` (where a key is unknown, say)."""
        path = tuple(path)
        _, key_node = self._walk(path)
        if key_node is not None and path and isinstance(path[-1], str):
            return loc(self.file, key_node.start_mark)
        return self.where(path)


# An escape that could make a control character (\0 \a \b \v \f \e \x.. \u.. \U.. \N); an escaped
# backslash before one of those letters matches too, which only costs a closer look.
_CONTROL_ESCAPE = re.compile(r"\\[0abvfexuUN]")


def _syntax_finding(file: str, exc: yaml.YAMLError, text: str | None = None) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = loc(file, mark) if mark is not None else Location(file)
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        code = ord(char) if isinstance(char, str) else char
        # ReaderError positions are character offsets; line/column are computed by the caller.
        return error("yaml-character", f"a control character (U+{code:04X}) is not allowed in YAML text",
                     where, hint="remove the character; it is often pasted in from Excel or Word")
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    hint = None
    if "tab" in problem or "'\\t'" in problem or _tab_in_indent(text, mark):
        # libyaml says only "found character that cannot start any token" for a tab before a '-'.
        hint = "indent with spaces, not tabs"
        message = "YAML syntax error: a tab character where YAML expects spaces"
    elif "duplicate anchor" in (context or ""):
        first = getattr(exc, "context_mark", None)
        name = re.search(r"anchor '([^']*)'", context or "") or _anchor_at(text, mark)
        message = f"YAML syntax error: the anchor '&{name.group(1) if name else ''}' is defined twice" + \
            (f" (first at line {first.line + 1})" if first is not None else "")
        hint = "give each anchor (&name) its own name"
    elif "quoted scalar" in (context or "") and "end of stream" in problem and exc.context_mark is not None:
        where = loc(file, exc.context_mark)  # the opening quote, not the end of the file
        message = "YAML syntax error: a quoted text starts here and is never closed"
        hint = "add the closing quote"
    elif "expected a single document" in (context or ""):
        message = "YAML syntax error: a second document starts here; the file must hold one document"
        hint = "remove the '---' line (and what follows it, if it belongs in another file)"
    elif "while parsing a flow" in (context or "") and getattr(exc, "context_mark", None) is not None:
        opened = exc.context_mark
        hint = f"is the bracket opened at line {opened.line + 1}, column {opened.column + 1} closed?"
    elif "mapping values are not allowed" in problem:
        hint = "a value containing ': ' must be quoted, or the indentation is off"
    elif "could not find expected ':'" in problem:
        hint = "each line of a mapping needs 'key: value'; check the indentation and quotes"
    elif "found undefined alias" in problem:
        hint = "define the anchor (&name) before using the alias (*name)"
    return error("yaml-syntax", message, where, hint=hint)


def _tab_in_indent(text: str | None, mark: Any) -> bool:
    """Whether the error's place lies in a line's indentation that holds a tab."""
    if text is None or mark is None:
        return False
    lines = text.split("\n")
    if not 0 <= mark.line < len(lines):
        return False
    line = lines[mark.line]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    return "\t" in indent and mark.column <= len(indent)


def _anchor_at(text: str | None, mark: Any) -> re.Match | None:
    """The anchor (``&name``) at the error's place: libyaml does not name it in the message."""
    if text is None or mark is None:
        return None
    lines = text.split("\n")
    line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return re.compile(r"&([^\s,\[\]{}]+)").match(line, mark.column)


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something that is not a regular file"


def _reader_error_location(file: str, text: str, exc: yaml.reader.ReaderError) -> Location:
    pos = exc.position
    if BaseLoader is not yaml.SafeLoader:
        # libyaml counts bytes of the UTF-8 encoding, not characters: 'å' before the character is two.
        pos = len(text.encode("utf-8")[:pos].decode("utf-8", errors="ignore"))
    line = text.count("\n", 0, pos) + 1
    col = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return Location(file, line, col)


def load_yaml(path: Path, display: str | None = None) -> tuple[YamlDocument | None, list[Finding]]:
    """Read ``path``. Returns the document (None when unreadable) and the findings."""
    file = display or str(path)
    try:
        st = path.stat()
    except OSError as exc:
        return None, [error("file-missing", f"cannot read the file: {exc.strerror}", Location(file))]
    if not stat.S_ISREG(st.st_mode):
        # A folder, a pipe or a device (a symlink to /dev/zero): reading it would fail or never end.
        return None, [error("file-type", f"expected a YAML file, found {_file_kind(st.st_mode)}", Location(file),
                            hint="put the YAML file itself here")]
    if st.st_size > MAX_FILE_BYTES:
        return None, [error("file-too-large", f"the file is {st.st_size} bytes; at most {MAX_FILE_BYTES} are read",
                            Location(file))]
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return None, [error("file-unreadable", f"cannot read the file: {exc.strerror}", Location(file))]
    if len(raw) > MAX_FILE_BYTES:  # it grew after the check above
        return None, [error("file-too-large", f"the file is larger than {MAX_FILE_BYTES} bytes", Location(file))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [error("file-encoding", "the file is not UTF-8 text", Location(file, line, 1),
                            hint="save the file as UTF-8 (in most editors: 'Save with encoding')")]
    if _blank_or_comments(text):
        return None, [error("file-empty", "the file is empty; expected a YAML mapping", Location(file))]
    return _compose_and_build(file, text)


def _blank_or_comments(text: str) -> bool:
    """Whether every line of ``text`` is blank or a comment."""
    # Only a text whose first character that is not a space opens a comment can be all comments
    # (splitting 10 000 projects into lines to see that it is not costs 20 ms).
    first = _NON_SPACE.search(text)
    return first is None or (first.group() == "#" and all(ln.strip().startswith("#") or not ln.strip()
                                                          for ln in text.splitlines()))


def _compose_and_build(file: str, text: str) -> tuple[YamlDocument | None, list[Finding]]:
    # Without an anchor there is no alias to expand.
    aliases = _ANCHOR.search(text) is not None
    try:
        # The streamed builder (a fast path, its own module) gives the graph's values without the graph.
        streamed = False
        if fast_paths_enabled():
            try:
                data, root_mark, findings = Streamer(file, text, aliases).run()
                streamed = True
            except yaml.YAMLError:
                raise  # raised at the same event as the composer raises it
            except Exception:  # noqa: BLE001 - StreamFallback, RecursionError, or a value the builder cannot take
                # (!!int x): from the graph, the composer's errors further on come first, as they always did.
                streamed = False
        if not streamed:
            # The graph is made and dropped with the collector paused: let in while the graph
            # lives, it would walk all of it once more for nothing.
            with gc_paused():
                data, root_mark, findings = build_from_graph(file, text, aliases)
    except yaml.reader.ReaderError as exc:
        finding = _syntax_finding(file, exc)
        where = _reader_error_location(file, text, exc)
        return None, [error(finding.code, finding.message, where, finding.hint)]
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "") or ""):
            # Newer PyYAML bounds the depth itself; older releases run into Python's recursion
            # limit (below). Both are reported alike, at the file.
            return None, [error("yaml-too-deep", "the document is nested too deeply", Location(file))]
        return None, [_syntax_finding(file, exc, text)]
    except RecursionError:
        return None, [error("yaml-too-deep", "the document is nested too deeply", Location(file))]
    if root_mark is None:  # empty, too large or too deep
        return None, findings
    if not isinstance(data, dict):
        findings.append(error(
            "yaml-root", f"expected a mapping (key: value lines) at the top of the file, found {_kind(data)}",
            loc(file, root_mark)))
    # Only the text is kept: the graph is composed again if a place is asked for (YamlDocument.root).
    return YamlDocument(file, data, text), findings


_NON_SPACE = re.compile(r"\S")  # what str.strip() does not take away
_ANCHOR = re.compile(r"(?:^|[\s,\[{:-])&[^\s,\[\]{}]", re.MULTILINE)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the value {value!r}"
