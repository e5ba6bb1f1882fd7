"""Organisation presets: a versioned YAML file of defaults, locked answers, hidden
questions and an optional overlay template, read from a path or a git repository."""

from __future__ import annotations

import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from bastion.describe import condition
from bastion.errors import BastionError
from bastion.questions import Question, Questionnaire, UnknownYet

PRESET_FILE = "bastion-preset.yml"
RECORD_KEY = "_bastion_preset"
ANSWERS_TEMPLATE = "{{_copier_conf.answers_file}}.jinja"
_KEYS = {"name", "version", "defaults", "locked", "hidden", "overlay"}
_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_SCP_URL = re.compile(r"^[\w.-]+@[\w.-]+:")


@dataclass(frozen=True)
class Preset:
    """One version of a preset, read from ``source`` (a path or a git URL)."""

    source: str
    name: str
    version: int
    defaults: Mapping[str, Any] = field(default_factory=dict)
    locked: Mapping[str, Any] = field(default_factory=dict)
    hidden: frozenset[str] = frozenset()
    overlay: Path | None = None
    # Where the preset's history can be read, for an overlay's earlier versions.
    repository: Path | None = None
    file_in_repository: str | None = None

    @property
    def label(self) -> str:
        return f"preset {self.name} (version {self.version})"

    def record(self) -> dict[str, Any]:
        return {"source": self.source, "name": self.name, "version": self.version}

    def overlay_answers_file(self) -> str:
        """The overlay's own answers file: its `_answers_file`, else one named after us."""
        if self.overlay is not None:
            settings = _overlay_settings(self.overlay)
            if chosen := settings.get("_answers_file"):
                return str(chosen)
        return f".copier-answers.{self.name}.yml"


def is_git_url(source: str) -> bool:
    return "://" in source or bool(_SCP_URL.match(source))


def _git(*args: str, cwd: Path | None = None) -> str:
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise BastionError(completed.stderr.strip() or f"git {args[0]} failed")
    return completed.stdout


@contextmanager
def open_preset(
    source: str, questionnaire: Questionnaire, *, validate: bool = True
) -> Iterator[Preset]:
    """The preset named by ``source``, validated against ``questionnaire`` (its first
    problem refused) unless told not to; a git repository is cloned for the block."""
    location, _, inner = source.partition("#")
    if is_git_url(location):
        with tempfile.TemporaryDirectory(prefix="bastion-preset-") as scratch:
            clone = Path(scratch) / "preset"
            try:
                _git("clone", "--quiet", "--no-tags", location, str(clone))
            except BastionError as error:
                raise BastionError(f"preset {source}: cannot clone {location}: {error}") from None
            preset = _load(source, clone, inner or PRESET_FILE, repository=clone)
            yield _validated(preset, questionnaire) if validate else preset
        return
    path = Path(location).expanduser()
    if inner and not path.is_dir():
        raise BastionError(f"preset {source}: `#{inner}` names a file inside a directory")
    if path.is_dir():
        path = path / (inner or PRESET_FILE)
    if not path.is_file():
        raise BastionError(f"preset {source}: {path} does not exist")
    path = path.resolve()
    top = _git("rev-parse", "--show-toplevel", cwd=path.parent).strip() if _in_git(path) else ""
    recorded = str(path)
    repository = Path(top) if top else None
    relative = path.relative_to(repository).as_posix() if repository else None
    preset = _load(recorded, path.parent, path.name, repository, relative)
    yield _validated(preset, questionnaire) if validate else preset


def _validated(preset: Preset, questionnaire: Questionnaire) -> Preset:
    if problems := check(preset, questionnaire):
        raise BastionError(f"{preset.label} from {preset.source}: {problems[0]}")
    return preset


def _in_git(path: Path) -> bool:
    completed = subprocess.run(
        ["git", "ls-files", "--error-unmatch", path.name],
        cwd=path.parent,
        capture_output=True,
        check=False,
    )
    return completed.returncode == 0


