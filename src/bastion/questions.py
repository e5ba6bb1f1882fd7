"""The questions of copier.yml, read as data so that nothing re-lists them by hand.

Copier evaluates `when`, `default` and `validator` as Jinja templates; this module
evaluates the same templates with the same filters, so that bastion's prompts, flags,
error messages and covering arrays agree with `copier copy` on every answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

# Copier renders every template with the Ansible core filters (regex_search, basename...).
_COPIER_JINJA_EXTENSIONS = ("jinja2_ansible_filters.AnsibleCoreFiltersExtension",)


class UnknownYet(Exception):
    """A template referred to an answer that has not been given yet."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    validator: str = ""

    @property
    def description(self) -> str:
        """The label without the value it starts with: "jwt: password login" gives
        "password login"; a label that is only the value describes nothing."""
        text = self.label.strip()
        for separator in (":", " -", " "):
            if text.startswith(self.value + separator):
                return text[len(self.value) + len(separator) :].strip(" :-")
        return "" if text == self.value else text


@dataclass(frozen=True)
class Question:
    name: str
    type: str = "str"
    help: str = ""
    placeholder: str = ""
    default: Any = None
    when: Any = True
    validator: str = ""
    choices: tuple[Choice, ...] = ()

    @property
    def computed(self) -> bool:
        """Derived from other answers (``when: false``): never asked, never a flag."""
        return self.when is False

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True)
class Rule:
    """A constraint: choosing ``value`` for ``question`` is refused with ``message``."""

    question: str
    value: str
    message: str


@dataclass
class Questionnaire:
    """The questions and settings of one copier.yml."""

    questions: tuple[Question, ...]
    settings: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, copier_yml: Path) -> Questionnaire:
        raw = yaml.safe_load(copier_yml.read_text(encoding="utf-8")) or {}
        settings = {key: value for key, value in raw.items() if key.startswith("_")}
        questions = tuple(
            _parse_question(name, spec) for name, spec in raw.items() if not name.startswith("_")
        )
        return cls(questions=questions, settings=settings)

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    def __getitem__(self, name: str) -> Question:
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(question.name for question in self.questions)

    @property
    def askable(self) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if not question.computed)

    # Jinja is imported when a value is first rendered: `bastion --help` renders none.
    @cached_property
    def _env(self) -> SandboxedEnvironment:
        from jinja2.sandbox import SandboxedEnvironment

        return SandboxedEnvironment(extensions=list(_COPIER_JINJA_EXTENSIONS))

    @cached_property
    def _strict_env(self) -> SandboxedEnvironment:
        from jinja2 import StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        return SandboxedEnvironment(
            extensions=list(_COPIER_JINJA_EXTENSIONS), undefined=StrictUndefined
        )

    def render(self, template: Any, context: Mapping[str, Any], *, strict: bool = False) -> Any:
        """Render one Jinja value of copier.yml; non-strings are returned as they are.

        With ``strict``, a reference to an answer missing from ``context`` raises
        :class:`UnknownYet` instead of rendering as empty.
        """
        if not isinstance(template, str):
            return template
        from jinja2 import UndefinedError

        env = self._strict_env if strict else self._env
        try:
            return env.from_string(template).render(**context).strip()
        except UndefinedError as error:
            if strict:
                raise UnknownYet(str(error)) from error
            raise

    def is_asked(
        self, question: Question, answers: Mapping[str, Any], *, strict: bool = False
    ) -> bool:
        """Whether ``question`` applies, given the earlier answers (copier's ``when``);
        with ``strict``, :class:`UnknownYet` when that depends on an answer not given."""
        when = self.render(question.when, answers, strict=strict)
        if isinstance(when, str):
            return when.lower() not in {"", "false", "no", "off", "0", "none", "null"}
        return bool(when)

    def default(self, question: Question, answers: Mapping[str, Any]) -> Any:
        return self.render(question.default, answers)

    def problem(self, question: Question, value: Any, answers: Mapping[str, Any]) -> str | None:
        """Why ``value`` is not acceptable for ``question`` given the earlier answers."""
        context = {**answers, question.name: value}
        if question.choices:
            if value not in question.values:
                valid = ", ".join(question.values)
                return f"{question.name}: {value!r} is not a valid choice; choose one of: {valid}"
            choice = question.choices[question.values.index(value)]
            if message := self.render(choice.validator, context):
                return f"{question.name}={value} is refused: {message}"
        if message := self.render(question.validator, context):
            return f"{question.name} {value!r} is refused: {message}"
        return None

    def allows(self, question: Question, value: Any, partial: Mapping[str, Any]) -> bool:
        """Whether a partial set of answers may still be valid (unknown answers allowed)."""
        if not question.choices:
            return True
        choice = question.choices[question.values.index(value)]
        try:
            return not self.render(choice.validator, {**partial, question.name: value}, strict=True)
        except UnknownYet:
            return True

    def rules(self) -> tuple[Rule, ...]:
        """Every constraint message written in a choice validator of copier.yml."""
        from jinja2 import nodes

        found = []
        for question in self.questions:
            for choice in question.choices:
                if not choice.validator:
                    continue
                tree = self._env.parse(choice.validator)
                for data in tree.find_all(nodes.TemplateData):
                    if message := data.data.strip():
                        found.append(Rule(question.name, choice.value, message))
        return tuple(found)


def _parse_question(name: str, spec: Any) -> Question:
    if not isinstance(spec, Mapping):
        # Copier's short form: `name: default`.
        return Question(name=name, default=spec)
    return Question(
        name=name,
        type=str(spec.get("type", "str")),
        help=str(spec.get("help", "")).strip(),
        placeholder=str(spec.get("placeholder", "")),
        default=spec.get("default"),
        when=spec.get("when", True),
        validator=str(spec.get("validator", "")),
        choices=_parse_choices(spec.get("choices")),
    )


def _parse_choices(raw: Any) -> tuple[Choice, ...]:
    if raw is None:
        return ()
    pairs = raw.items() if isinstance(raw, Mapping) else ((item, item) for item in raw)
    choices = []
    for label, target in pairs:
        if isinstance(target, Mapping):
            choices.append(
                Choice(
                    value=str(target["value"]),
                    label=str(label),
                    validator=str(target.get("validator", "")),
                )
            )
        else:
            choices.append(Choice(value=str(target), label=str(label)))
    return tuple(choices)


def copier_context(destination: Path) -> dict[str, Any]:
    """The part of Copier's render context that copier.yml defaults may use."""
    return {"_copier_conf": {"dst_path": PurePath(destination)}}
