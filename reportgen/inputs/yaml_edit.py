"""Places of values in a YAML file written as text, and replacing one value in place.

A place is written like ``texts.slutredovisning-2021.sammanfattning`` or ``projects[3].summary``:
keys joined by dots, list positions in brackets; a key that is not a plain name is quoted
(``texts["a.b"]``). The build marks narrative text in the .docx with these places, and
``pull-edits`` writes an edited text back to its place.

:func:`replace_scalar` changes one text and nothing else: the new scalar is spliced into the
file's text where the old one stood (found in the node graph, which knows where each value
starts and ends), so comments, key order, quoting, flow and block styles and line wrapping of
every other value stay byte for byte. (A whole-file round trip through ruamel.yaml keeps
comments but re-wraps multi-line plain scalars, such as the evaluation's findings; ruamel is
used here to write the one new scalar in the style the old one had.)
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence

import yaml

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_STEP = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')

Path = tuple[str | int, ...]


class YamlEditError(ValueError):
    pass


def format_path(path: Sequence[str | int]) -> str:
    out = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        elif _NAME.fullmatch(step):
            out.append(("." if out else "") + step)
        else:
            out.append(f"[{json.dumps(step, ensure_ascii=False)}]")
    return "".join(out)


def parse_path(text: str) -> Path:
    steps: list[str | int] = []
    pos = 0
    while pos < len(text):
        m = _STEP.match(text, pos)
        if m is None or (m.group(1) and pos and text[pos] != "."):
            raise YamlEditError(f"not a place in a YAML file: {text!r}")
        if m.group(1):
            steps.append(m.group(1))
        elif m.group(2):
            steps.append(int(m.group(2)))
        else:
            steps.append(json.loads(m.group(3)))
        pos = m.end()
    if not steps or not isinstance(steps[0], str):
        raise YamlEditError(f"not a place in a YAML file: {text!r}")
    return tuple(steps)


def node_at(root: yaml.Node | None, path: Path) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(value node, key node) at ``path``, or (None, None)."""
    node, key = root, None
    for step in path:
        found = None
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == step:
                    found, key = v, k
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            found, key = node.value[step], None
        if found is None:
            return None, None
        node = found
    return node, key


def value_at(data, path: Path):
    for step in path:
        if isinstance(data, dict) and isinstance(step, str) and step in data or isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return None
    return data


def scalar_style(text: str, path: Path) -> str | None:
    """How the string at ``path`` is written: None (plain), "'", '"', "|" (literal), ">" (folded)."""
    from reportgen.inputs.sources.yaml import compose

    node, _ = node_at(compose(text), path)
    return (node.style or None) if isinstance(node, yaml.ScalarNode) else None


def replace_scalar(text: str, path: Path, value: str) -> str:
    """``text`` (a YAML file) with the string at ``path`` replaced by ``value``.

    Raises YamlEditError if there is no string at ``path`` or the result would not load to the
    same data with only that value changed.
    """
    from reportgen.inputs.sources.yaml import compose

    root = compose(text)
    node, _ = node_at(root, path)
    if not isinstance(node, yaml.ScalarNode):
        raise YamlEditError(f"{format_path(path)} is not a text in the file")
    start, end = node.start_mark.index, node.end_mark.index
    column = node.start_mark.column
    style = node.style  # None (plain), "'", '"', "|", ">"
    indent = _indent_of(text, node) if style in ("|", ">") else column
    new = _scalar_text(value, style, text[start:end], indent, column)
    if style in ("|", ">"):
        # A block scalar's node ends after its last line break (and kept blank lines): the new
        # one ends the same way.
        tail = text[start:end]
        trailing = len(tail) - len(tail.rstrip("\n"))
        new = new.rstrip("\n") + "\n" * max(1, trailing) if tail.endswith("\n") else new.rstrip("\n")
    result = text[:start] + new + text[end:]
    _check(text, result, path, value)
    return result


def _indent_of(text: str, node: yaml.ScalarNode) -> int:
    """The indentation of a block scalar's content lines."""
    body = text[node.start_mark.index:node.end_mark.index].split("\n")[1:]
    for line in body:
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return node.start_mark.column + 2


