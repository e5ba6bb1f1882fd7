"""The container image, the lock file and the commit hooks keep their promises."""

import re
import tomllib
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[4]
# The service's import package: the tests live inside it.
PACKAGE = __name__.partition(".")[0]
# Packages with known advisories that fit no version of this service (no fixed release).
ADVISORY_PACKAGES = {"python-jose", "passlib"}
SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|KEY|CREDENTIAL", re.IGNORECASE)
EXACT_IMAGE = re.compile(r"^\S+:\d+\.\d+[\w.-]*( AS \w+)?$")


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    text = (PROJECT_DIR / "Dockerfile").read_text(encoding="utf-8")
    logical = re.sub(r"\\\n\s*", " ", text)
    instructions = []
    for line in logical.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def arguments_of(keyword: str) -> list[str]:
    return [arguments for name, arguments in dockerfile_instructions() if name == keyword]


def test_image_is_multi_stage_on_a_pinned_slim_base() -> None:
    bases = arguments_of("FROM")

    assert len(bases) >= 2
    assert all("-slim" in base and EXACT_IMAGE.match(base) for base in bases), bases


def test_image_runs_as_a_non_root_user() -> None:
    instructions = dockerfile_instructions()
    last_from = max(index for index, (name, _) in enumerate(instructions) if name == "FROM")
    users = [arguments for name, arguments in instructions[last_from:] if name == "USER"]

    assert users, "the final stage sets no user"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_image_has_a_health_check_on_health() -> None:
    (check,) = arguments_of("HEALTHCHECK")

    assert "http://127.0.0.1:8000/health'" in check


def test_image_serves_through_the_command_line() -> None:
    assert arguments_of("ENTRYPOINT") == [f'["python", "-m", "{PACKAGE}"]']
    assert arguments_of("CMD")[-1].startswith('["serve"')


def test_image_takes_no_secret_at_build_time() -> None:
    declared = [
        arguments.split("=")[0]
        for name, arguments in dockerfile_instructions()
        if name in {"ARG", "ENV"}
        for arguments in arguments.split()
    ]
    assert [name for name in declared if SECRET_NAME.search(name)] == []

    context = (PROJECT_DIR / ".dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in context if line and not line.startswith("#")]
    assert rules[0] == "*", "the build context is an allowlist"
    assert not [rule for rule in rules if rule.startswith("!") and ".env" in rule]


def test_image_installs_the_locked_dependencies() -> None:
    installs = [arguments for arguments in arguments_of("RUN") if "uv sync" in arguments]

    assert installs
    assert all("--locked" in install for install in installs)
    assert any("uv.lock" in copied.split() for copied in arguments_of("COPY"))


def locked_package_names() -> set[str]:
    """Every package of the lock file, or the declared requirements before the first lock."""
    lock = PROJECT_DIR / "uv.lock"
    if lock.exists():
        packages = tomllib.loads(lock.read_text(encoding="utf-8"))["package"]
        return {package["name"] for package in packages}
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [
        *project["project"]["dependencies"],
        *(req for reqs in project["project"]["optional-dependencies"].values() for req in reqs),
    ]
    return {re.split(r"[\s\[<>=!~;]", requirement)[0].lower() for requirement in requirements}


def test_no_dependency_with_a_known_unfixed_advisory() -> None:
    assert locked_package_names() & ADVISORY_PACKAGES == set()


def test_pre_commit_runs_the_checks_and_guards_against_update_leftovers() -> None:
    config = yaml.safe_load((PROJECT_DIR / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}

    assert hooks.keys() >= {"ruff-check", "ruff-format", "mypy", "detect-secrets"}
    assert hooks["check-merge-conflict"]["args"] == ["--assume-in-merge"]
    assert hooks["no-rej-files"]["language"] == "fail"
    assert re.search(hooks["no-rej-files"]["files"], "src/app.py.rej")
