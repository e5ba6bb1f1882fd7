"""Credential routes for OIDC: none. Tokens come from the identity provider."""

from flask import Blueprint

from .auth import Security


def auth_routes(_: Security) -> Blueprint:
    return Blueprint("auth", __name__)
