"""Errors the user can act on. The CLI prints their message as one line and exits with ``exit_code``."""


class WtcompareError(Exception):
    """A failure caused by input or environment (exit code 1). The message names the file and the problem."""

    exit_code = 1


class UsageError(WtcompareError):
    """The command was asked for something that cannot be (unknown edition id, bad option): exit code 2."""

    exit_code = 2
