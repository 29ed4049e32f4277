"""Check templates against the context they are rendered with, without rendering them.

``reportgen templates check`` parses every template of a folder with the environment the build
uses (:func:`reportgen.report.render.make_environment`) and walks its syntax tree: every variable path
a template reads (``projects.rows``, ``p.title`` inside ``{% for p in projects.rows %}``, a macro
argument's fields at each call site...) is looked up in the shape of the context. Paths the context
does not provide are findings with the template's file and line::

    templates/delrapport.md.j2:40:3: error: unknown variable 'projekts' (did you mean 'projects'?)

**What "the context provides" means.** The shape is learnt from real contexts: the ones the build
makes for every deliverable of an inputs folder (the shipped example by default), i.e.
``deliverables.build_context(inputs, Ledger(inputs), id)`` plus the keys the build adds before
rendering (``rule_warnings`` and ``charts``; see ``reportgen.output.build.render_deliverable``). The union of
their key paths over all deliverables is what any template may read. That is the simplest source
that cannot drift from the code: no hand-written list of variables to keep in step. Its limits:

* a key that only some deliverables have (``plan`` for the implementation plan, ``evaluation`` for
  the final report) is accepted in every template; rendering still catches it with the template's
  line, as the build runs ``StrictUndefined``;
* a value that is ``None`` (or an empty list) in every example context has an unknown shape, so
  whatever a template reads below it is accepted;
* methods and attributes of values (``c.opens.year`` on a date, ``d.items()`` on a mapping) are
  accepted when the value's type has them.

Names a template defines itself are tracked: ``set`` and ``with`` assignments, ``for`` targets (bound
to the items of what is looped over), macro parameters (bound at each call site to the shapes of
the arguments), ``import`` / ``from ... import`` of macros, and ``include`` (which sees the includer's
names). ``x|default(...)`` tolerates a missing last step; ``x.y is defined`` a missing path, and
inside ``{% if x.y is defined %}`` (or to the right of ``x.y is defined and``) ``x.y`` and what is
below it are not checked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from reportgen.findings import Finding, Location, error

UNKNOWN_VARIABLE = "template-unknown-variable"
UNKNOWN_MACRO = "template-unknown-macro"
UNKNOWN_FILTER = "template-unknown-filter"
SYNTAX = "template-syntax"
NO_CONTEXT = "template-context"

TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")


# --- the shape of the context ------------------------------------------------------------------

class Shape:
    """What is known of a value at one path: the keys of a mapping, the items of a list, the types."""

    def __init__(self, path: str = "") -> None:
        self.path = path
        self.keys: dict[str, Shape] | None = None
        self.open_keys = False  # a mapping with non-text keys: its keys are not names
        self.item: Shape | None = None
        self.types: set[type] = set()

    def add(self, value: Any) -> None:
        if isinstance(value, dict):
            if self.keys is None:
                self.keys = {}
            for key, sub in value.items():
                if not isinstance(key, str):
                    self.open_keys = True
                    continue
                if key not in self.keys:
                    self.keys[key] = Shape(f"{self.path}.{key}" if self.path else key)
                self.keys[key].add(sub)
        elif isinstance(value, (list, tuple)):
            if self.item is None:
                self.item = Shape(self.path + "[]")
            for sub in value:
                self.item.add(sub)
        else:
            self.types.add(type(value))

    @property
    def unknowable(self) -> bool:
        """Nothing but None (or nothing at all) was seen here: no claim can be made about it."""
        return (self.keys is None or self.open_keys) and (self.item is None or self.item.unknowable) \
            and self.types <= {type(None)}

    def attr(self, name: str) -> Shape | None:
        """The shape of ``value.name`` / ``value["name"]``; None when the context does not provide it."""
        if self.keys is not None and name in self.keys:
            return self.keys[name]
        if self.keys is not None and hasattr(dict, name):
            return ANY
        if self.item is not None and hasattr(list, name):
            return ANY
        if any(t is not type(None) and hasattr(t, name) for t in self.types):
            return ANY
        if self.unknowable:
            return ANY
        return None

    def element(self) -> Shape:
        if self.item is not None:
            return self.item
        return ANY

    def names(self) -> list[str]:
        return sorted(self.keys) if self.keys else []

    def paths(self) -> list[str]:
        """Every key path below this shape, e.g. ``projects.rows[].title``."""
        out = []
        for key in sorted(self.keys or {}):
            sub = self.keys[key]
            out.append(sub.path)
            out += sub.paths()
        if self.item is not None:
            out += self.item.paths()
        return out


class _Any(Shape):
    """A value the checker knows nothing about: everything below it is accepted."""

    def add(self, value: Any) -> None:  # pragma: no cover - never learns
        pass

    def attr(self, name: str) -> Shape:
        return self

    def element(self) -> Shape:
        return self


ANY = _Any("?")


@dataclass(eq=False)
class _MacroRef:
    """A macro a name refers to: its node, the template it is in, the names it sees."""

    node: nodes.Macro
    template: str
    scope: dict[str, Any]


@dataclass(eq=False)
class _Module:
    """An imported template: its macros (and top-level names)."""

    template: str
    scope: dict[str, Any]


def context_shape(contexts: list[dict]) -> Shape:
    root = Shape()
    for ctx in contexts:
        root.add(ctx)
    return root


def example_contexts(inputs_dir: Path) -> tuple[list[dict], list[Finding]]:
    """The contexts a build renders with, for every deliverable of the inputs in ``inputs_dir``."""
    from reportgen.findings import has_errors
    from reportgen.report.context import build_context, deliverable_ids
    from reportgen.rules.ledger import Ledger
    from reportgen.rules.validate import validate_inputs

    inputs, findings = validate_inputs(inputs_dir)
    if inputs is None or has_errors(findings):
        return [], [error(NO_CONTEXT, "the inputs have errors, so the contexts the templates see cannot be built",
                          Location(str(inputs_dir)), hint=f"run: reportgen validate --inputs {inputs_dir}")]
    ledger = Ledger(inputs)
    contexts = []
    for deliverable_id in deliverable_ids(inputs):
        ctx = build_context(inputs, ledger, deliverable_id)
        ctx.update(build_extras(inputs, ledger, deliverable_id))
        contexts.append(ctx)
    return contexts, []


def build_extras(inputs: Any, ledger: Any, deliverable_id: str) -> dict:
    """The keys reportgen.output.build.render_deliverable adds to the context before rendering."""
    extras: dict[str, Any] = {"rule_warnings": ["text"]}
    try:
        from reportgen.report.context import chart_specs
    except ImportError:  # pragma: no cover - a build without charts
        return extras
    extras["charts"] = {spec.key: {"src": "diagram/x", "alt": "text", "caption": "text"}
                        for spec in chart_specs(inputs, ledger, deliverable_id)}
    return extras


# --- the walk ----------------------------------------------------------------------------------

@dataclass
class _Report:
    findings: list[Finding] = field(default_factory=list)
    seen: set = field(default_factory=set)


class TemplateChecker:
    """Walks the templates of one folder against one context shape."""

    def __init__(self, env: jinja2.Environment, template_dir: Path, shape: Shape) -> None:
        self.env = env
        self.dir = Path(template_dir)
        self.shape = shape
        self.report = _Report()
        self.asts: dict[str, nodes.Template | None] = {}
        self.sources: dict[str, list[str]] = {}
        self.modules: dict[tuple[str, bool], _Module] = {}
        self.analysed: set = set()
        self.macros_walked: set[int] = set()
        self.all_macros: list[_MacroRef] = []
        self.globals = {name: ANY for name in env.globals}

    # -- templates --

    def template_names(self) -> list[str]:
        return sorted(n for n in self.env.list_templates() if n.endswith(TEMPLATE_SUFFIXES))

    def ast(self, name: str) -> nodes.Template | None:
        if name in self.asts:
            return self.asts[name]
        try:
            source, filename, _ = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            self.asts[name] = None
            return None
        self.sources[name] = source.splitlines()
        try:
            tree = self.env.parse(source, name, filename)
        except jinja2.TemplateSyntaxError as exc:
            self.add(SYNTAX, f"template syntax error: {exc.message}", name, exc.lineno)
            self.asts[name] = None
            return None
        try:
            self.env.compile(source, name, filename)  # compile-time errors too
        except jinja2.TemplateSyntaxError as exc:
            if not (exc.message or "").startswith(("No filter named", "No test named")):  # the walk reports those
                self.add(SYNTAX, f"template syntax error: {exc.message}", name, exc.lineno)
        self.asts[name] = tree
        return tree

    def check_all(self) -> list[Finding]:
        names = self.template_names()
        referenced: set[str] = set()
        for name in names:
            tree = self.ast(name)
            if tree is None:
                continue
            for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
                if isinstance(node.template, nodes.Const) and isinstance(node.template.value, str):
                    referenced.add(node.template.value)
        roots = [n for n in names if n not in referenced] or names
        for name in roots:
            tree = self.ast(name)
            if tree is not None:
                self.walk_body(tree.body, name, self.root_scope())
        # Partials reached by nothing above, and macros never called: checked on their own.
        for name in names:
            tree = self.ast(name)
            if tree is not None and name not in roots and not self._reached(name):
                self.walk_body(tree.body, name, self.root_scope())
        for ref in list(self.all_macros):
            if id(ref.node) not in self.macros_walked:
                self.call_macro(ref, [], {}, ref.template, ref.node.lineno)
        return self.report.findings

    def _reached(self, name: str) -> bool:
        return any(key[0] == name for key in self.analysed) or any(m.template == name for m in self.modules.values())

    def root_scope(self) -> dict[str, Any]:
        scope: dict[str, Any] = dict(self.globals)
        for key in self.shape.names():
            scope[key] = self.shape.keys[key]
        return scope

    # -- findings --

    def add(self, code: str, message: str, template: str, line: int | None, needle: str | None = None,
            hint: str | None = None) -> None:
        column = None
        if needle and line and template in self.sources and 0 < line <= len(self.sources[template]):
            text = self.sources[template][line - 1]
            match = re.search(r"(?<![\w.])" + re.escape(needle) + r"(?!\w)", text) or re.search(re.escape(needle), text)
            if match:
                column = match.start() + 1
        key = (code, template, line, message)
        if key in self.report.seen:
            return
        self.report.seen.add(key)
        self.report.findings.append(error(code, message, Location(self.display(template), line, column), hint=hint))

    def display(self, template: str) -> str:
        from reportgen.inputs.load import display_path

        return display_path(self.dir / template)

    # -- statements --

    def walk_body(self, body: list[nodes.Node], template: str, scope: dict[str, Any]) -> None:
        for node in body:
            self.walk(node, template, scope)

    def walk(self, node: nodes.Node, template: str, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.Output):
            for child in node.nodes:
                if not isinstance(child, nodes.TemplateData):
                    self.expr(child, template, scope)
        elif isinstance(node, nodes.Assign):
            value = self.expr(node.node, template, scope)
            self.bind(node.target, value, template, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.walk_body(node.body, template, dict(scope))
            if node.filter is not None:
                self.filter_chain(node.filter, template, scope)
            self.bind(node.target, ANY, template, scope)
        elif isinstance(node, nodes.For):
            iterable = self.expr(node.iter, template, scope)
            inner = dict(scope)
            self.bind(node.target, iterable.element(), template, inner)
            inner["loop"] = ANY
            if node.test is not None:
                self.expr(node.test, template, inner)
            self.walk_body(node.body, template, inner)
            self.walk_body(node.else_, template, scope)
        elif isinstance(node, nodes.If):
            self.expr(node.test, template, scope)
            guarded = _defined_paths(node.test)
            if guarded:  # {% if x.y is defined %}: inside, x.y and below are the template's business
                inner = _guarded(scope, guarded)
                self.walk_body(node.body, template, inner)
                for key, value in inner.items():  # what the branch sets stays visible after it
                    if key != _DEFINED and scope.get(key) is not value:
                        scope[key] = value
            else:
                self.walk_body(node.body, template, scope)
            for branch in node.elif_:
                self.walk(branch, template, scope)
            self.walk_body(node.else_, template, scope)
        elif isinstance(node, nodes.Macro):
            ref = _MacroRef(node, template, scope)
            scope[node.name] = ref
            self.all_macros.append(ref)
        elif isinstance(node, nodes.CallBlock):
            self.expr(node.call, template, scope)
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = ANY
            self.walk_body(node.body, template, inner)
        elif isinstance(node, nodes.FilterBlock):
            self.walk_body(node.body, template, scope)
            self.filter_chain(node.filter, template, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, template, scope), template, inner)
            self.walk_body(node.body, template, inner)
        elif isinstance(node, nodes.Include):
            self.include(node, template, scope)
        elif isinstance(node, nodes.Import):
            module = self.module(node.template, node.with_context, template, scope, node.lineno)
            scope[node.target] = module or ANY
        elif isinstance(node, nodes.FromImport):
            module = self.module(node.template, node.with_context, template, scope, node.lineno)
            for item in node.names:
                name, alias = item if isinstance(item, tuple) else (item, item)
                target = module.scope.get(name) if module else ANY
                if module is not None and target is None:
                    self.add(UNKNOWN_MACRO, f"'{module.template}' has no macro '{name}'"
                             f"{_did_you_mean(name, _macro_names(module.scope))}", template, node.lineno, name)
                scope[alias] = target or ANY
        elif isinstance(node, (nodes.Block, nodes.Scope, nodes.ScopedEvalContextModifier)):
            self.walk_body(node.body, template, dict(scope) if isinstance(node, nodes.Scope) else scope)
        elif isinstance(node, nodes.ExprStmt):
            self.expr(node.node, template, scope)
        elif isinstance(node, nodes.Extends):
            pass  # the parent is checked as a template of its own
        else:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.expr(child, template, scope)
                else:
                    self.walk(child, template, scope)

    def bind(self, target: nodes.Node, value: Shape, template: str, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, template, scope)
        elif isinstance(target, nodes.NSRef) and target.name not in scope:
            self._unknown_name(target.name, template, target.lineno, scope)

    def include(self, node: nodes.Include, template: str, scope: dict[str, Any]) -> None:
        names = [node.template.value] if isinstance(node.template, nodes.Const) else []
        if isinstance(node.template, (nodes.List, nodes.Tuple)):
            names = [i.value for i in node.template.items if isinstance(i, nodes.Const)]
        for name in names:
            if not isinstance(name, str):
                continue
            tree = self.ast(name)
            if tree is None:
                if name not in self.asts or not node.ignore_missing:
                    self.add(UNKNOWN_MACRO, f"the included template '{name}' does not exist", template, node.lineno)
                continue
            key = (name, "include", tuple(sorted((k, id(v)) for k, v in scope.items())))
            if key in self.analysed:
                continue
            self.analysed.add(key)
            inner = dict(scope) if node.with_context else dict(self.globals)
            self.walk_body(tree.body, name, inner)

    def module(self, template_node: nodes.Expr, with_context: bool, template: str, scope: dict[str, Any],
               line: int) -> _Module | None:
        if not (isinstance(template_node, nodes.Const) and isinstance(template_node.value, str)):
            self.expr(template_node, template, scope)
            return None
        name = template_node.value
        cached = self.modules.get((name, with_context))
        if cached is not None:
            return cached
        tree = self.ast(name)
        if tree is None:
            if name not in self.sources:
                self.add(UNKNOWN_MACRO, f"the imported template '{name}' does not exist", template, line, name)
            return None
        module_scope = dict(scope) if with_context else dict(self.globals)
        module = _Module(name, module_scope)
        self.modules[(name, with_context)] = module
        self.walk_body(tree.body, name, module_scope)
        return module

    # -- macros --

    def call_macro(self, ref: _MacroRef, args: list[Shape], kwargs: dict[str, Shape], template: str,
                   line: int) -> None:
        macro = ref.node
        self.macros_walked.add(id(macro))
        params = [a.name for a in macro.args]
        bound: dict[str, Any] = {}
        for name, value in zip(params, args):
            bound[name] = value
        for name, value in kwargs.items():
            if name in params:
                bound[name] = value
        first_default = len(params) - len(macro.defaults)
        for index, name in enumerate(params):
            if name not in bound:
                default_index = index - first_default
                bound[name] = self.expr(macro.defaults[default_index], ref.template, ref.scope) \
                    if default_index >= 0 else ANY
        key = (ref.template, id(macro), tuple(id(bound[p]) for p in params))
        if key in self.analysed:
            return
        self.analysed.add(key)
        inner = dict(ref.scope)
        inner.update(bound)
        inner.update({"caller": ANY, "varargs": ANY, "kwargs": ANY})
        self.walk_body(macro.body, ref.template, inner)

    # -- expressions --

    def expr(self, node: nodes.Node, template: str, scope: dict[str, Any], lenient: bool = False) -> Shape:
        """The shape of an expression's value; reports the paths the context lacks."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                value = scope[node.name]
                return value if isinstance(value, Shape) else ANY
            if not lenient and node.name not in scope.get(_DEFINED, ()):
                self._unknown_name(node.name, template, node.lineno, scope)
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.member(node, node.attr, template, scope, lenient)
        if isinstance(node, nodes.Getitem):
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.member(node, node.arg.value, template, scope, lenient)
            base = self.expr(node.node, template, scope)
            if isinstance(node.arg, nodes.Slice):
                for part in (node.arg.start, node.arg.stop, node.arg.step):
                    if part is not None:
                        self.expr(part, template, scope)
                return base
            self.expr(node.arg, template, scope)
            return base.element() if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int) else ANY
        if isinstance(node, nodes.Filter):
            return self.filter(node, template, scope)
        if isinstance(node, nodes.Test):
            tolerant = node.name in ("defined", "undefined")
            if node.node is not None:
                self.expr(node.node, template, scope, lenient=tolerant)
            if node.name not in self.env.tests:
                self.add(UNKNOWN_FILTER, f"unknown test '{node.name}'{_did_you_mean(node.name, list(self.env.tests))}",
                         template, node.lineno, node.name)
            self._args(node, template, scope)
            return ANY
        if isinstance(node, nodes.Call):
            return self.call(node, template, scope)
        if isinstance(node, nodes.And):  # `x is defined and x.y`: the right side runs only when x is defined
            self.expr(node.left, template, scope)
            self.expr(node.right, template, _guarded(scope, _defined_paths(node.left)))
            return ANY
        if isinstance(node, nodes.CondExpr):
            self.expr(node.test, template, scope)
            yes = self.expr(node.expr1, template, _guarded(scope, _defined_paths(node.test)))
            if node.expr2 is not None:
                self.expr(node.expr2, template, scope)
            return yes
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, template, scope)
        return ANY

    def member(self, node: nodes.Getattr | nodes.Getitem, name: str, template: str, scope: dict[str, Any],
               lenient: bool) -> Shape:
        if _expr_text(node) in scope.get(_DEFINED, ()):
            return ANY
        base_node = node.node
        base = self.expr(base_node, template, scope)
        found = base.attr(name)
        if found is not None:
            return found
        if not lenient:
            path = f"{_expr_text(base_node)}.{name}"
            known = base.names()
            text = _expr_text(base_node)
            has = f"{', '.join(known[:12])}{', …' if len(known) > 12 else ''}"
            hint = None
            if base.path in ("", "?", text):
                hint = f"{text} has: {has}" if known else None
            else:
                hint = f"{text} is {base.path}" + (f", which has: {has}" if known else "")
            self.add(UNKNOWN_VARIABLE, f"unknown variable '{path}'"
                     f"{_did_you_mean(name, known, prefix=_expr_text(base_node) + '.')}",
                     template, node.lineno, name, hint=hint)
        return ANY

    def call(self, node: nodes.Call, template: str, scope: dict[str, Any]) -> Shape:
        target: Any = None
        if isinstance(node.node, nodes.Name) and isinstance(scope.get(node.node.name), _MacroRef):
            target = scope[node.node.name]
        elif isinstance(node.node, nodes.Getattr) and isinstance(node.node.node, nodes.Name) \
                and isinstance(scope.get(node.node.node.name), _Module):
            module = scope[node.node.node.name]
            target = module.scope.get(node.node.attr)
            if not isinstance(target, _MacroRef):
                self.add(UNKNOWN_MACRO, f"'{module.template}' has no macro '{node.node.attr}'"
                         f"{_did_you_mean(node.node.attr, _macro_names(module.scope))}",
                         template, node.lineno, node.node.attr)
                target = None
                self._args(node, template, scope)
                return ANY
        else:
            self.expr(node.node, template, scope)
        args = [self.expr(a, template, scope) for a in node.args]
        kwargs = {k.key: self.expr(k.value, template, scope) for k in node.kwargs}
        for extra in (node.dyn_args, node.dyn_kwargs):
            if extra is not None:
                self.expr(extra, template, scope)
        if isinstance(target, _MacroRef):
            self.call_macro(target, args, kwargs, template, node.lineno)
        return ANY

    def _args(self, node: nodes.Node, template: str, scope: dict[str, Any]) -> None:
        for arg in getattr(node, "args", []) or []:
            self.expr(arg, template, scope)
        for kw in getattr(node, "kwargs", []) or []:
            self.expr(kw.value, template, scope)
        for extra in (getattr(node, "dyn_args", None), getattr(node, "dyn_kwargs", None)):
            if extra is not None:
                self.expr(extra, template, scope)

    def filter_chain(self, node: nodes.Filter, template: str, scope: dict[str, Any]) -> None:
        self.filter(node, template, scope)

    def filter(self, node: nodes.Filter, template: str, scope: dict[str, Any]) -> Shape:
        name = node.name
        tolerant = name in ("default", "d")
        value = self.expr(node.node, template, scope, lenient=tolerant) if node.node is not None else ANY
        self._args(node, template, scope)
        if name not in self.env.filters:
            self.add(UNKNOWN_FILTER, f"unknown filter '{name}'{_did_you_mean(name, list(self.env.filters))}",
                     template, node.lineno, name)
            return ANY
        attribute = _attribute_arg(node)
        if attribute is not None and name in ("map", "selectattr", "rejectattr", "sort", "sum", "groupby", "unique",
                                              "min", "max"):
            item = value.element()
            sub = item
            for part in attribute.split("."):
                found = sub.attr(part) if not part.isdigit() else sub.element()
                if found is None:
                    self.add(UNKNOWN_VARIABLE, f"the items of '{_expr_text(node.node)}' have no '{part}'"
                             f"{_did_you_mean(part, sub.names())}", template, node.lineno, part,
                             hint=f"they have: {', '.join(sub.names())}" if sub.names() else None)
                    found = ANY
                sub = found
            if name == "map":
                mapped = Shape(item.path + "." + attribute)
                mapped.item = sub
                return mapped
        if name in ("first", "last", "random"):
            return value.element()
        if name in ("list", "sort", "reverse", "selectattr", "rejectattr", "unique", "batch", "slice"):
            return value
        return ANY

    def _unknown_name(self, name: str, template: str, line: int, scope: dict[str, Any]) -> None:
        candidates = [k for k in scope if not k.startswith("_")]
        hint = None
        if not _did_you_mean(name, candidates):
            hint = "the context provides: " + ", ".join(self.shape.names())
        self.add(UNKNOWN_VARIABLE, f"unknown variable '{name}'{_did_you_mean(name, candidates)}", template, line,
                 name, hint=hint)


