"""The template's git history, shipped inside bastion so that updates work offline.

Copier updates a project by re-rendering the template at the recorded commit and at
the new one, so the template's history must be at hand wherever bastion is
installed. The build hook packs it into a git bundle next to the packaged
template. Versions are tagged inside the bundle from the `version` of
pyproject.toml at each commit, so nothing depends on the tags present in the clone
the package was built from.

Generated projects record the canonical source ``git+bastion://template``; bastion
maps it to the bundle with git's ``url.<base>.insteadOf``, which resolves on any
machine with bastion installed.

This module uses the standard library only: the build hook imports it by path.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path

CANONICAL_SOURCE = "git+bastion://template"
CANONICAL_URL = CANONICAL_SOURCE.removeprefix("git+")
BUNDLE_NAME = "history.bundle"
RELEASE_NAME = "release.json"
BRANCH = "refs/heads/main"


class HistoryError(Exception):
    """The template history could not be read or built."""


@dataclass(frozen=True)
class Release:
    """One template version: its package version, commit and `git describe` name."""

    version: str
    commit: str
    describe: str

    @classmethod
    def read(cls, path: Path) -> Release:
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")


def _git(*args: str, cwd: Path) -> str:
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise HistoryError(f"git {' '.join(args)} failed: {completed.stderr.strip()}")
    return completed.stdout.strip()


def _version_at(repository: Path, commit: str) -> str | None:
    try:
        text = _git("show", f"{commit}:pyproject.toml", cwd=repository)
    except HistoryError:
        return None
    version = tomllib.loads(text).get("project", {}).get("version")
    return str(version) if version else None


def build_history(source: Path, destination: Path) -> Release:
    """Bundle the history of ``source``'s HEAD into ``destination`` with version tags."""
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bastion-history-") as scratch:
        work = Path(scratch) / "history.git"
        _git("init", "--quiet", "--bare", str(work), cwd=source)
        _git("fetch", "--quiet", "--no-tags", str(source.resolve()), f"HEAD:{BRANCH}", cwd=work)
        _git("symbolic-ref", "HEAD", BRANCH, cwd=work)
        commits = _git("log", "--reverse", "--format=%H", BRANCH, "--", "pyproject.toml", cwd=work)
        tagged: set[str] = set()
        for commit in commits.split():
            version = _version_at(work, commit)
            if version and version not in tagged:
                _git("tag", f"v{version}", commit, cwd=work)
                tagged.add(version)
        if not tagged:
            raise HistoryError("no commit of pyproject.toml carries a project version")
        head = _git("rev-parse", BRANCH, cwd=work)
        release = Release(
            version=_version_at(work, head) or "0",
            commit=head,
            describe=_git("describe", "--tags", BRANCH, cwd=work),
        )
        _git("bundle", "create", "--quiet", str(destination / BUNDLE_NAME), "--all", cwd=work)
    release.write(destination / RELEASE_NAME)
    return release
