"""The general YAML builder: the node graph composed by PyYAML (YAML 1.2 core schema, with the C
parser when there is one) and the values built from it, with their findings (``build_from_graph``).

Call :func:`reportgen.inputs.sources.yaml.load_yaml`, which chooses: the streamed builder
(:mod:`reportgen.inputs.sources.yaml_stream`, a fast path) builds the same values from the
parser's events without composing the graph, and hands over to this one (``StreamFallback``)
where only the whole graph decides exactly.
"""

from __future__ import annotations

import contextlib
import gc
import re
import sys
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from reportgen.findings import Finding, Location, error

try:  # the C parser is much faster; resolution stays in Python either way
    BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    BaseLoader = yaml.SafeLoader

# Alias expansion may add at most this many values beyond four times the document's own nodes:
# ordinary reuse of an anchor stays far below, a "billion laughs" document far above.
ALIAS_ALLOWANCE = 200_000

Path_ = tuple  # a path into the document: keys and list indexes

TAG = "tag:yaml.org,2002:"


class CoreSchemaLoader(BaseLoader):
    """YAML 1.2 core schema resolution instead of PyYAML's YAML 1.1 rules."""


CoreSchemaLoader.yaml_implicit_resolvers = {}
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
    CoreSchemaLoader.add_implicit_resolver(TAG + _tag, re.compile(_regex), _first)

STR, SEQ, MAP, MERGE = TAG + "str", TAG + "seq", TAG + "map", TAG + "merge"
NULL, BOOL, INT, FLOAT = TAG + "null", TAG + "bool", TAG + "int", TAG + "float"
TIMESTAMP, BINARY = TAG + "timestamp", TAG + "binary"
IMPLICIT = {first: tuple(pairs) for first, pairs in CoreSchemaLoader.yaml_implicit_resolvers.items()}


