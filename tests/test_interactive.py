"""The interactive questions, driven through a real pseudo-terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pexpect
import yaml
from conftest import clean_env

DOWN = "\x1b[B"


def test_prompts_walk_the_questions_to_a_finished_project(tmp_path: Path) -> None:
    target = tmp_path / "orders-api"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bastion", "new", str(target), "--no-git", "--no-lock"],
        env=clean_env(TERM="xterm", COLUMNS="120", LINES="40"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    try:
        child.expect("project_name")
        child.send("\r")  # accept the directory name offered as default
        child.expect("framework")
        child.send("\r")
        child.expect("database")
        child.send(DOWN + "\r")  # the second choice: postgresql
        child.expect("secrets_source")
        child.send("\r")
        child.expect("ci")
        child.send("\r")
        child.expect("Created")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    answers = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert answers["project_name"] == "orders-api"
    assert answers["database"] == "postgresql"


def test_invalid_text_is_refused_as_you_type(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bastion", "new", str(target), "--no-git", "--no-lock"],
        env=clean_env(TERM="xterm"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    try:
        child.expect("project_name")
        child.send("\x7f" * 5 + "Bad Name")
        child.expect("must start with a lowercase letter")
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    assert not target.exists()
