"""`bastion fleet report`: for many services at once, how far each is from the standard.

A service's drift is the template-owned files whose content differs from a fresh render
of its recorded template version with its recorded answers. Each recorded version is
taken from the bundled history once, each distinct (version, answers) rendered once, and
services are read and compared in a process pool.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import tarfile
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bastion.errors import BastionError
from bastion.presets import is_git_url, open_preset, read_recorded
from bastion.releases import InstalledTemplate, installed_template
from bastion.template import questionnaire
from bastion.update import answers_path, read_project

_COMMENT = re.compile(r"(^|\s)#.*$")


@dataclass
class Row:
    """One service of the report."""

    service: str
    project: str | None = None
    template: str | None = None
    installed: str | None = None
    status: str | None = None  # current, behind, ahead
    preset: str | None = None
    preset_version: int | None = None
    preset_current: int | None = None
    locks: str | None = None  # "hold", "broken", "unknown"; None without a preset
    broken_locks: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    drift_known: bool = True
    drift_error: str | None = None
    preset_source: str | None = None
    error: str | None = None
    next_step: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.status == "current"
            and self.locks in (None, "hold")
            and self.preset_version == self.preset_current
            and self.drift_known
            and not self.modified
            and not self.deleted
        )

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def read_sources(paths: Iterable[str], listing: Path | None) -> list[str]:
    """The services named on the command line and, one a line, in ``listing`` (paths
    there are relative to the listing; `#` after a space, or at a line's start, begins a
    comment, so that URL fragments such as `#main` stay)."""
    sources = list(paths)
    if listing is not None:
        if not listing.is_file():
            raise BastionError(f"--from {listing}: no such file")
        for line in listing.read_text(encoding="utf-8").splitlines():
            entry = _COMMENT.sub("", line).strip()
            if not entry or entry.startswith("#"):
                continue
            sources.append(entry if is_git_url(entry) else str(listing.parent / entry))
    if not sources:
        raise BastionError("name the services to report on: PATH..., or --from FILE")
    return sources


def report(sources: list[str], jobs: int | None = None) -> list[Row]:
    """One row per source, in the order given."""
    template = installed_template()
    with tempfile.TemporaryDirectory(prefix="bastion-fleet-") as scratch_dir:
        scratch = Path(scratch_dir)
        checkouts = [
            _checkout(source, scratch / f"service-{index}") for index, source in enumerate(sources)
        ]
        read = [
            _read(source, checkout, template)
            for source, checkout in zip(sources, checkouts, strict=True)
        ]
        rows = [row for row, _ in read]
        recorded = [answers for _, answers in read]
        _check_presets(rows, recorded)
        renders = _plan_renders(rows, recorded, template, scratch)
        with ProcessPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            rendering = {key: pool.submit(_render, *render) for key, render in renders.items()}
            failed = {key: _failure(future.exception()) for key, future in rendering.items()}
            comparing = []
            for row, checkout, answers in zip(rows, checkouts, recorded, strict=True):
                key = _render_key(row, answers)
                if checkout is None or key not in renders:
                    continue
                if failed[key]:
                    row.drift_known, row.drift_error = False, failed[key]
                    continue
                fresh = str(renders[key][1])
                comparing.append((row, pool.submit(_compare, str(checkout), fresh)))
            for row, future in comparing:
                row.modified, row.deleted = future.result()
    for row in rows:
        row.next_step = _next_step(row)
    return rows


def _failure(error: BaseException | None) -> str | None:
    return None if error is None else f"the fresh render failed: {error}"


def _checkout(source: str, destination: Path) -> Path | None:
    if not is_git_url(source):
        return Path(source)
    completed = subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", source, str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    return destination if completed.returncode == 0 else None


def _read(
    source: str, checkout: Path | None, template: InstalledTemplate
) -> tuple[Row, dict[str, Any]]:
    row = Row(service=source, installed=template.release.describe)
    if checkout is None:
        row.error = "cannot be cloned"
        return row, {}
    try:
        project = read_project(checkout)
        version = project.version
        recorded = read_recorded(project.answers)
    except BastionError as error:
        row.error = str(error).replace(str(checkout), source)
        return row, {}
    row.project = str(project.answers.get("project_name", checkout.name))
    row.template = project.describe
    row.status = (
        "current"
        if version == template.version
        else "behind"
        if version < template.version
        else "ahead"
    )
    if recorded:
        row.preset = str(recorded["name"])
        row.preset_version = int(recorded["version"])
        row.preset_source = str(recorded["source"])
    return row, project.answers


def _check_presets(rows: list[Row], recorded: list[dict[str, Any]]) -> None:
    """Read each preset once, at its current version, and check its locks hold."""
    presets: dict[str, tuple[int, dict[str, Any]] | str] = {}
    for source in sorted({row.preset_source for row in rows if row.preset_source}):
        try:
            with open_preset(source, questionnaire()) as preset:
                presets[source] = (preset.version, dict(preset.locked))
        except BastionError as error:
            presets[source] = str(error)
    for row, answers in zip(rows, recorded, strict=True):
        if row.preset_source is None:
            continue
        found = presets[row.preset_source]
        if isinstance(found, str):
            row.locks = "unknown"
            row.broken_locks = [found]
            continue
        row.preset_current, locked = found
        row.broken_locks = [
            f"{name}={answers.get(name)} (locked: {value})"
            for name, value in locked.items()
            if name in answers and str(answers[name]) != str(value)
        ]
        row.locks = "broken" if row.broken_locks else "hold"


def _render_key(row: Row, answers: Mapping[str, Any]) -> str:
    chosen = {name: value for name, value in answers.items() if not name.startswith("_")}
    text = json.dumps([row.template, chosen], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _plan_renders(
    rows: list[Row],
    recorded: list[dict[str, Any]],
    template: InstalledTemplate,
    scratch: Path,
) -> dict[str, tuple[str, Path, dict[str, Any]]]:
    """The renders to make: one per distinct (version, answers), from each version's
    template taken out of the bundle once."""
    versions: dict[str, Path] = {}
    renders: dict[str, tuple[str, Path, dict[str, Any]]] = {}
    history = scratch / "history.git"
    for row, answers in zip(rows, recorded, strict=True):
        if row.error or row.template is None:
            continue
        if row.status == "ahead":
            row.drift_known = False
            continue
        if row.template not in versions:
            if not history.exists():
                _git(scratch, "init", "--quiet", "--bare", str(history))
                _git(history, "fetch", "--quiet", str(template.bundle), "refs/*:refs/*")
            versions[row.template] = _extract(history, row.template, scratch)
        key = _render_key(row, answers)
        chosen = {name: value for name, value in answers.items() if not name.startswith("_")}
        renders.setdefault(key, (str(versions[row.template]), scratch / f"render-{key}", chosen))
    return renders


def _extract(history: Path, describe: str, scratch: Path) -> Path:
    destination = scratch / f"template-{describe}"
    archive = scratch / f"template-{describe}.tar"
    commit = _git(history, "rev-parse", f"{describe}^{{commit}}")
    # pyproject.toml too: the template reads its version there (the service's bastion pin).
    _git(
        history,
        "archive",
        f"--output={archive}",
        commit,
        "copier.yml",
        "template",
        "pyproject.toml",
    )
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")
    return destination


def _git(repository: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=repository, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BastionError(f"git {args[0]} failed: {completed.stderr.strip()}")
    return completed.stdout.strip()


def _render(template: str, destination: Path, answers: dict[str, Any]) -> None:
    from copier import run_copy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        run_copy(template, destination, data=answers, defaults=True, quiet=True)


def _compare(service: str, fresh: str) -> tuple[list[str], list[str]]:
    """The template-owned files the service changed and those it deleted."""
    root, rendered = Path(service), Path(fresh)
    answers_file = answers_path(root).name
    modified, deleted = [], []
    for file in sorted(path for path in rendered.rglob("*") if path.is_file()):
        relative = file.relative_to(rendered)
        if relative.as_posix() == answers_file:
            continue
        theirs = root / relative
        if not theirs.is_file():
            deleted.append(relative.as_posix())
        elif theirs.read_bytes() != file.read_bytes():
            modified.append(relative.as_posix())
    return modified, deleted


def _next_step(row: Row) -> str:
    if row.error:
        return "not a bastion service: check the path, or restore .copier-answers.yml"
    if row.status == "ahead":
        return f"upgrade bastion to the one that made it ({row.template}) or later"
    steps = []
    if row.modified or row.deleted:
        count = len(row.modified) + len(row.deleted)
        steps.append(
            f"restore {count} drifted file(s) or move the change into the template or preset"
        )
    if row.drift_error:
        steps.append(f"drift unknown ({row.drift_error})")
    if row.locks == "unknown":
        steps.append("make the preset readable again (bastion update --preset SOURCE)")
    if row.status == "behind" or row.locks == "broken" or row.preset_version != row.preset_current:
        steps.append("bastion update")
    return "; ".join(steps) or "nothing to do"
