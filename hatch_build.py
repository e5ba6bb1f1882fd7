"""Hatch build hook: pack the template's git history into the sdist and the wheel.

`bastion update` needs every template version offline; see src/bastion/history.py.
A build from a git checkout bundles its history; a build from an sdist reuses the
bundle the sdist carries. Editable installs read the checkout directly.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SDIST_DIRECTORY = "template-history"


def _history_module(root: Path) -> Any:
    path = root / "src" / "bastion" / "history.py"
    spec = importlib.util.spec_from_file_location("_bastion_history", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


class TemplateHistoryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name == "wheel" and version == "editable":
            return
        root = Path(self.root)
        history = _history_module(root)
        packed = root / SDIST_DIRECTORY
        if (root / ".git").exists():
            history.build_history(root, packed)
        elif not (packed / history.BUNDLE_NAME).is_file():
            raise RuntimeError(
                "building bastion needs the template's git history: build from a git "
                "checkout or from an sdist that carries template-history/"
            )
        target = "bastion/_template" if self.target_name == "wheel" else SDIST_DIRECTORY
        for name in (history.BUNDLE_NAME, history.RELEASE_NAME):
            build_data["force_include"][str(packed / name)] = f"{target}/{name}"
