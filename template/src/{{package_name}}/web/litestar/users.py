"""Routes of /users: the caller's profile for everyone, user management for admins."""

from litestar import Router, delete, get, patch, post
from litestar.params import FromPath, RawBody

from ...core.attachments import AttachmentStore
from ...core.authorization import Policy
from ...core.http.openapi import CONFLICT
from ...core.http.request_input import path_id
from ...core.pagination import PageOut, PageRequest
from ...core.security.mode import NewUser, Profile, create_user
from ...core.users import UserOut, UserService, UserUpdate
from .auth import AnyRequest, Context, Security, synchronous
from .problems import json_body, query

USER = "/{user_id:str}"


def users_router(security: Security, store: AttachmentStore) -> Router:
    admin = security.requires(Policy.ADMIN)

    @get("/me", **synchronous(200, security.requires(Policy.ACCOUNT)))
    def read_me(context: Context) -> Profile:
        return Profile.model_validate(UserService(context.db, context.principal).me())

    @get(**synchronous(200, admin, query=PageRequest))
    def list_users(request: AnyRequest, context: Context) -> PageOut[UserOut]:
        page = query(PageRequest, request)
        return PageOut[UserOut].of(UserService(context.db, context.principal).list_users(page))

    @post(**synchronous(201, admin, body=NewUser, refusals=CONFLICT))
    def add_user(request: AnyRequest, body: RawBody, context: Context) -> UserOut:
        new_user = json_body(NewUser, request, body)
        return UserOut.model_validate(create_user(context.db, context.principal, new_user))

    @patch(USER, **synchronous(200, admin, body=UserUpdate, refusals=CONFLICT))
    def update_user(
        user_id: FromPath[str], request: AnyRequest, body: RawBody, context: Context
    ) -> UserOut:
        the_id, changes = path_id("user_id", user_id), json_body(UserUpdate, request, body)
        return UserOut.model_validate(
            UserService(context.db, context.principal).update(the_id, changes)
        )

    @delete(USER, **synchronous(204, admin, refusals=CONFLICT))
    def delete_user(user_id: FromPath[str], context: Context) -> None:
        store.remove(UserService(context.db, context.principal).delete(path_id("user_id", user_id)))

    handlers = [read_me, list_users, add_user, update_user, delete_user]
    return Router("/users", route_handlers=handlers, tags=["users"])
