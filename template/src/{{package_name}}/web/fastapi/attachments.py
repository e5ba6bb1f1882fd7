"""Routes of /items/{id}/attachments: uploads, judged and stored by the core."""

import uuid
from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from ...core.attachments import (
    AttachmentOut,
    AttachmentService,
    AttachmentStore,
)
from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from .auth import Security


def attachments_router(security: Security, store: AttachmentStore) -> APIRouter:
    router = APIRouter(prefix="/items", tags=["attachments"])
    authenticated = security.requires(Policy.AUTHENTICATED)

    @router.post("/{item_id}/attachments", status_code=201)
    def upload_attachment(
        item_id: uuid.UUID,
        file: Annotated[UploadFile, File()],
        context: Annotated[RequestContext, authenticated],
    ) -> AttachmentOut:
        service = AttachmentService(context.db, context.principal, store)
        return AttachmentOut.model_validate(service.attach(item_id, file.file))

    return router