def _scalar_text(value: str, style: str | None, old: str, indent: int, column: int) -> str:
    """The new scalar as it is written in the file, in the old one's style where it can hold it."""
    header = old.split("\n", 1)[0] if style in ("|", ">") else ""
    if style == ">" and _foldable(value):
        return _folded(value, header, indent, _old_paragraphs(old))
    if style in ("|", ">") or "\n" in value:
        return _literal(value, header if style == "|" else "", indent)
    return _flow(value, style, column)


def _foldable(value: str) -> bool:
    """Whether folded style can hold ``value`` as the text of paragraphs: no single line break
    inside a paragraph (a list's items would fold into one line) and no indented line."""
    for para in value.strip("\n").split("\n\n"):
        if "\n" in para or para != para.strip(" \t"):
            return False
    return True


def _chomp(header: str, value: str) -> str:
    if value.endswith("\n"):
        return "+" if value.endswith("\n\n") else ""
    return "-"


def _old_paragraphs(old: str) -> list[list[str]]:
    """The lines of each paragraph of a block scalar as written (without indentation)."""
    paragraphs: list[list[str]] = [[]]
    for line in old.split("\n")[1:]:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _folded(value: str, header: str, indent: int, old: list[list[str]] | None = None, width: int = 100) -> str:
    """A folded scalar of ``value``'s paragraphs; a paragraph keeps the old one's lines as long
    as they are its start, so that an added sentence changes only the last lines."""
    lines = [">" + _chomp(header, value)]
    paragraphs = value.strip("\n").split("\n\n")
    pad = " " * indent
    for k, para in enumerate(paragraphs):
        if k:
            lines.append("")
        kept: list[str] = []
        rest = para
        for line in (old[k] if old and k < len(old) else []):
            if rest == line:
                kept.append(line)
                rest = ""
                break
            if rest.startswith(line + " ") and not rest[len(line) + 1:].startswith(" "):
                kept.append(line)
                rest = rest[len(line) + 1:]
            else:
                break
        body = kept + (_wrap(rest, width - indent) if rest else [])
        lines.extend(pad + line for line in body)
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters where it can (a long word stays whole), broken only
    at a single space between two words, so that folding them back gives ``text``."""
    words = text.split(" ")
    lines: list[str] = []
    line = words[0]
    for word in words[1:]:
        if line and word and not line.endswith(" ") and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}"
    lines.append(line)
    return lines


def _literal(value: str, header: str, indent: int) -> str:
    pad = " " * indent
    body = value.rstrip("\n") if not value.endswith("\n\n") else value[:-1]
    lines = ["|" + _chomp(header, value)]
    lines += [pad + line if line else "" for line in body.split("\n")]
    if body[:1] == " ":
        lines[0] = f"|{indent}" + lines[0][1:]  # an indented first line needs its indent stated
    return "\n".join(lines) + "\n"


def _flow(value: str, style: str | None, column: int) -> str:
    """A one-line scalar, quoted as the old one was where it may be (ruamel.yaml decides)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        SingleQuotedScalarString,
    )

    y = YAML(typ="rt")
    y.width = 1 << 30
    scalar = (DoubleQuotedScalarString(value) if style == '"' else
              SingleQuotedScalarString(value) if style == "'" else value)
    out = io.StringIO()
    y.dump({"k": scalar}, out)
    written = out.getvalue()
    if not written.startswith("k: ") or written.count("\n") != 1:
        raise YamlEditError("the new text cannot be written on one line")
    return written[3:].rstrip("\n")


def _check(old_text: str, new_text: str, path: Path, value: str) -> None:
    try:
        old = yaml.load(old_text, Loader=yaml.SafeLoader)
        new = yaml.load(new_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # pragma: no cover - a bug in the writing above
        raise YamlEditError(f"writing {format_path(path)} would break the file: {exc}") from exc
    if value_at(new, path) != value:
        raise YamlEditError(f"the new text of {format_path(path)} would not read back as written")
    target = old
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    if old != new:
        raise YamlEditError(f"writing {format_path(path)} would change other values")
