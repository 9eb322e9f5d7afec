"""Data in and out: import, export, templates, backup and restore, duplicates and merging."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..i18n import N_, _, format_number, gettext, ngettext
from ..io import export as exporter
from ..io import kumu
from ..io.backup import backup as backup_workspace
from ..io.backup import restore as restore_workspace
from ..io.found import FileFormat, Found
from ..io.matching import find_duplicates
from ..io.merging import compare
from ..io.plan import ImportErrors, plan_import
from ..io.readers import read_file
from ..labels import IMPORT_ACTION_LABELS, label
from ..store import is_neo4j_url, sqlite_path
from .base import command, option
from .options import (
    database_option,
    open_from_options,
    resolve_url,
    with_workspace,
    workspace_option,
)

#: How many examples of each kind of change the import report lists.
SHOWN = 10


#: Headings of the import plan's counts.
WHAT_WORDS: dict[str, str] = {
    "entities": N_("entities"),
    "ties": N_("ties"),
    "contacts": N_("contact moments"),
}


def _kind(code: str | None) -> str:
    """A kind of entity or of tie, as people read it."""
    if not code:
        return ""
    word = label(code, "kind")
    return word if word != code else label(code, "rel")


def _echo_plan(plan: Any) -> None:
    summary = plan.summary(limit=SHOWN)
    counts = summary["counts"]
    click.echo(_("format: {format}").format(format=summary["format"]))
    for note in summary["notes"]:
        click.echo(_("note: {note}").format(note=note))
    for t in summary["types"]:
        values = {"type": t["type"], "count": format_number(t["count"]), "kind": _kind(t["kind"])}
        if t["kind"]:
            if t["part"] == "element":
                line = _("element type {type!r} ({count}×) → {kind}")
            else:
                line = _("connection type {type!r} ({count}×) → {kind}")
        elif t["part"] == "element":
            line = _(
                "element type {type!r} ({count}×): not known; say which kind it is with "
                "--map '{type}=KIND'"
            )
        else:
            line = _(
                "connection type {type!r} ({count}×): not known; say which kind it is with "
                "--map '{type}=KIND'"
            )
        click.echo(line.format(**values))
    for what, heading in WHAT_WORDS.items():
        parts = [
            f"{format_number(counts[f'{what}_{action}'])} {label(action, 'import_action')}"
            for action in IMPORT_ACTION_LABELS
            if counts.get(f"{what}_{action}")
        ]
        click.echo(f"{gettext(heading)}: {', '.join(parts) or _('none')}")
    for action in ("create", "update"):
        word = label(action, "import_action")
        for item in summary["entities"].get(action, []):
            changes = f" ({', '.join(item['changes'])})" if item["changes"] else ""
            click.echo(f"  {word}: {_kind(item['kind'])} {item['name']}{changes}")
    for item in summary["ties"].get("create", []):
        click.echo(
            "  "
            + _("new tie: {source} {kind} {target}").format(
                kind=_kind(item["kind"]), source=item["source"], target=item["target"]
            )
        )
    for p in summary["proposals"]:
        names = ", ".join(f"{c['name']} ({c['id']})" for c in p["candidates"])
        click.echo(
            "  "
            + _("maybe the same: {kind} {name!r} ({sheet} row {row}) ~ {names}").format(
                kind=_kind(p["kind"]), name=p["name"], sheet=p["sheet"], row=p["row"], names=names
            )
        )
    for d in summary["file_duplicates"]:
        click.echo(
            "  "
            + _("similar names in the file: {a!r} / {b!r} ({rows})").format(
                a=d["a"], b=d["b"], rows=d["rows"]
            )
        )
    for e in plan.errors:
        click.echo(_("error: {error}").format(error=e), err=True)


@command("import")
@database_option
@workspace_option
@click.argument(
    "files",
    metavar="FILE...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@option("--dry-run", is_flag=True, help="Only show what would be created, updated and matched.")
@option(
    "--accept-matches",
    is_flag=True,
    help="Treat every proposed near-duplicate as the existing entity (default: new).",
)
@option(
    "--map",
    "mapping",
    multiple=True,
    metavar="TYPE=KIND",
    help="Kumu/Gephi type to kind, e.g. --map Company=organisatie --map Personal=kent "
    "(remembered for the next import; obvious names map by themselves).",
)
@option(
    "--no-create",
    is_flag=True,
    help="Refuse to create the database file or the workspace when they do not exist yet.",
)
def import_command(
    database: str | None,
    workspace: str,
    files: tuple[Path, ...],
    dry_run: bool,
    accept_matches: bool,
    mapping: tuple[str, ...],
    no_create: bool,
) -> None:
    """Import a scan from XLSX, CSV (Dutch Excel or UTF-8), a zip of CSVs, GraphML or GEXF,
    a Kumu workbook, or a CSV pair (Gephi nodes and edges, Kumu elements and connections).

    Writes all or nothing; bad rows are all listed with sheet, row and column. Importing the
    same file again changes nothing. A database file or workspace that does not exist yet is
    created (and the import says so), unless --no-create is given.

    Example: mapper import omgevingsscan.xlsx --dry-run --workspace rijnstad
    """
    url = resolve_url(database)
    path = None if is_neo4j_url(url) else sqlite_path(url)
    new_file = path is not None and path != ":memory:" and not Path(path).exists()
    if new_file and no_create:
        raise click.ClickException(
            _(
                "database {path} does not exist; leave out --no-create to create it, "
                "or give the right file with --database"
            ).format(path=path)
        )
    found = _read(files)
    file = files[0]
    types = kumu.parse_mapping(mapping) if mapping else None
    store = None if new_file else open_from_options(url)
    try:
        exists = store is not None and any(w.slug == workspace for w in store.workspaces())
        if not exists and no_create:
            raise click.ClickException(
                _(
                    "workspace {name!r} does not exist; create it with "
                    "`mapper init-workspace {name}`, or leave out --no-create"
                ).format(name=workspace)
            )
        if not exists:
            # Plan into an empty workspace in memory first: a dry run, or a file with bad
            # rows, creates nothing (no file, no workspace).
            if new_file:
                what = _("database {path} with workspace {name!r}").format(
                    path=path, name=workspace
                )
            else:
                what = _("workspace {name!r}").format(name=workspace)
            probe = open_from_options(":memory:")
            try:
                probe.create_workspace(workspace)
                plan = _plan(
                    probe.workspace(workspace), found, file, accept_matches, dry_run, types
                )
            finally:
                probe.close()
            if dry_run:
                click.echo(_("dry run: nothing written; {what} would be created").format(what=what))
                return
            store = store or open_from_options(url)
            store.create_workspace(workspace)
            click.echo(_("created: {what}").format(what=what))
        assert store is not None
        plan = _plan(
            store.workspace(workspace), found, file, accept_matches, dry_run or exists, types
        )
        if dry_run:
            click.echo(_("dry run: nothing written"))
            return
        _apply(plan)
        if types:
            kumu.remember(store, workspace, types)
    finally:
        if store is not None:
            store.close()


def _read(files: tuple[Path, ...]) -> Found:
    """The tables of one file, or of several read as one (Gephi's nodes and edges CSV pair,
    Kumu's elements and connections CSV files)."""
    found = [read_file(f) for f in files]
    if len(found) == 1:
        return found[0]
    return Found(
        FileFormat(
            "files", parts=tuple(f.format for f in found if isinstance(f.format, FileFormat))
        ),
        [t for f in found for t in f.tables],
        [n for f in found for n in f.notes],
    )


def _plan(
    ws: Any, found: Any, file: Path, accept_matches: bool, show: bool, types: Any = None
) -> Any:
    """Plan the import into ``ws``; shown when ``show``; ClickException on bad rows."""
    if types is not None:  # merged over the remembered mapping
        types = kumu.merged(kumu.remembered(ws.store.get_workspace(ws.slug).settings), types)
    plan = plan_import(ws.store, ws.slug, found, origin=f"import {file.name}", type_mapping=types)
    if accept_matches:
        plan.decide({p.token: p.candidates[0].id for p in plan.proposals})
    if show or plan.errors:
        _echo_plan(plan)
    if plan.errors:
        n = len(plan.errors)
        raise click.ClickException(
            ngettext("{n} bad row; nothing imported", "{n} bad rows; nothing imported", n).format(
                n=format_number(n)
            )
        )
    return plan


def _apply(plan: Any) -> None:
    if plan.changes_nothing():
        click.echo(_("nothing to change"))
        return
    with click.progressbar(length=1, label=_("importing"), show_pos=True) as bar:

        def progress(done: int, total: int, what: str) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            result = plan.apply(progress=progress)
        except ImportErrors as exc:  # pragma: no cover - errors are caught above
            raise click.ClickException(str(exc)) from exc
    click.echo(_("imported: {counts}").format(counts=_result_list(result)))


#: Words of an import's result counts (``Plan.apply``).
RESULT_WORDS: dict[str, str] = {
    "entities_created": N_("entities created"),
    "entities_updated": N_("entities updated"),
    "ties_created": N_("ties created"),
    "ties_changed": N_("ties changed"),
    "contacts_created": N_("contact moments created"),
}


def _result_list(result: dict[str, int]) -> str:
    return ", ".join(
        f"{gettext(RESULT_WORDS[k]) if k in RESULT_WORDS else k.replace('_', ' ')} "
        f"{format_number(v)}"
        for k, v in result.items()
        if v
    )


@command("export")
@with_workspace
@option(
    "--format",
    "fmt",
    type=click.Choice(list(exporter.FORMATS)),
    default=None,
    help="File format (default: from the file's ending; .zip is csv).",
)
@option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write.",
)
@option("--theme", default=None, help="Only this theme's scan (name or id).")
def export_command(ws, fmt: str | None, output: Path, theme: str | None) -> None:  # type: ignore[no-untyped-def]
    """Export the workspace (or one theme's scan) as csv (zip), xlsx, graphml, gexf, json, or
    kumu (an XLSX with Kumu's Elements and Connections sheets).

    Example: mapper export --format gexf -o rijnstad.gexf --theme duurzaamheid
    """
    if fmt is None:
        by_ending = {v: k for k, v in exporter.FORMATS.items()}
        fmt = by_ending.get(output.suffix.lower())
        if fmt is None:
            raise click.UsageError(
                _("cannot tell the format from {name!r}; give --format").format(name=output.name)
            )
    exporter.export(ws.store, ws.slug, fmt, output, theme=theme)
    click.echo(_("written: {file} ({format})").format(file=output, format=fmt))


