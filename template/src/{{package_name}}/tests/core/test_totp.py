"""The TOTP second factor's rules at the core: RFC 6238 steps under a frozen clock, replay,
the encryption keys (their rules, rotation and the command that re-encrypts)."""

import base64
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from ...cli import main
from ...core.authorization import Principal
from ...core.errors import AuthenticationError
from ...core.models import Role, User
from ...core.security.jwt.totp import codes
from ...core.security.jwt.totp.encryption import SecretBox, UnreadableSecretError
from ...core.security.jwt.totp.models import TotpCredential
from ...core.security.jwt.totp.service import TotpService, issue_challenge
from ...core.settings import SettingsError, load_settings
from ...migrations import upgrade_to_head
from ..fixtures.auth_jwt import PASSWORD, UserFactory
from ..fixtures.mfa_totp import DATA_ENCRYPTION_KEY, code_at
from ..principals import Kind

# A step boundary, so that every offset below lands on a known step.
FROZEN = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
STEP = timedelta(seconds=codes.STEP_SECONDS)
RFC_6238_SECRET = base64.b32encode(b"12345678901234567890").decode()


class FrozenClock:
    """A clock that moves only when a test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_codes_are_those_of_rfc_6238() -> None:
    """The SHA-1 test vectors of RFC 6238, appendix B, cut to six digits."""
    for seconds, code in [(59, "287082"), (1111111109, "081804"), (1234567890, "005924")]:
        when = datetime.fromtimestamp(seconds, UTC)
        assert codes.matching_step(RFC_6238_SECRET, code, when) == seconds // 30


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_one_step_of_drift_is_accepted_either_way(offset: int, accepted: bool) -> None:
    secret = codes.new_secret()
    code = code_at(secret, FROZEN + offset * STEP)

    step = codes.matching_step(secret, code, FROZEN)

    assert (step is not None) == accepted


@pytest.fixture
def factors(db_sessions: sessionmaker[Session]) -> Iterator[Callable[[FrozenClock], TotpService]]:
    """The second factor's service on a session of its own, under the clock it is given."""
    with db_sessions() as db:
        yield lambda clock: TotpService(db, SecretBox(SecretStr(DATA_ENCRYPTION_KEY)), clock)


def test_a_step_is_accepted_once_and_earlier_steps_never_after(
    factors: Callable[[FrozenClock], TotpService], make_user: UserFactory
) -> None:
    clock = FrozenClock(FROZEN)
    service = factors(clock)
    user = make_user(Kind.MEMBER)
    principal = Principal.of(user)
    secret = service.start_enrolment(principal, PASSWORD).secret
    service.confirm(principal, code_at(secret, FROZEN))

    def verify(code: str) -> bool:
        token = issue_challenge(service.db, user).mfa_token
        try:
            service.verify(token, code, None)
        except AuthenticationError:
            return False
        return True

    replayed = verify(code_at(secret, FROZEN))
    clock.now = FROZEN + STEP
    next_step = verify(code_at(secret, FROZEN + STEP))
    earlier_step = verify(code_at(secret, FROZEN))
    clock.now = FROZEN + 10 * STEP
    much_later = verify(code_at(secret, FROZEN + 10 * STEP))

    assert (replayed, next_step, earlier_step, much_later) == (False, True, False, True)


def new_key() -> str:
    return Fernet.generate_key().decode()


def test_the_first_key_encrypts_and_every_key_decrypts() -> None:
    old, new = new_key(), new_key()
    sealed_with_old = SecretBox(SecretStr(old)).seal("JBSWY3DPEHPK3PXP")

    rotated = SecretBox(SecretStr(f"{new},{old}"))

    assert rotated.open(sealed_with_old) == "JBSWY3DPEHPK3PXP"
    assert SecretBox(SecretStr(new)).open(rotated.seal("JBSWY3DPEHPK3PXP")) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(UnreadableSecretError):
        SecretBox(SecretStr(new)).open(sealed_with_old)


def test_the_rotation_command_re_encrypts_with_the_newest_key(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    new_database_url: Callable[[], str],
    password_hash: str,
) -> None:
    database_url = new_database_url()
    upgrade_to_head(database_url)
    old, new = new_key(), new_key()
    engine = create_engine(database_url)
    with Session(engine) as db:
        user = User(email="rotating@example.com", role=Role.ADMIN, is_superuser=True)
        db.add(user)
        db.flush()
        db.add(
            TotpCredential(
                user_id=user.id,
                secret_ciphertext=SecretBox(SecretStr(old)).seal("JBSWY3DPEHPK3PXP"),
            )
        )
        db.commit()
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", f"{new},{old}")

    assert main(["rotate-encryption-keys"]) == 0

    with Session(engine) as db:
        stored = db.scalars(select(TotpCredential.secret_ciphertext)).one()
    engine.dispose()
    assert SecretBox(SecretStr(new)).open(stored) == "JBSWY3DPEHPK3PXP"
    assert "Re-encrypted 1 TOTP secrets" in capsys.readouterr().out


@pytest.mark.usefixtures("database_in_env")
@pytest.mark.parametrize(
    ("keys", "reason"),
    [
        (None, "is required"),
        ("change-me-to-a-real-key", "placeholder"),
        (base64.urlsafe_b64encode(b"k" * 16).decode(), "32 bytes"),
        (base64.urlsafe_b64encode(bytes(32)).decode(), "guessable"),
        ("not base64 at all!", "32 bytes"),
    ],
    ids=["missing", "placeholder", "short", "guessable", "malformed"],
)
@pytest.mark.parametrize("command", ["check-config", "serve"])
def test_unusable_keys_stop_the_commands(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    keys: str | None,
    reason: str,
    command: str,
) -> None:
    if keys is None:
        monkeypatch.delenv("DATA_ENCRYPTION_KEYS")
    else:
        monkeypatch.setenv("DATA_ENCRYPTION_KEYS", f"{new_key()},{keys}")

    assert main([command]) == 1

    output = capsys.readouterr()
    assert "DATA_ENCRYPTION_KEYS" in output.err
    assert reason in output.err
    if keys is not None:
        assert keys not in output.out + output.err


@pytest.mark.usefixtures("database_in_env")
def test_required_roles_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MFA_REQUIRED_ROLES", "admin,owner")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert {problem.name for problem in raised.value.problems} == {"MFA_REQUIRED_ROLES"}


@pytest.mark.usefixtures("database_in_env")
def test_required_roles_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MFA_REQUIRED_ROLES", "superuser, admin")

    assert load_settings().mfa_required_roles == ("superuser", "admin")