def _load(
    source: str,
    root: Path,
    inner: str,
    repository: Path | None,
    file_in_repository: str | None = None,
) -> Preset:
    file = root / inner
    if not file.is_file():
        raise BastionError(f"preset {source}: {inner} does not exist in it")
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise BastionError(f"preset {source}: {inner} is not valid YAML: {error}") from None
    preset = parse(raw, source, file.parent, where=inner)
    if repository is not None and file_in_repository is None:
        file_in_repository = inner
    return replace(preset, repository=repository, file_in_repository=file_in_repository)


def parse(raw: Any, source: str, base: Path, where: str = PRESET_FILE) -> Preset:
    """The preset's fields, each checked for its shape (not yet against copier.yml)."""
    here = f"preset {source}: {where}"
    if not isinstance(raw, dict):
        raise BastionError(f"{here} must be a mapping with name and version")
    if unknown := sorted(set(map(str, raw)) - _KEYS):
        raise BastionError(
            f"{here} has unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_KEYS))}"
        )
    name = raw.get("name")
    if not isinstance(name, str) or not _SLUG.match(name):
        raise BastionError(f"{here}: name must be a slug such as acme-payments, got {name!r}")
    version = raw.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BastionError(f"{here}: version must be a positive integer, got {version!r}")
    defaults = _mapping(raw.get("defaults"), "defaults", here)
    locked = _mapping(raw.get("locked"), "locked", here)
    hidden = raw.get("hidden") or []
    if not isinstance(hidden, list) or not all(isinstance(item, str) for item in hidden):
        raise BastionError(f"{here}: hidden must be a list of question names")
    overlay = None
    if (declared := raw.get("overlay")) is not None:
        if not isinstance(declared, str) or not declared.strip():
            raise BastionError(f"{here}: overlay must name a directory of the preset")
        overlay = (base / declared).resolve()
        if not overlay.is_relative_to(base.resolve()):
            raise BastionError(f"{here}: overlay {declared!r} is outside the preset")
        if not (overlay / "copier.yml").is_file():
            raise BastionError(f"{here}: overlay {declared!r} has no copier.yml")
        if not (overlay / ANSWERS_TEMPLATE).is_file():
            raise BastionError(
                f"{here}: overlay {declared!r} has no {ANSWERS_TEMPLATE}, so Copier would record "
                "no answers for it and could never update it"
            )
    return Preset(
        source=source,
        name=name,
        version=version,
        defaults=defaults,
        locked=locked,
        hidden=frozenset(hidden),
        overlay=overlay,
    )


