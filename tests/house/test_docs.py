"""Keep the docs honest: every command and every setting is in README.md, and every
command's help has an example."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from mapper.cli import main
from web.settings import ENV_SETTINGS

README = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(cmd: click.Command, prefix: tuple[str, ...] = ()):
    if isinstance(cmd, click.Group):
        ctx = click.Context(cmd)  # the commands are imported on use: ask the group for them
        for name in cmd.list_commands(ctx):
            yield from _commands(cmd.get_command(ctx, name), (*prefix, name))
    else:
        yield " ".join(prefix), cmd


COMMANDS = list(_commands(main))


def test_there_are_commands():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("name,cmd", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_is_documented_with_an_example(name, cmd):
    assert f"mapper {name}" in README, f"README does not mention `mapper {name}`"
    assert "Example" in (cmd.help or ""), f"`mapper {name} --help` has no Example"


@pytest.mark.parametrize("setting", ENV_SETTINGS)
def test_setting_is_documented(setting):
    assert f"MAPPER_{setting}" in README
