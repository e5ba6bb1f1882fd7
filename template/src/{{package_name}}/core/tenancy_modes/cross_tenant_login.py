"""The setting of row-level security: the login that cross-tenant transactions use.

The application's login (DATABASE_URL) holds only the role that row-level security
confines to one tenant; a second login, DATABASE_ALL_TENANTS_URL, holds the role that
reads every tenant. No statement run in a session of the first can become the second.
"""

from pydantic import SecretStr
from pydantic_settings import BaseSettings


class TenancySettings(BaseSettings):
    # Unset, cross-tenant transactions assume their role on DATABASE_URL's login, which must
    # then hold it: fine for development, warned about by check-config in production.
    database_all_tenants_url: SecretStr | None = None

    @property
    def across_tenants_database_url(self) -> str | None:
        url = self.database_all_tenants_url
        return None if url is None else url.get_secret_value()

    def production_warnings(self) -> dict[str, str]:
        """Settings that production should not leave as they are, by name, and why."""
        if self.database_all_tenants_url is not None:
            return {}
        return {
            "DATABASE_ALL_TENANTS_URL": (
                "is not set, so cross-tenant transactions assume their role on DATABASE_URL's"
                " login, and so could SQL injected into any of the service's sessions"
            )
        }
