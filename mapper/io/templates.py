"""The worksheet-shaped templates: sheets, their Dutch column headers, and the Dutch words
accepted for kinds, tie kinds and contact modes.

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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import ValidationError
from ..model import CONTACT_MODES, NodeKind, RelKind, node_kind, rel_kind
from ..store.base import fold

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
    return by_content and any(
        _same_row(sheet, example, record)
        for example in sheet.example
        if sum(1 for v in example[1:] if v) >= MIN_EXAMPLE_CELLS
    )


def is_marked(record: Mapping[str, Any]) -> bool:
    """True if a row's id cell marks it as an example (:data:`EXAMPLE_MARK`)."""
    mark = record.get("id")
    return isinstance(mark, str) and fold(mark).strip() in _EXAMPLE_MARKS


def _same_row(sheet: Sheet, example: tuple[str, ...], record: Mapping[str, Any]) -> bool:
    for column, value in zip(sheet.columns, example):
        if column.field != "id" and _cell(record.get(column.field)) != _cell(value):
            return False
    return True


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


# --------------------------------------------------------------------------- Dutch words

#: Dutch (and common English) words for node kinds.
NODE_KIND_WORDS: dict[str, NodeKind] = {
    "persoon": NodeKind.PERSON,
    "individu": NodeKind.PERSON,
    "bewoner": NodeKind.PERSON,
    "person": NodeKind.PERSON,
    "individual": NodeKind.PERSON,
    "organisatie": NodeKind.ORGANISATION,
    "organization": NodeKind.ORGANISATION,
    "bibliotheek": NodeKind.LIBRARY,
    "medewerker": NodeKind.STAFF,
    "doel": NodeKind.GOAL,
    "organisatiedoel": NodeKind.GOAL,
    "thema": NodeKind.THEME,
    "activiteit": NodeKind.ACTIVITY,
    "kanaal": NodeKind.CHANNEL,
    "smart-doel": NodeKind.SMART_GOAL,
    "smart doel": NodeKind.SMART_GOAL,
    "smartdoel": NodeKind.SMART_GOAL,
    "smart goal": NodeKind.SMART_GOAL,
}

#: The Dutch word written for each node kind in templates and exports.
NODE_KIND_DUTCH: dict[NodeKind, str] = {
    NodeKind.PERSON: "persoon",
    NodeKind.ORGANISATION: "organisatie",
    NodeKind.LIBRARY: "bibliotheek",
    NodeKind.STAFF: "medewerker",
    NodeKind.GOAL: "doel",
    NodeKind.THEME: "thema",
    NodeKind.ACTIVITY: "activiteit",
    NodeKind.CHANNEL: "kanaal",
    NodeKind.COMMUNITY: "community",
    NodeKind.SMART_GOAL: "smart-doel",
}

#: Dutch words for tie kinds.
REL_KIND_WORDS: dict[str, RelKind] = {
    "werkt bij": RelKind.WORKS_AT,
    "streeft na": RelKind.PURSUES,
    "dient": RelKind.SERVES,
    "over": RelKind.ABOUT,
    "gaat over": RelKind.ABOUT,
    "actief op": RelKind.ACTIVE_ON,
    "kent": RelKind.KNOWS,
    "lid van": RelKind.MEMBER_OF,
    "organiseert": RelKind.ORGANISES,
    "neemt deel aan": RelKind.ATTENDS,
    "bezoekt": RelKind.ATTENDS,
    "actief in": RelKind.ACTIVE_IN,
    "band met": RelKind.BOND_WITH,
    "heeft rol": RelKind.HAS_ROLE,
}

#: The Dutch words written for each tie kind in exports.
REL_KIND_DUTCH: dict[RelKind, str] = {}
for _word, _kind in REL_KIND_WORDS.items():
    REL_KIND_DUTCH.setdefault(_kind, _word)

#: Dutch words for contact modes.
CONTACT_MODE_WORDS: dict[str, str] = {
    "gesprek": "conversation",
    "ontmoeting": "meeting",
    "telefoon": "phone",
    "telefonisch": "phone",
    "e-mail": "email",
    "mail": "email",
    "bericht": "message",
    "evenement": "event",
}
CONTACT_MODE_DUTCH: dict[str, str] = {}
for _word, _mode in CONTACT_MODE_WORDS.items():
    CONTACT_MODE_DUTCH.setdefault(_mode, _word)

