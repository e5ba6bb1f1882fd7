"""Serve the interactive API docs (Swagger UI) with the policy the core makes for the page."""

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from ...core.http.docs import DOCS_PATH, OPENAPI_PATH, SWAGGER_UI_ASSETS, docs_policy


def install_docs(app: FastAPI) -> dict[str, str]:
    """Serve the docs page at DOCS_PATH; return the policy for it, by path."""
    page = bytes(
        get_swagger_ui_html(
            openapi_url=OPENAPI_PATH,
            title=f"{app.title} - API docs",
            swagger_js_url=f"{SWAGGER_UI_ASSETS}swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_UI_ASSETS}swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_UI_ASSETS}favicon-32x32.png",
            # No badge from validator.swagger.io: the schema's address stays here.
            swagger_ui_parameters={"validatorUrl": None},
        ).body
    ).decode()

    async def docs(_: Request) -> HTMLResponse:
        return HTMLResponse(page)

    # A plain route, as FastAPI's own docs are: outside the API and its schema.
    app.add_route(DOCS_PATH, docs, include_in_schema=False)
    return {DOCS_PATH: docs_policy(page)}
