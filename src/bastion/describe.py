"""copier.yml's Jinja, said in words: `{{ auth == 'jwt' }}` reads "auth=jwt".

`bastion options` and bastion's error messages show what a person reads, derived from
the templates of copier.yml themselves; an expression this module cannot put in words
is shown as it is written, without its braces.
"""

from __future__ import annotations

from typing import Any

from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

_ENV = SandboxedEnvironment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])

# Copier's own variables, and filters that do not change what a value means to a reader.
_COPIER_PATHS = {("_copier_conf", "dst_path"): "the target directory"}
_TRANSPARENT_FILTERS = {"realpath", "abspath", "trim", "string"}
_NEGATED = {"eq": "ne", "ne": "eq", "in": "notin", "notin": "in"}


class _Unsayable(Exception):
    """An expression with no plain-words form here."""


def _raw(template: str) -> str:
    text = template.strip()
    if text.startswith("{{") and text.endswith("}}"):
        text = text[2:-2].strip()
    return text


def _value(node: nodes.Node) -> str:
    if isinstance(node, nodes.Const):
        return str(node.value)
    if isinstance(node, nodes.Name):
        return node.name
    if (
        isinstance(node, nodes.Getattr)
        and isinstance(node.node, nodes.Name)
        and (path := _COPIER_PATHS.get((node.node.name, node.attr))) is not None
    ):
        return path
    if isinstance(node, nodes.Filter) and node.node is not None:
        inner = _value(node.node)
        if node.name in _TRANSPARENT_FILTERS:
            return inner
        if node.name == "basename":
            return f"{inner}'s name"
        if node.name == "replace" and len(node.args) == 2:
            old, new = (_value(arg) for arg in node.args)
            return f"{inner} with {old!r} replaced by {new!r}"
        if node.name in {"lower", "upper"}:
            return f"{inner} in {node.name}case"
    if isinstance(node, nodes.List | nodes.Tuple):
        return ", ".join(_value(item) for item in node.items)
    raise _Unsayable


def _condition(node: nodes.Node, *, negated: bool = False) -> str:
    if isinstance(node, nodes.Not):
        return _condition(node.node, negated=not negated)
    if isinstance(node, nodes.And | nodes.Or):
        joiner = " and " if isinstance(node, nodes.And) != negated else " or "
        return (
            _condition(node.left, negated=negated)
            + joiner
            + _condition(node.right, negated=negated)
        )
    if isinstance(node, nodes.Compare) and len(node.ops) == 1:
        operator = node.ops[0].op
        if negated:
            operator = _NEGATED.get(operator, "")
        left, right = _value(node.expr), _value(node.ops[0].expr)
        words = {"eq": "=", "ne": "≠", "in": " is one of ", "notin": " is none of "}
        if operator in words:
            return f"{left}{words[operator]}{right}"
    if isinstance(node, nodes.Const) and isinstance(node.value, bool):
        return "always" if node.value != negated else "never"
    if isinstance(node, nodes.Name):
        return f"{'no ' if negated else ''}{node.name}"
    raise _Unsayable


def _output(body: list[nodes.Node]) -> str:
    if len(body) == 1 and isinstance(body[0], nodes.Output):
        parts = []
        for node in body[0].nodes:
            parts.append(node.data if isinstance(node, nodes.TemplateData) else _value(node))
        return "".join(parts).strip()
    if len(body) == 1 and isinstance(body[0], nodes.If):
        branch = body[0]
        said = [f"{_output(branch.body)} when {_condition(branch.test)}"]
        for other in branch.elif_:
            said.append(f"{_output(other.body)} when {_condition(other.test)}")
        if branch.else_:
            said.append(f"else {_output(branch.else_)}")
        return ", ".join(said)
    raise _Unsayable


def words(template: Any) -> Any:
    """A default of copier.yml in words; a value that is not a template is returned as is."""
    if not isinstance(template, str) or "{" not in template:
        return template
    try:
        return _output(_ENV.parse(template).body)
    except _Unsayable:
        return _raw(template)


def condition(template: Any) -> str | None:
    """A `when` of copier.yml in words ("auth=jwt"); None when the question is always asked."""
    if template is True or template is None:
        return None
    if not isinstance(template, str):
        return "always" if template else "never"
    try:
        body = _ENV.parse(template).body
        if len(body) == 1 and isinstance(body[0], nodes.Output) and len(body[0].nodes) == 1:
            return _condition(body[0].nodes[0])
    except _Unsayable:
        pass
    return _raw(template)


def references(template: Any) -> list[str]:
    """The answers a template of copier.yml reads, in the order it names them."""
    if not isinstance(template, str):
        return []
    found: list[str] = []
    for name in _ENV.parse(template).find_all(nodes.Name):
        if name.name not in found and not name.name.startswith("_"):
            found.append(name.name)
    return found
