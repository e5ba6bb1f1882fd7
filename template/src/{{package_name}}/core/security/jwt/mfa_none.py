"""Login without a second factor (mfa=none): the password alone opens a session."""

from .requests import LoginRequest, TokenResponse
from .sessions import SessionService

LoginAnswer = TokenResponse


def log_in(sessions: SessionService, login: LoginRequest) -> TokenResponse:
    return TokenResponse.of(sessions.login(login.email, login.password))
