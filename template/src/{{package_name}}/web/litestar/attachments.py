"""Routes of /items/{id}/attachments: uploads, judged and stored by the core."""

from typing import BinaryIO, cast

from litestar import Router, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from ...core.attachments import AttachmentOut, AttachmentService, AttachmentStore
from ...core.authorization import Policy
from ...core.http.request_input import missing, path_id
from .auth import AnyRequest, Context, Security, synchronous


async def uploaded_file(request: AnyRequest, context: Context) -> UploadFile | None:
    """The form's `file`, parsed only once the caller is admitted: asking for `context`
    puts this dependency after admission (Litestar would parse a `data` form first)."""
    del context
    file = (await request.form()).get("file")
    return file if isinstance(file, UploadFile) else None


def attachments_router(security: Security, store: AttachmentStore) -> Router:
    @post("/{item_id:str}/attachments", **synchronous(201, upload="file"))
    def upload_attachment(
        item_id: FromPath[str], file: NamedDependency[UploadFile | None], context: Context
    ) -> AttachmentOut:
        if file is None:
            raise missing("body", "file")
        service = AttachmentService(context.db, context.principal, store)
        return AttachmentOut.model_validate(
            service.attach(path_id("item_id", item_id), cast(BinaryIO, file.file))
        )

    return Router(
        "/items",
        route_handlers=[upload_attachment],
        dependencies={**security.requires(Policy.AUTHENTICATED), "file": Provide(uploaded_file)},
        tags=["attachments"],
    )
