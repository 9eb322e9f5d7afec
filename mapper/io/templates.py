"""The worksheet-shaped templates: sheets and their Dutch column headers. The Dutch words
accepted for kinds, tie kinds and contact modes are in :mod:`mapper.io.words` (imported here
as well, where the readers, the import plan and the exports have long found them).

The templates follow the workbook's werkbladen:

``Individuen en organisaties`` (werkblad 3)
    who is active on a theme: name, where active online and offline, activities, themes,
    the bond with the library and its strength.
``Relaties``
    ties between entities: who, whom, kind, strength, since, until.
``Activiteiten``
    activities: name, themes, organisers, channel, date.
``Contactmomenten``
    logged contact moments: date, who, with whom, form, notes, outcome.
``Overige``
    the other entities of the map (library, staff, goals, themes, channels, communities,
    SMART goals), so an export holds the whole workspace.

Headers are matched case- and accent-insensitively, and English header names are accepted
too, so a sheet written by hand in either language reads.

Examples
--------
>>> SHEETS["entities"].title
'Individuen en organisaties'
>>> [c.header for c in SHEETS["ties"].columns][:3]
['id', 'van', 'naar']
>>> parse_node_kind("organisatie").value
'Organisation'
>>> parse_rel_kind("lid van").value
'MEMBER_OF'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..store.base import fold
from .words import (
    ATTENDING_KINDS,
    CONTACT_MODE_DUTCH,
    NO_WORDS,
    NODE_KIND_DUTCH,
    NODE_KIND_WORDS,
    REL_KIND_DUTCH,
    REL_KIND_WORDS,
    ROLE_WORDS,
    YES_WORDS,
    activities_cell,
    activity_role,
    parse_contact_mode,
    parse_node_kind,
    parse_rel_kind,
    parse_role,
)

#: The words are :mod:`mapper.io.words`'; importers of this module find them here too.
__all__ = [
    "ATTENDING_KINDS",
    "CONTACT_MODE_DUTCH",
    "Column",
    "DIRECTION",
    "EXAMPLE_MARK",
    "NODE_KIND_DUTCH",
    "NODE_KIND_WORDS",
    "NO_WORDS",
    "OTHERS",
    "REL_KIND_DUTCH",
    "REL_KIND_WORDS",
    "ROLE_WORDS",
    "SHEETS",
    "Sheet",
    "TIES",
    "YES_WORDS",
    "activities_cell",
    "activity_role",
    "cached_fold",
    "fast_fold",
    "guess_sheet",
    "ignored_sheet",
    "is_example",
    "is_marked",
    "is_undirected",
    "parse_contact_mode",
    "parse_node_kind",
    "parse_rel_kind",
    "parse_role",
    "sheet_for",
]

#: :func:`mapper.store.base.fold`, remembered: a name is folded once however often it is used.
cached_fold = lru_cache(maxsize=1 << 20)(fold)


@dataclass(frozen=True)
class Column:
    """One column of a template sheet.

    ``field`` is the internal name; ``header`` the Dutch header written in templates;
    ``aliases`` other headers accepted on import (English, older spellings).
    """

    field: str
    header: str
    help: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    """A template sheet: its key, its Dutch title (the worksheet or CSV file name), columns."""

    key: str
    title: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    example: tuple[tuple[str, ...], ...] = ()

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def filename(self) -> str:
        """The CSV file name of this sheet in a zip of templates."""
        return fold(self.title).replace(" ", "-") + ".csv"

    def column_for(self, header: str) -> Column | None:
        """The column a header names (case- and accent-insensitive), if any."""
        wanted = _header_key(header)
        for column in self.columns:
            if wanted in {_header_key(h) for h in (column.header, column.field, *column.aliases)}:
                return column
        return None


def _header_key(text: str) -> str:
    return fold(str(text)).replace("_", " ").replace("'", "").replace("’", "").strip(" :*")


#: The id cell of the templates' example rows: rows so marked are skipped on import (and said
#: so in the dry run), so a person can add their rows below the examples.
EXAMPLE_MARK = "voorbeeld"
_EXAMPLE_MARKS = frozenset({EXAMPLE_MARK, "example"})
#: An unmarked row counts as an example only when it repeats one with at least this many
#: filled cells (a bare "thema; duurzaamheid" is someone's own row).
MIN_EXAMPLE_CELLS = 3

_ID = Column(
    "id",
    "id",
    "Leeg laten voor nieuwe; ingevuld bij een export. 'voorbeeld' = voorbeeldrij, wordt "
    "overgeslagen.",
    ("code",),
)
_EXTRA = Column(
    "extra",
    "overige gegevens",
    'Andere eigenschappen als JSON, bv. {"bron": "krant"}; meestal leeg.',
    ("extra", "props", "properties", "eigenschappen"),
)

ENTITIES = Sheet(
    key="entities",
    title="Individuen en organisaties",
    aliases=("werkblad 3", "omgevingsscan", "individuen", "organisaties", "entities", "people"),
    columns=(
        _ID,
        Column("kind", "soort", "persoon of organisatie", ("type", "kind"), required=True),
        Column("name", "naam", "Naam van de persoon of organisatie", ("name",), required=True),
        Column(
            "online",
            "waar actief online",
            "Online kanalen, gescheiden door ; of ,",
            ("online", "actief online", "online kanalen"),
        ),
        Column(
            "offline",
            "waar actief offline",
            "Plekken, gescheiden door ; of ,",
            ("offline", "actief offline", "offline plekken"),
        ),
        Column(
            "activities",
            "activiteiten",
            "Activiteiten waaraan zij deelnemen; '(organisator)' achter de naam als zij die "
            "organiseren (bij een organisatie: organiseert, tenzij '(deelnemer)')",
            ("activities", "activiteit"),
        ),
        Column(
            "themes",
            "thema's",
            "Thema's waarop zij actief zijn",
            ("themas", "thema", "themes", "theme"),
        ),
        Column(
            "bond", "band met bibliotheek", "ja of nee", ("band", "bond", "band met de bibliotheek")
        ),
        Column(
            "bond_strength",
            "sterkte band",
            "1–5 (vluchtig … zeer sterk) of 0–1",
            ("sterkte", "bond strength", "sterkte van de band"),
        ),
        Column(
            "bond_staff",
            "contactpersoon bibliotheek",
            "Medewerker(s) met een band, gescheiden door ; of ,",
            ("contactpersoon", "medewerker", "staff"),
        ),
        Column("notes", "notities", "Vrije tekst", ("notes", "opmerkingen", "omschrijving")),
        _EXTRA,
    ),
    example=(
        (
            EXAMPLE_MARK,
            "persoon",
            "Jan de Vries",
            "Facebook-groep Duurzaam Rijnstad",
            "Wijkcentrum De Brug",
            "Repair Café; Klusavond",
            "duurzaamheid",
            "ja",
            "4",
            "",
            "",
            "",
        ),
        (
            EXAMPLE_MARK,
            "organisatie",
            "Stichting Repair Café",
            "",
            "Wijkcentrum De Brug",
            "Repair Café",
            "duurzaamheid",
            "nee",
            "",
            "",
            "",
            "",
        ),
    ),
)

TIES = Sheet(
    key="ties",
    title="Relaties",
    aliases=("ties", "relations", "banden", "relatie"),
    columns=(
        _ID,
        Column("source", "van", "Wie (naam of id)", ("wie", "source", "from"), required=True),
        Column(
            "target",
            "naar",
            "Met wie / wat (naam of id)",
            ("met wie", "wat", "target", "to"),
            required=True,
        ),
        Column(
            "kind",
            "soort relatie",
            "kent, lid van, organiseert, actief op, …",
            ("soort", "relatie", "kind", "type"),
            required=True,
        ),
        Column("strength", "sterkte", "1–5 (vluchtig … zeer sterk) of 0–1", ("strength",)),
        Column("since", "sinds", "Datum JJJJ-MM-DD", ("since", "vanaf", "begin")),
        Column("until", "tot", "Datum JJJJ-MM-DD (eerste dag niet meer)", ("until", "einde")),
        Column("role", "rol", "Bij lid van: lid, ambassadeur, bestuur, vrijwilliger, …", ("role",)),
        Column("origin", "bron", "Waar komt dit vandaan", ("origin", "source of information")),
        _EXTRA,
    ),
    example=(
        (
            EXAMPLE_MARK,
            "Jan de Vries",
            "Stichting Repair Café",
            "lid van",
            "4",
            "2024-03-01",
            "",
            "vrijwilliger",
            "gesprek",
            "",
        ),
    ),
)

ACTIVITIES = Sheet(
    key="activities",
    title="Activiteiten",
    aliases=("activities", "activiteit"),
    columns=(
        _ID,
        Column("name", "naam", "Naam van de activiteit", ("name",), required=True),
        Column("themes", "thema's", "Thema's", ("themas", "thema", "themes")),
        Column(
            "organisers",
            "georganiseerd door",
            "Personen of organisaties (naam of id)",
            ("organisator", "organisatoren", "organisers", "organiser"),
        ),
        Column(
            "channels",
            "kanaal",
            "Waar (online of offline), gescheiden door ; of ,",
            ("kanalen", "waar", "channel", "channels"),
        ),
        Column("since", "datum", "Datum of startdatum JJJJ-MM-DD", ("sinds", "since", "date")),
        Column("until", "tot", "Einddatum JJJJ-MM-DD", ("until",)),
        Column("notes", "notities", "Vrije tekst", ("notes", "omschrijving")),
        _EXTRA,
    ),
    example=(
        (
            EXAMPLE_MARK,
            "Repair Café",
            "duurzaamheid",
            "Stichting Repair Café",
            "Wijkcentrum De Brug",
            "2024-01-13",
            "",
            "Elke tweede zaterdag",
            "",
        ),
    ),
)

CONTACTS = Sheet(
    key="contacts",
    title="Contactmomenten",
    aliases=("contacts", "contactmoment", "gesprekken"),
    columns=(
        _ID,
        Column("on", "datum", "Datum JJJJ-MM-DD", ("date", "on"), required=True),
        Column("a", "wie", "Wie (naam of id)", ("van", "a"), required=True),
        Column("b", "met wie", "Met wie (naam of id)", ("naar", "b"), required=True),
        Column(
            "mode",
            "vorm",
            "gesprek, ontmoeting, telefoon, e-mail, bericht, evenement",
            ("mode", "soort"),
        ),
        Column("notes", "notities", "Vrije tekst", ("notes",)),
        Column("outcome", "uitkomst", "Wat is er afgesproken", ("outcome", "resultaat")),
    ),
    example=(
        (
            EXAMPLE_MARK,
            "2024-05-02",
            "Anna Bakker",
            "Jan de Vries",
            "gesprek",
            "Kennismaking",
            "Volgt in juni",
        ),
    ),
)

OTHERS = Sheet(
    key="others",
    title="Overige",
    aliases=("others", "overig", "kapstok"),
    columns=(
        _ID,
        Column(
            "kind",
            "soort",
            "bibliotheek, medewerker, doel, thema, kanaal, community, smart-doel",
            ("type", "kind"),
            required=True,
        ),
        Column("name", "naam", "Naam", ("name",), required=True),
        Column("mode", "online/offline", "Bij een kanaal: online of offline", ("mode",)),
        Column("since", "sinds", "Datum JJJJ-MM-DD", ("since",)),
        Column("until", "tot", "Datum JJJJ-MM-DD", ("until",)),
        Column("notes", "notities", "Vrije tekst", ("notes", "omschrijving")),
        _EXTRA,
    ),
    example=(
        (EXAMPLE_MARK, "medewerker", "Anna Bakker", "", "", "", "community librarian", ""),
        (EXAMPLE_MARK, "thema", "duurzaamheid", "", "", "", "", ""),
    ),
)

#: A column graph files (GraphML, GEXF, Gephi and Kumu sheets) may give their edges: whether
#: the edge has a direction. An undirected edge takes the direction the tie rules allow.
DIRECTION = Column(
    "direction",
    "richting",
    "gericht of ongericht",
    ("direction", "directed", "gericht"),
)
#: Words saying an edge has no direction (Gephi "Undirected", Kumu "undirected"/"mutual").
UNDIRECTED_WORDS = frozenset(
    {"undirected", "ongericht", "mutual", "wederzijds", "false", "nee", "no", "none"}
)


def is_undirected(value: object) -> bool:
    """True if a direction cell says the edge has none.

    >>> is_undirected("Undirected"), is_undirected("directed"), is_undirected(None)
    (True, False, False)
    """
    return isinstance(value, str) and fold(value).strip() in UNDIRECTED_WORDS


#: The template sheets, by key, in the order they are written.
SHEETS: dict[str, Sheet] = {s.key: s for s in (ENTITIES, TIES, ACTIVITIES, CONTACTS, OTHERS)}


def is_example(sheet: Sheet, record: Mapping[str, Any], *, by_content: bool = True) -> bool:
    """True if a row is one of the template's example rows: its id cell says
    :data:`EXAMPLE_MARK`, or (``by_content``: for a template from before the mark) it equals
    an example row.

    >>> is_example(TIES, {"id": "voorbeeld", "source": "Mijn Naam"})
    True
    >>> row = dict(zip([c.field for c in TIES.columns], TIES.example[0]), id="")
    >>> is_example(TIES, row), is_example(TIES, {**row, "source": "Piet"})
    (True, False)
    """
    if is_marked(record):
        return True
    if not by_content:
        return False
    for example in _folded_examples(sheet):
        for name, want in example:
            value = record.get(name)
            if (fast_fold(value) if type(value) is str else _cell(value)) != want:
                break
        else:
            return True
    return False


def is_marked(record: Mapping[str, Any]) -> bool:
    """True if a row's id cell marks it as an example (:data:`EXAMPLE_MARK`)."""
    mark = record.get("id")
    return isinstance(mark, str) and fold(mark).strip() in _EXAMPLE_MARKS


