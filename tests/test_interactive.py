"""The interactive questions, driven through a real pseudo-terminal."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pexpect
import yaml
from conftest import clean_env

from bastion.questions import Questionnaire

DOWN = "\x1b[B"


def test_prompts_walk_the_questions_to_a_finished_project(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    target = tmp_path / "orders-api"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bastion", "new", str(target), "--no-git", "--no-lock"],
        env=clean_env(TERM="xterm", COLUMNS="120", LINES="40"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    expected: dict[str, Any] = {"project_name": "orders-api"}
    try:
        for question in questionnaire.askable:
            if not questionnaire.is_asked(question, expected):
                continue
            child.expect(f"{question.name}: ")
            if question.name == "database":
                child.send(DOWN + "\r")  # the second choice: postgresql
                expected[question.name] = "postgresql"
            else:
                child.send("\r")  # accept the default (the directory name for project_name)
                if question.name not in expected:
                    expected[question.name] = questionnaire.default(question, expected)
        child.expect("Created")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0, child.before
    answers = yaml.safe_load((target / ".copier-answers.yml").read_text())
    assert {name: answers[name] for name in expected} == expected


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


def test_a_long_validation_message_is_shown_whole(tmp_path: Path) -> None:
    target = tmp_path / "svc"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bastion", "new", str(target), "--no-git", "--no-lock"],
        env=clean_env(TERM="xterm", COLUMNS="80", LINES="40"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 80),
    )
    try:
        child.expect("project_name")
        child.send("\x7f" * 5 + "Bad Name")
        child.expect("is refused")
        child.expect(pexpect.TIMEOUT, timeout=3)  # let the prompt finish drawing
        # The message is longer than the terminal is wide: its end goes on the next line.
        shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|[\r\n]", "", str(child.before))
        assert "digits and single hyphens (e.g. payments-api)" in shown
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    assert not target.exists()