def resolve_tag(self: Any, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
    # BaseResolver.resolve, without the path resolvers (none are registered) and without the
    # list concatenation it does per scalar: the C composer calls this once for every node.
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regex in IMPLICIT.get(value[:1], ()):
                if regex.match(value):
                    return tag
        return STR
    return SEQ if kind is yaml.SequenceNode else MAP


def _no_path_resolvers(self: Any, *args: Any) -> None:
    return None


CoreSchemaLoader.resolve = resolve_tag
CoreSchemaLoader.descend_resolver = _no_path_resolvers
CoreSchemaLoader.ascend_resolver = _no_path_resolvers


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
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
    with gc_paused():
        return yaml.compose(text, Loader=CoreSchemaLoader)


def loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


class Builder:
    def __init__(self, file: str, root: yaml.Node | None, aliases: bool, streamer: Any = None):
        self.file = file
        self.root = root
        self.streamer = streamer
        self.findings: list[Finding] = []
        self.count = 0
        self.too_big = False
        # Without aliases nothing expands: no limit. With them the limit is ALIAS_ALLOWANCE plus four
        # times the distinct nodes, and counting those takes a walk of its own (a third of the
        # build's time). The distinct values met so far give a limit that is never above the real
        # one; the real one is counted only when that lower one is passed.
        self.seen: set[int] | None = set() if aliases and streamer is None else None
        self.limit = ALIAS_ALLOWANCE if aliases else sys.maxsize

    def build(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.seen is not None:
            self.seen.add(id(node))
        if self.count > self.limit and self._over_limit(node):
            return None
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return node.value if node.tag == STR else self._scalar(node.tag, node.value, node.start_mark)
        if kind is yaml.MappingNode:
            return self._mapping(node)
        if node.tag != SEQ:
            self._bad_tag(node.tag, node.start_mark)
        build = self.build
        return [build(child) for child in node.value]

    def _over_limit(self, node: yaml.Node | None) -> bool:
        if self.streamer is not None:
            # The nodes parsed so far are the lower limit here; the exact one needs the whole graph.
            self.limit = ALIAS_ALLOWANCE + 4 * self.streamer.nodes
            if self.count <= self.limit:
                return False
            raise StreamFallback
        if self.seen is not None:
            self.limit = ALIAS_ALLOWANCE + 4 * len(self.seen)
            if self.count <= self.limit:
                return False
            self.seen = None
            self.limit = ALIAS_ALLOWANCE + 4 * distinct_nodes(self.root)
            if self.count <= self.limit:
                return False
        if not self.too_big:
            self.too_big = True
            self.findings.append(error(
                "yaml-too-large",
                f"the document expands to more than {self.limit} values through its aliases",
                loc(self.file, node.start_mark),
                hint="check for anchors and aliases (&name / *name) that refer to each other",
            ))
        return True

    def _mapping(self, node: yaml.MappingNode) -> dict:
        if node.tag != MAP:
            self._bad_tag(node.tag, node.start_mark)
        out: dict = {}
        build = self.build
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                self.findings.append(error(
                    "yaml-merge-key", "merge keys (<<) are not supported",
                    loc(self.file, key_node.start_mark), hint="write the keys out in full"))
                continue
            if key_node.__class__ is not yaml.ScalarNode:
                self.findings.append(error(
                    "yaml-key-type", "expected a plain text key, found a list or mapping used as a key",
                    loc(self.file, key_node.start_mark)))
                continue
            key = key_node.value  # keys are always text: `2019:` stays "2019"
            if key in out:
                first = first_key(node, key)
                self.findings.append(error(
                    "yaml-duplicate-key",
                    f"duplicate key '{key}'" + (f" (first defined at line {first.start_mark.line + 1})" if first else ""),
                    loc(self.file, key_node.start_mark),
                    hint="a key may appear only once in a mapping; remove or rename one of them",
                ))
                continue
            out[key] = build(value_node)
        return out

    def _scalar(self, tag: str, text: str, mark: Any) -> Any:
        if tag == STR:
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            # Only an explicit !!bool gets here with other text (the resolver never tags it so).
            self.findings.append(error("yaml-bool", f"expected true or false, found '{text}'", loc(self.file, mark)))
            return None
        if tag == INT:
            t = text.lstrip("+")
            try:
                if t.startswith(("0o", "0x")):
                    return int(t, 0)  # Python reads the 0o / 0x prefixes as YAML 1.2 does
                return int(t)
            except ValueError:  # an explicit !!int on text that is not a whole number
                self.findings.append(error("yaml-number", f"expected a whole number, found '{text}'",
                                           loc(self.file, mark)))
                return None
        if tag == FLOAT:
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                self.findings.append(error(
                    "yaml-number", f"expected a finite number, found '{text}'", loc(self.file, mark)))
                return None
            return value
        if tag == TIMESTAMP or tag == BINARY:
            # An explicit !!timestamp: hand the text on, the model parses dates itself.
            return text
        self._bad_tag(tag, mark)
        return None

    def _bad_tag(self, tag: str, mark: Any) -> None:
        self.findings.append(error(
            "yaml-tag",
            f"unsupported YAML tag '{tag}'",
            loc(self.file, mark),
            hint="reportgen reads plain YAML only: remove the tag (the part starting with '!')",
        ))


def first_key(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The key node that a duplicate ``key`` of ``node`` repeats: the first one the builder took."""
    for key_node, _ in node.value:
        if key_node.tag != MERGE and key_node.__class__ is yaml.ScalarNode and key_node.value == key:
            return key_node
    return None


class StreamFallback(Exception):
    """The streaming build met what only the composed node graph decides exactly."""


def build_from_graph(file: str, text: str, aliases: bool) -> tuple[Any, Any, list[Finding]]:
    """Compose the node graph, then build the values from it; the root's place is None when they cannot be used."""
    node = yaml.compose(text, Loader=CoreSchemaLoader)
    if node is None:
        return None, None, [error("file-empty", "the file is empty; expected a YAML mapping", Location(file))]
    builder = Builder(file, node, aliases)
    try:
        data = builder.build(node)
    except RecursionError:
        return None, None, [error("yaml-too-deep", "the document is nested too deeply", Location(file))]
    if builder.too_big:
        return None, None, builder.findings
    return data, node.start_mark, builder.findings


def distinct_nodes(root: yaml.Node) -> int:
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
