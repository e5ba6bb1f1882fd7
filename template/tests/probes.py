"""Routes added to the app in tests only, to reach error paths on demand.

This is the one framework-specific test module: an adapter for another framework brings
its own version with the same paths and behaviour.
"""

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

CRASH_MESSAGE = "probe crashed on purpose"


class ProbeInput(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=20)
    count: int = Field(ge=1, le=10)


def add_probe_routes(app: FastAPI) -> None:
    @app.post("/_probe/echo")
    def echo(body: ProbeInput) -> ProbeInput:
        return body

    @app.get("/_probe/crash")
    def crash() -> None:
        raise RuntimeError(CRASH_MESSAGE)