#: Dutch words for roles on ties.
ROLE_WORDS: dict[str, str] = {
    "lid": "member",
    "ambassadeur": "ambassador",
    "bestuur": "board",
    "bestuurslid": "board",
    "vrijwilliger": "volunteer",
    "medewerker": "employee",
    "oprichter": "founder",
    "bouwer": "builder",
    "verbinder": "connector",
    "aanjager": "driver",
    "organisator": "organiser",
    "mede-organisator": "co-organiser",
    "gastheer": "host",
    "gastvrouw": "host",
}

#: Words after an activity's name, in brackets, saying who organises or takes part:
#: "Repair Café (organisator)". A person's activities are taken part in unless so marked;
#: an organisation's are organised unless marked "(deelnemer)".
ORGANISER_WORDS = frozenset({"organisator", "organiser", "organizer", "organiseert", "organiseren"})
ATTENDEE_WORDS = frozenset(
    {"deelnemer", "deelname", "neemt deel", "bezoeker", "attends", "attendee"}
)
_MARKED = re.compile(r"^(?P<name>.*?)\s*\((?P<mark>[^()]*)\)\s*$")


def activity_role(item: str) -> tuple[str, bool | None]:
    """An activities cell item split into the activity's name and whether the row organises it
    (True), takes part (False) or does not say (None).

    >>> activity_role("Repair Café (organisator)"), activity_role("Klusavond")
    (('Repair Café', True), ('Klusavond', None))
    >>> activity_role("Taalcafé (deelnemer)"), activity_role("Café (de Brug)")
    (('Taalcafé', False), ('Café (de Brug)', None))
    """
    found = _MARKED.match(item)
    if found:
        mark = fold(found["mark"]).strip()
        if mark in ORGANISER_WORDS:
            return found["name"], True
        if mark in ATTENDEE_WORDS:
            return found["name"], False
    return item, None


#: Kinds whose "activiteiten" are taken part in (ATTENDS) unless the item says organiser.
ATTENDING_KINDS = frozenset({NodeKind.PERSON, NodeKind.STAFF})


def activities_cell(kind: NodeKind, organised: str) -> str:
    """The "activiteiten" cell an export writes for the activities an entity organises:
    marked "(organisator)" for a person or staff member, whose plain items mean taking part.

    >>> activities_cell(NodeKind.PERSON, "Klusavond; Repair Café")
    'Klusavond (organisator); Repair Café (organisator)'
    >>> activities_cell(NodeKind.ORGANISATION, "Repair Café")
    'Repair Café'
    """
    if kind not in ATTENDING_KINDS or not organised:
        return organised
    return "; ".join(f"{name} (organisator)" for name in organised.split("; "))


YES_WORDS = frozenset({"ja", "j", "yes", "y", "x", "1", "true", "waar", "✓", "v"})
NO_WORDS = frozenset({"nee", "n", "no", "0", "false", "onwaar", "-"})


@lru_cache(maxsize=1024)
def parse_node_kind(text: str) -> NodeKind:
    """A node kind from its Dutch word or model name; ValidationError otherwise."""
    key = fold(str(text))
    if key in NODE_KIND_WORDS:
        return NODE_KIND_WORDS[key]
    try:
        return node_kind(str(text).replace("-", "").replace(" ", ""))
    except ValidationError:
        words = ", ".join(NODE_KIND_DUTCH.values())
        raise ValidationError(
            "kind {text!r} is not known (use {words})",
            field="kind",
            value=text,
            text=text,
            words=words,
        ) from None


@lru_cache(maxsize=1024)
def parse_rel_kind(text: str) -> RelKind:
    """A tie kind from its Dutch words or model name; ValidationError otherwise."""
    key = fold(str(text))
    if key in REL_KIND_WORDS:
        return REL_KIND_WORDS[key]
    try:
        return rel_kind(text)
    except ValidationError:
        words = ", ".join(REL_KIND_WORDS)
        raise ValidationError(
            "tie kind {text!r} is not known (use {words}, or the model names)",
            field="kind",
            value=text,
            text=text,
            words=words,
        ) from None


@lru_cache(maxsize=1024)
def parse_contact_mode(text: str) -> str:
    """A contact mode from its Dutch word or model name; ValidationError otherwise."""
    key = fold(str(text))
    if key in CONTACT_MODES:
        return key
    if key in CONTACT_MODE_WORDS:
        return CONTACT_MODE_WORDS[key]
    words = ", ".join(CONTACT_MODE_DUTCH.values())
    raise ValidationError(
        "form {text!r} is not known (use {words})", field="mode", value=text, text=text, words=words
    )


def parse_role(text: str) -> str:
    """A tie role from its Dutch word or model name (checked against the tie kind later)."""
    key = fold(str(text))
    return ROLE_WORDS.get(key, key)
