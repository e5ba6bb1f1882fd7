"""Template releases: which version bastion carries, which one a project records."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from bastion.errors import BastionError
from bastion.history import (
    BUNDLE_NAME,
    CANONICAL_URL,
    RELEASE_NAME,
    HistoryError,
    Release,
    build_history,
)
from bastion.template import template_root

_DESCRIBE = re.compile(r"^v?(?P<base>[^-]+?)(?:-(?P<distance>\d+)-g(?P<sha>[0-9a-f]+))?$")


@dataclass(frozen=True, order=True)
class TemplateVersion:
    """A `git describe` name made comparable: the tagged version, then commits since."""

    base: Version
    distance: int

    @classmethod
    def parse(cls, describe: str) -> TemplateVersion:
        match = _DESCRIBE.match(describe.strip())
        if not match:
            raise BastionError(f"{describe!r} is not a template version bastion recognises")
        try:
            base = Version(match["base"])
        except InvalidVersion as error:
            raise BastionError(f"{describe!r} is not a template version: {error}") from error
        return cls(base, int(match["distance"] or 0))


@dataclass(frozen=True)
class InstalledTemplate:
    release: Release
    bundle: Path

    @property
    def version(self) -> TemplateVersion:
        return TemplateVersion.parse(self.release.describe)


@cache
def installed_template() -> InstalledTemplate:
    """The release bastion renders, with the bundle of every earlier one.

    An installed wheel carries both; a source checkout (or a fork named by
    BASTION_TEMPLATE) has its history bundled on first use, per HEAD commit.
    """
    root = template_root()
    if (root / BUNDLE_NAME).is_file():
        return InstalledTemplate(Release.read(root / RELEASE_NAME), root / BUNDLE_NAME)
    if not (root / ".git").exists():
        raise BastionError(
            f"the template at {root} carries no history ({BUNDLE_NAME}) and is not a git "
            "checkout; install bastion from a wheel or sdist, or use a git checkout"
        )
    try:
        cached = cached_history(root, _git_head(root))
    except HistoryError as error:
        raise BastionError(f"cannot read the template's history: {error}") from error
    return InstalledTemplate(Release.read(cached / RELEASE_NAME), cached / BUNDLE_NAME)


def cached_history(root: Path, head: str) -> Path:
    """The history of ``root`` at ``head``, bundled once per commit in the temp directory.

    Each process builds into a directory of its own and renames it into place, so bastions
    started at once (a test run's workers, a CI matrix) never write one bundle together.
    """
    cached = Path(tempfile.gettempdir()) / f"bastion-history-{head}"
    if (cached / RELEASE_NAME).is_file():
        return cached
    building = Path(tempfile.mkdtemp(prefix=f"{cached.name}.", dir=cached.parent))
    try:
        build_history(root, building)
        building.rename(cached)
    except OSError:
        # Another bastion got there first, or one that crashed left a partial copy.
        if (cached / RELEASE_NAME).is_file():
            shutil.rmtree(building, ignore_errors=True)
            return cached
        return building
    except HistoryError:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return cached


def recorded_release() -> Release | None:
    """The release to record in a new project, or None for a template without
    history (a plain directory named by BASTION_TEMPLATE): bastion cannot update
    such projects, and says so when asked."""
    root = template_root()
    if not (root / BUNDLE_NAME).is_file() and not (root / ".git").exists():
        return None
    return installed_template().release


def _git_head(root: Path) -> str:
    completed = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise BastionError(f"cannot read the template's git HEAD: {completed.stderr.strip()}")
    return completed.stdout.strip()


@contextmanager
def canonical_source(template: InstalledTemplate) -> Iterator[None]:
    """Let git (as run by Copier) resolve the canonical source to the local bundle."""
    with git_url_alias(CANONICAL_URL, template.bundle):
        yield


@contextmanager
def git_url_alias(url: str, repository: Path) -> Iterator[None]:
    """Let git (as run by Copier) fetch ``url`` from the local ``repository``.

    Copier runs git through plumbum, whose environment is a copy taken at import;
    the mapping is therefore set on plumbum's environment, for this block only.
    """
    from plumbum import local

    index = int(local.env.get("GIT_CONFIG_COUNT", "0") or 0)  # keep the user's own entries
    mapping = {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"url.{repository}.insteadOf",
        f"GIT_CONFIG_VALUE_{index}": url,
    }
    with (
        tempfile.TemporaryDirectory(prefix="bastion-copier-cache-") as cache_dir,
        local.env(**mapping),
    ):
        # A private mirror cache: nothing of another bastion version is reused.
        previous = os.environ.get("COPIER_CACHE_DIR")
        os.environ["COPIER_CACHE_DIR"] = cache_dir
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("COPIER_CACHE_DIR", None)
            else:
                os.environ["COPIER_CACHE_DIR"] = previous