@command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default=None,
    help="xlsx (one workbook) or csv (a zip of CSV files); default from the ending.",
)
def template_command(file: Path, fmt: str | None) -> None:
    """Write the empty templates (werkblad 3, relations, activities, contact moments).

    Example: mapper template omgevingsscan.xlsx
    """
    fmt = fmt or ("csv" if file.suffix.lower() == ".zip" else "xlsx")
    exporter.write_templates(fmt, file)
    click.echo(_("written: {file} ({format})").format(file=file, format=fmt))


@command("backup")
@with_workspace
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(ws, file: Path) -> None:  # type: ignore[no-untyped-def]
    """Back up a whole workspace with its history (JSON; gzip when FILE ends in .gz).

    Example: mapper backup rijnstad-2025-06-01.json.gz --workspace rijnstad
    """
    counts = backup_workspace(ws.store, ws.slug, file)
    parts = [
        ngettext("{n} entity", "{n} entities", counts["nodes"]),
        ngettext("{n} version", "{n} versions", counts["node_versions"]),
        ngettext("{n} tie version", "{n} tie versions", counts["tie_versions"]),
        ngettext("{n} contact moment", "{n} contact moments", counts["contacts"]),
    ]
    numbers = (counts["nodes"], counts["node_versions"], counts["tie_versions"], counts["contacts"])
    shown = ", ".join(p.format(n=format_number(n)) for p, n in zip(parts, numbers))
    click.echo(_("written: {file} ({format})").format(file=file, format=shown))


