"""The `bastion` command line: a Typer app whose question flags come from copier.yml."""

from __future__ import annotations

import inspect
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

import bastion
from bastion.answers import AnswerSources, load_answers_file, parse_data, resolve
from bastion.errors import BastionError
from bastion.questions import Question, copier_context
from bastion.template import questionnaire

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bastion.presets import Preset
    from bastion.update import Conflict, UpdateResult

stdout = Console()
stderr = Console(stderr=True)

_ANSWERS_PANEL = "Answers (one flag per question of copier.yml)"


def _show_version(value: bool) -> None:
    if value:
        stdout.print(f"bastion {bastion.__version__}")
        raise typer.Exit


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Generate secure, tested Python API services, and keep them up to date."""
    # Made when the command runs, so that the width (COLUMNS, the terminal) is today's.
    global stdout, stderr
    stdout = Console()
    stderr = Console(stderr=True)


def _fail(error: BastionError) -> typer.Exit:
    stderr.print(f"[bold red]Error:[/] {error}", highlight=False, soft_wrap=True)
    return typer.Exit(error.exit_code)


def choices_metavar(question: Question) -> str | None:
    """`<jwt|api_key|oidc>` in help."""
    return f"<{'|'.join(question.values)}>" if question.choices else None


def _completer(question: Question) -> Any:
    def complete(incomplete: str) -> list[tuple[str, str]]:
        return [
            (choice.value, choice.description)
            for choice in question.choices
            if choice.value.startswith(incomplete)
        ]

    return complete


def _question_parameters() -> list[inspect.Parameter]:
    """One `--<question>` option per askable question, with copier.yml's help and choices."""
    parameters = []
    for question in questionnaire().askable:
        option = typer.Option(
            question.flag,
            help=question.help,
            rich_help_panel=_ANSWERS_PANEL,
            show_default=False,
            # The choices are shown and completed, but a wrong one is refused by bastion
            # itself, with the same one-line `Error:` as every other bad answer.
            metavar=choices_metavar(question),
            autocompletion=_completer(question),
        )
        parameters.append(
            inspect.Parameter(
                question.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[str | None, option],
            )
        )
    return parameters


def _output_level(quiet: bool, verbose: bool) -> int:
    """-1 quiet (errors and warnings only), 0 normal, 1 verbose."""
    if quiet and verbose:
        raise BastionError("choose --quiet or --verbose, not both")
    return -1 if quiet else 1 if verbose else 0