def _mapping(value: Any, key: str, here: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BastionError(f"{here}: {key} must be a mapping of question: answer")
    return {str(name): answer for name, answer in value.items()}


def check(preset: Preset, questionnaire: Questionnaire) -> list[str]:
    """Every way ``preset`` asks what copier.yml cannot give: unknown or derived questions,
    impossible choices, a question both defaulted and locked, locks a constraint forbids."""
    problems = []
    known = {question.name for question in questionnaire.askable}
    listed = ", ".join(question.name for question in questionnaire.askable)
    for key, names in (
        ("defaults", preset.defaults),
        ("locked", preset.locked),
        ("hidden", preset.hidden),
    ):
        for name in sorted(set(names) - known):
            if name in questionnaire.names:
                problems.append(f"{key}: {name} is derived from other answers and cannot be set")
            else:
                problems.append(f"{key}: unknown question {name!r}; known questions: {listed}")
    for name in sorted(set(preset.defaults) & set(preset.locked)):
        problems.append(f"{name} is both a default and locked; keep it in one place")
    valid_locks = {}
    for key, answers in (("defaults", preset.defaults), ("locked", preset.locked)):
        for name, value in answers.items():
            if name not in known:
                continue
            question = questionnaire[name]
            if question.choices and str(value) not in question.values:
                valid = ", ".join(question.values)
                problems.append(f"{key}: {name}={value} is not a choice; choose one of: {valid}")
            elif key == "locked":
                valid_locks[name] = str(value) if question.choices else value
    problems.extend(_broken_locks(valid_locks, questionnaire))
    return problems


def _broken_locks(locked: Mapping[str, Any], questionnaire: Questionnaire) -> list[str]:
    """Locks that no answers can satisfy together: each locked answer is checked with the
    other locks (what is not locked may still be chosen to fit)."""
    problems = []
    for name, value in locked.items():
        question = questionnaire[name]
        if not _may_be_asked(questionnaire, question, locked):
            problems.append(
                f"locked: {name} is asked only when {condition(question.when)}, which the other "
                "locks rule out; the lock would never apply"
            )
        elif question.choices and not questionnaire.allows(question, value, locked):
            choice = question.choices[question.values.index(value)]
            message = questionnaire.render(choice.validator, dict(locked))
            problems.append(f"locked: {name}={value} is refused: {message}")
        elif not question.choices and (problem := questionnaire.problem(question, value, {})):
            problems.append(f"locked: {problem}")
    return problems


def breaks_a_lock(
    questionnaire: Questionnaire,
    question: Question,
    value: Any,
    answers: Mapping[str, Any],
    locked: Mapping[str, Any],
) -> str | None:
    """Why answering ``value`` would make a later locked answer impossible, or None: the
    prompts disable such a choice rather than refuse it after the questions."""
    scope = {**locked, **answers, question.name: value}
    for name, locked_value in locked.items():
        target = questionnaire[name]
        if name == question.name or name in answers or not target.choices:
            continue
        if not questionnaire.allows(target, str(locked_value), scope):
            return f"the preset locks {name}={locked_value}"
    return None


def _may_be_asked(
    questionnaire: Questionnaire, question: Question, locked: Mapping[str, Any]
) -> bool:
    try:
        return questionnaire.is_asked(question, locked, strict=True)
    except UnknownYet:
        return True


def read_recorded(answers: Mapping[str, Any]) -> dict[str, Any] | None:
    """The preset a service records (`_bastion_preset`), or None."""
    recorded = answers.get(RECORD_KEY)
    if recorded is None:
        return None
    if not isinstance(recorded, dict) or not {"source", "name", "version"} <= set(recorded):
        raise BastionError(f"{RECORD_KEY} in the answers file must hold source, name and version")
    return recorded


def _overlay_settings(overlay: Path) -> dict[str, Any]:
    raw = yaml.safe_load((overlay / "copier.yml").read_text(encoding="utf-8")) or {}
    return {key: value for key, value in raw.items() if str(key).startswith("_")}


def overlay_at_version(preset: Preset, version: int, destination: Path) -> Path:
    """The overlay directory as it was at ``version`` of the preset, from its git history."""
    if preset.repository is None or preset.file_in_repository is None or preset.overlay is None:
        raise BastionError(
            f"{preset.label}: its version {version} cannot be found, because the preset is not "
            "in a git repository; keep presets with an overlay in git"
        )
    repository, file = preset.repository, preset.file_in_repository
    commits = _git("log", "--format=%H", "--", file, cwd=repository).split()
    for commit in commits:
        try:
            raw = yaml.safe_load(_git("show", f"{commit}:{file}", cwd=repository))
        except (BastionError, yaml.YAMLError):
            continue
        if isinstance(raw, dict) and raw.get("version") == version:
            overlay = preset.overlay.relative_to(repository.resolve()).as_posix()
            archive = destination.parent / f"{destination.name}.tar"
            _git("archive", "--format=tar", f"--output={archive}", commit, overlay, cwd=repository)
            with tarfile.open(archive) as tar:
                tar.extractall(destination, filter="data")
            archive.unlink()
            return destination / overlay
    raise BastionError(
        f"{preset.label}: version {version}, which the service records, is not in the "
        f"preset's git history; its overlay cannot be merged"
    )
