"""bastion: generate secure, tested Python API services from one Copier template."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bastion")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