#: id(sheet) → (sheet, its example rows worth comparing, each as (field, folded cell) pairs).
_EXAMPLES: dict[int, tuple[Sheet, list[tuple[tuple[str, str], ...]]]] = {}


def _folded_examples(sheet: Sheet) -> list[tuple[tuple[str, str], ...]]:
    """The example rows of ``sheet`` an import compares rows with (those with at least
    :data:`MIN_EXAMPLE_CELLS` filled cells), folded once: a big file compares every row."""
    known = _EXAMPLES.get(id(sheet))
    if known is not None and known[0] is sheet:
        return known[1]
    folded = [
        tuple(
            (column.field, _cell(value))
            for column, value in zip(sheet.columns, example)
            if column.field != "id"
        )
        for example in sheet.example
        if sum(1 for v in example[1:] if v) >= MIN_EXAMPLE_CELLS
    ]
    _EXAMPLES[id(sheet)] = (sheet, folded)
    return folded


def fast_fold(value: str) -> str:
    """:func:`fold` of ``value``, without Unicode normalisation for plain ASCII text (where it
    changes nothing: the same as ``fold``, cheaper), cached otherwise.

    >>> fast_fold("  Jan  DE Vries ") == fold("  Jan  DE Vries "), fast_fold("Zoë") == fold("Zoë")
    (True, True)
    """
    if value.isascii():
        return " ".join(value.lower().split())
    return cached_fold(value)


