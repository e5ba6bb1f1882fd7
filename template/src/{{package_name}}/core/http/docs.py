"""Where the interactive API docs (Swagger UI) live, their page, and the content security
policy made for it: every framework serves this page.

The API's own policy (`default-src 'none'`) would keep the page blank. The docs page gets a
policy that allows exactly what it loads: Swagger UI's files from jsDelivr, its one inline
bootstrap script by hash (no 'unsafe-inline' for scripts), the styles Swagger UI injects,
and requests to this service for the schema and "Try it out".
"""

import re
from base64 import b64encode
from hashlib import sha256
from html import escape
from string import Template

from ... import SERVICE_NAME

DOCS_PATH = "/docs"
OPENAPI_PATH = "/openapi.json"
SWAGGER_UI_ASSETS = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


# The page loads the schema from this service; its one inline script is allowed by hash.
DOCS_PAGE = Template("""<!DOCTYPE html>
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
""").substitute(assets=SWAGGER_UI_ASSETS, title=escape(SERVICE_NAME), schema=OPENAPI_PATH)


def _script_hash(script: str) -> str:
    return "'sha256-" + b64encode(sha256(script.encode()).digest()).decode() + "'"


def docs_policy(page: str) -> str:
    """The content security policy that lets `page` render and nothing more."""
    inline_scripts = " ".join(_script_hash(script) for script in _INLINE_SCRIPT.findall(page))
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {SWAGGER_UI_ASSETS} {inline_scripts}",
            f"style-src {SWAGGER_UI_ASSETS} 'unsafe-inline'",
            f"img-src {SWAGGER_UI_ASSETS} data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


DOCS_PAGE_POLICY = docs_policy(DOCS_PAGE)
