"""The ``mapper`` command: thin over the library (``mapper.store``, ``mapper.analysis``).

Each area keeps its commands in its own module here; :data:`COMMANDS` maps every command's
name to where it lives and its short help, and a command's module is imported only when the
command is run (or its own help asked for), so ``mapper --help`` starts fast. Shared options
live in :mod:`mapper.cli.options`, the translating Click classes in :mod:`mapper.cli.base`.

A run speaks one language throughout: ``--lang``, else ``MAPPER_LANGUAGE``, else the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when it says ``nl``; otherwise English. Library errors
are shown as one line in that language.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import click

from ..errors import DISK_FULL_MESSAGE, MapperError, is_disk_full
from ..i18n import LANGUAGES, N_, environment_language, gettext, use_language
from .base import LazyGroup, option, speak_click

#: Every command: name → ("module:attribute", short help). Each area adds its own lines.
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("mapper.cli.core:serve", N_("Serve the web app on what the store holds.")),
    "demo": ("mapper.cli.core:demo", N_("Seed the demo town and serve it.")),
    "info": ("mapper.cli.core:info", N_("Show what a workspace holds.")),
    "init-workspace": ("mapper.cli.core:init_workspace", N_("Create an empty workspace.")),
    "import": ("mapper.cli.io:import_command", N_("Import a scan from a file.")),
    "export": ("mapper.cli.io:export_command", N_("Export the workspace or one theme's scan.")),
    "template": ("mapper.cli.io:template_command", N_("Write the empty templates.")),
    "backup": ("mapper.cli.io:backup_command", N_("Back up a workspace with its history.")),
    "restore": ("mapper.cli.io:restore_command", N_("Restore a workspace from a backup.")),
    "duplicates": ("mapper.cli.io:duplicates_command", N_("List entities that look alike.")),
    "merge": ("mapper.cli.io:merge_command", N_("Merge one entity into another.")),
    "unmerge": ("mapper.cli.io:unmerge_command", N_("Undo a merge.")),
    "user": ("mapper.cli.users:user", N_("Manage accounts and their roles.")),
    "privacy": ("mapper.cli.privacy:privacy", N_("Access and erasure requests; people to review.")),
    "migrate": ("mapper.cli.migrate:migrate", N_("Copy workspaces between stores.")),
    "warm-contacts": ("mapper.cli.warm:warm_contacts_command", N_("Rank warm contacts.")),
    "connectedness": (
        "mapper.cli.community:connectedness_cmd",
        N_("How connected a community is over time."),
    ),
    "goals": ("mapper.cli.community:goals_cmd", N_("A community's SMART goals and progress.")),
    "community-changes": (
        "mapper.cli.community:changes_cmd",
        N_("What changed in a community between two dates."),
    ),
    "invite": ("mapper.cli.invite:invite", N_("Make an invitation link for a theme.")),
    "calendar": ("mapper.cli.aandeslag:calendar_command", N_("The content calendar as .ics.")),
    "report": ("mapper.cli.aandeslag:report_command", N_("The report of a community.")),
    "add": ("mapper.cli.edit:add", N_("Add an entity.")),
    "tie": ("mapper.cli.edit:tie", N_("Add a tie between two entities.")),
    "end-tie": ("mapper.cli.edit:end_tie", N_("End a tie on a date.")),
    "edit": ("mapper.cli.edit:edit_entity", N_("Change an entity.")),
    "undo": ("mapper.cli.edit:undo", N_("Undo a change of the last hour.")),
}


def run_language(args: Sequence[str], environ: Any = None) -> str:
    """The language of a run: ``--lang`` before the command's name, else the environment.

    >>> run_language(["--lang", "nl", "info"]), run_language(["--lang=en"], {"LANG": "nl_NL"})
    ('nl', 'en')
    >>> run_language(["report", "--lang", "en"], {"MAPPER_LANGUAGE": "nl"})
    'nl'
    """
    items = list(args)
    for i, arg in enumerate(items):
        if arg == "--lang" and i + 1 < len(items):
            if items[i + 1] in LANGUAGES:
                return items[i + 1]
            break
        if arg.startswith("--lang="):
            if arg.split("=", 1)[1] in LANGUAGES:
                return arg.split("=", 1)[1]
            break
        if not arg.startswith("-"):
            break  # the command's name: its own --lang (a report's) is not the run's
    return environment_language(environ)


class MapperGroup(LazyGroup):
    """The ``mapper`` group: one language for the whole run, library errors as one line in
    it (exit status 1), and commands imported on use."""

    def main(self, args: Sequence[str] | None = None, *a: Any, **kw: Any) -> Any:
        import sys

        speak_click()
        given = list(sys.argv[1:] if args is None else args)
        with use_language(run_language(given)):
            return super().main(given, *a, **kw)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MapperError as exc:
            raise click.ClickException(str(exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            if is_disk_full(exc):
                raise click.ClickException(gettext(DISK_FULL_MESSAGE)) from None
            raise


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .. import __version__

    shown = gettext("%(prog)s, version %(version)s")
    click.echo(shown % {"prog": ctx.find_root().info_name, "version": __version__})
    ctx.exit()


@click.group(cls=MapperGroup, lazy=COMMANDS)
@option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help=N_("Show the version and exit."),
)
@option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    expose_value=False,
    help="Language of the output: nl or en (default: MAPPER_LANGUAGE, else the locale).",
)
def main() -> None:
    """community-mapper: map a theme's local ecosystem, find warm contacts, and track how
    connected a community is over time.

    Example: mapper demo
    """


__all__ = ["COMMANDS", "MapperGroup", "main", "run_language"]
