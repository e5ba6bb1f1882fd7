"""Where the Copier template that bastion renders lives."""

import os
from functools import cache
from pathlib import Path

from bastion.errors import BastionError
from bastion.questions import Questionnaire

_PACKAGED = Path(__file__).parent / "_template"
_SOURCE_CHECKOUT = Path(__file__).resolve().parents[2]

TEMPLATE_VARIABLE = "BASTION_TEMPLATE"


@cache
def template_root() -> Path:
    """The template to render: $BASTION_TEMPLATE (e.g. an organisation's fork), else
    the packaged template of an installed wheel, else the source checkout's root."""
    if chosen := os.environ.get(TEMPLATE_VARIABLE):
        root = Path(chosen).expanduser().resolve()
        if not (root / "copier.yml").is_file():
            raise BastionError(f"{TEMPLATE_VARIABLE}={chosen} has no copier.yml")
        return root
    for root in (_PACKAGED, _SOURCE_CHECKOUT):
        if (root / "copier.yml").is_file() and (root / "template").is_dir():
            return root
    raise BastionError("bastion's template (copier.yml and template/) is not installed")


@cache
def questionnaire() -> Questionnaire:
    return Questionnaire.load(template_root() / "copier.yml")
