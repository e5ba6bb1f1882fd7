"""The wheel carries the template: `pip install .` alone makes a working bastion."""

from __future__ import annotations

import venv
import zipfile
from pathlib import Path

import yaml
from conftest import REPO, run


def _uv() -> str:
    from uv import find_uv_bin

    return str(find_uv_bin())


def test_installed_wheel_renders_without_the_source_checkout(tmp_path: Path) -> None:
    built = run(
        [_uv(), "build", "--wheel", "--quiet", "--out-dir", str(tmp_path / "dist")], cwd=REPO
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("bastion-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "bastion/_template/copier.yml" in names
    assert any(name.startswith("bastion/_template/template/src/") for name in names)

    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(environment)
    python = environment / "bin" / "python"
    installed = run(
        [_uv(), "pip", "install", "--quiet", "--python", str(python), str(wheel)], cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    rendered = run(
        [str(environment / "bin" / "bastion"), "new", "demo-api", "--defaults"], cwd=elsewhere
    )
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    answers = yaml.safe_load((elsewhere / "demo-api" / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "demo-api"
    assert (elsewhere / "demo-api" / "src" / "demo_api" / "__main__.py").is_file()
