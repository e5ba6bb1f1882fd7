"""Median wall time of `bastion new --defaults` against plain `copier copy`.

Targets: `bastion new --defaults` (render, git init, no installs) under 1 s on a 2-core
machine (PRODUCT.md), and the render alone at most 0.8 times plain `copier copy` of the
same template (issue 17). Writing uv.lock resolves against the package registry, so it is
measured apart from the targets (`--no-lock` excludes it).
Run: python benchmarks/bench_new.py [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bastion.template import template_root

TARGET_SECONDS = 1.0
TARGET_RATIO = 0.8


def _time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def _median(make_command: Callable[[Path], list[str]], runs: int) -> float:
    timings = []
    for _ in range(runs):
        scratch = Path(tempfile.mkdtemp(prefix="bench-new-"))
        try:
            timings.append(_time(make_command(scratch / "demo-api")))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    scripts = Path(sys.executable).parent
    new = [str(scripts / "bastion"), "new", "--defaults"]
    render_only = _median(lambda target: [*new, str(target), "--no-git", "--no-lock"], runs)
    with_git = _median(lambda target: [*new, str(target), "--no-lock"], runs)
    with_lock = _median(lambda target: [*new, str(target)], runs)
    source = str(template_root())
    copier = _median(
        lambda target: [
            str(scripts / "copier"),
            "copy",
            "--defaults",
            "--quiet",
            source,
            str(target),
        ],
        runs,
    )
    print(f"runs: {runs} each; template: {template_root()}")
    print(f"bastion new --defaults --no-git --no-lock  median {render_only:.3f} s")
    print(f"bastion new --defaults --no-lock (git)     median {with_git:.3f} s")
    print(f"bastion new --defaults (git + uv.lock)     median {with_lock:.3f} s")
    print(f"copier copy --defaults                     median {copier:.3f} s")
    verdict = "meets" if with_git < TARGET_SECONDS else "MISSES"
    print(f"target: render + git init < {TARGET_SECONDS:.1f} s: {verdict}")
    ratio = render_only / copier
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"target: render <= {TARGET_RATIO:.1f}x copier copy: {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
