"""SECURITY.md gives every checklist line a status, and everything it cites exists."""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[4]
PACKAGE_DIR = "src/" + __name__.partition(".")[0]
STATUSES = (
    "Implemented",
    "Partly implemented: ",
    "Not applicable to these choices: ",
    "Not yet implemented in this template version",
)
CITED_TEST = re.compile(r"`(tests/[\w/]+\.py)?::([\w:]+)`")


def expand(path: str) -> str:
    """A cited path from the project root: `pkg/` and `tests/` abbreviate the package's."""
    for short, full in (("pkg/", f"{PACKAGE_DIR}/"), ("tests/", f"{PACKAGE_DIR}/tests/")):
        if path.startswith(short):
            return full + path.removeprefix(short)
    return path


@dataclass(frozen=True)
class Row:
    """One checklist line of SECURITY.md: | line | status | implemented in | proven by |."""

    line: str
    status: str
    implemented_in: str
    proven_by: str

    @property
    def claims_code(self) -> bool:
        return self.status.startswith(("Implemented", "Partly implemented: "))

    def files(self) -> list[str]:
        """The cited paths: code spans of the implemented-in cell, outside parentheses."""
        outside_notes = re.sub(r"\([^)]*\)", "", self.implemented_in)
        return [expand(path) for path in re.findall(r"`([^`]+)`", outside_notes)]

    def tests(self) -> list[tuple[str, str]]:
        """(file, test) pairs; `::name` alone continues the file cited before it."""
        cited = []
        current_file = ""
        for file, name in CITED_TEST.findall(self.proven_by):
            current_file = file or current_file
            cited.append((expand(current_file), name))
        return cited


def checklist_rows() -> list[Row]:
    rows = []
    for line in (PROJECT_DIR / "SECURITY.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        is_row = line.startswith("|") and len(cells) == 4
        if is_row and cells[0] != "Checklist line" and not set(cells[0]) <= set("-:"):
            rows.append(Row(*cells))
    return rows


def defined_tests(source: Path) -> set[str]:
    """`name` for each test function of a module and `Class::name` for each test method."""
    names = set()
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef)
            }
    return names


def test_every_line_has_a_status() -> None:
    rows = checklist_rows()

    assert rows
    assert [row.line for row in rows if not row.status.startswith(STATUSES)] == []


def test_implemented_lines_cite_code_and_tests() -> None:
    unproven = [
        row.line
        for row in checklist_rows()
        if row.claims_code and not (row.files() and row.tests())
    ]
    assert unproven == []


def test_lines_not_implemented_cite_nothing() -> None:
    claims = [
        row.line
        for row in checklist_rows()
        if not row.claims_code and (row.implemented_in or row.proven_by)
    ]
    assert claims == []


def test_cited_files_exist() -> None:
    cited = {path for row in checklist_rows() for path in row.files()}

    assert cited
    assert sorted(path for path in cited if not (PROJECT_DIR / path).exists()) == []


def test_cited_tests_exist() -> None:
    cited = {test for row in checklist_rows() for test in row.tests()}

    assert cited
    missing = [
        f"{file}::{name}"
        for file, name in sorted(cited)
        if not (PROJECT_DIR / file).is_file() or name not in defined_tests(PROJECT_DIR / file)
    ]
    assert missing == []
