"""Static checks on the project's own files, for mistakes a code review can miss."""

import ast
import json
import os
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

from ..helpers import service_sources

PROJECT_DIR = Path(__file__).resolve().parents[4]
SOURCES = service_sources()
DEBUG_SWITCHES = {"debug", "reload"}


def parsed(source: Path) -> ast.Module:
    return ast.parse(source.read_text(encoding="utf-8"), filename=str(source))


def committed_files() -> list[Path]:
    """Every file git would commit: those that .gitignore (simple name patterns) leaves in."""
    lines = (PROJECT_DIR / ".gitignore").read_text(encoding="utf-8").splitlines()
    patterns = [".git", *(line.rstrip("/") for line in lines if line and line[0] != "#")]

    def ignored(name: str) -> bool:
        return any(fnmatch(name, pattern) for pattern in patterns)

    found: list[Path] = []
    for directory, subdirectories, files in os.walk(PROJECT_DIR):
        subdirectories[:] = [name for name in subdirectories if not ignored(name)]
        found += [Path(directory, name) for name in files if not ignored(name)]
    return sorted(found)


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_no_wildcard_cors_origin_in_code(source: Path) -> None:
    """Origins come from CORS_ORIGINS, whose validation refuses `*` outside development."""
    wildcards = [
        node.lineno
        for keyword in ast.walk(parsed(source))
        if isinstance(keyword, ast.keyword) and keyword.arg == "allow_origins"
        for node in ast.walk(keyword.value)
        if isinstance(node, ast.Constant) and node.value == "*"
    ]
    assert wildcards == []


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: str(path.relative_to(PROJECT_DIR)))
def test_no_debug_switch_is_turned_on_in_code(source: Path) -> None:
    """`debug=` and `reload=` may only be spelled False, so no setting can enable them."""
    switched_on = [
        f"{keyword.arg} (line {keyword.value.lineno})"
        for keyword in ast.walk(parsed(source))
        if isinstance(keyword, ast.keyword) and keyword.arg in DEBUG_SWITCHES
        if not (isinstance(keyword.value, ast.Constant) and keyword.value.value is False)
    ]
    assert switched_on == []


def test_no_hard_coded_secrets() -> None:
    """detect-secrets, configured by .secrets.baseline, finds nothing in the committed files."""
    scan = subprocess.run(
        [
            sys.executable,
            "-m",
            "detect_secrets.pre_commit_hook",
            "--baseline",
            ".secrets.baseline",
            *(str(path.relative_to(PROJECT_DIR)) for path in committed_files()),
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert scan.returncode == 0, scan.stdout + scan.stderr


def test_bandit_finds_no_medium_or_high_issue() -> None:
    scan = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "--recursive",
            "--quiet",
            "--severity-level",
            "medium",
            "--format",
            "json",
            "src",
        ],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(scan.stdout)["results"]
    assert findings == [], json.dumps(findings, indent=2)
