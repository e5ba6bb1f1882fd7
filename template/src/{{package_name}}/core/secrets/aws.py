"""The AWS secrets source: one JSON secret in AWS Secrets Manager, read once at start-up.

Bootstrap (process environment only): AWS_SECRETS_ID, the secret holding the settings as
one JSON object; AWS_REGION; AWS_ENDPOINT_URL for a local emulator only. Credentials come
from boto3's default chain (environment, shared files, container or instance role).
"""

import json
import os
from collections.abc import Mapping

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from .remote import RemoteSettingsSource, bootstrap_variable, service_url, source_error

# Fail fast at start-up: one retry, then let the orchestrator restart the service.
CLIENT_CONFIG = Config(
    connect_timeout=5, read_timeout=10, retries={"mode": "standard", "total_max_attempts": 2}
)


class AwsSettingsSource(RemoteSettingsSource):
    client_loggers = ("botocore",)

    def fetch(self) -> Mapping[str, object]:
        secret_id = bootstrap_variable("AWS_SECRETS_ID")
        endpoint_url = service_url("AWS_ENDPOINT_URL") if _is_set("AWS_ENDPOINT_URL") else None
        # botocore itself reads AWS_DEFAULT_REGION and the config files, not AWS_REGION.
        region = os.environ.get("AWS_REGION", "").strip() or None
        try:
            client = boto3.client(
                "secretsmanager",
                region_name=region,
                endpoint_url=endpoint_url,
                config=CLIENT_CONFIG,
            )
            secret = client.get_secret_value(SecretId=secret_id)
        except NoRegionError:
            raise source_error("AWS_REGION", "is required") from None
        except NoCredentialsError:
            raise source_error(
                "AWS_ACCESS_KEY_ID", "no AWS credentials found in the default chain"
            ) from None
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            if code == "ResourceNotFoundException":
                raise source_error(
                    "AWS_SECRETS_ID", "names no secret in this account and region"
                ) from None
            # Bad credentials and a policy that denies the read both land here.
            raise source_error(
                "AWS_SECRETS_ID", f"could not be read ({code}): check the credentials and policy"
            ) from None
        except BotoCoreError as error:
            unreachable = "AWS_ENDPOINT_URL" if endpoint_url else "AWS_REGION"
            raise source_error(
                unreachable, f"Secrets Manager is unreachable ({type(error).__name__})"
            ) from None
        try:
            settings = json.loads(secret.get("SecretString", ""))
        except ValueError:
            settings = None
        if not isinstance(settings, dict):
            raise source_error("AWS_SECRETS_ID", "must hold one JSON object of settings")
        return settings


def _is_set(name: str) -> bool:
    return bool(os.environ.get(name, "").strip())


def settings_sources(settings_cls: type[BaseSettings]) -> tuple[PydanticBaseSettingsSource, ...]:
    return (AwsSettingsSource(settings_cls),)
