"""Rendering the template with Copier's Python API, and the steps around it."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bastion.errors import BastionError
from bastion.history import CANONICAL_SOURCE
from bastion.presets import RECORD_KEY
from bastion.template import questionnaire, template_root
from bastion.tools import uv_binary

if TYPE_CHECKING:
    from bastion.presets import Preset

_FALLBACK_IDENTITY = {"name": "bastion", "email": "bastion@localhost"}


def ensure_target_is_free(destination: Path, *, force: bool) -> None:
    """Refuse to render over a file, or into a non-empty directory without --force."""
    if destination.exists() and not destination.is_dir():
        raise BastionError(f"{destination} exists and is not a directory")
    if destination.is_dir() and any(destination.iterdir()) and not force:
        raise BastionError(
            f"{destination} is not empty; choose an empty or new directory, or pass --force "
            "to render into it (files the template also writes are then overwritten)"
        )


def render(
    answers: Mapping[str, Any],
    destination: Path,
    *,
    overwrite: bool,
    preset: Preset | None = None,
) -> list[Path]:
    """Render the template into ``destination``, then the preset's overlay, and return
    the files written.

    A directory that bastion created is removed again if rendering fails, so a
    failed run leaves nothing behind; an existing directory is never removed.
    """
    from copier import run_copy  # imported late: `bastion --help` should not pay for it
    from copier.errors import DirtyLocalWarning

    created = not destination.exists()
    try:
        with warnings.catch_warnings():
            # Rendering from a source checkout with uncommitted edits is how template
            # developers work; the warning is noise for them and never seen by users.
            warnings.simplefilter("ignore", DirtyLocalWarning)
            run_copy(
                str(template_root()),
                destination,
                data={
                    name: value
                    for name, value in answers.items()
                    if not questionnaire()[name].computed
                },
                defaults=True,
                overwrite=overwrite,
                quiet=True,
                vcs_ref="HEAD" if (template_root() / ".git").exists() else None,
            )
        _record_source(destination, preset)
        if preset is not None:
            from bastion.overlay import render_overlay

            render_overlay(preset, destination, answers)
    except ValueError as error:
        if created:
            shutil.rmtree(destination, ignore_errors=True)
        raise BastionError(str(error)) from error
    except BaseException:
        if created:
            shutil.rmtree(destination, ignore_errors=True)
        raise
    return list_files(destination)


def _record_source(destination: Path, preset: Preset | None) -> None:
    """Name the canonical source and release in the answers file, so that
    `bastion update` finds them on any machine (Copier recorded a local path), and
    the preset the service was made with."""
    from bastion.releases import recorded_release

    release = recorded_release()
    if release is None and preset is None:
        return
    answers_file = destination / str(
        questionnaire().settings.get("_answers_file", ".copier-answers.yml")
    )
    updates: dict[str, Any] = {}
    if release is not None:
        updates |= {"_src_path": CANONICAL_SOURCE, "_commit": release.describe}
    if preset is not None:
        updates[RECORD_KEY] = preset.record()
    rewrite_answers(answers_file, updates)


def rewrite_answers(answers_file: Path, updates: Mapping[str, Any]) -> None:
    """Set private keys of a Copier answers file, keeping its header comment."""
    text = answers_file.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    answers = {**(yaml.safe_load(text) or {}), **updates}
    body = yaml.safe_dump(answers, sort_keys=True, default_flow_style=False, allow_unicode=True)
    answers_file.write_text("\n".join([*header, body]), encoding="utf-8")


def preview(
    answers: Mapping[str, Any], destination: Path, preset: Preset | None = None
) -> list[Path]:
    """The files that rendering would write, found by rendering into a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="bastion-dry-run-") as scratch:
        target = Path(scratch) / destination.name
        return render(answers, target, overwrite=False, preset=preset)


def list_files(root: Path) -> list[Path]:
    return sorted(
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    )


def lock(destination: Path) -> str | None:
    """Write uv.lock so that CI and the image install what was tested.

    Returns why it could not (no uv, no registry): the project is usable without a
    lock file, so this is a warning, not a failure.
    """
    uv = uv_binary()
    if uv is None:
        return "uv is not installed"
    completed = subprocess.run(
        [uv, "lock", "--quiet"], cwd=destination, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        return completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "failed"
    return None


def git_init(destination: Path, message: str) -> None:
    """Make the new project a git repository with one initial commit."""
    if shutil.which("git") is None:
        raise BastionError("git is not installed; install it or pass --no-git")
    _git(destination, ["init", "--quiet", "--initial-branch=main"])
    commit_all(destination, message)


def commit_all(repository: Path, message: str) -> None:
    """Commit every change in the work tree, as the user or as bastion."""
    _git(repository, ["add", "--all"])
    _git(repository, ["commit", "--quiet", "--no-verify", "--message", message])


def _git(repository: Path, arguments: list[str]) -> None:
    env = {**os.environ, **_identity_fallback()}
    completed = subprocess.run(
        ["git", *arguments], cwd=repository, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BastionError(f"git {arguments[0]} failed: {completed.stderr.strip()}")


def _identity_fallback() -> dict[str, str]:
    """Commit as the user when git knows them, else as bastion (CI machines often have none)."""
    fallback = {}
    for key, value in _FALLBACK_IDENTITY.items():
        known = subprocess.run(
            ["git", "config", "--get", f"user.{key}"], capture_output=True, text=True, check=False
        )
        if known.stdout.strip():
            continue
        for role in ("AUTHOR", "COMMITTER"):
            variable = f"GIT_{role}_{key.upper()}"
            if variable not in os.environ:
                fallback[variable] = value
    return fallback
