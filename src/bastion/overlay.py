"""A preset's overlay: its own Copier template, rendered after bastion's into the same
service with its own answers file, and merged by Copier's update when the preset moves.

Copier versions a template by its git tags, and the overlay is one directory of the
preset's repository. bastion therefore gives Copier a repository of the overlay alone:
one commit per preset version it needs, tagged ``v<version>``, behind the recorded
source ``git+bastion://preset/<name>`` (resolved with git's ``insteadOf``, as the
template's own source is).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from bastion.errors import BastionError
from bastion.presets import Preset, overlay_at_version
from bastion.questions import Questionnaire
from bastion.releases import git_url_alias
from bastion.render import rewrite_answers

_IDENTITY = {
    "GIT_AUTHOR_NAME": "bastion",
    "GIT_AUTHOR_EMAIL": "bastion@localhost",
    "GIT_COMMITTER_NAME": "bastion",
    "GIT_COMMITTER_EMAIL": "bastion@localhost",
}


def overlay_source(preset: Preset) -> str:
    return f"git+bastion://preset/{preset.name}"


def _git(repository: Path, *args: str) -> None:
    completed = subprocess.run(
        ["git", *args],
        cwd=repository,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **_IDENTITY},
    )
    if completed.returncode != 0:
        raise BastionError(f"git {args[0]} failed: {completed.stderr.strip()}")


def _overlay_repository(scratch: Path, versions: list[tuple[int, Path]]) -> Path:
    """A git repository of the overlay alone, one tagged commit per given version."""
    repository = scratch / "overlay.git"
    repository.mkdir()
    _git(repository, "init", "--quiet", "--initial-branch=main")
    for version, directory in versions:
        for entry in repository.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.copytree(
            directory, repository, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git")
        )
        _git(repository, "add", "--all", "--force")
        _git(repository, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", f"v{version}")
        _git(repository, "tag", f"v{version}")
    return repository


def _shared_answers(overlay: Path, answers: Mapping[str, Any]) -> dict[str, Any]:
    """bastion's answers to the questions the overlay asks too (project_name, ...)."""
    names = set(Questionnaire.load(overlay / "copier.yml").names)
    return {name: value for name, value in answers.items() if name in names}


def _copier_options(preset: Preset, overlay: Path, answers: Mapping[str, Any]) -> dict[str, Any]:
    """What the overlay's copy and update share: its answers, its own answers file, and
    the preset's current version; its other questions take their defaults."""
    return {
        "data": _shared_answers(overlay, answers),
        "answers_file": preset.overlay_answers_file(),
        "defaults": True,
        "overwrite": True,
        "quiet": True,
        "vcs_ref": f"v{preset.version}",
    }


def render_overlay(preset: Preset, destination: Path, answers: Mapping[str, Any]) -> None:
    """Render the preset's overlay into a freshly rendered service."""
    from copier import run_copy

    if preset.overlay is None:
        return
    with tempfile.TemporaryDirectory(prefix="bastion-overlay-") as scratch:
        repository = _overlay_repository(Path(scratch), [(preset.version, preset.overlay)])
        with _copier_errors(preset), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            run_copy(
                str(repository), destination, **_copier_options(preset, preset.overlay, answers)
            )
    rewrite_answers(
        destination / preset.overlay_answers_file(), {"_src_path": overlay_source(preset)}
    )


def update_overlay(
    preset: Preset,
    recorded_version: int | None,
    destination: Path,
    answers: Mapping[str, Any],
    conflict: Literal["inline", "rej"],
) -> None:
    """Merge the overlay's changes since ``recorded_version`` into the service with
    Copier's update; a service that never had the overlay gets it rendered."""
    from copier import run_update

    if preset.overlay is None:
        return
    if recorded_version is None or not (destination / preset.overlay_answers_file()).is_file():
        render_overlay(preset, destination, answers)
        return
    with tempfile.TemporaryDirectory(prefix="bastion-overlay-") as scratch:
        versions = [(preset.version, preset.overlay)]
        if recorded_version != preset.version:
            before = overlay_at_version(preset, recorded_version, Path(scratch) / "before")
            versions.insert(0, (recorded_version, before))
        repository = _overlay_repository(Path(scratch), versions)
        with (
            git_url_alias(overlay_source(preset).removeprefix("git+"), repository),
            _copier_errors(preset),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            run_update(
                destination,
                skip_answered=True,
                conflict=conflict,
                **_copier_options(preset, preset.overlay, answers),
            )


@contextmanager
def _copier_errors(preset: Preset) -> Iterator[None]:
    """Copier's refusals of the overlay (tasks without trust, bad answers) as one message."""
    from copier.errors import CopierError

    try:
        yield
    except (CopierError, ValueError) as error:
        raise BastionError(f"the overlay of {preset.label}: {error}") from error
