"""Authentication by the identity provider's bearer tokens; users provisioned on first sight.

Role and superuser flag follow the token's claims on every request: the identity
provider, not the service, decides them. Where the service has tenants, a user's tenant
is the one OIDC_TENANT_CLAIM names when the user is provisioned, and stays it: a later
token naming another tenant is refused, since the user's data belongs to the first.
"""

import hashlib
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...authorization import Principal
from ...models import Role, User
from ...tenancy import ClaimedTenant
from ...users import normalize_email
from ..credentials import Credential, invalid_bearer_token, presented_bearer_token
from .models import OidcIdentity
from .oidc import InvalidOidcTokenError, JwksCache, OidcVerifier, ProviderConfig
from .settings import AuthSettings

logger = structlog.get_logger(__name__)

CREDENTIAL_HEADER = "Authorization"
PLACEHOLDER_EMAIL_DOMAIN = "oidc.invalid"


class Authenticator:
    def __init__(self, settings: AuthSettings) -> None:
        config = ProviderConfig(
            issuer=settings.oidc_issuer,
            audience=settings.oidc_audience,
            jwks_url=settings.oidc_jwks_url,
        )
        self.verifier = OidcVerifier(config, JwksCache(config))
        self.roles_claim = settings.oidc_roles_claim
        self.superuser_role = settings.oidc_superuser_role
        self.tenant_claim = settings.oidc_tenant_claim

    def authenticate(self, db: Session, credential: Credential) -> Principal:
        try:
            claims = self.verifier.verify(presented_bearer_token(credential))
        except InvalidOidcTokenError:
            raise invalid_bearer_token() from None
        user = self._user_for(db, claims)
        if user is None or not user.is_active:
            raise invalid_bearer_token()
        return Principal.of(user)

    def _user_for(self, db: Session, claims: dict[str, Any]) -> User | None:
        roles = _roles(claims.get(self.roles_claim))
        is_superuser = self.superuser_role in roles
        role = Role.ADMIN if Role.ADMIN.value in roles else Role.MEMBER
        tenant = ClaimedTenant.read(db, claims.get(self.tenant_claim), is_superuser=is_superuser)
        if tenant is None:
            logger.warning("oidc_tenant_refused", reason="no_known_tenant")
            return None
        identity = db.get(OidcIdentity, claims["sub"])
        if identity is None:
            try:
                user = self._provision(
                    db,
                    claims,
                    role=role,
                    is_superuser=is_superuser,
                    tenant=tenant,
                )
                db.commit()
                return user
            except IntegrityError:
                # A concurrent request provisioned the same subject first: use its user.
                db.rollback()
                identity = db.get_one(OidcIdentity, claims["sub"])
        user = identity.user
        if not tenant.admits(user):
            logger.warning("oidc_tenant_refused", reason="tenant_changed", user_id=str(user.id))
            return None
        tenant.assign(user)
        if (user.role, user.is_superuser) != (role, is_superuser):
            user.role, user.is_superuser = role, is_superuser
            db.commit()
        return user

    def _provision(
        self,
        db: Session,
        claims: dict[str, Any],
        *,
        role: Role,
        is_superuser: bool,
        tenant: ClaimedTenant,
    ) -> User | None:
        """Create the user, or link a user an admin created with the same verified email."""
        email = _email(claims)
        user = db.scalar(select(User).where(User.email == email))
        if user is not None:
            linked = db.scalar(select(OidcIdentity.subject).where(OidcIdentity.user_id == user.id))
            if linked == claims["sub"]:
                # A concurrent first request of this subject provisioned it meanwhile.
                return user
            linkable = claims.get("email_verified") is True and linked is None
            if not linkable:
                logger.warning("oidc_provisioning_refused", reason="email_in_use")
                return None
            if not tenant.admits(user):
                logger.warning("oidc_provisioning_refused", reason="tenant_changed")
                return None
            tenant.assign(user)
            user.role, user.is_superuser = role, is_superuser
        else:
            user = User(email=email, role=role, is_superuser=is_superuser)
            tenant.assign(user)
            db.add(user)
            db.flush()
        db.add(OidcIdentity(subject=claims["sub"], user_id=user.id))
        logger.info("oidc_user_provisioned", user_id=str(user.id))
        return user


def _roles(value: object) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list):
        return {role for role in value if isinstance(role, str)}
    return set()


def _email(claims: dict[str, Any]) -> str:
    email = claims.get("email")
    if isinstance(email, str) and "@" in email and len(email) <= 320:
        return normalize_email(email)
    subject_digest = hashlib.sha256(claims["sub"].encode()).hexdigest()[:32]
    return f"{subject_digest}@{PLACEHOLDER_EMAIL_DOMAIN}"
