"""The streamed YAML builder (a fast path: ``REPORTGEN_FAST_PATHS=0`` turns it off).

It builds the values straight from the parser's events, without composing the node graph first
(the graph is four times the size of the values: 10 000 projects validate in half the memory and
a third less time). Values and findings are those of the general builder
(:mod:`reportgen.inputs.sources.yaml_graph`); where they would depend on the whole graph (an
alias expansion past the lower limit) or on the depth of recursion it raises ``StreamFallback``
and the caller builds from the graph. tests/inputs/test_validate.py and
tests/inputs/test_validate_fast_paths.py compare the two (``assert_streamed_as_composed``).
"""

from __future__ import annotations

from typing import Any

import yaml

from reportgen.findings import Finding, Location, error
from reportgen.inputs.sources.yaml_graph import (
    IMPLICIT,
    MAP,
    MERGE,
    SEQ,
    STR,
    Builder,
    CoreSchemaLoader,
    StreamFallback,
    loc,
    resolve_tag,
)

_AliasEvent, _ScalarEvent, _StreamEndEvent = yaml.AliasEvent, yaml.ScalarEvent, yaml.StreamEndEvent
_SequenceStartEvent, _SequenceEndEvent, _MappingEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent, yaml.MappingEndEvent
_ScalarNode, _SequenceNode, _MappingNode = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode



# Deeper documents are built from the node graph: there the depth at which Python's recursion
# limit is reached is the one it always was.
MAX_STREAMED_DEPTH = 100


