"""A local OIDC issuer for tests: signing keys, and a discovery document and JWKS on loopback.

Run as a module, it serves on a given port and prints a superuser's access token, for
schemathesis against the served app (the CI's contract job):
`python -m <package>.tests.oidc_issuer --port 8001`, then OIDC_ISSUER=http://127.0.0.1:8001
and OIDC_AUDIENCE=service-under-test.
"""

import argparse
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

AUDIENCE = "service-under-test"

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass
class Key:
    kid: str
    private: SigningKey
    algorithm: str

    @classmethod
    def rsa(cls) -> "Key":
        return cls(uuid.uuid4().hex, rsa.generate_private_key(65537, 2048), "RS256")

    @classmethod
    def ec(cls) -> "Key":
        return cls(uuid.uuid4().hex, ec.generate_private_key(ec.SECP256R1()), "ES256")

    def public_jwk(self) -> dict[str, Any]:
        if isinstance(self.private, rsa.RSAPrivateKey):
            jwk = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        else:
            jwk = ECAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.algorithm}


@dataclass
class Issuer:
    url: str = ""
    keys: list[Key] = field(default_factory=list)
    jwks_requests: int = 0
    # Claims every token carries unless a test overrides them, such as the user's tenant.
    default_claims: dict[str, object] = field(default_factory=dict)

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/jwks"

    def claims(self, subject: str) -> dict[str, object]:
        """Valid claims for the subject, for five minutes from now."""
        now = int(time.time())
        return {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "nbf": now,
            "exp": now + 300,
            **self.default_claims,
        }

    def sign(
        self,
        claims: dict[str, object],
        *,
        key: Key | None = None,
        headers: dict[str, Any] | None = None,
    ) -> str:
        """Sign with the issuer's first key (or another); claims set to None are left out."""
        key = key or self.keys[0]
        return jwt.encode(
            {name: value for name, value in claims.items() if value is not None},
            key.private,
            algorithm=key.algorithm,
            headers={"kid": key.kid, **(headers or {})},
        )

    def token(
        self,
        subject: str,
        *,
        key: Key | None = None,
        headers: dict[str, Any] | None = None,
        **claims: object,
    ) -> str:
        """A valid token for the subject, with extra or overriding claims."""
        return self.sign({**self.claims(subject), **claims}, key=key, headers=headers)


def _handler(issuer: Issuer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/.well-known/openid-configuration":
                self._send({"issuer": issuer.url, "jwks_uri": issuer.jwks_url})
            elif self.path == "/jwks":
                issuer.jwks_requests += 1
                self._send({"keys": [key.public_jwk() for key in issuer.keys]})
            else:
                self.send_error(404)

        def _send(self, document: dict[str, Any]) -> None:
            body = json.dumps(document).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep the test output quiet."""

    return Handler


@contextmanager
def serve_issuer(port: int = 0) -> Iterator[Issuer]:
    issuer = Issuer(keys=[Key.rsa(), Key.ec()])
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(issuer))
    issuer.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve a local OIDC issuer on loopback.")
    parser.add_argument("--port", type=int, required=True, help="the port to listen on")
    parser.add_argument(
        "--lifetime", type=int, default=3600, help="seconds the printed token stays valid"
    )
    args = parser.parse_args()
    with serve_issuer(args.port) as issuer:
        token = issuer.token(
            "contract",
            email="contract@example.com",
            roles=["superuser"],
            exp=int(time.time()) + args.lifetime,
        )
        print(token, flush=True)
        threading.Event().wait()


if __name__ == "__main__":
    main()
