"""Collecting answers from flags, --data, answer files, defaults and prompts.

Precedence, lowest first: question defaults (with --defaults), the answers file,
--data, then the per-question flags. Every answer is checked against copier.yml
before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bastion.errors import BastionError, MissingAnswers
from bastion.questions import Question, Questionnaire

if TYPE_CHECKING:
    from bastion.presets import Preset

Prompter = Callable[[Question, Mapping[str, Any]], Any]


@dataclass
class AnswerSources:
    """Where answers come from. ``recorded`` holds a service's earlier answers (for
    `bastion update`): unlike the others, those that no longer apply are dropped."""

    flags: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    file: dict[str, Any] = field(default_factory=dict)
    use_defaults: bool = False
    recorded: dict[str, Any] = field(default_factory=dict)

    def given(self) -> dict[str, Any]:
        return {**self.recorded, **self.file, **self.data, **self.flags}

    def origin(self, question: Question) -> str | None:
        """How the user gave ``question`` its answer, or None if they did not."""
        if question.name in self.flags:
            return f"{question.flag} {self.flags[question.name]}"
        if question.name in self.data:
            return f"--data {question.name}={self.data[question.name]}"
        if question.name in self.file:
            return f"{question.name}: {self.file[question.name]} in the answers file"
        return None


def parse_data(pairs: Iterable[str]) -> dict[str, str]:
    """Parse repeated ``--data key=value`` options."""
    parsed = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BastionError(f"--data expects key=value, got {pair!r}")
        parsed[key.strip()] = value
    return parsed


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON answers file; Copier's private ``_`` keys are ignored."""
    if not path.is_file():
        raise BastionError(f"answers file {path} does not exist")
    text = path.read_text(encoding="utf-8")
    try:
        content = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise BastionError(f"answers file {path} is not valid YAML or JSON: {error}") from error
    if content is None:
        content = {}
    if not isinstance(content, dict):
        raise BastionError(f"answers file {path} must hold a mapping of question: answer")
    return {str(key): value for key, value in content.items() if not str(key).startswith("_")}


def resolve(
    questionnaire: Questionnaire,
    sources: AnswerSources,
    context: Mapping[str, Any],
    prompt: Prompter | None,
    preset: Preset | None = None,
) -> dict[str, Any]:
    """Walk the questions in order and return the complete, validated answers.

    ``prompt`` is None when nobody can be asked (no terminal): missing answers are
    then reported together in one :class:`MissingAnswers` error. A ``preset``'s locked
    answers win over recorded ones and refuse any other source that contradicts them;
    its defaults replace copier.yml's; its hidden and locked questions are never asked.
    """
    given = sources.given()
    unknown = sorted(set(given) - set(questionnaire.names))
    if unknown:
        known = ", ".join(question.name for question in questionnaire.askable)
        raise BastionError(f"unknown question(s): {', '.join(unknown)}; known questions: {known}")
    computed = sorted(name for name in given if questionnaire[name].computed)
    if computed:
        raise BastionError(f"{', '.join(computed)} is derived from other answers and cannot be set")

    locked = dict(preset.locked) if preset else {}
    if preset:
        _refuse_contradicted_locks(questionnaire, sources, preset)
    answers: dict[str, Any] = {}
    origins: dict[str, str] = {}
    missing: list[Question] = []
    for question in questionnaire:
        scope = {**context, **answers}
        if preset and question.name in preset.defaults:
            question = replace(question, default=preset.defaults[question.name])
        if not questionnaire.is_asked(question, scope):
            if question.computed:
                answers[question.name] = questionnaire.default(question, scope)
            elif question.name not in locked and (origin := sources.origin(question)):
                raise BastionError(_inapplicable_message(question, origin, scope))
            continue
        if question.name in locked:
            value = _cast(question, locked[question.name])
            origins[question.name] = "locked"
        elif question.name in given:
            value = _cast(question, given[question.name])
            origins[question.name] = sources.origin(question) or "recorded"
        elif sources.use_defaults or (preset and question.name in preset.hidden):
            value = questionnaire.default(question, scope)
            origins[question.name] = "default"
        elif prompt is not None:
            value = prompt(question, scope)
            origins[question.name] = "at the prompt"
        else:
            missing.append(question)
            continue
        if problem := questionnaire.problem(question, value, scope):
            if preset and question.name in locked:
                raise BastionError(
                    _broken_lock_message(preset, question, value, problem, scope, origins)
                )
            raise BastionError(problem)
        answers[question.name] = value
    if missing:
        raise MissingAnswers(_missing_message(missing))
    return answers


def _refuse_contradicted_locks(
    questionnaire: Questionnaire, sources: AnswerSources, preset: Preset
) -> None:
    for name, value in preset.locked.items():
        question = questionnaire[name]
        origin = sources.origin(question)
        if origin and _cast(question, sources.given()[name]) != _cast(question, value):
            raise BastionError(
                f"{preset.label} locks {name}={value}; {origin} contradicts it: leave it out"
            )


def _broken_lock_message(
    preset: Preset,
    question: Question,
    value: Any,
    problem: str,
    scope: Mapping[str, Any],
    origins: Mapping[str, str],
) -> str:
    """A locked answer that earlier answers made impossible: name those answers."""
    from bastion.describe import references  # Jinja: imported for errors only

    choice = question.choices[question.values.index(value)] if question.choices else None
    named = references(choice.validator) if choice else references(question.validator)
    blamed = [
        f"{name}={scope[name]} ({origins[name]})"
        for name in named
        if name in scope and origins.get(name, "locked") != "locked"
    ]
    because = f" (answered: {', '.join(blamed)})" if blamed else ""
    return (
        f"{preset.label} locks {question.name}={value}, which the other answers forbid: "
        f"{problem}{because}"
    )


def _inapplicable_message(question: Question, origin: str, scope: Mapping[str, Any]) -> str:
    from bastion.describe import condition, references  # Jinja: imported for errors only

    because = ", ".join(
        f"{name}={scope[name]}" for name in references(question.when) if name in scope
    )
    return (
        f"{origin} does not apply: {question.name} is asked only when "
        f"{condition(question.when)}, and {because or 'the other answers differ'}; "
        "leave it out"
    )


def _cast(question: Question, value: Any) -> Any:
    if question.type == "bool" and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on", "y"}
    if question.type == "int" and isinstance(value, str):
        try:
            return int(value)
        except ValueError as error:
            raise BastionError(f"{question.name} must be an integer, got {value!r}") from error
    return str(value) if question.type == "str" else value


def _missing_message(missing: list[Question]) -> str:
    lines = ["no terminal to ask on, and these questions have no answer:"]
    for question in missing:
        hint = f"{question.flag} {'|'.join(question.values)}" if question.choices else question.flag
        lines.append(f"  {question.name}: {hint}")
    lines.append(
        "Answer them with these flags, --data key=value, --answers-file FILE, or --defaults."
    )
    return "\n".join(lines)
