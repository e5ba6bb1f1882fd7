"""External tools bastion drives: uv (a dependency of bastion) and git."""

from __future__ import annotations

import shutil


def uv_binary() -> str | None:
    """The uv shipped with bastion's `uv` dependency, else one on PATH."""
    try:
        from uv import find_uv_bin
    except ImportError:
        return shutil.which("uv")
    try:
        return str(find_uv_bin())
    except FileNotFoundError:
        return shutil.which("uv")
