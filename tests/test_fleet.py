"""`bastion fleet report` on a fleet of real services: one behind, one drifted, one whose
preset moved on, one from a newer bastion, one path that is no service."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from test_presets import ACME, one_line, publish
from test_update import TemplateRepo, bastion, commit, template_repo  # noqa: F401 - the fixture

FAST = ("--defaults", "--no-lock")


def test_fleet_report(template_repo: TemplateRepo, tmp_path: Path) -> None:  # noqa: F811
    behind = tmp_path / "fleet" / "orders-api"
    assert bastion("new", str(behind), *FAST).exit_code == 0
    alone = bastion("fleet", "report", str(behind), "--json")
    assert alone.exit_code == 0, alone.output
    assert json.loads(alone.output)["services"][0]["next_step"] == "nothing to do"

    template_repo.release_v2()
    drifted = tmp_path / "fleet" / "billing-api"
    assert bastion("new", str(drifted), *FAST).exit_code == 0
    package = drifted / "src" / "billing_api"
    (package / "core" / "errors.py").write_text("# our own errors\n")
    deleted_test = next((package / "tests" / "http").glob("test_*.py"))
    deleted_test.unlink()
    commit(drifted, "hand edits")

    preset_repo = tmp_path / "acme-preset"
    url = publish(preset_repo, ACME)
    standard = tmp_path / "fleet" / "payments-api"
    made = bastion("new", str(standard), "--preset", url, *FAST)
    assert made.exit_code == 0, made.output
    publish(preset_repo, {**ACME, "version": 2, "locked": {"database": "sqlite"}})
    ahead = tmp_path / "fleet" / "future-api"
    shutil.copytree(standard, ahead)
    answers = ahead / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("_commit: v0.2.0", "_commit: v9.0.0"))
    not_a_service = tmp_path / "fleet" / "notes"
    not_a_service.mkdir()
    listing = tmp_path / "fleet" / "services.txt"
    listing.write_text(
        f"# the payments domain\norders-api\n{drifted.as_uri()}  # by URL\n\npayments-api # PCI\n"
        "future-api\nnotes\n"
    )

    result = bastion("fleet", "report", "--from", str(listing), "--json", "--jobs", "2")

    assert result.exit_code == 1, result.output  # a path is not a service
    services = json.loads(result.output)["services"]
    rows = {row["service"].rsplit("/", 1)[-1]: row for row in services}
    assert list(rows) == ["orders-api", "billing-api", "payments-api", "future-api", "notes"]
    assert rows["orders-api"]["status"] == "behind"
    assert rows["orders-api"]["template"] == "v0.1.0"
    assert rows["orders-api"]["modified"] == rows["orders-api"]["deleted"] == []
    assert rows["orders-api"]["next_step"] == "bastion update"

    billing = rows["billing-api"]
    assert billing["service"] == drifted.as_uri(), "read from its git URL"
    assert billing["status"] == "current"
    assert billing["modified"] == ["src/billing_api/core/errors.py"]
    assert billing["deleted"] == [deleted_test.relative_to(drifted).as_posix()]
    assert billing["next_step"].startswith("restore 2 drifted file(s)")

    payments = rows["payments-api"]
    assert payments["preset"] == "acme-payments"
    assert (payments["preset_version"], payments["preset_current"]) == (1, 2)
    assert payments["locks"] == "broken"
    assert payments["broken_locks"] == ["database=postgresql (locked: sqlite)"]
    assert payments["modified"] == []
    assert payments["next_step"] == "bastion update"

    assert rows["future-api"]["status"] == "ahead"
    assert rows["future-api"]["drift_known"] is False
    assert "upgrade bastion" in rows["future-api"]["next_step"]

    notes = rows["notes"]
    assert ".copier-answers.yml does not exist" in notes["error"]
    assert notes["ok"] is False

    table = bastion("fleet", "report", str(behind), str(drifted))
    assert table.exit_code == 2, table.output
    text = one_line(table)
    assert "v0.1.0 behind" in text
    assert "modified src/billing_api/core/errors.py" in text


def test_fleet_report_needs_services(tmp_path: Path) -> None:
    nothing = bastion("fleet", "report")
    assert nothing.exit_code == 2
    assert one_line(nothing) == "Error: name the services to report on: PATH..., or --from FILE"
    missing = bastion("fleet", "report", "--from", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2
    assert "no such file" in one_line(missing)
