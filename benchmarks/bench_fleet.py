"""Services per second of `bastion fleet report` over a fleet of generated services.

The fleet is made of a few renders (distinct answers), each copied many times, a tenth of
the copies with a hand edit, so the report renders each distinct (version, answers) once
and reads and compares every service.
Run: python benchmarks/bench_fleet.py [--services 100] [--jobs N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bastion.fleet import report

ANSWER_SETS = [
    ["--framework", "fastapi", "--auth", "jwt"],
    ["--framework", "flask", "--auth", "api_key", "--tenancy", "row"],
    ["--framework", "litestar", "--auth", "oidc", "--database", "postgresql"],
    ["--framework", "fastapi", "--auth", "jwt", "--rate-limit-backend", "redis"],
]


def make_fleet(root: Path, services: int) -> list[str]:
    bases = []
    for index, answers in enumerate(ANSWER_SETS):
        base = root / f"base-{index}"
        command = [sys.executable, "-m", "bastion", "new", str(base), "--defaults"]
        command += ["--no-git", "--no-lock", *answers]
        subprocess.run(command, check=True, capture_output=True)
        bases.append(base)
    paths = []
    for number in range(services):
        service = root / "fleet" / f"svc-{number:03d}"
        shutil.copytree(bases[number % len(bases)], service)
        if number % 10 == 0:
            readme = service / "README.md"
            readme.write_text(readme.read_text() + "\nA hand edit.\n")
        paths.append(str(service))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fleet-") as scratch:
        paths = make_fleet(Path(scratch), options.services)
        report(paths[:1], options.jobs)  # the template's history is bundled once, not timed
        started = time.perf_counter()
        rows = report(paths, options.jobs)
        seconds = time.perf_counter() - started
    drifted = sum(1 for row in rows if row.modified or row.deleted)
    assert drifted == len(range(0, options.services, 10)), drifted
    print(
        f"fleet report: {len(rows)} services ({len(ANSWER_SETS)} distinct renders, {drifted} "
        f"drifted) in {seconds:.1f} s: {len(rows) / seconds:.1f} services per second"
    )


if __name__ == "__main__":
    main()
