"""Creating users: they hold no password here, their credentials come from elsewhere."""

from sqlalchemy.orm import Session

from ..authorization import Principal
from ..models import User
from ..users import UserCreate, UserService

NewUser = UserCreate


def create_user(db: Session, principal: Principal, new_user: NewUser) -> User:
    return UserService(db, principal).create(new_user)
