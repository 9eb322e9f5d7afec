"""Exports: a workspace, or one theme's scan, as CSV (a zip of the template CSVs), XLSX (in
the templates' shape, so it can be edited and imported back), GraphML, GEXF (dynamic, so
Gephi's timeline plays the history) or JSON; and the empty templates.

Graph files carry the attribute names ``kind``, ``name``, ``strength``, ``since``,
``until`` (plus ``role``, ``origin``, ``props`` as JSON text), with kinds as the model names
them (``Person``, ``KNOWS``); dates are ISO text.

Examples
--------
>>> import io, networkx as nx
>>> from mapper.store import SQLiteStore
>>> store = SQLiteStore(":memory:")
>>> ws = store.create_workspace("demo")
>>> jan = ws.add_node("Person", "Jan de Vries", id="per-jan")
>>> theme = ws.add_node("Theme", "duurzaamheid", id="thm-duur")
>>> _ = ws.add_tie("ACTIVE_ON", jan.id, theme.id, strength=0.6, id="tie-1")
>>> out = io.BytesIO()
>>> export(store, "demo", "graphml", out)
>>> g = nx.read_graphml(io.BytesIO(out.getvalue()), force_multigraph=True)
>>> g.nodes["per-jan"]["name"], g.edges["per-jan", "thm-duur", "tie-1"]["strength"]
('Jan de Vries', 0.6)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import networkx as nx

from ..errors import NotFoundError, ValidationError
from ..i18n import use_language
from ..labels import label
from ..model import Contact, Node, NodeKind, RelKind, Tie
from ..store.base import Store, fold
from .cells import is_formula_like, neutralise, strip_controls
from .readers import BOM
from .templates import (
    CONTACT_MODE_DUTCH,
    NODE_KIND_DUTCH,
    REL_KIND_DUTCH,
    SHEETS,
    Sheet,
    activities_cell,
)
from .values import format_strength

#: Export formats and their file endings.
FORMATS: dict[str, str] = {
    "csv": ".zip",
    "xlsx": ".xlsx",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "json": ".json",
    "kumu": "-kumu.xlsx",  # Kumu's Elements and Connections sheets (mapper.io.kumu)
}
MIMETYPES: dict[str, str] = {
    "csv": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "json": "application/json",
    "kumu": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Properties written in their own template columns rather than in ``overige gegevens``.
COLUMN_PROPS = ("notes", "mode")
#: Kinds listed on the ``Individuen en organisaties`` sheet.
ENTITY_KINDS = (NodeKind.PERSON, NodeKind.ORGANISATION)
#: Characters that would split a name in a list cell.
LIST_SEPARATORS = (";", ",", "\n")
#: Tie kinds that bring a theme member's neighbours into the theme's scan.
SCAN_REACH = frozenset(
    {RelKind.ORGANISES, RelKind.ACTIVE_IN, RelKind.BOND_WITH, RelKind.MEMBER_OF, RelKind.ABOUT}
)


@dataclass
class Selection:
    """What an export holds: nodes, the current ties among them, every version of those ties,
    and the contact moments among them."""

    workspace: str
    name: str
    theme: Node | None
    nodes: list[Node]
    ties: list[Tie]
    history: list[Tie]
    contacts: list[Contact]


def select(store: Store, workspace: str, *, theme: str | None = None) -> Selection:
    """The whole workspace, or one theme's scan: the theme, everything with a tie to it, and
    those entities' activities, channels, organisations and bonds with the library.

    ``theme`` is a theme's id or name. NotFoundError when there is no such theme.
    """
    info = store.get_workspace(workspace)
    nodes = {n.id: n for n in store.nodes(workspace)}
    focus = None
    if theme is not None:
        focus = nodes.get(theme)
        if focus is None or focus.kind is not NodeKind.THEME:
            focus = store.lookup(workspace, theme, kind=NodeKind.THEME)
        current = list(store.ties(workspace))
        members = {focus.id}
        for t in current:
            if focus.id in (t.source, t.target):
                members.add(t.other(focus.id))
        keep = set(members)
        for t in current:
            if t.kind in SCAN_REACH:
                if t.source in members:
                    keep.add(t.target)
                if t.target in members:
                    keep.add(t.source)
        nodes = {i: n for i, n in nodes.items() if i in keep}
    history = [
        t for t in store.ties(workspace, history=True) if t.source in nodes and t.target in nodes
    ]
    ties = [t for t in history if t.current]
    contacts = [c for c in store.contacts(workspace) if c.a in nodes and c.b in nodes]
    ordered = sorted(nodes.values(), key=lambda n: (n.kind.value, fold(n.name), n.id))
    return Selection(workspace, info.name, focus, ordered, ties, history, contacts)


# --------------------------------------------------------------------------- template rows


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _dutch(code: str | None, category: str) -> str:
    """A code as its Dutch word (mapper.labels), as the Dutch templates name it: ``volunteer``
    → ``vrijwilliger``. The import reads these words back to the same code."""
    if not code:
        return ""
    with use_language("nl"):
        return label(code, category)


def _extra(props: dict[str, Any]) -> str:
    rest = {k: v for k, v in props.items() if k not in COLUMN_PROPS}
    return json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else ""


def template_rows(selection: Selection) -> dict[str, list[list[Any]]]:
    """The selection as rows of every template sheet (header order), by sheet key.

    Names appear in list cells (themes, channels, activities) for reading; every tie is also a
    row of ``Relaties`` with its id, which is what an import goes by.
    """
    nodes = {n.id: n for n in selection.nodes}
    name_count: dict[str, int] = defaultdict(int)
    for n in selection.nodes:
        name_count[fold(n.name)] += 1

    def ref(node_id: str) -> str:
        node = nodes[node_id]
        return node.name if name_count[fold(node.name)] == 1 else node.id

    def listed(ids: Iterable[str]) -> str:
        names = sorted(
            {ref(i) for i in ids if not any(s in ref(i) for s in LIST_SEPARATORS)}, key=fold
        )
        return "; ".join(names)

    out: dict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    bond: dict[str, Tie] = {}
    for t in selection.ties:
        s, g = nodes[t.source], nodes[t.target]
        if t.kind is RelKind.ACTIVE_ON or t.kind is RelKind.ABOUT:
            out[s.id]["themes"].append(g.id)
        elif t.kind is RelKind.ACTIVE_IN:
            column = "online" if g.props.get("mode") == "online" else "offline"
            if s.kind is NodeKind.ACTIVITY:
                column = "channels"
            out[s.id][column].append(g.id)
        elif t.kind is RelKind.ORGANISES:
            out[s.id]["activities"].append(g.id)
            out[g.id]["organisers"].append(s.id)
        elif t.kind is RelKind.BOND_WITH:
            if s.kind is NodeKind.LIBRARY:
                bond.setdefault(g.id, t)
            else:
                out[g.id]["bond_staff"].append(s.id)
    rows: dict[str, list[list[Any]]] = {key: [] for key in SHEETS}
    for n in selection.nodes:
        cells = out[n.id]
        notes = n.props.get("notes", "")
        if n.kind in ENTITY_KINDS:
            b = bond.get(n.id)
            rows["entities"].append(
                [
                    n.id,
                    NODE_KIND_DUTCH[n.kind],
                    n.name,
                    listed(cells["online"]),
                    listed(cells["offline"]),
                    activities_cell(n.kind, listed(cells["activities"])),
                    listed(cells["themes"]),
                    "ja" if b else "",
                    format_strength(b.strength) if b else "",
                    listed(cells["bond_staff"]),
                    notes,
                    _extra(n.props),
                ]
            )
        elif n.kind is NodeKind.ACTIVITY:
            rows["activities"].append(
                [
                    n.id,
                    n.name,
                    listed(cells["themes"]),
                    listed(cells["organisers"]),
                    listed(cells["channels"]),
                    _d(n.since),
                    _d(n.until),
                    notes,
                    _extra(n.props),
                ]
            )
        else:
            rows["others"].append(
                [
                    n.id,
                    NODE_KIND_DUTCH[n.kind],
                    n.name,
                    _dutch(n.props.get("mode"), "channel_mode"),
                    _d(n.since),
                    _d(n.until),
                    notes,
                    _extra(n.props),
                ]
            )
    for t in sorted(selection.ties, key=lambda t: (t.kind.value, fold(nodes[t.source].name), t.id)):
        rows["ties"].append(
            [
                t.id,
                ref(t.source),
                ref(t.target),
                REL_KIND_DUTCH[t.kind],
                format_strength(t.strength),
                _d(t.since),
                _d(t.until),
                _dutch(t.role, "role"),
                t.origin or "",
                json.dumps(t.props, ensure_ascii=False, sort_keys=True) if t.props else "",
            ]
        )
    for c in selection.contacts:
        rows["contacts"].append(
            [
                c.id,
                c.on.isoformat(),
                ref(c.a),
                ref(c.b),
                CONTACT_MODE_DUTCH.get(c.mode or "", c.mode or ""),
                c.notes or "",
                c.outcome or "",
            ]
        )
    return rows


def example_rows() -> dict[str, list[list[Any]]]:
    """The rows of the empty templates: one or two filled-in examples per sheet."""
    return {key: [list(r) for r in sheet.example] for key, sheet in SHEETS.items()}


# --------------------------------------------------------------------------- writers


def write_csv_zip(rows: dict[str, list[list[Any]]], out: IO[bytes]) -> None:
    """A zip with one CSV per sheet, as Dutch Excel reads them: semicolons, UTF-8 with BOM."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for key, sheet in SHEETS.items():
            buffer = io.StringIO(newline="")
            writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
            writer.writerow(sheet.headers)
            # formulas neutralised (a leading '), control characters dropped: see cells.py
            writer.writerows(
                [neutralise(strip_controls(v)) for v in row] for row in rows.get(key, [])
            )
            zf.writestr(sheet.filename, BOM + buffer.getvalue().encode("utf-8"))
        zf.writestr("LEESMIJ.txt", _readme().encode("utf-8"))


