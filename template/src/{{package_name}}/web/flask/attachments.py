"""Routes of /items/{id}/attachments: uploads, judged and stored by the core."""

import uuid
from typing import BinaryIO

from flask import Blueprint

from ...core.attachments import AttachmentOut, AttachmentService, AttachmentStore
from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from .auth import Security, route


def attachments_routes(security: Security, store: AttachmentStore) -> Blueprint:
    routes = Blueprint("attachments", __name__, url_prefix="/items")
    authenticated = security.requires(Policy.AUTHENTICATED)

    @route(routes, "POST", "/<item_id>/attachments", authenticated, status=201, upload="file")
    def upload_attachment(
        context: RequestContext, item_id: uuid.UUID, upload: BinaryIO
    ) -> AttachmentOut:
        service = AttachmentService(context.db, context.principal, store)
        return AttachmentOut.model_validate(service.attach(item_id, upload))

    return routes
