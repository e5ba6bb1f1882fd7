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
        child.expect("Write the service with these answers?")
        review = str(child.before)
        for name, value in expected.items():
            assert name in review
            assert str(value) in review
        child.send("\r")  # yes, the default
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


def _to_the_review_screen(target: Path, questionnaire: Questionnaire) -> pexpect.spawn[str]:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "bastion", "new", str(target), "--no-git", "--no-lock", "--auth", "api_key"],
        env=clean_env(TERM="xterm", COLUMNS="120", LINES="40"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )
    answers: dict[str, Any] = {"project_name": target.name, "auth": "api_key"}
    for question in questionnaire.askable:
        if question.name == "auth" or not questionnaire.is_asked(question, answers):
            continue
        child.expect(f"{question.name}: ")
        child.send("\r")
        if question.name not in answers:
            answers[question.name] = questionnaire.default(question, answers)
    child.expect("Write the service with these answers")
    return child


def test_no_at_the_review_screen_writes_nothing(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    target = tmp_path / "svc"
    child = _to_the_review_screen(target, questionnaire)
    try:
        child.send("n")
        child.expect("nothing was written")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 1
    assert not target.exists()


def test_ctrl_c_at_the_review_screen_writes_nothing(
    tmp_path: Path, questionnaire: Questionnaire
) -> None:
    target = tmp_path / "svc"
    child = _to_the_review_screen(target, questionnaire)
    try:
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 130
    assert not target.exists()
