"""Errors the user can act on. The CLI prints their message as one line and exits with ``exit_code``."""

import os
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


def setting(name: str, default: int, unit: str, least: int = 0) -> int:
    """A whole number of ``unit`` from the environment variable ``name`` (``default`` when it is unset
    or empty); any other value, or one below ``least``, is a `UsageError` naming the variable (a
    limit read as garbage would otherwise stop every command with an internal error)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name}={shorten(raw, 40)!r} is not a whole number of {unit}") from None
    if value < least:
        raise UsageError(f"{name}={value} is below its least value, {least}")
    return value
