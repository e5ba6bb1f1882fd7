"""The service's command line: migrate, serve, check-config, and the commands of the
authentication mode and the tenancy (create-user, create-api-key, create-tenant)."""

import argparse
import sys
from collections.abc import Callable, Sequence

from . import SERVICE_NAME
from .core.errors import UsageError
from .core.http.limits import HEADER_READ_TIMEOUT_SECONDS
from .core.logs import configure_logging
from .core.security.mode import commands as auth_commands
from .core.settings import Settings, SettingsError, load_settings
from .core.tenancy import add_tenant_commands

Command = Callable[[Settings, argparse.Namespace], int]


# Each command imports what it alone needs, so check-config and failing starts stay fast.
def migrate(settings: Settings, args: argparse.Namespace) -> int:
    from .migrations import upgrade_to_head

    upgrade = upgrade_to_head(settings.database_url.get_secret_value(), verbose=args.verbose)
    auth_commands.create_first_superuser(settings)
    print(upgrade.summary())
    return 0


def serve(settings: Settings, args: argparse.Namespace) -> int:
    from .core.attachments import AttachmentStore, settle_interrupted_uploads
    from .core.database import standalone_session
    from .core.memory import bound_allocator_arenas
    from .web import serve as serve_app

    bound_allocator_arenas()
    store = AttachmentStore(settings.attachments_dir.resolve())
    if store.interrupted():
        with standalone_session(settings) as db:
            settled = settle_interrupted_uploads(store, db)
        print(f"Settled {settled} uploads interrupted by a crash.", file=sys.stderr)
    serve_app(
        settings, host=args.host, port=args.port, header_read_timeout=HEADER_READ_TIMEOUT_SECONDS
    )
    return 0


def check_config(settings: Settings, _: argparse.Namespace) -> int:
    from .core.connectivity import production_warnings, unanswered_settings

    problems = unanswered_settings(settings)
    if problems:
        print("Unusable services:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    if warnings := production_warnings(settings):
        print("Warnings:", *warnings, sep="\n  ", file=sys.stderr)
    print(f"Configuration is valid (APP_ENV={settings.app_env}).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=SERVICE_NAME, description=__doc__)
    parser.set_defaults(log_stream=None)
    commands = parser.add_subparsers(dest="command", required=True)

    migrate_parser = commands.add_parser("migrate", help="apply database migrations")
    migrate_parser.add_argument(
        "--verbose", action="store_true", help="log each migration step as Alembic runs it"
    )
    migrate_parser.set_defaults(run=migrate)

    serve_parser = commands.add_parser("serve", help="serve the HTTP API")
    serve_parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    serve_parser.add_argument("--port", type=int, default=8000, help="default: %(default)s")
    serve_parser.set_defaults(run=serve)

    auth_commands.add_commands(commands)
    add_tenant_commands(commands)

    commands.add_parser(
        "check-config",
        help="validate the settings and reach the database (and redis), printing no value",
    ).set_defaults(run=check_config)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Commands whose stdout is their result (create-api-key) send their logs to stderr.
    configure_logging(stream=args.log_stream)
    try:
        settings = load_settings()
    except SettingsError as error:
        print("Invalid configuration:", *error.problems, sep="\n  ", file=sys.stderr)
        return 1
    run: Command = args.run
    try:
        return run(settings, args)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
