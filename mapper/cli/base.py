"""Click classes that speak the reader's language, and the lazy command group.

Help texts (docstrings, ``help=``) are English message ids, like every other word; they are
translated when the help is *shown*, not when the command is defined, because the language of
a run is only known once ``main`` starts (``MAPPER_LANGUAGE``, the locale, or ``--lang``).
:class:`Command`, :class:`Group` and :class:`Option` do that translation; the decorators
:func:`command`, :func:`group` and :func:`option` use them.

Click's own words ("Usage:", "Error: {message}", "Missing option") are message ids of
Click's, looked up through Python's ``gettext`` in each Click module. :func:`speak_click`
points those lookups at :mod:`mapper.i18n`, so Click says "Fout:" in a Dutch run; in English
the ids are shown as they are, exactly as before.
"""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import click

from ..i18n import N_, gettext, ngettext


def translated(text: str | None) -> str | None:
    """``text`` (a help text as written in the code) in the reader's language."""
    if not text:
        return text
    return gettext(inspect.cleandoc(text))


#: Click's placeholders in a usage line, as message ids (argument metavars stay as written).
USAGE_WORDS: dict[str, str] = {
    "[OPTIONS]": N_("[OPTIONS]"),
    "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."),
}


#: Click's help of ``--help`` (a message id of Click's).
HELP_MESSAGE = N_("Show this message and exit.")


class _Translating:
    """Help text, short help and the usage line translated when shown."""

    help: str | None
    short_help: str | None

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # Click makes the --help option once per command, with its help text translated
        # then; keep the message id instead, translated when shown (a later run may speak
        # another language: tests, or a long-lived process).
        fresh = getattr(self, "_help_option", None) is None
        found = super().get_help_option(ctx)  # type: ignore[misc]
        if found is not None and fresh:
            found.help = HELP_MESSAGE
            found.__class__ = Option
        return found

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [gettext(USAGE_WORDS[p]) if p in USAGE_WORDS else p for p in pieces]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        shown = copy.copy(self)
        shown.help = translated(self.help)
        super(_Translating, shown).format_help_text(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        shown = copy.copy(self)
        shown.help = translated(self.help)
        shown.short_help = translated(self.short_help)
        return super(_Translating, shown).get_short_help_str(limit)  # type: ignore[misc]


class Command(_Translating, click.Command):
    """A command whose help is shown in the reader's language."""


class Option(click.Option):
    """An option whose help is shown in the reader's language."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        shown = copy.copy(self)
        shown.help = translated(self.help)
        return click.Option.get_help_record(shown, ctx)


class Group(_Translating, click.Group):
    """A group of commands (``mapper user …``) whose help is shown in the reader's language."""

    command_class = Command
    group_class = type


class LazyGroup(Group):
    """A group whose commands are imported on first use (Click's lazy-loading pattern).

    ``lazy`` maps a command's name to ``("module:attribute", short help)``: ``mapper --help``
    lists names and short help from the map without importing a command module, so the
    start does not pay for networkx, Flask or the store.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.lazy: dict[str, tuple[str, str]] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.commands[cmd_name] = self._load(cmd_name)
        return self.commands.get(cmd_name)

    def _load(self, name: str) -> click.Command:
        target, short_help = self.lazy[name]
        module, _, attribute = target.partition(":")
        found = getattr(importlib.import_module(module), attribute)
        if not isinstance(found, click.Command):  # pragma: no cover - a slip in the map
            raise TypeError(f"{target} is not a click command")
        found.short_help = found.short_help or short_help
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, from the map for those not imported yet."""
        rows = []
        for name in self.list_commands(ctx):
            loaded = self.commands.get(name)
            if loaded is not None:
                if loaded.hidden:
                    continue
                text = loaded.get_short_help_str(formatter.width - 6 - len(name))
            else:
                text = translated(self.lazy[name][1]) or ""
            rows.append((name, text))
        if rows:
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)


def command(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Command]:
    """``click.command`` with :class:`Command` (help in the reader's language)."""
    return click.command(name, cls=Command, **attrs)  # type: ignore[return-value]


def group(name: str | None = None, **attrs: Any) -> Callable[[Callable[..., Any]], Group]:
    """``click.group`` with :class:`Group` (help in the reader's language)."""
    return click.group(name, cls=Group, **attrs)  # type: ignore[return-value]


def option(*decls: str, **attrs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``click.option`` with :class:`Option` (help in the reader's language)."""
    attrs.setdefault("cls", Option)
    return click.option(*decls, **attrs)


#: The Click modules that look their words up through ``gettext``.
_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.utils",
)


def speak_click() -> None:
    """Let Click's own words (usage, errors) go through :mod:`mapper.i18n`; idempotent."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


__all__ = [
    "Command",
    "Group",
    "LazyGroup",
    "Option",
    "command",
    "group",
    "option",
    "speak_click",
    "translated",
]
