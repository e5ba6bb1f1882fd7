"""Creating users with password authentication: an admin may set a first password."""

from sqlalchemy.orm import Session

from ...authorization import Principal
from ...models import User
from ...users import UserCreate, UserService
from .passwords import NewPassword, set_password


class NewUser(UserCreate):
    password: NewPassword | None = None


def create_user(db: Session, principal: Principal, new_user: NewUser) -> User:
    user = UserService(db, principal).create(new_user)
    if new_user.password is not None:
        set_password(db, user.id, new_user.password)
        db.commit()
    return user
