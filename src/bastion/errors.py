"""Errors that end a command with one clear message and exit status 2."""


class BastionError(Exception):
    """A usage error: bad input, an incompatible answer, an unsafe target."""

    exit_code = 2


class MissingAnswers(BastionError):
    """Answers are missing and there is no terminal to ask them on."""