def _cell(value: Any) -> str:
    return fold(str(value)).strip() if value is not None else ""


#: Worksheet titles of help sheets (the template's own ``Uitleg``), skipped without a word.
HELP_SHEETS = frozenset({"uitleg", "toelichting", "help", "instructies", "leesmij", "readme"})


def ignored_sheet(title: str) -> bool:
    """True for a sheet an import skips silently: a help sheet, or one whose title ends in
    ``(ignore)`` / ``(negeren)`` as Kumu documents it.

    >>> ignored_sheet("Uitleg"), ignored_sheet("Notes (ignore)"), ignored_sheet("Relaties")
    (True, True, False)
    """
    key = _header_key(title)
    return key in HELP_SHEETS or key.endswith(("(ignore)", "(negeren)"))


def sheet_for(title: str) -> Sheet | None:
    """The template sheet a worksheet or CSV file name stands for, if any.

    >>> sheet_for("relaties.csv").key, sheet_for("Werkblad 3").key
    ('ties', 'entities')
    """
    stem = _header_key(title)
    for suffix in (".csv", ".txt", ".xlsx"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    stem = stem.replace("-", " ").replace("_", " ").strip()
    for sheet in SHEETS.values():
        names = {_header_key(sheet.title), sheet.key, *(_header_key(a) for a in sheet.aliases)}
        if stem in names:
            return sheet
    return None


def guess_sheet(headers: list[str]) -> Sheet | None:
    """The template sheet whose required columns all appear in ``headers`` (best fit first)."""
    best: tuple[int, Sheet] | None = None
    for sheet in SHEETS.values():
        found = {c.field for h in headers if (c := sheet.column_for(h)) is not None}
        required = {c.field for c in sheet.columns if c.required}
        if required <= found:
            score = len(found)
            if best is None or score > best[0]:
                best = (score, sheet)
    return best[1] if best else None
