"""The README's command-line reference matches the CLI: every command and subcommand of
`wtcompare.cli` has a row in its table and every row names a command that exists; every option a row
(or the global options line, or the `OUT` line) names exists on that command, and every option of
the command is named; a choice written ``--opt a|b`` lists the option's choices."""

from __future__ import annotations

import re
from itertools import takewhile
from pathlib import Path

import click
import pytest

from wtcompare.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
OPTION = re.compile(r"(?<![\w-])(--?[a-z][a-z-]*)")
CHOICE = re.compile(r"(--[a-z][a-z-]*) ([a-z]+(?:\|[a-z]+)+)")


def reference() -> str:
    """The section '## Command-line reference' of README.md, up to its first subsection."""
    text = README.read_text(encoding="utf-8")
    assert "## Command-line reference" in text, "README.md has no '## Command-line reference'"
    return text.split("## Command-line reference", 1)[1].split("\n#", 1)[0]


def paragraph(starting: str) -> str:
    """The paragraph of the reference that starts with ``starting``."""
    found = [p for p in reference().split("\n\n") if p.startswith(starting)]
    assert len(found) == 1, f"README.md's command-line reference needs one paragraph starting {starting!r}"
    return found[0]


def rows() -> dict[tuple[str, ...], list[str]]:
    """The usage cell of each row of the command table, by command path (``("lexicon", "check")``);
    ``OUT`` is replaced by the output options it stands for."""
    out = paragraph("`OUT` stands for")
    usages: dict[tuple[str, ...], list[str]] = {}
    for line in reference().splitlines():
        match = re.match(r"\| `(wtcompare [^`]*)` \|", line.replace("\\|", "|"))
        if match:
            usage = match.group(1)
            path = tuple(takewhile(re.compile("[a-z]+").fullmatch, usage.split()[1:]))  # up to 'A', '[IDS...]', '--x'
            usages.setdefault(path, []).append(usage.replace("[OUT]", out))
    assert usages, "README.md's command-line reference has no table of `wtcompare ...` rows"
    return usages


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    """Every command of the CLI that runs (not the groups that hold them), by command path."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from commands(command, path + (name,))
        else:
            yield path + (name,), command


def options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option)]


def check_options(where: str, command: click.Command, text: str) -> None:
    named = set(OPTION.findall(text))
    spelled = {name for option in options(command) for name in option.opts + option.secondary_opts}
    assert not named - spelled, f"{where} names options the command does not have: {sorted(named - spelled)}"
    unnamed = [option.opts[0] for option in options(command) if not named & set(option.opts)]
    assert not unnamed, f"{where} does not name these options of the command: {unnamed}"
    by_name = {name: option for option in options(command) for name in option.opts}
    for name, listed in CHOICE.findall(text):
        assert isinstance(by_name[name].type, click.Choice), f"{where}: {name} is not a choice"
        choices = by_name[name].type.choices
        assert set(listed.split("|")) == set(choices), f"{where}: {name} {listed}, but it takes {'|'.join(choices)}"


def test_every_command_has_a_row_and_every_row_a_command():
    table, cli_commands = set(rows()), {path for path, _ in commands()}
    assert not cli_commands - table, f"commands missing from README.md's table: {sorted(cli_commands - table)}"
    assert not table - cli_commands, (
        f"README.md's table lists commands that do not exist: {sorted(table - cli_commands)}"
    )


@pytest.mark.parametrize("path", sorted(dict(commands())), ids=" ".join)
def test_a_commands_rows_name_its_options(path):
    usages = rows().get(path)
    assert usages, f"README.md's table has no row for 'wtcompare {' '.join(path)}'"
    check_options(f"README.md's row for 'wtcompare {' '.join(path)}'", dict(commands())[path], " ".join(usages))


def test_global_options_line_names_the_groups_options():
    check_options("README.md's 'Global options' line", cli, paragraph("Global options:"))