_DEFINED = " defined"  # scope key (not a Jinja name) of the paths an enclosing `if ... is defined` tested


def _guarded(scope: dict[str, Any], paths: frozenset[str]) -> dict[str, Any]:
    if not paths:
        return scope
    inner = dict(scope)
    inner[_DEFINED] = scope.get(_DEFINED, frozenset()) | paths
    return inner


def _defined_paths(test: nodes.Node) -> frozenset[str]:
    """The paths ``test`` requires to be defined: ``x.y is defined`` (also inside ``and``)."""
    if isinstance(test, nodes.Test) and test.name == "defined" and test.node is not None:
        return frozenset({_expr_text(test.node)}) - {"…"}
    if isinstance(test, nodes.And):
        return _defined_paths(test.left) | _defined_paths(test.right)
    return frozenset()


def _attribute_arg(node: nodes.Filter) -> str | None:
    for kw in node.kwargs:
        if kw.key == "attribute" and isinstance(kw.value, nodes.Const) and isinstance(kw.value.value, str):
            return kw.value.value
    if node.name in ("selectattr", "rejectattr", "groupby") and node.args and isinstance(node.args[0], nodes.Const) \
            and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def _macro_names(scope: dict[str, Any]) -> list[str]:
    return [k for k, v in scope.items() if isinstance(v, _MacroRef)]


