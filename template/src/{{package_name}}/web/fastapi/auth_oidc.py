"""Credential routes for OIDC: none. Tokens come from the identity provider."""

from fastapi import APIRouter

from .auth import Security


def auth_router(_: Security) -> APIRouter:
    return APIRouter()
