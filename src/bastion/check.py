"""`bastion new --check`: install the new project in its own .venv and run its tests.

With uv, the install is `uv sync --locked` from the project's uv.lock (refusing a stale
lock, as CI does), so the check runs what CI and the container image will install."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from bastion.tools import uv_binary

_SUMMARY_LINE = re.compile(r"\d+ (passed|failed|errors?)\b")


@dataclass
class Step:
    name: str
    seconds: float
    ok: bool


@dataclass
class CheckReport:
    steps: list[Step] = field(default_factory=list)
    test_summary: str = ""
    failure_output: str = ""

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)


def _commands(project: Path) -> list[tuple[str, list[str]]]:
    venv_python = str(project / ".venv" / "bin" / "python")
    run_tests = ("run the tests", [venv_python, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
    if uv := uv_binary():
        locking = (
            [] if (project / "uv.lock").is_file() else [("lock dependencies", [uv, "lock", "-q"])]
        )
        sync = [uv, "sync", "--locked", "--extra", "dev", "-q", "--compile-bytecode"]
        return [*locking, ("install from uv.lock", [*sync, "--python", sys.executable]), run_tests]
    return [
        ("create .venv", [sys.executable, "-m", "venv", ".venv"]),
        ("install with dev extras", [venv_python, "-m", "pip", "install", "-q", "-e", ".[dev]"]),
        run_tests,
    ]


def run_check(project: Path, console: Console) -> CheckReport:
    """Run each step with a progress line; stop at the first failing step."""
    project = project.resolve()
    report = CheckReport()
    env = {
        key: value for key, value in os.environ.items() if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        for name, command in _commands(project):
            task = progress.add_task(name, total=None)
            started = time.perf_counter()
            returncode, output = _run(command, project, env)
            step = Step(name, time.perf_counter() - started, returncode == 0)
            progress.remove_task(task)
            console.print(f"{'[green]✓' if step.ok else '[red]✗'}[/] {name} ({step.seconds:.1f} s)")
            report.steps.append(step)
            if name == "run the tests":
                report.test_summary = _pytest_summary(output)
            if not step.ok:
                report.failure_output = "\n".join(output.strip().splitlines()[-40:])
                break
    return report


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    try:
        completed = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
    except OSError as error:
        return 1, f"{command[0]}: {error}"
    return completed.returncode, completed.stdout + completed.stderr


def _pytest_summary(output: str) -> str:
    """Pytest's closing line ("12 passed in 3.40s"), without its decoration."""
    for line in reversed(output.splitlines()):
        if _SUMMARY_LINE.search(line):
            return line.strip("= ").strip()
    return "no test summary (see the output above)"