@command("restore")
@database_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option(
    "--workspace",
    default=None,
    help="Restore under this name (default: the name in the backup; it must not exist).",
)
def restore_command(database: str | None, file: Path, workspace: str | None) -> None:
    """Restore a workspace from a backup into a new workspace, exactly as it was.

    Example: mapper restore rijnstad-2025-06-01.json.gz --workspace rijnstad-kopie
    """
    store = open_from_options(database)
    try:
        ws = restore_workspace(store, file, workspace=workspace)
        counts = ws.counts()
    finally:
        store.close()
    ties = ngettext("{n} tie", "{n} ties", counts["ties"]).format(n=format_number(counts["ties"]))
    contacts = ngettext("{n} contact moment", "{n} contact moments", counts["contacts"]).format(
        n=format_number(counts["contacts"])
    )
    click.echo(
        _("restored: workspace {name!r} ({ties}, {contacts})").format(
            name=ws.slug, ties=ties, contacts=contacts
        )
    )


@command("duplicates")
@with_workspace
def duplicates_command(ws) -> None:  # type: ignore[no-untyped-def]
    """List entities that look like duplicates (merge them with `mapper merge`).

    Example: mapper duplicates --workspace rijnstad
    """
    found = 0
    for a, b, reason in find_duplicates(ws.nodes(), ties=ws.ties()):
        found += 1
        why = label(reason, "duplicate_reason")
        click.echo(f"{label(a.kind)}: {a.name} ({a.id})  ~  {b.name} ({b.id})  [{why}]")
    if not found:
        click.echo(_("no duplicates found"))


