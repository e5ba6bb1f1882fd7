"""The service pins the bastion release it was made with, for the update pipeline."""

import re

from ..helpers import pinned_bastion, project_answers

PIN = re.compile(r"^bastion==(?P<version>\d+(\.\d+)*)$")
# A release as bastion records it in `_commit`: its tag, then any commits made after it.
RECORDED_RELEASE = re.compile(r"^v(?P<version>\d+(\.\d+)*)(-\d+-g[0-9a-f]+)?$")
BASTION_SOURCE = "git+bastion://template"


def test_the_pin_names_one_exact_bastion_release() -> None:
    assert PIN.match(pinned_bastion())


def test_the_pin_is_the_release_the_service_records() -> None:
    answers = project_answers()
    pinned = PIN.match(pinned_bastion())
    recorded = RECORDED_RELEASE.match(str(answers.get("_commit", "")))

    assert pinned
    # Copier run straight on a template checkout records that checkout, not a release of
    # bastion; bastion itself records its release, which the pin must name.
    if answers.get("_src_path") == BASTION_SOURCE:
        assert recorded
        assert pinned["version"] == recorded["version"]
