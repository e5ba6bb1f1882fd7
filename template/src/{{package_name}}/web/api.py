"""The versioned API under /api/v1: credentials, users, items, attachments."""

from fastapi import APIRouter

from ..core.attachments import AttachmentStore
from ..core.database import SessionFactory
from ..core.security.authentication import Authenticator
from ..core.settings import Settings
from .attachments import attachments_router
from .auth import Security
from .auth_routes import auth_router
from .items import items_router
from .users import users_router


def api_router(settings: Settings, sessions: SessionFactory) -> APIRouter:
    security = Security(Authenticator(settings), sessions)
    router = APIRouter(prefix="/api/v1")
    router.include_router(auth_router(security))
    router.include_router(users_router(security))
    router.include_router(items_router(security))
    store = AttachmentStore(settings.attachments_dir.resolve())
    router.include_router(attachments_router(security, store))
    return router
