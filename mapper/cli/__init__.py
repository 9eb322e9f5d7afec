"""The ``mapper`` command: thin over the library (``mapper.store``, ``mapper.analysis``).

Each area keeps its commands in its own module here, listed in ``COMMAND_MODULES``; shared
options live in :mod:`mapper.cli.options`. Library errors are shown as one clear line.
"""

from __future__ import annotations

import importlib
import sqlite3
from typing import Any

import click

from ..errors import DISK_FULL_MESSAGE, MapperError, is_disk_full


class MapperGroup(click.Group):
    """A group that turns library errors into one clear line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MapperError as exc:
            raise click.ClickException(str(exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            if is_disk_full(exc):
                raise click.ClickException(DISK_FULL_MESSAGE) from None
            raise


@click.group(cls=MapperGroup)
@click.version_option(package_name="community-mapper")
def main() -> None:
    """community-mapper: map a theme's local ecosystem, find warm contacts, and track how
    connected a community is over time.

    Example: mapper demo
    """


#: Modules that add commands to ``main``; each area adds its own line.
COMMAND_MODULES: list[str] = [
    "mapper.cli.core",
    "mapper.cli.io",
    "mapper.cli.users",
    "mapper.cli.migrate",
    "mapper.cli.warm",
    "mapper.cli.community",
    "mapper.cli.invite",
    "mapper.cli.aandeslag",
    "mapper.cli.edit",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name)
