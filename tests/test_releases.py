"""The template's history is bundled once per commit, safely when bastions start at once."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import REPO

from bastion.history import BUNDLE_NAME, RELEASE_NAME, Release
from bastion.releases import cached_history


def test_bastions_started_at_once_share_one_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    head = "0" * 40

    with ThreadPoolExecutor(max_workers=4) as pool:
        histories = list(pool.map(lambda _: cached_history(REPO, head), range(4)))

    cached = tmp_path / f"bastion-history-{head}"
    assert set(histories) == {cached}
    assert (cached / BUNDLE_NAME).stat().st_size > 0
    assert Release.read(cached / RELEASE_NAME).commit
    assert sorted(path.name for path in tmp_path.iterdir()) == [cached.name]
