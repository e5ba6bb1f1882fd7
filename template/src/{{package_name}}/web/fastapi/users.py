"""Routes of /users: the caller's profile for everyone, user management for admins."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from ...core.attachments import AttachmentStore
from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import CONFLICT
from ...core.pagination import PageOut, PageRequest
from ...core.security.mode import NewUser, Profile, create_user
from ...core.users import UserOut, UserService, UserUpdate
from .auth import Security
from .docs import refusing


def users_router(security: Security, store: AttachmentStore) -> APIRouter:
    router = APIRouter(prefix="/users", tags=["users"])
    account = security.requires(Policy.ACCOUNT)
    admin = security.requires(Policy.ADMIN)

    @router.get("/me")
    def read_me(context: Annotated[RequestContext, account]) -> Profile:
        return Profile.model_validate(UserService(context.db, context.principal).me())

    @router.get("")
    def list_users(
        page: Annotated[PageRequest, Query()], context: Annotated[RequestContext, admin]
    ) -> PageOut[UserOut]:
        users = UserService(context.db, context.principal).list_users(page)
        return PageOut[UserOut].of(users)

    @router.post("", status_code=201, responses=refusing(CONFLICT))
    def add_user(new_user: NewUser, context: Annotated[RequestContext, admin]) -> UserOut:
        return UserOut.model_validate(create_user(context.db, context.principal, new_user))

    @router.patch("/{user_id}", responses=refusing(CONFLICT))
    def update_user(
        user_id: uuid.UUID, changes: UserUpdate, context: Annotated[RequestContext, admin]
    ) -> UserOut:
        user = UserService(context.db, context.principal).update(user_id, changes)
        return UserOut.model_validate(user)

    @router.delete("/{user_id}", status_code=204, responses=refusing(CONFLICT))
    def delete_user(user_id: uuid.UUID, context: Annotated[RequestContext, admin]) -> None:
        store.remove(UserService(context.db, context.principal).delete(user_id))

    return router
