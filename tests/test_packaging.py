"""The wheel carries the template and its history: `pip install .` alone makes a
working bastion, and it updates projects offline, with no source checkout around."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
import venv
import zipfile
from pathlib import Path

import yaml
from conftest import REPO, run


def _uv() -> str:
    from uv import find_uv_bin

    return str(find_uv_bin())


def build_wheel(source: Path, out: Path) -> Path:
    built = run([_uv(), "build", "--wheel", "--quiet", "--out-dir", str(out)], cwd=source)
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("bastion-*.whl")
    return wheel


def install(wheel: Path, environment: Path) -> Path:
    """Install ``wheel`` into a new virtual environment; return its bastion script."""
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    installed = run(
        [_uv(), "pip", "install", "-q", "--python", str(python), str(wheel)], cwd=environment
    )
    assert installed.returncode == 0, installed.stderr
    return environment / "bin" / "bastion"


def test_installed_wheel_renders_without_the_source_checkout(tmp_path: Path) -> None:
    wheel = build_wheel(REPO, tmp_path / "dist")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bastion/_template/copier.yml" in names
    assert "bastion/_template/history.bundle" in names
    assert "bastion/_template/release.json" in names
    assert any(name.startswith("bastion/_template/template/src/") for name in names)

    bastion = install(wheel, tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    rendered = run([str(bastion), "new", "demo-api", "--defaults"], cwd=elsewhere)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    answers = yaml.safe_load((elsewhere / "demo-api" / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "demo-api"
    assert answers["_src_path"] == "git+bastion://template"
    assert (elsewhere / "demo-api" / "src" / "demo_api" / "__main__.py").is_file()
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    pin = (elsewhere / "demo-api" / ".bastion" / "requirements.txt").read_text()
    assert pin.splitlines()[-1] == f"bastion=={version}", "the wheel pins its own release"


def _git(repository: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repository,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_installed_bastion_updates_a_project_generated_elsewhere_offline(tmp_path: Path) -> None:
    source = tmp_path / "source"
    _git(tmp_path, "clone", "--quiet", str(REPO), str(source))
    old_bastion = install(build_wheel(source, tmp_path / "dist-old"), tmp_path / "venv-old")

    machine_a = tmp_path / "machine-a"
    machine_a.mkdir()
    generated = run([str(old_bastion), "new", "ledger-api", "--defaults"], cwd=machine_a)
    assert generated.returncode == 0, generated.stderr
    project = machine_a / "ledger-api"
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"]

    (source / "template" / "CONTRIBUTING.md").write_text("# Contributing\n")
    pyproject = source / "pyproject.toml"
    version_line = next(
        line for line in pyproject.read_text().splitlines() if line.startswith("version")
    )
    pyproject.write_text(pyproject.read_text().replace(version_line, 'version = "99.0.0"', 1))
    _git(source, "commit", "--quiet", "--all", "--message", "template 99.0.0")
    _git(source, "add", "template/CONTRIBUTING.md")
    _git(source, "commit", "--quiet", "--message", "add CONTRIBUTING.md")
    new_bastion = install(build_wheel(source, tmp_path / "dist-new"), tmp_path / "venv-new")
    shutil.rmtree(source)  # no checkout of the template anywhere

    machine_b = tmp_path / "machine-b"
    machine_b.mkdir()
    updated = run(
        [str(new_bastion), "update", str(project)],
        cwd=machine_b,
        GIT_ALLOW_PROTOCOL="file",  # git may use local files only: the update is offline
    )
    assert updated.returncode == 0, updated.stdout + updated.stderr
    assert f"from template {recorded} to v99.0.0-1-g" in " ".join(updated.stdout.split())
    assert (project / "CONTRIBUTING.md").read_text() == "# Contributing\n"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"].startswith("v99.0.0-1-g")
    assert answers["_src_path"] == "git+bastion://template"
    assert _git(project, "status", "--porcelain") == ""


def test_a_pip_installed_bastion_generates_no_bytecode(tmp_path: Path) -> None:
    """pip, unlike uv, compiles every .py file it installs, the packaged template's too;
    none of that bytecode may reach a generated project."""
    wheel = build_wheel(REPO, tmp_path / "dist")
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    installed = run(
        [
            str(environment / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(wheel),
        ],
        cwd=tmp_path,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    packaged = next(environment.glob("lib/python*/site-packages/bastion/_template"))
    assert any(packaged.rglob("*.pyc")), "pip compiled the packaged template: the case tested"

    bastion = environment / "bin" / "bastion"
    rendered = run(
        [str(bastion), "new", "demo", "--defaults", "--no-git", "--no-lock"], cwd=tmp_path
    )
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    project = tmp_path / "demo"
    assert (project / ".copier-answers.yml").is_file()
    bytecode = sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.name == "__pycache__" or path.suffix in {".pyc", ".pyo"}
    )
    assert bytecode == [], "bytecode copied from the installed template"
