"""Interactive questions on a terminal, built from copier.yml with questionary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bastion.errors import BastionError

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
from bastion.questions import Question, Questionnaire


class Aborted(BastionError):
    """The user interrupted the questions; nothing was written."""

    exit_code = 130


class Declined(BastionError):
    """The user did not confirm the answers; nothing was written."""

    exit_code = 1


def confirm_answers(answers: Mapping[str, Any], directory: Path, console: Console) -> None:
    """The review screen: every answer, then one question before anything is written."""
    import questionary
    from rich.table import Table

    table = Table(title=f"bastion new {directory}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for name, value in answers.items():
        table.add_row(name, str(value))
    console.print(table)
    try:
        confirmed = questionary.confirm("Write the service with these answers?").unsafe_ask()
    except KeyboardInterrupt as interrupt:
        raise Aborted("interrupted; nothing was written") from interrupt
    if not confirmed:
        raise Declined("not confirmed; nothing was written")


def _wrap_validation_message(prompt: Any) -> None:
    """Let the message of a refused answer take the lines it needs: prompt_toolkit's
    validation toolbar is one line high, which cut long messages at the terminal's width."""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.layout.containers import Window
    from prompt_toolkit.layout.controls import FormattedTextControl
    from prompt_toolkit.widgets.toolbars import ValidationToolbar

    toolbar_text = ValidationToolbar().control.text
    for window in prompt.application.layout.find_all_windows():
        content = window.content
        if (
            isinstance(window, Window)
            and isinstance(content, FormattedTextControl)
            and callable(content.text)
            and getattr(content.text, "__qualname__", None)
            == getattr(toolbar_text, "__qualname__", "")
        ):
            window.height = None
            window.wrap_lines = to_filter(True)


def terminal_prompter(questionnaire: Questionnaire, locked: Mapping[str, Any] | None = None) -> Any:
    """A prompter asking each question on the terminal, validating as the user types;
    choices that copier.yml's rules, or a preset's ``locked`` answers, rule out are shown
    disabled with the reason."""
    import questionary  # imported late: it costs a tenth of a second at start-up

    from bastion.presets import breaks_a_lock

    def ask(question: Question, answers: Mapping[str, Any]) -> Any:
        default = questionnaire.default(question, answers)
        message = f"{question.name}: {question.help}" if question.help else question.name
        if question.choices:
            choices = [
                questionary.Choice(
                    title=choice.label,
                    value=choice.value,
                    disabled=questionnaire.render(choice.validator, answers)
                    or breaks_a_lock(questionnaire, question, choice.value, answers, locked or {})
                    or None,
                )
                for choice in question.choices
            ]
            enabled = [c.value for c in choices if not c.disabled]
            prompt = questionary.select(
                message,
                choices=choices,
                default=default if default in enabled else None,
            )
        else:

            def validate(text: str) -> bool | str:
                return questionnaire.problem(question, text, answers) or True

            prompt = questionary.text(message, default=str(default or ""), validate=validate)
            _wrap_validation_message(prompt)
        try:
            return prompt.unsafe_ask()
        except KeyboardInterrupt as interrupt:
            raise Aborted("interrupted; nothing was written") from interrupt

    return ask
