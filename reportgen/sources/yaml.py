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
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..findings import Finding, Location, error

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


_CoreSchemaLoader.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+0123456789."),
    ),
]:
    _CoreSchemaLoader.add_implicit_resolver(_TAG + _tag, re.compile(_regex), _first)


@dataclass
class YamlDocument:
    """The values of one YAML file and the place of each of them."""

    file: str
    data: Any
    # The composed node graph: places are looked up in it when a finding needs one, instead of
    # being stored for every value (a 10 000-project file has 400 000 of them).
    root: yaml.Node | None = field(default=None, repr=False)

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


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, file: str, limit: int = ALIAS_ALLOWANCE):
        self.file = file
        self.limit = limit
        self.findings: list[Finding] = []
        self.count = 0
        self.too_big = False

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.count += 1
        if self.count > self.limit:
            if not self.too_big:
                self.too_big = True
                self.findings.append(error(
                    "yaml-too-large",
                    f"the document expands to more than {self.limit} values through its aliases",
                    _loc(self.file, node.start_mark),
                    hint="check for anchors and aliases (&name / *name) that refer to each other",
                ))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_TAG + "seq",):
                self._bad_tag(node)
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict:
        if node.tag != _TAG + "map":
            self._bad_tag(node)
        out: dict = {}
        first_keys: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.findings.append(error(
                    "yaml-merge-key", "merge keys (<<) are not supported",
                    _loc(self.file, key_node.start_mark), hint="write the keys out in full"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.findings.append(error(
                    "yaml-key-type", "expected a plain text key, found a list or mapping used as a key",
                    _loc(self.file, key_node.start_mark)))
                continue
            key = key_node.value  # keys are always text: `2019:` stays "2019"
            if key in out:
                first = first_keys.get(key)
                self.findings.append(error(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}'" + (f" (first defined at line {first.start_mark.line + 1})" if first else ""),
                    _loc(self.file, key_node.start_mark),
                    hint="a key may appear only once in a mapping; remove or rename one of them",
                ))
                continue
            first_keys[key] = key_node
            out[key] = self.build(value_node, path + (key,))
        return out

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _TAG + "str":
            return text
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return text.lower() == "true"
        if tag == _TAG + "int":
            t = text.lstrip("+")
            if t.startswith(("0o", "0x")):
                return int(t, 0)  # Python reads the 0o / 0x prefixes as YAML 1.2 does
            return int(t)
        if tag == _TAG + "float":
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                self.findings.append(error(
                    "yaml-number", f"expected a finite number, found '{text}'", _loc(self.file, node.start_mark)))
                return None
            return value
        if tag in (_TAG + "timestamp", _TAG + "binary"):
            # An explicit !!timestamp: hand the text on, the model parses dates itself.
            return text
        self._bad_tag(node)
        return None

    def _bad_tag(self, node: yaml.Node) -> None:
        self.findings.append(error(
            "yaml-tag",
            f"unsupported YAML tag '{node.tag}'",
            _loc(self.file, node.start_mark),
            hint="reportgen reads plain YAML only: remove the tag (the part starting with '!')",
        ))


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
    if not text.strip() or all(ln.strip().startswith("#") or not ln.strip() for ln in text.splitlines()):
        return None, [error("file-empty", "the file is empty; expected a YAML mapping", Location(file))]
    try:
        node = yaml.compose(text, Loader=_CoreSchemaLoader)
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
    if node is None:
        return None, [error("file-empty", "the file is empty; expected a YAML mapping", Location(file))]
    # Without an anchor there is no alias to expand; counting the nodes (1 s for 10 000 projects)
    # is needed only when the text defines one.
    limit = ALIAS_ALLOWANCE + 4 * _distinct_nodes(node) if _ANCHOR.search(text) else sys.maxsize
    builder = _Builder(file, limit)
    try:
        data = builder.build(node, ())
    except RecursionError:
        return None, [error("yaml-too-deep", "the document is nested too deeply", Location(file))]
    if builder.too_big:
        return None, builder.findings
    doc = YamlDocument(file, data, node)
    if not isinstance(data, dict):
        builder.findings.append(error(
            "yaml-root", f"expected a mapping (key: value lines) at the top of the file, found {_kind(data)}",
            doc.where(())))
    return doc, builder.findings


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
    return f"the value {value!r}"