def _print_json(document: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


def new(
    directory: Path,
    defaults: bool,
    data: list[str] | None,
    answers_file: Path | None,
    force: bool,
    dry_run: bool,
    git: bool,
    lock: bool,
    check: bool,
    as_json: bool,
    quiet: bool,
    verbose: bool,
    preset_source: str | None = None,
    **flags: Any,
) -> None:
    """Generate a new service in DIRECTORY."""
    started = time.perf_counter()
    warnings: list[str] = []
    try:
        level = _output_level(quiet, verbose)
        with _opened_preset(preset_source) as preset:
            answers = _collect_answers(
                directory,
                defaults,
                data or [],
                answers_file,
                flags,
                review=not dry_run,
                can_prompt=not as_json,
                preset=preset,
            )
            if dry_run:
                _print_preview(directory, answers, as_json, preset)
                return
            from bastion.render import ensure_target_is_free, git_init, render
            from bastion.render import lock as write_lock

            ensure_target_is_free(directory, force=force)
            files = render(answers, directory, overwrite=force, preset=preset)
        if lock and (problem := write_lock(directory)):
            warnings.append(f"no uv.lock written ({problem}); run `uv lock` later")
            stderr.print(f"[yellow]Warning:[/] {warnings[-1]}", soft_wrap=True)
        if git:
            git_init(directory, f"Initial commit from bastion {bastion.__version__}")
    except BastionError as error:
        raise _fail(error) from None
    rendered_in = time.perf_counter() - started
    if as_json:
        document: dict[str, Any] = {
            "path": str(directory),
            "answers": answers,
            "files": [path.as_posix() for path in files],
            "git": git,
            "lock": (directory / "uv.lock").is_file(),
            "warnings": warnings,
            "seconds": round(rendered_in, 3),
            "preset": preset.record() if preset else None,
        }
        if check:
            from bastion.check import run_check

            report = run_check(directory, stderr)
            document["check"] = {
                "ok": report.ok,
                "tests": report.test_summary,
                "steps": [vars(step) for step in report.steps],
            }
        _print_json(document)
        if check and not document["check"]["ok"]:
            raise typer.Exit(1)
        return
    if level > 0:
        for name, value in answers.items():
            stdout.print(f"  {name}: {value}", markup=False, soft_wrap=True)
        for path in files:
            stdout.print(f"  wrote {path.as_posix()}", markup=False, soft_wrap=True)
    if level >= 0:
        stdout.print(
            f"[green]Created[/] {directory} ({len(files)} files, {rendered_in:.2f} s)",
            soft_wrap=True,
        )
    if check:
        _check(directory, answers, files)
    elif level >= 0:
        stdout.print(
            f"Next: cd {directory} && uv sync --extra dev && uv run pytest",
            markup=False,
            soft_wrap=True,
        )


def _collect_answers(
    directory: Path,
    defaults: bool,
    data: list[str],
    answers_file: Path | None,
    flags: dict[str, Any],
    *,
    review: bool = True,
    can_prompt: bool = True,
    preset: Preset | None = None,
) -> dict[str, Any]:
    sources = AnswerSources(
        flags={name: str(value) for name, value in flags.items() if value is not None},
        data=parse_data(data),
        file=load_answers_file(answers_file) if answers_file else {},
        use_defaults=defaults,
    )
    interactive = can_prompt and sys.stdin.isatty() and sys.stdout.isatty() and not defaults
    prompter = None
    if interactive:
        from bastion.prompts import terminal_prompter

        prompter = terminal_prompter(questionnaire(), preset.locked if preset else None)
        answers = resolve(questionnaire(), sources, copier_context(directory), prompter, preset)
        if review:
            from bastion.prompts import confirm_answers

            confirm_answers(answers, directory, stdout)
        return answers
    # The directory names the project unless told otherwise, as the prompt would suggest.
    name = questionnaire()["project_name"]
    if name.name not in sources.given():
        derived = questionnaire().default(name, copier_context(directory))
        if problem := questionnaire().problem(name, derived, copier_context(directory)):
            raise BastionError(
                f"{problem}; the name comes from the directory {directory.name!r}: "
                f"pass {name.flag} {_suggested_name(derived)}"
            )
        sources.file[name.name] = derived
    return resolve(questionnaire(), sources, copier_context(directory), prompter, preset)


@contextmanager
def _opened_preset(source: str | None) -> Iterator[Preset | None]:
    if source is None:
        yield None
        return
    from bastion.presets import open_preset

    with open_preset(source, questionnaire()) as preset:
        yield preset


def _suggested_name(derived: str) -> str:
    """A valid project name close to ``derived`` ("My Service" gives my-service)."""
    import re

    name = questionnaire()["project_name"]
    slug = "-".join(re.findall(r"[a-z0-9]+", derived.lower()))
    slug = re.sub(r"^[0-9-]+", "", slug)[:40].rstrip("-")
    if slug and not questionnaire().problem(name, slug, {}):
        return slug
    return "NAME"


def _print_preview(
    directory: Path, answers: dict[str, Any], as_json: bool = False, preset: Preset | None = None
) -> None:
    from bastion.render import preview

    files = preview(answers, directory, preset)
    if as_json:
        _print_json(
            {
                "path": str(directory),
                "answers": answers,
                "files": [path.as_posix() for path in files],
                "dry_run": True,
            }
        )
        return
    tree = Tree(f"[bold]{directory}[/] (dry run: nothing written)")
    branches: dict[tuple[str, ...], Tree] = {(): tree}
    for path in files:
        for depth in range(1, len(path.parts)):
            key = path.parts[:depth]
            if key not in branches:
                branches[key] = branches[key[:-1]].add(f"{key[-1]}/")
        branches[path.parts[:-1]].add(path.name)
    stdout.print(tree)
    stdout.print(f"{len(files)} files would be written.")


def _check(directory: Path, answers: dict[str, Any], files: list[Path]) -> None:
    from bastion.check import run_check

    report = run_check(directory, stdout)
    summary = Table(title=f"bastion new {directory}", show_header=False, title_justify="left")
    summary.add_column(style="bold")
    summary.add_column()
    for name, value in answers.items():
        summary.add_row(name, str(value))
    summary.add_row("files", str(len(files)))
    for step in report.steps:
        status = "[green]ok" if step.ok else "[red]failed"
        summary.add_row(step.name, f"{status}[/] in {step.seconds:.1f} s")
    summary.add_row("tests", report.test_summary or "not run")
    stdout.print(summary)
    if not report.ok:
        stderr.print(report.failure_output, markup=False, highlight=False)
        stderr.print("[bold red]Error:[/] the generated project's check failed")
        raise typer.Exit(1)
    package = str(answers.get("project_name", directory.name)).replace("-", "_")
    stdout.print(
        f"Next: cd {directory} && uv run python -m {package} migrate, then README.md's "
        "first request takes you to a created item.",
        markup=False,
        soft_wrap=True,
    )


def _output_options() -> list[tuple[str, Any, Any]]:
    return [
        (
            "as_json",
            bool,
            typer.Option("--json", help="Print the result as JSON for machines; never prompt."),
        ),
        (
            "quiet",
            bool,
            typer.Option("--quiet", "-q", help="Print only warnings and errors."),
        ),
        (
            "verbose",
            bool,
            typer.Option("--verbose", "-v", help="Also print every answer and every file."),
        ),
    ]


def _new_command() -> Any:
    """`new` with a signature built from copier.yml, so that its flags never drift."""
    fixed = [
        inspect.Parameter(
            "directory",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[
                Path, typer.Argument(help="Directory to create the service in.", show_default=False)
            ],
        ),
        *_question_parameters(),
    ]
    options: list[tuple[str, Any, Any]] = [
        (
            "defaults",
            bool,
            typer.Option("--defaults", help="Use the default of every unanswered question."),
        ),
        (
            "data",
            list[str] | None,
            typer.Option(
                "--data",
                "-d",
                help="Answer a question: key=value (repeatable).",
                show_default=False,
            ),
        ),
        (
            "answers_file",
            Path | None,
            typer.Option(
                "--answers-file", help="YAML or JSON file of answers.", show_default=False
            ),
        ),
        (
            "force",
            bool,
            typer.Option("--force", help="Render into a non-empty directory, overwriting."),
        ),
        (
            "dry_run",
            bool,
            typer.Option("--dry-run", help="Print the files that would be written; write nothing."),
        ),
        ("git", bool, typer.Option("--git/--no-git", help="git init and commit the new project.")),
        ("lock", bool, typer.Option("--lock/--no-lock", help="Write uv.lock with `uv lock`.")),
        (
            "preset_source",
            str | None,
            typer.Option(
                "--preset",
                help="An organisation preset: a YAML file, or a git URL (URL#file.yml) whose "
                "bastion-preset.yml holds defaults, locked and hidden answers and an overlay.",
                show_default=False,
            ),
        ),
        (
            "check",
            bool,
            typer.Option("--check", help="Install the project in .venv and run its tests."),
        ),
        *_output_options(),
    ]
    defaults = {"defaults": False, "data": None, "answers_file": None, "force": False}
    defaults |= {"dry_run": False, "git": True, "lock": True, "check": False}
    defaults |= {"as_json": False, "quiet": False, "verbose": False, "preset_source": None}
    for name, annotation, option in options:
        fixed.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=defaults[name],
                annotation=Annotated[annotation, option],
            )
        )

    def command(**arguments: Any) -> None:
        new(**arguments)

    command.__doc__ = new.__doc__
    command.__signature__ = inspect.Signature(fixed)  # type: ignore[attr-defined]
    return command