def _did_you_mean(name: str, candidates: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{prefix}{close[0]}'?)" if close else ""


def _expr_text(node: nodes.Node) -> str:
    """A readable text of a variable path expression (``projects.rows[0]``), else ``…``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expr_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        if isinstance(node.arg.value, str):
            return f"{_expr_text(node.node)}.{node.arg.value}"
        return f"{_expr_text(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter) and node.node is not None:
        return f"{_expr_text(node.node)}|{node.name}"
    return "…"


# --- the entry point -----------------------------------------------------------------------------

@dataclass
class CheckResult:
    findings: list[Finding]
    templates: list[str]
    shape: Shape | None


def check_templates(template_dir: Path, inputs_dir: Path | None = None) -> CheckResult:
    """Every variable path the templates in ``template_dir`` use that the context lacks, as findings.

    The context's shape is learnt from the contexts of ``inputs_dir`` (default: the shipped example).
    """
    from reportgen.report.render import make_environment
    from reportgen.report.resources import example_inputs

    inputs_dir = Path(inputs_dir) if inputs_dir is not None else example_inputs()
    contexts, findings = example_contexts(inputs_dir)
    if findings:
        return CheckResult(findings, [], None)
    shape = context_shape(contexts)
    env = make_environment(Path(template_dir))
    checker = TemplateChecker(env, Path(template_dir), shape)
    findings = checker.check_all()
    return CheckResult(findings, checker.template_names(), shape)


def context_paths(inputs_dir: Path | None = None) -> list[str]:
    """Every key path of the contexts (``decision.frames[].amount``...), for documentation."""
    from reportgen.report.resources import example_inputs

    contexts, findings = example_contexts(Path(inputs_dir) if inputs_dir is not None else example_inputs())
    if findings:
        raise ValueError(findings[0].message)
    return context_shape(contexts).paths()


def context_reference(inputs_dir: Path | None = None) -> str:
    """The context as Markdown, for docs/templates.md: which deliverables have each top-level
    variable, then every path as an indented tree (``[]`` marks the items of a list)."""
    from reportgen.report.resources import example_inputs

    contexts, findings = example_contexts(Path(inputs_dir) if inputs_dir is not None else example_inputs())
    if findings:
        raise ValueError(findings[0].message)
    shape = context_shape(contexts)
    lines = ["| variable | in the context of |", "|---|---|"]
    for key in shape.names():
        having = [str(ctx["report"]["id"]) for ctx in contexts if key in ctx]
        lines.append(f"| `{key}` | {'every deliverable' if len(having) == len(contexts) else ', '.join(having)} |")
    lines += ["", "```text"]

    def tree(node: Shape, depth: int) -> None:
        for key in node.names():
            sub = node.keys[key]
            suffix = "[]" if sub.item is not None else ""
            lines.append("  " * depth + key + suffix)
            tree(sub.item if sub.item is not None else sub, depth + 1)

    tree(shape, 0)
    lines.append("```")
    return "\n".join(lines) + "\n"
