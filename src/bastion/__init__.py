"""bastion: generate secure, tested Python API services from one Copier template."""

from functools import cache


@cache
def _installed_version() -> str:
    # importlib.metadata costs more to import than the rest of `bastion --help`: read on
    # first use only.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("bastion")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return _installed_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