def options(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Show the questions, their choices, defaults and constraints (from copier.yml)."""
    from bastion.describe import condition, words

    rules = questionnaire().rules()
    listing = []
    for question in questionnaire().askable:
        when = condition(question.when)
        listing.append(
            {
                "name": question.name,
                "flag": question.flag,
                "help": question.help,
                "choices": [
                    {"value": choice.value, "description": choice.description}
                    for choice in question.choices
                ],
                "default": words(question.default),
                "when": f"only when {when}" if when else None,
                "constraints": [
                    {"choice": rule.value, "rule": rule.message}
                    for rule in rules
                    if rule.question == question.name
                ],
            }
        )
    if as_json:
        sys.stdout.write(json.dumps({"questions": listing}, indent=2) + "\n")
        return
    table = Table(title="bastion options (from copier.yml)", title_justify="left")
    table.add_column("question", no_wrap=True)
    for column in ("choices", "default", "help", "constraints"):
        table.add_column(column, overflow="fold")
    for entry in listing:
        choices = [
            f"[bold]{c['value']}[/]" + (f": {c['description']}" if c["description"] else "")
            for c in entry["choices"]
        ]
        table.add_row(
            f"{entry['name']}\n[dim]{entry['flag']}[/]",
            "\n".join(choices) or "[dim]free text[/]",
            str(entry["default"]),
            entry["help"] + (f"\n[dim]asked {entry['when']}[/]" if entry["when"] else ""),
            "\n".join(f"{c['choice']}: {c['rule']}" for c in entry["constraints"]),
        )
    stdout.print(table)


_CONFLICT_MODES = ("inline", "rej")


def update_command(
    directory: Annotated[
        Path, typer.Argument(help="The generated service (default: here).", show_default=False)
    ] = Path("."),
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", help="Change an answer on purpose: key=value (repeatable)."),
    ] = None,
    conflict: Annotated[
        str,
        typer.Option(
            "--conflict",
            help="inline conflict markers, or .rej files beside the file.",
            metavar=f"<{'|'.join(_CONFLICT_MODES)}>",
            autocompletion=lambda: list(_CONFLICT_MODES),
        ),
    ] = "inline",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="The template version to update to (default: this bastion's).",
            show_default=False,
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            help="Read the service's preset from here (it moved), or adopt this preset.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the result as JSON for machines.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also print the answers the update used.")
    ] = False,
) -> None:
    """Update a generated service to this bastion's template version and its preset's
    current version, on a branch."""
    from bastion.answers import parse_data
    from bastion.update import preview, update

    try:
        level = _output_level(quiet, verbose)
        if conflict not in _CONFLICT_MODES:
            raise BastionError(
                f"--conflict: {conflict!r} is not a valid choice; choose one of: "
                + ", ".join(_CONFLICT_MODES)
            )
        changes_asked = parse_data(data or [])
        run = preview if dry_run else update
        prompt = None
        if not as_json and sys.stdin.isatty() and sys.stdout.isatty():
            from bastion.prompts import terminal_prompter

            # Questions the service was never asked are asked now; --data answers them too.
            prompt = terminal_prompter(questionnaire())
        result = run(directory, changes_asked, cast("Conflict", conflict), to, prompt, preset)
    except BastionError as error:
        raise _fail(error) from None
    if as_json:
        _print_json(result.as_dict(dry_run))
    else:
        _print_update(result, dry_run, level)
    if result.changes.conflicted:
        raise typer.Exit(1)


def _print_update(result: UpdateResult, dry_run: bool, level: int = 0) -> None:
    for note in result.notes:
        stderr.print(f"[yellow]Warning:[/] {note}", highlight=False, soft_wrap=True)
    if level < 0:
        return
    if level > 0:
        for name, value in result.answers.items():
            stdout.print(f"  {name}: {value}", markup=False, soft_wrap=True)
    if result.noop:
        stdout.print(
            f"{result.project} is already on template {result.to_version}: nothing to update "
            "(no branch, no commit)",
            markup=False,
            soft_wrap=True,
        )
        return
    verb = "Would update" if dry_run else "Updated"
    where = f" on branch {result.branch}" if result.branch else " (dry run: nothing written)"
    versions = f"from template {result.from_version} to {result.to_version}"
    stdout.print(f"{verb} {result.project} {versions}{where}", markup=False, soft_wrap=True)
    for kind, paths in result.changes.as_dict().items():
        for path in paths:
            stdout.print(f"  {kind:<10} {path}", markup=False, soft_wrap=True)
    if not any(result.changes.as_dict().values()):
        stdout.print("  no file changes")
    if dry_run:
        return
    branch, original = result.branch, result.original_branch
    if result.changes.conflicted:
        stdout.print(
            f"{len(result.changes.conflicted)} conflict(s): resolve them, then "
            "`git add -A && git commit`.",
            markup=False,
            soft_wrap=True,
        )
        abandon = (
            f"git reset --hard && git clean -fd && git switch {original} && git branch -D {branch}"
        )
    else:
        stdout.print(f"Review: git log -p {original}..{branch}", markup=False, soft_wrap=True)
        stdout.print(
            f"Accept: git switch {original} && git merge {branch}", markup=False, soft_wrap=True
        )
        abandon = f"git switch {original} && git branch -D {branch}"
    stdout.print(f"Abandon: {abandon}", markup=False, soft_wrap=True)


def check_command(
    directory: Annotated[
        Path, typer.Argument(help="The generated service (default: here).", show_default=False)
    ] = Path("."),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Exit 0 when the service is on this bastion's template version, 2 when it is not."""
    from bastion.update import drift

    try:
        result = drift(directory)
    except BastionError as error:
        raise _fail(error) from None
    if as_json:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2) + "\n")
    else:
        messages = {
            "current": "is on the installed template version",
            "behind": "is behind: run `bastion update`",
            "ahead": "was generated by a newer bastion: upgrade bastion",
        }
        stdout.print(
            f"{result.project}: template {result.recorded}, installed {result.installed}; "
            f"{messages[result.status]}",
            markup=False,
            soft_wrap=True,
        )
        if result.status == "behind":
            _print_release_notes(result.release_notes, result.recorded, result.installed)
    if result.status != "current":
        raise typer.Exit(2)