def write_xlsx(rows: dict[str, list[list[Any]]], out: IO[bytes]) -> None:
    """An Excel workbook with one worksheet per template sheet and an ``Uitleg`` sheet.

    Every cell is written as text, so strengths read back exactly (``1.0`` stays full
    strength, never step 1) and ids and dates are not reformatted by Excel; a cell that would
    start a formula is text with Excel's quote prefix (never evaluated, read back unchanged),
    and control characters are dropped (see :mod:`mapper.io.cells`).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")

    def header(ws: Any, titles: list[str]) -> list[Any]:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(ws, value=title)
            cell.font, cell.fill = bold, fill
            cells.append(cell)
        return cells

    for key, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet.title)
        ws.freeze_panes = "A2"
        for i, column in enumerate(sheet.columns):
            letter = chr(ord("A") + i)
            ws.column_dimensions[letter].width = max(10, min(40, len(column.header) + 6))
        ws.append(header(ws, sheet.headers))
        for row in rows.get(key, []):
            ws.append([_text_cell(ws, v, WriteOnlyCell) for v in row])
    help_ws = wb.create_sheet("Uitleg")
    for letter, width in (("A", 28), ("B", 28), ("C", 70)):
        help_ws.column_dimensions[letter].width = width
    help_ws.append(header(help_ws, ["werkblad", "kolom", "uitleg"]))
    for sheet in SHEETS.values():
        for column in sheet.columns:
            help_ws.append([sheet.title, column.header, column.help])
    wb.save(out)


def _text_cell(ws: Any, value: Any, make: Any) -> Any:
    text = "" if value is None else strip_controls(str(value))
    if not is_formula_like(text):
        return text
    cell = make(ws, value=text)
    cell.data_type = "s"  # text, not a formula
    cell.quotePrefix = True
    return cell


def _readme() -> str:
    lines = ["Sjablonen voor de omgevingsscan (community-mapper).", ""]
    for sheet in SHEETS.values():
        lines.append(f"{sheet.filename}: {sheet.title}")
        for column in sheet.columns:
            lines.append(f"  {column.header}: {column.help}")
        lines.append("")
    lines.append("Sterkte: 1–5 (vluchtig, zwak, redelijk, sterk, zeer sterk) of een getal 0–1.")
    return "\n".join(lines) + "\n"


def _graph_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_graph(selection: Selection, *, dynamic: bool = False) -> nx.MultiDiGraph:
    """The selection as a networkx ``MultiDiGraph`` ready for GraphML or GEXF.

    Nodes carry ``kind``, ``name`` (and ``label``), ``since``/``until`` when known and
    ``props`` (JSON text) when not empty; edges are keyed by tie id and carry ``id``, ``kind``,
    ``strength``, ``since``, ``until``, ``role``, ``origin`` (those that are set). With
    ``dynamic`` (for GEXF), nodes and edges get ``start``/``end`` (ISO dates) and an edge's
    ``strength`` is a list of ``(value, start, end)``, one per version, so Gephi's timeline
    plays the history.
    """
    graph: nx.MultiDiGraph = nx.MultiDiGraph(name=selection.name)
    if dynamic:
        graph.graph["mode"] = "dynamic"
    for n in selection.nodes:
        name = strip_controls(n.name)
        attrs: dict[str, Any] = {"kind": n.kind.value, "name": name, "label": name}
        for key in ("since", "until"):
            if getattr(n, key) is not None:
                attrs[key] = _graph_value(getattr(n, key))
        if n.props:
            attrs["props"] = strip_controls(json.dumps(n.props, ensure_ascii=False, sort_keys=True))
        if dynamic:
            if n.since:
                attrs["start"] = n.since.isoformat()
            if n.until:
                attrs["end"] = n.until.isoformat()
        graph.add_node(n.id, **attrs)
    versions: dict[str, list[Tie]] = defaultdict(list)
    for t in selection.history:
        versions[t.id].append(t)
    for t in selection.ties:
        attrs = {"id": t.id, "kind": t.kind.value}
        for key in ("strength", "since", "until", "role", "origin"):
            value = getattr(t, key)
            if value is not None:
                attrs[key] = strip_controls(_graph_value(value))
        if t.props:
            attrs["props"] = strip_controls(json.dumps(t.props, ensure_ascii=False, sort_keys=True))
        if dynamic:
            vs = sorted(versions[t.id], key=lambda v: v.version)
            first, last = vs[0], vs[-1]
            if first.since is not None and all(v.since is not None for v in vs):
                attrs["start"] = first.since.isoformat()
            if last.until is not None:
                attrs["end"] = last.until.isoformat()
            spells = [
                (float(v.strength), _d(v.since) or None, _d(v.until) or None)
                for v in vs
                if v.strength is not None
            ]
            if len(vs) > 1 and spells:
                attrs["strength"] = spells
        graph.add_edge(t.source, t.target, key=t.id, **attrs)
    return graph


def to_json(selection: Selection) -> dict[str, Any]:
    """The selection as plain data: current nodes, ties (every version) and contact moments."""
    from ..store.dump import contact_to_dict, node_to_dict, tie_to_dict

    return {
        "format": "community-mapper-export",
        "version": 1,
        "workspace": {"slug": selection.workspace, "name": selection.name},
        "theme": {"id": selection.theme.id, "name": selection.theme.name}
        if selection.theme
        else None,
        "nodes": [node_to_dict(n) for n in selection.nodes],
        "ties": [tie_to_dict(t) for t in selection.history],
        "contacts": [contact_to_dict(c) for c in selection.contacts],
    }


def write(selection: Selection, fmt: str, out: IO[bytes]) -> None:
    """Write a selection in ``fmt`` (one of :data:`FORMATS`) to a binary file."""
    if fmt == "csv":
        write_csv_zip(template_rows(selection), out)
    elif fmt == "xlsx":
        write_xlsx(template_rows(selection), out)
    elif fmt == "graphml":
        nx.write_graphml(to_graph(selection), out, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(to_graph(selection, dynamic=True), out, encoding="utf-8")
    elif fmt == "json":
        out.write(json.dumps(to_json(selection), ensure_ascii=False, indent=1).encode("utf-8"))
    elif fmt == "kumu":
        from .kumu import write_kumu

        write_kumu(selection, out)
    else:
        raise ValidationError(
            "export format {fmt!r} is not known (use {formats})",
            field="format",
            value=fmt,
            fmt=fmt,
            formats=", ".join(FORMATS),
        )


def export(
    store: Store,
    workspace: str,
    fmt: str,
    out: IO[bytes] | str | Path,
    *,
    theme: str | None = None,
) -> None:
    """Export a workspace (or one theme's scan, ``theme`` = its id or name) in ``fmt`` to a
    binary file or a path. See the module docstring for an example."""
    if fmt not in FORMATS:
        raise ValidationError(
            "export format {fmt!r} is not known (use {formats})",
            field="format",
            value=fmt,
            fmt=fmt,
            formats=", ".join(FORMATS),
        )
    selection = select(store, workspace, theme=theme)
    if isinstance(out, (str, Path)):
        with open(out, "wb") as fh:
            write(selection, fmt, fh)
    else:
        write(selection, fmt, out)


def write_templates(fmt: str, out: IO[bytes] | str | Path) -> None:
    """Write the empty templates (with example rows) as ``xlsx`` or ``csv`` (a zip)."""
    if fmt not in ("xlsx", "csv"):
        raise ValidationError(
            "templates come as xlsx or csv, not {fmt!r}", field="format", value=fmt, fmt=fmt
        )
    writer = write_xlsx if fmt == "xlsx" else write_csv_zip
    if isinstance(out, (str, Path)):
        with open(out, "wb") as fh:
            writer(example_rows(), fh)
    else:
        writer(example_rows(), out)


def write_sheet_csv(sheet: Sheet, out: IO[bytes]) -> None:
    """One template sheet as a single CSV (semicolons, UTF-8 with BOM) with its examples."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    writer.writerows(sheet.example)
    out.write(BOM + buffer.getvalue().encode("utf-8"))


__all__ = [
    "FORMATS",
    "MIMETYPES",
    "Selection",
    "select",
    "template_rows",
    "to_graph",
    "to_json",
    "export",
    "write_templates",
    "write_sheet_csv",
    "NotFoundError",
]