class Streamer:
    """Builds the values straight from the parser's events, without composing the node graph first.

    The values and findings are those of Builder on the composed graph (the events come in the
    order the composer reads them, and the composer's errors are raised at the same events), but
    the graph, four times the size of the values, is never held: only anchored nodes are composed,
    as aliases may refer to them. Where the result would depend on the whole graph (an alias
    expansion past the lower limit) or on the depth of recursion, it raises StreamFallback.
    """

    def __init__(self, file: str, text: str, aliases: bool):
        self.loader = CoreSchemaLoader(text)
        self.next = self.loader.get_event
        self.builder = Builder(file, None, aliases, streamer=self)
        self.anchors: dict[str, yaml.Node] = {}
        self.nodes = 0  # node events so far: each is a node of the graph composing would make
        self.depth = 0

    def run(self) -> tuple[Any, Any, list[Finding]]:
        """As build_from_graph: the values, the place of the root (None when not usable), the findings."""
        try:
            next_event = self.next
            next_event()  # StreamStartEvent
            if next_event().__class__ is _StreamEndEvent:
                return None, None, [error("file-empty", "the file is empty; expected a YAML mapping",
                                          Location(self.builder.file))]
            root = next_event()
            data = self.value(root)
            next_event()  # DocumentEndEvent
            after = next_event()
            if after.__class__ is not _StreamEndEvent:
                raise yaml.composer.ComposerError("expected a single document in the stream", root.start_mark,
                                                  "but found another document", after.start_mark)
            return data, root.start_mark, self.builder.findings
        finally:
            self.loader.dispose()

    def value(self, event: Any) -> Any:
        kind = event.__class__
        if kind is _AliasEvent or event.anchor is not None:
            return self.builder.build(self.compose(event))
        self.nodes += 1
        builder = self.builder
        builder.count += 1
        if builder.count > builder.limit:
            builder._over_limit(None)
        if kind is _ScalarEvent:
            tag, text = event.tag, event.value
            if tag is None or tag == "!":
                if not event.implicit[0]:
                    return text
                # resolve_tag, inline: most plain texts start with a character no resolver claims.
                for resolved, regex in IMPLICIT.get(text[:1], ()):
                    if regex.match(text):
                        tag = resolved
                        break
                else:
                    return text
            return text if tag == STR else builder._scalar(tag, text, event.start_mark)
        if kind is _SequenceStartEvent:
            return self.sequence(event)
        return self.mapping(event)

    # Most values are plain scalars that no resolver claims (text) or that are whole numbers of
    # ASCII digits: sequence() and mapping() take those in their loop instead of calling value()
    # for each, and count them (each is a node and a value) in local variables, added to the
    # totals before any call that may look at them. Checking the limit for them is not needed: a
    # value of its own adds one value and one node, so it never takes the count past a limit that
    # the values built so far have kept to.

    def sequence(self, event: Any) -> list:
        tag = event.tag
        if tag is not None and tag != "!" and tag != SEQ:
            self.builder._bad_tag(tag, event.start_mark)
        self._descend()
        next_event, value, builder = self.next, self.value, self.builder
        out = []
        texts = 0  # plain values taken in the loop and not yet counted
        item = next_event()
        while item.__class__ is not _SequenceEndEvent:
            if item.__class__ is _ScalarEvent and item.anchor is None and item.tag is None:
                text = item.value
                if not item.implicit[0] or text[:1] not in IMPLICIT:
                    out.append(text)
                    texts += 1
                    item = next_event()
                    continue
                if text.isdigit() and text.isascii() and len(text) < 19:  # resolved to int, and read as _scalar reads it
                    out.append(int(text))
                    texts += 1
                    item = next_event()
                    continue
            if texts:
                self.nodes += texts
                builder.count += texts
                texts = 0
            out.append(value(item))
            item = next_event()
        self.nodes += texts
        builder.count += texts
        self.depth -= 1
        return out

    def mapping(self, event: Any) -> dict:
        tag = event.tag
        if tag is not None and tag != "!" and tag != MAP:
            self.builder._bad_tag(tag, event.start_mark)
        self._descend()
        next_event, value, builder = self.next, self.value, self.builder
        out: dict = {}
        firsts: dict[str, Any] = {}  # the place of each key, for a duplicate's message
        keys = texts = 0  # plain keys and values taken in the loop and not yet counted
        key_event = next_event()
        while key_event.__class__ is not _MappingEndEvent:
            if key_event.__class__ is _ScalarEvent and key_event.anchor is None and key_event.tag is None:
                key = key_event.value
                keys += 1
                if key not in out:
                    firsts[key] = key_event.start_mark
                    item = next_event()
                    if item.__class__ is _ScalarEvent and item.anchor is None and item.tag is None:
                        text = item.value
                        if not item.implicit[0] or text[:1] not in IMPLICIT:
                            out[key] = text
                            texts += 1
                            key_event = next_event()
                            continue
                        if text.isdigit() and text.isascii() and len(text) < 19:  # resolved to int, read as _scalar reads it
                            out[key] = int(text)
                            texts += 1
                            key_event = next_event()
                            continue
                    self.nodes += keys + texts
                    builder.count += texts
                    keys = texts = 0
                    out[key] = value(item)
                    key_event = next_event()
                    continue
                key_tag, key_mark, plain = None, key_event.start_mark, True
            elif key_event.__class__ is _ScalarEvent and key_event.anchor is None:
                keys += 1
                key, key_tag, key_mark, plain = key_event.value, key_event.tag, key_event.start_mark, True
            else:
                node = self.compose(key_event)
                key, key_tag, key_mark = node.value, node.tag, node.start_mark
                plain = node.__class__ is _ScalarNode
            self.nodes += keys + texts
            builder.count += texts
            keys = texts = 0
            if key_tag == MERGE:  # only an explicit tag makes a merge key: none is resolved to it
                builder.findings.append(error(
                    "yaml-merge-key", "merge keys (<<) are not supported",
                    loc(builder.file, key_mark), hint="write the keys out in full"))
                self.compose(next_event())
            elif not plain:
                builder.findings.append(error(
                    "yaml-key-type", "expected a plain text key, found a list or mapping used as a key",
                    loc(builder.file, key_mark)))
                self.compose(next_event())
            elif key in out:
                builder.findings.append(error(
                    "yaml-duplicate-key", f"duplicate key '{key}' (first defined at line {firsts[key].line + 1})",
                    loc(builder.file, key_mark),
                    hint="a key may appear only once in a mapping; remove or rename one of them",
                ))
                self.compose(next_event())
            else:
                firsts[key] = key_mark
                out[key] = value(next_event())
            key_event = next_event()
        self.nodes += keys + texts
        builder.count += texts
        self.depth -= 1
        return out

    def compose(self, event: Any) -> yaml.Node:
        """The node that starts with ``event``, as the composer makes it (CParser._compose_node)."""
        kind = event.__class__
        if kind is _AliasEvent:
            node = self.anchors.get(event.anchor)
            if node is None:
                raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
            return node
        anchor = event.anchor
        if anchor is not None and anchor in self.anchors:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence", self.anchors[anchor].start_mark,
                                              "second occurrence", event.start_mark)
        self.nodes += 1
        tag = event.tag
        if kind is _ScalarEvent:
            if tag is None or tag == "!":
                tag = resolve_tag(None, _ScalarNode, event.value, event.implicit)
            node = _ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            if anchor is not None:
                self.anchors[anchor] = node
            return node
        self._descend()
        next_event = self.next
        if kind is _SequenceStartEvent:
            node = _SequenceNode(SEQ if tag is None or tag == "!" else tag, [], event.start_mark, None,
                                     event.flow_style)
            if anchor is not None:
                self.anchors[anchor] = node
            item = next_event()
            while item.__class__ is not _SequenceEndEvent:
                node.value.append(self.compose(item))
                item = next_event()
        else:
            node = _MappingNode(MAP if tag is None or tag == "!" else tag, [], event.start_mark, None,
                                    event.flow_style)
            if anchor is not None:
                self.anchors[anchor] = node
            item = next_event()
            while item.__class__ is not _MappingEndEvent:
                key = self.compose(item)
                node.value.append((key, self.compose(next_event())))
                item = next_event()
        node.end_mark = item.end_mark
        self.depth -= 1
        return node

    def _descend(self) -> None:
        self.depth += 1
        if self.depth > MAX_STREAMED_DEPTH:
            raise StreamFallback
