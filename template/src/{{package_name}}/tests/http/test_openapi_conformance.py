"""The OpenAPI document tells the truth: schemathesis, with every check and every phase (the
stateful one included), finds nothing over the whole API, as member, admin and superuser.

The app is called in-process (schemathesis's ASGI or WSGI support, through the adapter's
test module); the generated CI runs the same checks longer against the served app.
"""

from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from schemathesis.engine import events, from_schema

from ...core.settings import Settings
from ..adapter import App, build_app, openapi_schema
from ..principals import Kind, PrincipalFactory

if TYPE_CHECKING:
    from schemathesis.specs.openapi.schemas import OpenApiSchema

    Case = schemathesis.Case[Any]

# Enough to try every operation's inputs each run, few enough to keep the suite fast.
EXAMPLES_PER_OPERATION = 5
STATEFUL_STEPS = 10


@pytest.fixture(scope="module")
def docs_app(api_settings: Settings) -> App:
    return build_app(api_settings.model_copy(update={"docs_enabled": True}))


CONFIGURATION = schemathesis.Config.from_dict(
    {
        "seed": 1,
        # The callers come from the fixtures, not from signing up over the API.
        "auth": {"auto-signup": False},
        "generation": {"max-examples": EXAMPLES_PER_OPERATION},
        # The coverage phase (every boundary of every input) is the CI job's: it takes
        # longer than the rest together.
        "phases": {"coverage": {"enabled": False}, "stateful": {"max-steps": STATEFUL_STEPS}},
        # A caller refused here (it deleted itself, or was logged out) is replaced by a new
        # one, which rightly cannot find what the last one created: the CI job, with one
        # caller throughout, runs this check.
        "checks": {"ensure_resource_availability": {"enabled": False}},
        "operations": [
            {
                # An upload's type is judged by its bytes (core/attachments.py), which a
                # schema cannot state: random bytes that fit the schema are refused (415).
                "include-path-regex": "/attachments$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "415", "429"]
                    }
                },
            },
            {
                # A key names the user it is for, who may not exist (404).
                "include-path-regex": "/api-keys$",
                "include-method": "POST",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
                    }
                },
            },
            {
                # Who may create which user depends on the caller and on what exists: a
                # superuser must name an existing tenant, and an address must be one that
                # email-validator accepts (no special-use domain): 422 otherwise.
                "include-path-regex": "/users$",
                "include-method": "POST",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "401", "403", "409", "422", "429"]
                    }
                },
            },
        ],
    }
)


def authenticate_as(schema: "OpenApiSchema", make_principal: PrincipalFactory, kind: Kind) -> None:
    """Send every request as a caller of the kind, and a new one whenever the last one is
    refused (401): the API may log its caller out, delete it or revoke its key."""

    class Caller:
        def get(self, case: "Case", context: schemathesis.AuthContext) -> dict[str, str]:
            return make_principal(kind).headers

        def set(
            self, case: "Case", data: dict[str, str], context: schemathesis.AuthContext
        ) -> None:
            case.headers.update(data)

    schema.auth()(Caller)


@pytest.mark.parametrize("kind", [Kind.MEMBER, Kind.ADMIN, Kind.SUPERUSER])
def test_schemathesis_finds_nothing(
    docs_app: App, make_principal: PrincipalFactory, kind: Kind
) -> None:
    schema = openapi_schema(docs_app, CONFIGURATION)
    authenticate_as(schema, make_principal, kind)
    failures: list[str] = []
    phases: Counter[str] = Counter()
    answered: Counter[int] = Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            phases[event.phase.value] += len(event.recorder.cases)
            answered.update(
                int(interaction.response.status_code)
                for interaction in event.recorder.interactions.values()
                if interaction.response is not None
            )
            failures += [
                f"{event.recorder.label}: {check.failure_info.failure.title}: "
                f"{check.failure_info.failure.message}\n{check.failure_info.code_sample}"
                for checks in event.recorder.checks.values()
                for check in checks
                if check.failure_info is not None
            ]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            failures.append(repr(event))
    print(f"schemathesis as {kind}: {dict(phases)} cases, answered {dict(answered)}")
    # The credential worked: the API did its work, not only refuse.
    assert answered[200] > 0
    assert failures == []
