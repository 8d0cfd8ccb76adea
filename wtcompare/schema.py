"""Type checks of data read from files (a user's TOML, the cache's JSON) against type annotations.

A value of the wrong type in a file, `title = [1]` or a cache entry holding a list where a table
belongs, would otherwise pass unnoticed until some later stage crashed on it. `problem` says what is
wrong and where, from the same annotations the code uses: plain types, ``X | None``, ``Literal``,
``list[X]``, ``tuple[X, Y]`` (a JSON array of that length), ``dict[K, V]``, dataclasses and TypedDicts
(tables with those keys), and ``str`` enums (one of their values). Whole numbers must lie from 0 to
2**53 (counts, offsets, windows, years) and numbers must be finite, so a huge or negative value is
refused as well as a wrong type.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import math
import types
import typing
from collections.abc import Callable
from typing import Any

LARGEST = 2**53
# A type annotation as `typing` sees it (a class, ``list[str]``, ``X | None``, ``Literal[...]``, a
# TypedDict): no static type covers them all, so `Any` is the honest one.
Hint = Any
Fields = Callable[[Hint], dict[str, Hint]]
type_hints = functools.cache(typing.get_type_hints)  # evaluating the annotations is slow: once per class


def _enum_as_literal(hint: Hint) -> Hint:
    """A ``str`` enum as the ``Literal`` of its values, which is what a file holds for it."""
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return typing.Literal[tuple(member.value for member in hint)]
    return hint


def describe(hint: Hint) -> str:
    """What a value of type ``hint`` is, in words, for messages."""
    hint = _enum_as_literal(hint)
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
    return {str: "text", int: "a whole number from 0", float: "a number", bool: "true or false", type(None): "empty"}[
        hint
    ]


def problem(value: object, hint: Hint, exact: bool = False, fields: Fields = type_hints) -> str | None:
    """None when ``value`` has the type ``hint``, else "where: must be ..." (where: the keys and
    1-based positions leading to the first wrong value, like ``category[2].term[1].patterns``).
    ``exact``: tables must have exactly the keys of their dataclass or TypedDict (every key
    required), as in the cache; otherwise keys may be missing or extra, as in a user's file, and
    whoever reads it checks what it needs. ``fields`` gives a dataclass's or TypedDict's keys and types."""
    if checker(hint, exact, fields)(value):
        return None
    found = _problem(value, hint, exact, fields)
    assert found is not None, "the checker and _problem follow the same rules, so a refused value has a problem"
    path, expected = found
    where = "".join(reversed(path)).lstrip(".")
    return f"{where or 'the file'}: must be {expected}"


def _problem(value: object, hint: Hint, exact: bool, fields: Fields) -> tuple[list[str], str] | None:
    hint = _enum_as_literal(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    wrong: tuple[list[str], str] = ([], describe(hint))
    if origin in (typing.Union, typing.Literal, types.UnionType) or hint in (type(None), bool, int, float, str):
        return None if checker(hint, exact, fields)(value) else wrong
    if origin in (list, tuple):
        if type(value) is not list or (origin is tuple and len(value) != len(args)):
            return wrong
        kinds = args if origin is tuple else [args[0]] * len(value)
        for position, (item, kind) in enumerate(zip(value, kinds, strict=True), start=1):
            found = _problem(item, kind, exact, fields)
            if found:
                return found[0] + [f"[{position}]"], found[1]
        return None
    if origin is dict:
        if type(value) is not dict:
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
        if type(value) is not dict or (exact and value.keys() != expected.keys()):
            return wrong
        for key, kind in expected.items():
            if key in value:
                found = _problem(value[key], kind, exact, fields)
                if found:
                    return found[0] + [f".{key}"], found[1]
        return None
    raise TypeError(f"no schema check for {hint!r}")


_checkers: dict[tuple[Hint, bool, Fields], Callable[[object], bool]] = {}


def checker(hint: Hint, exact: bool = False, fields: Fields = type_hints) -> Callable[[object], bool]:
    """A fast test of whether a value has the type ``hint`` (the rules of `problem`, which walks
    the value again, slowly, only to say where it went wrong): the annotations are looked at once
    per type, not once per value, so checking a cached 160,000-word document takes milliseconds."""
    key = (hint, exact, fields)
    if key not in _checkers:
        _checkers[key] = _make_checker(hint, exact, fields)
    return _checkers[key]


def _make_checker(hint: Hint, exact: bool, fields: Fields) -> Callable[[object], bool]:
    hint = _enum_as_literal(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [checker(arg, exact, fields) for arg in args if arg is not type(None)]
        if len(options) == 1:  # ``X | None``, the usual union: one test, not a generator per value
            (only,) = options
            return (lambda value: value is None or only(value)) if len(args) == 2 else only
        if len(options) < len(args):
            options.insert(0, checker(type(None), exact, fields))
        return lambda value: any(test(value) for test in options)
    if origin is typing.Literal:
        return lambda value: type(value) is str and value in args
    simple = {
        type(None): lambda value: value is None,
        bool: lambda value: type(value) is bool,
        str: lambda value: type(value) is str,
        int: lambda value: type(value) is int and 0 <= value < LARGEST,
        float: lambda value: (
            (type(value) is float and math.isfinite(value)) or (type(value) is int and abs(value) < LARGEST)
        ),
    }
    if hint in simple:
        return simple[hint]
    if origin is list:
        item = checker(args[0], exact, fields)
        return lambda value: type(value) is list and all(map(item, value))
    if origin is tuple:
        items = [checker(arg, exact, fields) for arg in args]
        return lambda value: (
            type(value) is list
            and len(value) == len(items)
            and all(test(v) for test, v in zip(items, value, strict=True))
        )
    if origin is dict:
        key, item = checker(args[0], exact, fields), checker(args[1], exact, fields)
        return lambda value: type(value) is dict and all(key(k) and item(v) for k, v in value.items())
    if dataclasses.is_dataclass(hint) or typing.is_typeddict(hint):
        expected = fields(hint)
        names = expected.keys()
        tests: list[tuple[str, Callable[[object], bool]]] = []

        def table(value: object) -> bool:
            if type(value) is not dict or (exact and value.keys() != names):
                return False
            for name, test in tests:  # noqa: SIM110 - a loop, not a generator made for each of thousands of tables
                if name in value and not test(value[name]):
                    return False
            return True

        # registered before its fields' tests are made, since they may refer to it (a Section's children)
        _checkers[(hint, exact, fields)] = table
        tests.extend((name, checker(kind, exact, fields)) for name, kind in expected.items())
        return table
    raise TypeError(f"no schema check for {hint!r}")
