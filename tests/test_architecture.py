"""The layout promises of docs/architecture.md, checked on the source: no import cycles (imports
inside functions count), the OOXML layer alone spells WordprocessingML's namespace, a small top
level, and a declared public API."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import reportgen

PACKAGE = Path(reportgen.__file__).resolve().parent
WORDPROCESSINGML = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every reportgen module that ``name`` imports anywhere in its body (module level, in
    functions, under TYPE_CHECKING): the target of ``from a.b import c`` is ``a.b.c`` when that
    is a module, else ``a.b``."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            candidates = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module
                          for alias in node.names]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    # The package's own __init__ (the public API) imports from every stage on purpose; every
    # other module must form a one-way graph.
    graph = {name: {t for t in targets if t != "reportgen"}
             for name, targets in import_graph().items() if name != "reportgen"}
    assert cycles(graph) == []


def test_cycle_finder_finds_a_cycle_inside_functions(tmp_path):
    # The finder itself must see an import made inside a function, or the test above proves nothing.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from reportgen.rules import ledger\n", encoding="utf-8")
    assert _imports("m", source, {"reportgen.rules", "reportgen.rules.ledger"}) == {"reportgen.rules.ledger"}


def test_only_the_ooxml_layer_spells_the_wordprocessingml_namespace():
    spelled = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
               if WORDPROCESSINGML in path.read_text(encoding="utf-8")
               and path.relative_to(PACKAGE).parts[0] != "ooxml"]
    assert spelled == []


def test_only_the_ooxml_layer_spells_any_office_namespace():
    # Every Office Open XML namespace (transitional and strict), Microsoft's extensions and
    # VML: reportgen.ooxml.ns is the one table of them.
    pattern = re.compile(r"schemas\.openxmlformats\.org|purl\.oclc\.org/ooxml|"
                         r"schemas\.microsoft\.com/office|urn:schemas-microsoft-com")
    spelled = [f"{path.relative_to(PACKAGE)}: {m.group(0)}" for path in PACKAGE.rglob("*.py")
               if path.relative_to(PACKAGE).parts[0] != "ooxml"
               for m in [pattern.search(path.read_text(encoding="utf-8"))] if m]
    assert spelled == []


def test_the_ooxml_layer_imports_no_later_stage():
    # The layer under every Word reader and writer: it may not import formats, review, checks...
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith("reportgen.ooxml"):
            later = {t for t in targets if t.startswith("reportgen.")
                     and not t.startswith(("reportgen.ooxml", "reportgen.findings"))}
            assert later == set(), name


def test_top_level_keeps_only_cli_api_and_findings():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 4, top
    assert {"__init__.py", "cli.py", "findings.py"} <= set(top)


def test_public_api_is_declared_and_importable():
    assert reportgen.__all__
    for name in reportgen.__all__:
        assert getattr(reportgen, name) is not None, name
