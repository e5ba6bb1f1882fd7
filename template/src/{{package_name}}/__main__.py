"""Entry point for `python -m`: the service's command line."""

from .cli import main

raise SystemExit(main())
