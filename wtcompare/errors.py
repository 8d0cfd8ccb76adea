"""Errors the user can act on. The CLI prints their message as one line and exits with ``exit_code``."""

import reprlib


class WtcompareError(Exception):
    """A failure caused by input or environment (exit code 1). The message names the file and the problem."""

    exit_code = 1


class UsageError(WtcompareError):
    """The command was asked for something that cannot be (unknown edition id, bad option): exit code 2."""

    exit_code = 2


def shorten(value: object, limit: int = 80) -> str:
    """``value`` as text of at most ``limit`` characters (cut with "…"), for messages and table cells:
    a registry field or a path can be megabytes long, and a line or a table must stay readable."""
    text = value if isinstance(value, str) else reprlib.repr(value)  # bounded even for a huge list
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
