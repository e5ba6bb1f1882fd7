"""Serve the OpenAPI schema and the interactive API docs (Swagger UI), the page with the
policy the core makes for it."""

from string import Template

from litestar import MediaType, get
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from ... import SERVICE_NAME
from ...core.http.docs import DOCS_PATH, OPENAPI_PATH, SWAGGER_UI_ASSETS, docs_policy

# The page loads the schema from this service; its one inline script is allowed by hash.
PAGE = Template("""<!DOCTYPE html>
<html>
<head>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link type="text/css" rel="stylesheet" href="${assets}swagger-ui.css">
<link rel="shortcut icon" href="${assets}favicon-32x32.png">
<title>$title - API docs</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assets}swagger-ui-bundle.js"></script>
<script>
const ui = SwaggerUIBundle({
  url: '$schema',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
})
</script>
</body>
</html>
""").substitute(assets=SWAGGER_UI_ASSETS, title=SERVICE_NAME, schema=OPENAPI_PATH)

# Litestar serves the schema under the config's path; the page is served below instead.
OPENAPI_CONFIG = OpenAPIConfig(
    title=SERVICE_NAME,
    version="0.1.0",  # The schema's version, as FastAPI gives it by default.
    path=OPENAPI_PATH,
    render_plugins=[JsonRenderPlugin(path="/", media_type=MediaType.JSON)],
)


@get(DOCS_PATH, media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False)
def docs() -> str:
    return PAGE


def docs_routes() -> tuple[list[HTTPRouteHandler], dict[str, str]]:
    """The docs page's route, and the policy for it, by path."""
    return [docs], {DOCS_PATH: docs_policy(PAGE)}