def _print_release_notes(notes: list[dict[str, str]], recorded: str, installed: str) -> None:
    if not notes:
        stdout.print(
            f"  CHANGELOG.md has no release notes between {recorded} and {installed}",
            markup=False,
            soft_wrap=True,
        )
        return
    stdout.print("Release notes (CHANGELOG.md):", markup=False)
    for section in notes:
        stdout.print(f"\n## {section['version']}\n", markup=False, soft_wrap=True)
        stdout.print(section["notes"], markup=False, soft_wrap=True, highlight=False)


def preset_check_command(
    source: Annotated[
        str,
        typer.Argument(
            help="The preset: a YAML file, or a git URL (URL#file.yml).", show_default=False
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """Check a preset against copier.yml: exit 0 when bastion new would accept it, 2 when not."""
    from bastion.presets import check, open_preset

    try:
        with open_preset(source, questionnaire(), validate=False) as preset:
            problems = check(preset, questionnaire())
            label = preset.label
            summary = {
                **preset.record(),
                "defaults": dict(preset.defaults),
                "locked": dict(preset.locked),
                "hidden": sorted(preset.hidden),
                "overlay": preset.overlay is not None,
            }
    except BastionError as error:
        if as_json:
            _print_json({"source": source, "ok": False, "problems": [str(error)]})
            raise typer.Exit(error.exit_code) from None
        raise _fail(error) from None
    if as_json:
        _print_json({**summary, "ok": not problems, "problems": problems})
    elif problems:
        for problem in problems:
            stderr.print(f"[bold red]Error:[/] {label}: {problem}", highlight=False, soft_wrap=True)
    else:
        stdout.print(f"{label} from {source}: ok", markup=False, soft_wrap=True)
    if problems:
        raise typer.Exit(2)


def fleet_report_command(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Services: checkouts or git URLs.", show_default=False),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from", help="A file of services, a path or git URL a line.", show_default=False
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: one per CPU).", min=1),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
) -> None:
    """One row per service: template version, preset and its locks, drift, the next step.
    Exit 0 when all is current and clean, 2 when not, 1 when a service could not be read."""
    from bastion.fleet import read_sources, report

    try:
        rows = report(read_sources(paths or [], from_file), jobs)
    except BastionError as error:
        raise _fail(error) from None
    if as_json:
        _print_json({"installed": rows[0].installed, "services": [r.as_dict() for r in rows]})
    else:
        _print_fleet(rows)
    if any(row.error for row in rows):
        raise typer.Exit(1)
    if not all(row.ok for row in rows):
        raise typer.Exit(2)


def _print_fleet(rows: list[Any]) -> None:
    table = Table(
        title=f"bastion fleet report (installed template {rows[0].installed})",
        title_justify="left",
    )
    for column in ("service", "template", "preset", "locks", "drift", "next step"):
        table.add_column(column, overflow="fold")
    colours = {"current": "green", "behind": "yellow", "ahead": "red"}
    for row in rows:
        if row.error:
            table.add_row(row.service, "[red]unreadable[/]", "", "", row.error, row.next_step)
            continue
        template = f"{row.template} [{colours[row.status]}]{row.status}[/]"
        preset = "" if row.preset is None else f"{row.preset} v{row.preset_version}"
        if row.preset is not None and row.preset_current not in (None, row.preset_version):
            preset += f" [yellow](v{row.preset_current} out)[/]"
        locks = {None: "", "hold": "[green]hold[/]"}.get(
            row.locks, f"[red]{row.locks}[/]: " + "; ".join(row.broken_locks)
        )
        drifted = [f"modified {path}" for path in row.modified]
        drifted += [f"deleted {path}" for path in row.deleted]
        if not row.drift_known:
            drift = "[yellow]unknown[/]"
        elif drifted:
            drift = f"[red]{len(drifted)} file(s)[/]\n" + "\n".join(drifted[:5])
            drift += f"\n... and {len(drifted) - 5} more" if len(drifted) > 5 else ""
        else:
            drift = "[green]none[/]"
        table.add_row(row.project or row.service, template, preset, locks, drift, row.next_step)
    stdout.print(table)


def create_app() -> typer.Typer:
    """The Typer app; built on demand because its flags come from the chosen template."""
    app = typer.Typer(
        name="bastion",
        help="Generate secure, tested Python API services, and keep them up to date.",
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode="rich",
    )
    app.callback()(_root)
    app.command("new")(_new_command())
    app.command("update")(update_command)
    app.command("check")(check_command)
    app.command("options")(options)
    preset_app = typer.Typer(help="Organisation presets: check one before publishing it.")
    preset_app.command("check")(preset_check_command)
    app.add_typer(preset_app, name="preset")
    fleet_app = typer.Typer(help="Many services at once: how far each is from the standard.")
    fleet_app.command("report")(fleet_report_command)
    app.add_typer(fleet_app, name="fleet")
    return app


def main() -> None:
    try:
        app = create_app()
    except BastionError as error:
        raise SystemExit(_fail(error).exit_code) from None
    app()