@command("merge")
@with_workspace
@click.argument("keep")
@click.argument("drop")
@option("--yes", is_flag=True, help="Merge without asking (after showing what happens).")
def merge_command(ws, keep: str, drop: str, yes: bool) -> None:  # type: ignore[no-untyped-def]
    """Merge entity DROP into KEEP (ids): shows both side by side and what the merge does,
    asks, then keeps all ties, contact moments and history. `mapper unmerge` undoes it.

    Example: mapper merge per-3f9a0c1b2d4e per-77aa01c2d3e4
    """
    cmp = compare(ws, keep, drop)
    click.echo(f"{'':14} {_('keep'):32} {_('drop'):32}")
    for row in cmp.fields:
        mark = " *" if row.differs else ""
        click.echo(f"{row.field:14} {_short(row.keep):32} {_short(row.drop):32}{mark}")
    for side, node in (("keep", cmp.keep), ("drop", cmp.drop)):
        ties = "; ".join(f"{_kind(str(t.kind))} {t.other_name}" for t in cmp.ties[side])
        sources = "; ".join(cmp.sources[side])
        click.echo(
            _("ties of {name} ({id}): {ties}").format(
                name=node.name, id=node.id, ties=ties or _("none")
            )
        )
        click.echo(
            _("sources of {name}: {sources}").format(name=node.name, sources=sources or _("none"))
        )
    for line in cmp.consequences():
        click.echo(line)
    if not yes and not click.confirm(_("Merge?"), default=False):
        raise click.ClickException(_("not merged"))
    node = ws.merge_nodes(keep, drop)
    seq = ws.audit(entity=keep, action="merge", limit=1)[0].seq
    click.echo(
        _("merged into {name} ({id}); undo with: mapper unmerge {seq}").format(
            name=node.name, id=node.id, seq=seq
        )
    )


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 30 else text[:29] + "…"


@command("unmerge")
@with_workspace
@click.argument("merge", type=int)
def unmerge_command(ws, merge: int) -> None:  # type: ignore[no-untyped-def]
    """Undo a merge (its number is shown by `mapper merge` and in the history): the merged
    entity comes back with its own ties and contact moments.

    Example: mapper unmerge 412
    """
    kept, back = ws.unmerge_nodes(merge)
    click.echo(
        _("{name} is back ({id}), apart from {kept} ({kept_id})").format(
            name=back.name, id=back.id, kept=kept.name, kept_id=kept.id
        )
    )


__all__ = [
    "import_command",
    "export_command",
    "template_command",
    "backup_command",
    "restore_command",
    "duplicates_command",
    "merge_command",
    "unmerge_command",
]
