"""Data in and out: import, export, templates, backup and restore, duplicates and merging."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..io import export as exporter
from ..io import kumu
from ..io.backup import backup as backup_workspace
from ..io.backup import restore as restore_workspace
from ..io.matching import find_duplicates
from ..io.merging import compare
from ..io.plan import ImportErrors, plan_import
from ..io.readers import Found, read_file
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


def _echo_plan(plan: Any) -> None:
    summary = plan.summary(limit=SHOWN)
    counts = summary["counts"]
    click.echo(f"format: {summary['format']}")
    for note in summary["notes"]:
        click.echo(f"note: {note}")
    for t in summary["types"]:
        word = "element" if t["part"] == "element" else "connection"
        if t["kind"]:
            click.echo(f"{word} type {t['type']!r} ({t['count']}×) → {t['kind']}")
        else:
            click.echo(
                f"{word} type {t['type']!r} ({t['count']}×): not known; say which kind it is "
                f"with --map '{t['type']}=KIND'"
            )
    for what in ("entities", "ties", "contacts"):
        parts = [
            f"{counts.get(f'{what}_{action}', 0)} {label}"
            for action, label in (
                ("create", "new"),
                ("update", "updated"),
                ("change", "changed"),
                ("match", "unchanged"),
            )
            if counts.get(f"{what}_{action}")
        ]
        click.echo(f"{what}: {', '.join(parts) or 'none'}")
    for action, label in (("create", "new"), ("update", "updated")):
        for item in summary["entities"].get(action, []):
            changes = f" ({', '.join(item['changes'])})" if item["changes"] else ""
            click.echo(f"  {label}: {item['kind']} {item['name']}{changes}")
    for item in summary["ties"].get("create", []):
        click.echo(f"  new tie: {item['kind']} {item['source']} → {item['target']}")
    for p in summary["proposals"]:
        names = ", ".join(f"{c['name']} ({c['id']})" for c in p["candidates"])
        click.echo(
            f"  maybe the same: {p['kind']} {p['name']!r} ({p['sheet']} row {p['row']}) ~ {names}"
        )
    for d in summary["file_duplicates"]:
        click.echo(f"  similar names in the file: {d['a']!r} / {d['b']!r} ({d['rows']})")
    for e in plan.errors:
        click.echo(f"error: {e}", err=True)


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
            f"database {path} does not exist; leave out --no-create to create it, "
            "or give the right file with --database"
        )
    found = _read(files)
    file = files[0]
    types = kumu.parse_mapping(mapping) if mapping else None
    store = None if new_file else open_from_options(url)
    try:
        exists = store is not None and any(w.slug == workspace for w in store.workspaces())
        if not exists and no_create:
            raise click.ClickException(
                f"workspace {workspace!r} does not exist; create it with "
                f"`mapper init-workspace {workspace}`, or leave out --no-create"
            )
        if not exists:
            # Plan into an empty workspace in memory first: a dry run, or a file with bad
            # rows, creates nothing (no file, no workspace).
            what = f"database {path} with workspace" if new_file else "workspace"
            probe = open_from_options(":memory:")
            try:
                probe.create_workspace(workspace)
                plan = _plan(
                    probe.workspace(workspace), found, file, accept_matches, dry_run, types
                )
            finally:
                probe.close()
            if dry_run:
                click.echo(f"dry run: nothing written; {what} {workspace!r} would be created")
                return
            store = store or open_from_options(url)
            store.create_workspace(workspace)
            click.echo(f"created: {what} {workspace!r}")
        assert store is not None
        plan = _plan(
            store.workspace(workspace), found, file, accept_matches, dry_run or exists, types
        )
        if dry_run:
            click.echo("dry run: nothing written")
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
        " + ".join(f.format for f in found),
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
        raise click.ClickException(f"{len(plan.errors)} bad row(s); nothing imported")
    return plan


def _apply(plan: Any) -> None:
    if plan.changes_nothing():
        click.echo("nothing to change")
        return
    with click.progressbar(length=1, label="importing", show_pos=True) as bar:

        def progress(done: int, total: int, what: str) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            result = plan.apply(progress=progress)
        except ImportErrors as exc:  # pragma: no cover - errors are caught above
            raise click.ClickException(str(exc)) from exc
    click.echo(
        "imported: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.items() if v)
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
            raise click.UsageError(f"cannot tell the format from {output.name!r}; give --format")
    exporter.export(ws.store, ws.slug, fmt, output, theme=theme)
    click.echo(f"written: {output} ({fmt})")


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
    click.echo(f"written: {file} ({fmt})")


@command("backup")
@with_workspace
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(ws, file: Path) -> None:  # type: ignore[no-untyped-def]
    """Back up a whole workspace with its history (JSON; gzip when FILE ends in .gz).

    Example: mapper backup rijnstad-2025-06-01.json.gz --workspace rijnstad
    """
    counts = backup_workspace(ws.store, ws.slug, file)
    click.echo(
        f"written: {file} ({counts['nodes']} entities, {counts['node_versions']} versions, "
        f"{counts['tie_versions']} tie versions, {counts['contacts']} contact moments)"
    )


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
    click.echo(
        f"restored: workspace {ws.slug!r} ({counts['ties']} ties, {counts['contacts']} contact moments)"
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
        click.echo(f"{a.kind.value}: {a.name} ({a.id})  ~  {b.name} ({b.id})  [{reason}]")
    if not found:
        click.echo("no duplicates found")


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
    click.echo(f"{'':14} {'keep':32} {'drop':32}")
    for row in cmp.fields:
        mark = " *" if row.differs else ""
        click.echo(f"{row.field:14} {_short(row.keep):32} {_short(row.drop):32}{mark}")
    for side, node in (("keep", cmp.keep), ("drop", cmp.drop)):
        ties = "; ".join(f"{t.kind} {t.other_name}" for t in cmp.ties[side]) or "none"
        click.echo(f"ties of {node.name} ({node.id}): {ties}")
        click.echo(f"sources of {node.name}: {'; '.join(cmp.sources[side]) or 'none'}")
    for line in cmp.consequences():
        click.echo(line)
    if not yes and not click.confirm("Merge?", default=False):
        raise click.ClickException("not merged")
    node = ws.merge_nodes(keep, drop)
    seq = ws.audit(entity=keep, action="merge", limit=1)[0].seq
    click.echo(f"merged into {node.name} ({node.id}); undo with: mapper unmerge {seq}")


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
    click.echo(f"{back.name} is back ({back.id}), apart from {kept.name} ({kept.id})")


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
