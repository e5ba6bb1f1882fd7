"""The render matrix, computed from copier.yml: adding a choice grows it by itself.

A pairwise covering array (covertable) over every question with choices, respecting
the constraints written as choice validators. Answers to questions that do not apply
(their `when` is false) are dropped, as Copier would drop them.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from covertable import make
from jinja2 import Environment, meta

from bastion.questions import Question, Questionnaire


def choice_questions(questionnaire: Questionnaire) -> list[Question]:
    return [question for question in questionnaire.askable if question.choices]


def is_allowed(questionnaire: Questionnaire, row: dict[str, Any]) -> bool:
    """Whether a (partial) set of answers passes every constraint known so far."""
    earlier: dict[str, Any] = {}
    for question in choice_questions(questionnaire):
        if question.name not in row:
            continue
        if not questionnaire.allows(question, row[question.name], earlier):
            return False
        earlier[question.name] = row[question.name]
    return True


def applicable(questionnaire: Questionnaire, row: dict[str, Any]) -> dict[str, Any]:
    """The row without answers to questions that do not apply to it."""
    kept: dict[str, Any] = {}
    for question in choice_questions(questionnaire):
        if questionnaire.is_asked(question, kept):
            kept[question.name] = row[question.name]
    return kept


def constraints(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """One covertable constraint per question whose choices have validators, judged once
    every answer its validators read is known."""
    questions = choice_questions(questionnaire)
    names = [question.name for question in questions]
    parser = Environment(autoescape=True)  # Only parsed, never rendered.
    found = []
    for question in questions:
        read: set[str] = set()
        for choice in question.choices:
            if choice.validator:
                read |= meta.find_undeclared_variables(parser.parse(choice.validator))
        if not read:
            continue
        requires = [name for name in names if name in read or name == question.name]

        def allowed(row: dict[str, Any], requires: list[str] = requires) -> bool:
            return is_allowed(questionnaire, {name: row[name] for name in requires})

        found.append({"operator": "fn", "requires": requires, "evaluate": allowed})
    return found


def covering_array(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    questions = choice_questions(questionnaire)
    names = [question.name for question in questions]
    if len(questions) == 1:
        return [{names[0]: value} for value in questions[0].values]
    factors = {question.name: list(question.values) for question in questions}
    made = make(factors, constraints=constraints(questionnaire))
    rows = [{name: row[name] for name in names} for row in made]
    unique: dict[tuple[tuple[str, Any], ...], dict[str, Any]] = {}
    for row in rows:
        trimmed = applicable(questionnaire, row)
        unique.setdefault(tuple(sorted(trimmed.items())), trimmed)
    result = list(unique.values())
    # A pair covered only in a row where one of its questions does not apply was
    # dropped with that answer: cover it again with a row of its own.
    for pair in sorted(allowed_pairs(questionnaire) - covered_pairs(result)):
        if pair in covered_pairs(result):
            continue
        completed = _complete(questionnaire, dict(pair))
        if completed is not None:
            result.append(completed)
    return result


def _complete(questionnaire: Questionnaire, fixed: dict[str, Any]) -> dict[str, Any] | None:
    """A valid row containing ``fixed``, other answers chosen first-allowed."""
    row: dict[str, Any] = {}
    for question in choice_questions(questionnaire):
        candidates = [fixed[question.name]] if question.name in fixed else list(question.values)
        for value in candidates:
            if is_allowed(questionnaire, {**row, question.name: value}):
                row[question.name] = value
                break
        else:
            return None
    trimmed = applicable(questionnaire, row)
    return trimmed if fixed.items() <= trimmed.items() else None


def covered_pairs(rows: list[dict[str, Any]]) -> set[tuple[tuple[str, Any], tuple[str, Any]]]:
    """The pairs of answers, in question order, that the rows contain."""
    return {pair for row in rows for pair in combinations(row.items(), 2)}


def allowed_pairs(questionnaire: Questionnaire) -> set[tuple[tuple[str, Any], tuple[str, Any]]]:
    """Every pair of choices that passes the constraints, where both questions apply."""
    questions = choice_questions(questionnaire)
    pairs = set()
    for first, second in combinations(questions, 2):
        if not questionnaire.is_asked(first, {}):
            continue
        for a in first.values:
            if not questionnaire.is_asked(second, {first.name: a}):
                continue
            for b in second.values:
                if is_allowed(questionnaire, {first.name: a, second.name: b}):
                    pairs.add(((first.name, a), (second.name, b)))
    return pairs


def row_id(row: dict[str, Any]) -> str:
    return "-".join(str(value) for value in row.values())
