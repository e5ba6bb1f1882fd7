"""Routes of /users: the caller's profile for everyone, user management for admins."""

import uuid

from flask import Blueprint

from ...core.attachments import AttachmentStore
from ...core.authorization import Policy
from ...core.http.admission import RequestContext
from ...core.http.openapi import CONFLICT
from ...core.pagination import PageOut, PageRequest
from ...core.security.mode import NewUser, Profile, create_user
from ...core.users import UserOut, UserService, UserUpdate
from .auth import Security, route


def users_routes(security: Security, store: AttachmentStore) -> Blueprint:
    routes = Blueprint("users", __name__, url_prefix="/users")
    account = security.requires(Policy.ACCOUNT)
    admin = security.requires(Policy.ADMIN)

    @route(routes, "GET", "/me", account)
    def read_me(context: RequestContext) -> Profile:
        return Profile.model_validate(UserService(context.db, context.principal).me())

    @route(routes, "GET", "", admin, query=PageRequest)
    def list_users(context: RequestContext, query: PageRequest) -> PageOut[UserOut]:
        return PageOut[UserOut].of(UserService(context.db, context.principal).list_users(query))

    @route(routes, "POST", "", admin, status=201, body=NewUser, refusals=CONFLICT)
    def add_user(context: RequestContext, body: NewUser) -> UserOut:
        return UserOut.model_validate(create_user(context.db, context.principal, body))

    @route(routes, "PATCH", "/<user_id>", admin, body=UserUpdate, refusals=CONFLICT)
    def update_user(context: RequestContext, user_id: uuid.UUID, body: UserUpdate) -> UserOut:
        user = UserService(context.db, context.principal).update(user_id, body)
        return UserOut.model_validate(user)

    @route(routes, "DELETE", "/<user_id>", admin, status=204, refusals=CONFLICT)
    def delete_user(context: RequestContext, user_id: uuid.UUID) -> None:
        store.remove(UserService(context.db, context.principal).delete(user_id))

    return routes
