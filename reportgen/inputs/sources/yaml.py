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

import contextlib
import gc
import re
import stat
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from reportgen.findings import Finding, Location, error, excerpt

try:  # the C parser is much faster; resolution stays in Python either way
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 10 * 1024 * 1024
# Alias expansion may add at most this many values beyond four times the document's own nodes:
# ordinary reuse of an anchor stays far below, a "billion laughs" document far above.
ALIAS_ALLOWANCE = 200_000

Path_ = tuple  # a path into the document: keys and list indexes

_TAG = "tag:yaml.org,2002:"


class _CoreSchemaLoader(_BaseLoader):
    """YAML 1.2 core schema resolution instead of PyYAML's YAML 1.1 rules."""


# YAML 1.2 core schema. The booleans and nulls are a few exact words; numbers need a pattern.
_BOOL_WORDS = ("true", "True", "TRUE", "false", "False", "FALSE")
_NULL_WORDS = ("~", "null", "Null", "NULL", "")
_INT_PATTERN = r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"
_FLOAT_PATTERN = (r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                  r"|\.(?:nan|NaN|NAN))$")


def _exactly(words: tuple[str, ...]) -> str:
    return "^(?:" + "|".join(re.escape(w) for w in words) + ")$"


_CoreSchemaLoader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    ("bool", _exactly(_BOOL_WORDS), list("tTfF")),
    ("null", _exactly(_NULL_WORDS), ["~", "n", "N", ""]),
    ("int", _INT_PATTERN, list("-+0123456789")),
    ("float", _FLOAT_PATTERN, list("-+0123456789.")),
]:
    _CoreSchemaLoader.add_implicit_resolver(_TAG + _tag, re.compile(_regex), _first)

_STR, _SEQ, _MAP, _MERGE = _TAG + "str", _TAG + "seq", _TAG + "map", _TAG + "merge"
_NULL, _BOOL, _INT, _FLOAT = _TAG + "null", _TAG + "bool", _TAG + "int", _TAG + "float"
_TIMESTAMP, _BINARY = _TAG + "timestamp", _TAG + "binary"
# The resolvers above by the first character of a text, as _resolve uses them: the words (true,
# null, ...) looked up, if the text could be one, and the patterns of the numbers tried in order,
# if it could be one. A text whose first character starts neither is text (most keys and texts).
_WORDS = {**{w: _BOOL for w in _BOOL_WORDS}, **{w: _NULL for w in _NULL_WORDS}}
_BY_FIRST = {
    first: (_WORDS if any(w[:1] == first for w in _WORDS) else None,
            tuple((tag, regex) for tag, regex in pairs if tag in (_INT, _FLOAT)))
    for first, pairs in _CoreSchemaLoader.yaml_implicit_resolvers.items()
}
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode


