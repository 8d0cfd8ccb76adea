"""Type checks of data read from files (a user's TOML, the cache's JSON) against type annotations.

A value of the wrong type in a file, `title = [1]` or a cache entry holding a list where a table
belongs, would otherwise pass unnoticed until some later stage crashed on it. `problem` says what is
wrong and where, from the same annotations the code uses: plain types, ``X | None``, ``Literal``,
``list[X]``, ``tuple[X, Y]`` (a JSON array of that length), ``dict[K, V]``, dataclasses and TypedDicts
(tables with those keys). Whole numbers must lie from 0 to 2**53 (counts, offsets, windows, years)
and numbers must be finite, so a huge or negative value is refused as well as a wrong type.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from typing import Callable

LARGEST = 2 ** 53
Fields = Callable[[type], dict[str, object]]
type_hints = functools.cache(typing.get_type_hints)  # evaluating the annotations is slow: once per class


def describe(hint) -> str:
    """What a value of type ``hint`` is, in words, for messages."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(dict.fromkeys(describe(a) for a in args if a is not type(None)))
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in args)
    if origin is list:
        inner = describe(args[0])
        plural = {"a table": "tables", "a whole number from 0": "whole numbers from 0", "a number": "numbers"}
        return f"a list of {plural.get(inner, inner)}"
    if origin is tuple:
        return f"a list of {len(args)} values"
    if origin is dict or dataclasses.is_dataclass(hint) or typing.is_typeddict(hint):
        return "a table"
    return {str: "text", int: "a whole number from 0", float: "a number", bool: "true or false",
            type(None): "empty"}[hint]


def problem(value, hint, exact: bool = False, fields: Fields = type_hints) -> str | None:
    """None when ``value`` has the type ``hint``, else "where: must be ..." (where: the keys and
    1-based positions leading to the first wrong value, like ``category[2].term[1].patterns``).
    ``exact``: tables must have exactly the keys of their dataclass or TypedDict (every key
    required), as in the cache; otherwise keys may be missing or extra, as in a user's file, and
    whoever reads it checks what it needs. ``fields`` gives a dataclass's or TypedDict's keys and types."""
    found = _problem(value, hint, exact, fields)
    if found is None:
        return None
    path, expected = found
    where = "".join(reversed(path)).lstrip(".")
    return f"{where or 'the file'}: must be {expected}"


def _problem(value, hint, exact: bool, fields: Fields) -> tuple[list[str], str] | None:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    wrong = ([], describe(hint))
    if origin in (typing.Union, types.UnionType):
        return None if any(_problem(value, arg, exact, fields) is None for arg in args) else wrong
    if origin is typing.Literal:
        return None if isinstance(value, str) and value in args else wrong
    if hint is type(None):
        return None if value is None else wrong
    if hint is bool:
        return None if isinstance(value, bool) else wrong
    if hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value < LARGEST
        return None if ok else wrong
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else wrong
    if hint is str:
        return None if isinstance(value, str) else wrong
    if origin in (list, tuple):
        if not isinstance(value, list) or (origin is tuple and len(value) != len(args)):
            return wrong
        kinds = args if origin is tuple else [args[0]] * len(value)
        for position, (item, kind) in enumerate(zip(value, kinds), start=1):
            found = _problem(item, kind, exact, fields)
            if found:
                return found[0] + [f"[{position}]"], found[1]
        return None
    if origin is dict:
        if not isinstance(value, dict):
            return wrong
        for key, item in value.items():
            if _problem(key, args[0], exact, fields):
                return [f".{key}"], f"a key that is {describe(args[0])}"
            found = _problem(item, args[1], exact, fields)
            if found:
                return found[0] + [f".{key}"], found[1]
        return None
    if dataclasses.is_dataclass(hint) or typing.is_typeddict(hint):
        expected = fields(hint)
        if not isinstance(value, dict) or (exact and value.keys() != expected.keys()):
            return wrong
        for key, kind in expected.items():
            if key in value:
                found = _problem(value[key], kind, exact, fields)
                if found:
                    return found[0] + [f".{key}"], found[1]
        return None
    raise TypeError(f"no schema check for {hint!r}")
