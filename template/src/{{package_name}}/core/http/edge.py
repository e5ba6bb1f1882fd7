"""The layers every request passes through before its route, outermost first.

Each adapter builds its edge from this order, so every framework refuses, decorates and
logs requests the same way:

- `trusted_proxies`: the client address and scheme from forwarding headers, believed only
  from TRUSTED_PROXIES (so a client cannot pick the address it is limited on);
- `security_headers`: on every response, errors and CORS answers included;
- `request_context`: the request id, the access log line, and crashes turned into a 500
  problem, around everything that can refuse a request, so every answer has an id;
- `header_limit`: 431 for request headers over their limits (core/http/limits.py);
- `cors`: preflights answered, allowed origins echoed;
- `routes`: 404 for a path no route has, 405 and OPTIONS with the route's Allow list, HEAD
  answered by the GET route without its body (core/http/routes.py);
- `repeated_query`: 422 for an ambiguous query string;
- `body_limit`: 413 for a body over its limit, declared or streamed;
- `rate_limit_headers`: the RateLimit-* headers of the request's quota;
- `admission`: at most MAX_CONNECTIONS requests at a time, the others waiting their turn
  while holding nothing (see core/database.py).
"""

EDGE_LAYERS = (
    "trusted_proxies",
    "security_headers",
    "request_context",
    "header_limit",
    "cors",
    "routes",
    "repeated_query",
    "body_limit",
    "rate_limit_headers",
    "admission",
)