def _resolve(self: Any, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
    # BaseResolver.resolve, without the path resolvers (none are registered) and without the
    # list concatenation it does per scalar: the C composer calls this once for every node. A
    # word is looked up rather than matched with a pattern (keys such as title, name and
    # focus_areas start as true, null and false do); a text that can be neither is not hashed.
    if kind is _ScalarNode:
        if implicit[0]:
            found = _BY_FIRST.get(value[:1])
            if found is not None:
                words, numbers = found
                if words is not None:
                    tag = words.get(value)
                    if tag is not None:
                        return tag
                for tag, regex in numbers:
                    if regex.match(value):
                        return tag
        return _STR
    return _SEQ if kind is _SequenceNode else _MAP


def _no_path_resolvers(self: Any, *args: Any) -> None:
    return None


_CoreSchemaLoader.resolve = _resolve
_CoreSchemaLoader.descend_resolver = _no_path_resolvers
_CoreSchemaLoader.ascend_resolver = _no_path_resolvers


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector from running while a node graph is composed.

    The graph of 10 000 projects is ~10^6 objects; every few thousand allocations the collector
    would walk all of them again, which doubles the time of composing. None of them is garbage.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compose(text: str) -> yaml.Node | None:
    with _gc_paused():
        return yaml.compose(text, Loader=_CoreSchemaLoader)


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
        return _loc(self.file, node.start_mark) if node is not None else Location(self.file)

    def where_key(self, path: tuple) -> Location:
        """The place of the key at the end of ``path`` (where a key is unknown, say)."""
        path = tuple(path)
        _, key_node = self._walk(path)
        if key_node is not None and path and isinstance(path[-1], str):
            return _loc(self.file, key_node.start_mark)
        return self.where(path)


# An escape that could make a control character (\0 \a \b \v \f \e \x.. \u.. \U.. \N); an escaped
# backslash before one of those letters matches too, which only costs a closer look.
_CONTROL_ESCAPE = re.compile(r"\\[0abvfexuUN]")


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str, root: yaml.Node | None, aliases: bool):
        self.file = file
        self.root = root
        self.findings: list[Finding] = []
        self.count = 0
        self.too_big = False
        # Without aliases nothing expands: no limit. With them the limit is ALIAS_ALLOWANCE plus four
        # times the distinct nodes, and counting those takes a walk of its own (a third of the
        # build's time). The distinct values met so far give a limit that is never above the real
        # one; the real one is counted only when that lower one is passed.
        self.seen: set[int] | None = set() if aliases else None
        self.limit = ALIAS_ALLOWANCE if aliases else sys.maxsize

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.seen is not None:
            self.seen.add(id(node))
        if self.count > self.limit and self._over_limit(node):
            return None
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return node.value if node.tag == _STR else self._scalar(node.tag, node.value, node.start_mark)
        if kind is yaml.MappingNode:
            return self._mapping(node)
        if node.tag != _SEQ:
            self._bad_tag(node.tag, node.start_mark)
        build = self.build
        return [build(child) for child in node.value]

    def _over_limit(self, node: yaml.Node | None) -> bool:
        if self.seen is not None:
            self.limit = ALIAS_ALLOWANCE + 4 * len(self.seen)
            if self.count <= self.limit:
                return False
            self.seen = None
            self.limit = ALIAS_ALLOWANCE + 4 * _distinct_nodes(self.root)
            if self.count <= self.limit:
                return False
        if not self.too_big:
            self.too_big = True
            self.findings.append(error(
                "yaml-too-large",
                f"the document expands to more than {self.limit} values through its aliases",
                _loc(self.file, node.start_mark),
                hint="check for anchors and aliases (&name / *name) that refer to each other",
            ))
        return True

    def _mapping(self, node: yaml.MappingNode) -> dict:
        if node.tag != _MAP:
            self._bad_tag(node.tag, node.start_mark)
        out: dict = {}
        build = self.build
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self.findings.append(error(
                    "yaml-merge-key", "merge keys (<<) are not supported",
                    _loc(self.file, key_node.start_mark), hint="write the keys out in full"))
                continue
            if key_node.__class__ is not yaml.ScalarNode:
                self.findings.append(error(
                    "yaml-key-type", "expected a plain text key, found a list or mapping used as a key",
                    _loc(self.file, key_node.start_mark)))
                continue
            key = key_node.value  # keys are always text: `2019:` stays "2019"
            if key in out:
                first = _first_key(node, key)
                self.findings.append(error(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}'" + (f" (first defined at line {first.start_mark.line + 1})" if first else ""),
                    _loc(self.file, key_node.start_mark),
                    hint="a key may appear only once in a mapping; remove or rename one of them",
                ))
                continue
            out[key] = build(value_node)
        return out

    def _scalar(self, tag: str, text: str, mark: Any) -> Any:
        if tag == _STR:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            # Only an explicit !!bool gets here with other text (the resolver never tags it so).
            self.findings.append(error("yaml-bool", f"expected true or false, found {excerpt(text)}", _loc(self.file, mark)))
            return None
        if tag == _INT:
            t = text.lstrip("+")
            try:
                if t.startswith(("0o", "0x")):
                    return int(t, 0)  # Python reads the 0o / 0x prefixes as YAML 1.2 does
                return int(t)
            except ValueError:  # an explicit !!int on text that is not a whole number
                self.findings.append(error("yaml-number", f"expected a whole number, found {excerpt(text)}",
                                           _loc(self.file, mark)))
                return None
        if tag == _FLOAT:
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                self.findings.append(error(
                    "yaml-number", f"expected a finite number, found {excerpt(text)}", _loc(self.file, mark)))
                return None
            return value
        if tag == _TIMESTAMP or tag == _BINARY:
            # An explicit !!timestamp: hand the text on, the model parses dates itself.
            return text
        self._bad_tag(tag, mark)
        return None

    def _bad_tag(self, tag: str, mark: Any) -> None:
        self.findings.append(error(
            "yaml-tag",
            f"unsupported YAML tag '{tag}'",
            _loc(self.file, mark),
            hint="reportgen reads plain YAML only: remove the tag (the part starting with '!')",
        ))


def _first_key(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The key node that a duplicate ``key`` of ``node`` repeats: the first one the builder took."""
    for key_node, _ in node.value:
        if key_node.tag != _MERGE and key_node.__class__ is yaml.ScalarNode and key_node.value == key:
            return key_node
    return None


def _syntax_finding(file: str, exc: yaml.YAMLError, text: str | None = None) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    where = _loc(file, mark) if mark is not None else Location(file)
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
        where = _loc(file, exc.context_mark)  # the opening quote, not the end of the file
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
    if _BaseLoader is not yaml.SafeLoader:
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
        # The graph is made and dropped with the collector paused: let in while the graph
        # lives, it would walk all of it once more for nothing.
        with _gc_paused():
            data, root_mark, findings = _build_from_graph(file, text, aliases)
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
            _loc(file, root_mark)))
    # Only the text is kept: the graph is composed again if a place is asked for (YamlDocument.root).
    return YamlDocument(file, data, text), findings


def _build_from_graph(file: str, text: str, aliases: bool) -> tuple[Any, Any, list[Finding]]:
    """Compose the node graph, then build the values from it; the root's place is None when they cannot be used."""
    node = yaml.compose(text, Loader=_CoreSchemaLoader)
    if node is None:
        return None, None, [error("file-empty", "the file is empty; expected a YAML mapping", Location(file))]
    builder = _Builder(file, node, aliases)
    try:
        data = builder.build(node)
    except RecursionError:
        return None, None, [error("yaml-too-deep", "the document is nested too deeply", Location(file))]
    if builder.too_big:
        return None, None, builder.findings
    return data, node.start_mark, builder.findings


_NON_SPACE = re.compile(r"\S")  # what str.strip() does not take away
_ANCHOR = re.compile(r"(?:^|[\s,\[{:-])&[^\s,\[\]{}]", re.MULTILINE)


def _distinct_nodes(root: yaml.Node) -> int:
    """Nodes in the composed graph, each counted once however many aliases point to it."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return len(seen)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the value {excerpt(value) if isinstance(value, str) else excerpt(repr(value))}"
