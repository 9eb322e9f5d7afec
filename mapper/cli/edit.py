"""Making the map from the command line: ``mapper add``, ``mapper tie``, ``mapper end-tie``,
``mapper edit`` and ``mapper undo`` — thin over :mod:`mapper.services.edit`, with the same
rules as the worksheet forms. Into a store or workspace that does not exist yet, they make
it first."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import click

from ..errors import NotFoundError
from ..i18n import N_, _, gettext
from ..labels import label
from ..services import edit
from ..services.edit import UNSET
from ..store import Workspace
from .base import command, option
from .options import database_option, open_from_options, workspace_option

#: Keys of ``--set`` that are fields of the entity itself, not details.
ENTITY_FIELDS = ("name", "since", "until", "origin")


def with_new_workspace(func: Callable[..., Any]) -> Callable[..., Any]:
    """Give the command a ``ws``, making the store and the workspace when they are new."""

    @database_option
    @workspace_option
    @functools.wraps(func)
    def wrapper(*args: Any, database: str | None, workspace: str, **kwargs: Any) -> Any:
        store = open_from_options(database)
        try:
            try:
                ws = store.workspace(workspace)
            except NotFoundError:
                ws = store.create_workspace(workspace, workspace.replace("-", " ").title())
                click.echo(_("workspace {name!r} created").format(name=workspace), err=True)
            return func(*args, ws=ws, **kwargs)
        finally:
            store.close()

    return wrapper


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="Print a line of text, or a JSON object with at least `id`.",
    )(func)


def parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                _("{item!r} is not key=value").format(item=item), param_hint="--set"
            )
        out[key.strip()] = value
    return out


def report(ws: Workspace, change: edit.Change, fmt: str, done: str) -> None:
    """What a change did: ``done`` is a message id with ``{what}`` (``"added {what}"``)."""
    if fmt == "json":
        data = change.as_json()
        if change.nodes:
            node = ws.get_node(change.nodes[0].id)
            data.update(kind=node.kind.value, name=node.name, version=node.version)
        elif change.ties:
            tie = ws.get_tie(change.ties[0].id)
            data.update(
                kind=tie.kind.value,
                source=tie.source,
                target=tie.target,
                strength=tie.strength,
                since=tie.since.isoformat() if tie.since else None,
                until=tie.until.isoformat() if tie.until else None,
                version=tie.version,
            )
        click.echo(json.dumps(data, ensure_ascii=False, sort_keys=True))
        return
    if change.seq is None:
        click.echo(_("nothing changed: {what}").format(what=f"{change.label} ({change.main_id})"))
        return
    extra = [f"{label(t.kind)} {t.id}" for t in change.ties if t.id != change.main_id]
    line = gettext(done).format(what=f"{change.label} ({change.main_id})")
    if extra:
        line += "; " + _("ties: {ties}").format(ties=", ".join(extra))
    click.echo(
        line
        + "; "
        + _("change {seq} (undo within the hour: mapper undo {seq})").format(seq=change.seq)
    )


@command("add")
@with_new_workspace
@click.argument("kind")
@click.argument("name")
@option("--theme", metavar="THEME", help="Theme (id or exact name) it is active on / about.")
@option("--strength", metavar="STEP", help="How active on the theme: a step 1–5, its word, or 0–1.")
@option("--bond", is_flag=True, help="It has a bond with the library.")
@option("--bond-strength", metavar="STEP", help="Strength of the bond.")
@option("--bond-holder", metavar="WHO", help="Staff member holding the bond (default the library).")
@option("--library-theme", is_flag=True, help="For a theme: the library works on it.")
@option("--channel", "channels", multiple=True, metavar="CHANNEL", help="Active in this channel.")
@option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="A detail (description, lawful_basis, data_source, mode, …), or since/origin.",
)
@format_option
def add(
    ws: Workspace,
    kind: str,
    name: str,
    theme: str | None,
    strength: str | None,
    bond: bool,
    bond_strength: str | None,
    bond_holder: str | None,
    library_theme: bool,
    channels: tuple[str, ...],
    sets: tuple[str, ...],
    fmt: str,
) -> None:  # noqa: E501
    """Add an entity (KIND: the model's name or its Dutch word, any case).

    Example: mapper add organisatie "Repair Café Noord" --theme duurzaamheid --bond --set mode=offline
    """
    details = parse_sets(sets)
    since = details.pop("since", None)
    origin = details.pop("origin", None)
    change = edit.add_entity(
        ws,
        kind,
        name,
        details=details,
        since=since,
        origin=origin,
        theme=theme,
        theme_strength=strength,
        channels=channels,
        bond=bond,
        bond_holder=bond_holder,
        bond_strength=bond_strength,
        library_theme=library_theme,
    )
    report(ws, change, fmt, N_("added {what}"))


@command("tie")
@with_new_workspace
@click.argument("kind")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@option("--strength", metavar="STEP|0..1", help="A step 1–5 or its word (sterk), or 0–1.")
@option("--since", metavar="DATE", help="From this day (YYYY-MM-DD; default today).")
@option("--role", help="Role on the tie (member, ambassador, lid, …).")
@format_option
def tie(
    ws: Workspace,
    kind: str,
    source: str,
    target: str,
    strength: str | None,
    since: str | None,
    role: str | None,
    fmt: str,
) -> None:  # noqa: E501
    """Add a tie KIND (model name or Dutch words) between FROM and TO (ids or exact names).

    Example: mapper tie kent "Fatma Yılmaz" "Jan de Vries" --strength sterk
    """
    change = edit.add_tie(ws, kind, source, target, strength=strength, since=since, role=role)
    report(ws, change, fmt, N_("tie added: {what}"))


@command("end-tie")
@with_new_workspace
@click.argument("tie_id", metavar="ID")
@option("--on", "on", required=True, metavar="DATE", help="The first day it no longer holds.")
@format_option
def end_tie(ws: Workspace, tie_id: str, on: str, fmt: str) -> None:
    """End a tie on a date (it stays in the history).

    Example: mapper end-tie tie-3f9a0c1b2d4e --on 2026-12-01
    """
    report(ws, edit.end_tie(ws, tie_id, on=on), fmt, N_("tie ended: {what}"))


@command("edit")
@with_new_workspace
@click.argument("entity_id", metavar="ID")
@option(
    "--set",
    "sets",
    multiple=True,
    required=True,
    metavar="KEY=VALUE",
    help="name, since, until, origin, or a detail; an empty value removes a detail.",
)
@format_option
def edit_entity(ws: Workspace, entity_id: str, sets: tuple[str, ...], fmt: str) -> None:
    """Change an entity (a new version; the old one stays in the history).

    Example: mapper edit per-3f9a0c1b2d4e --set lawful_basis=consent --set data_source="gesprek"
    """
    values = parse_sets(sets)
    node = edit.resolve(ws, entity_id)
    fields = {k: values.pop(k) for k in ENTITY_FIELDS if k in values}
    change = edit.update_entity(
        ws,
        node.id,
        name=fields.get("name", UNSET),
        details=values,
        since=fields.get("since", UNSET),
        until=fields.get("until", UNSET),
        origin=fields.get("origin", UNSET),
    )
    report(ws, change, fmt, N_("changed {what}"))


@command("undo")
@with_new_workspace
@click.argument("change_id", metavar="CHANGE", type=int)
@format_option
def undo(ws: Workspace, change_id: int, fmt: str) -> None:
    """Undo a change of the last hour made from this account (writes the reverse).

    Example: mapper undo 42
    """
    change = edit.undo(ws, change_id)
    if fmt == "json":
        click.echo(json.dumps({"id": change_id, "undone": change_id, "label": change.label}))
    else:
        click.echo(_("undone: change {seq} ({what})").format(seq=change_id, what=change.label))
