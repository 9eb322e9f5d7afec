"""One translation mechanism for the library, the command line, the exports and the web.

Every word a person reads is written in the code as an English *message id* and translated
through gettext from the ``.po`` catalogues: the library's own in ``mapper/translations/<lang>/``,
and those the web app registers beside them (:func:`register_catalogs`). The ``.po`` files are
compiled in memory on first use; there are no ``.mo`` files to keep in step.

Which language? The first of:

1. :func:`use_language` (a context variable: per thread and per task), e.g. the CLI for a run,
   or an export made for a resident who asked in English;
2. the *resolver* a host installs with :func:`set_language_resolver`: the web app's returns the
   request's language (Dutch by default);
3. the environment: ``MAPPER_LANGUAGE``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``)
   when it says ``nl``; otherwise English.

>>> with use_language("nl"):
...     gettext("Person"), ngettext("{n} tie", "{n} ties", 1).format(n=1)
('Persoon', '1 relatie')
>>> with use_language("en"):
...     gettext("Person")
'Person'

Messages with values are :class:`Message` objects (the errors hold one): the id and its values
are kept, and the sentence is made in the reader's language when it is shown.

>>> m = Message("no {kind} called {name!r}", kind="Theme", name="duurzaam")
>>> with use_language("en"):
...     str(m)
"no Theme called 'duurzaam'"

Numbers, percentages and dates are written the reader's way, through Babel:

>>> import datetime
>>> with use_language("nl"):
...     format_number(0.79, 2), format_percent(0.5), format_date(datetime.date(2026, 12, 1))
('0,79', '50%', '1 december 2026')
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Babel is imported where it is used: an English run (``mapper --help``) never needs it.
if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Message",
    "N_",
    "current_language",
    "environment_language",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "gettext",
    "load_catalog",
    "local_zone",
    "ngettext",
    "register_catalogs",
    "render",
    "set_language_resolver",
    "translations_for",
    "use_language",
]

#: The languages the product speaks; Dutch is the default of the web app.
LANGUAGES: tuple[str, ...] = ("nl", "en")
DEFAULT_LANGUAGE = "nl"

#: Folders holding ``<lang>/*.po`` catalogues, the library's own first.
CATALOG_DIRS: list[Path] = [Path(__file__).parent / "translations"]

_chosen: ContextVar[str | None] = ContextVar("mapper_language", default=None)
_resolver: Callable[[], str | None] | None = None


def register_catalogs(folder: str | Path) -> None:
    """Add a folder of ``<lang>/*.po`` catalogues (the web app's); idempotent."""
    path = Path(folder)
    if path not in CATALOG_DIRS:
        CATALOG_DIRS.append(path)
        translations_for.cache_clear()


def load_catalog(lang: str) -> Catalog:
    """Every ``.po`` file of ``lang`` in every registered folder, merged into one catalog."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    merged = Catalog(locale=lang)
    for folder in CATALOG_DIRS:
        for path in sorted((folder / lang).glob("*.po")):
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            for message in catalog:
                if message.id and message.string:
                    merged.add(message.id, message.string, context=message.context)
    return merged


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(.)")


def _unquote(text: str) -> str:
    """A ``.po`` string literal's text: ``"a\\"b\\n"`` → ``a"b`` and a newline."""
    body = text.strip()[1:-1]
    return _ESCAPE_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), body)


def read_messages(path: Path) -> dict[Any, str]:
    """The translated messages of one ``.po`` file, as gettext keeps them: ``msgid → msgstr``
    and, for plurals, ``(msgid, n) → msgstr[n]``; a context is kept as ``ctxt\x04msgid``.

    A small reader of the format Babel and gettext write (no obsolete ``#~`` entries, no
    empty translations), about 20 times faster than parsing into a Babel catalogue: the
    command line reads every catalogue at each start.

    >>> import tempfile
    >>> po = Path(tempfile.mkdtemp()) / "x.po"
    >>> _ = po.write_text('msgid ""\\nmsgstr "header"\\n\\nmsgid "a \\\\"b\\\\""\\nmsgstr ""\\n"c"\\n\\n'
    ...     'msgid "{n} tie"\\nmsgid_plural "{n} ties"\\nmsgstr[0] "{n} relatie"\\nmsgstr[1] "{n} relaties"\\n')
    >>> sorted(read_messages(po).items(), key=str)
    [('a "b"', 'c'), (('{n} tie', 0), '{n} relatie'), (('{n} tie', 1), '{n} relaties')]
    """
    messages: dict[Any, str] = {}
    entry: dict[str, Any] = {}
    current: list[Any] = []

    def finish() -> None:
        msgid = entry.get("msgid")
        if msgid:
            key = msgid if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{msgid}"
            if "plural" in entry:
                forms = entry.get("forms", {})
                if any(forms.values()):
                    for n, text in forms.items():
                        messages[(key, n)] = text
            elif entry.get("msgstr"):
                messages[key] = entry["msgstr"]
        entry.clear()

    with path.open(encoding="utf-8") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                if current:
                    target, name = current
                    target[name] = target[name] + _unquote(line)
                continue
            keyword, _, rest = line.partition(" ")
            if (
                keyword in ("msgctxt", "msgid")
                and "msgid" in entry
                and (keyword == "msgctxt" or "msgstr" in entry or "forms" in entry)
            ):
                finish()
            if keyword == "msgid_plural":
                entry["plural"] = _unquote(rest)
                current = [entry, "plural"]
            elif keyword.startswith("msgstr["):
                forms = entry.setdefault("forms", {})
                n = int(keyword[7:-1])
                forms[n] = _unquote(rest)
                current = [forms, n]
            elif keyword in ("msgctxt", "msgid", "msgstr"):
                entry[keyword] = _unquote(rest)
                current = [entry, keyword]
    finish()
    return messages


class Catalogue(_gettext.GNUTranslations):
    """Translations filled from the ``.po`` files (no ``.mo``), with the ``u``-names Flask-Babel
    calls; stdlib gettext underneath, so a start of the command line imports no Babel."""

    def __init__(self, messages: dict[Any, str]):
        super().__init__()
        self._catalog = messages  # type: ignore[attr-defined]  # gettext's own table
        self.plural = lambda n: int(n != 1)  # type: ignore[method-assign]  # nl and en

    ugettext = _gettext.GNUTranslations.gettext
    ungettext = _gettext.GNUTranslations.ngettext
    upgettext = _gettext.GNUTranslations.pgettext
    unpgettext = _gettext.GNUTranslations.npgettext


@cache
def translations_for(lang: str) -> _gettext.NullTranslations:
    """The translations of ``lang`` from every registered folder's ``.po`` files (English,
    the message ids, for anything else)."""
    merged: dict[Any, str] = {}
    if lang in LANGUAGES and lang != "en":
        for folder in CATALOG_DIRS:
            for path in sorted((folder / lang).glob("*.po")):
                for key, text in read_messages(path).items():
                    merged.setdefault(key, text)
    return Catalogue(merged)


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """``MAPPER_LANGUAGE`` if it names a language, else Dutch when the locale says ``nl``,
    else English.

    >>> environment_language({"MAPPER_LANGUAGE": "nl"}), environment_language({"LANG": "nl_NL.UTF-8"})
    ('nl', 'nl')
    >>> environment_language({"LANG": "C.UTF-8"}), environment_language({})
    ('en', 'en')
    """
    env = os.environ if environ is None else environ
    chosen = _normalise(env.get("MAPPER_LANGUAGE"))
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "nl" if _normalise(value) == "nl" else "en"
    return "en"


def set_language_resolver(resolver: Callable[[], str | None] | None) -> None:
    """Install the host's way of telling the reader's language (``None`` when it can't)."""
    global _resolver
    _resolver = resolver


def current_language() -> str:
    """The reader's language now: :func:`use_language`, the resolver, else the environment."""
    chosen = _chosen.get()
    if chosen:
        return chosen
    if _resolver is not None:
        resolved = _normalise(_resolver())
        if resolved:
            return resolved
    return environment_language()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Speak ``lang`` inside the block (``nl`` or ``en``; anything else means English)."""
    token = _chosen.set(_normalise(lang) or "en")
    try:
        yield _chosen.get() or "en"
    finally:
        _chosen.reset(token)


def gettext(message: str) -> str:
    """``message`` (an English message id) in the reader's language."""
    lang = current_language()
    if lang == "en":  # the ids are English: no catalogue to load
        return message
    return translations_for(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the reader's language."""
    lang = current_language()
    if lang == "en":
        return singular if n == 1 else plural
    return translations_for(lang).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (tables of labels)."""
    return message


def render(message: str, params: Mapping[str, Any] | None = None) -> str:
    """Translate ``message`` and fill in ``params`` (``str.format`` fields).

    A translation whose fields don't match the values falls back to the English sentence, so
    a slip in a catalogue never hides the message.
    """
    text = gettext(message)
    if not params:
        return text
    values = {k: (str(v) if isinstance(v, Message) else v) for k, v in params.items()}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        try:
            return message.format(**values)
        except (KeyError, IndexError, ValueError):
            return message


class Message:
    """A message id with its values, made into a sentence in the reader's language when shown.

    ``Message`` objects compare and hash by id and values, and ``str()`` renders them.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Any) -> None:
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        return render(self.msgid, self.params)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return (self.msgid, self.params) == (other.msgid, other.params)
        if isinstance(other, str):
            return str(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def __add__(self, other: str) -> str:
        return str(self) + other

    def __radd__(self, other: str) -> str:
        return other + str(self)

    def __contains__(self, item: str) -> bool:
        return item in str(self)

    def in_language(self, lang: str) -> str:
        """The sentence in ``lang``, whatever the reader's language now."""
        with use_language(lang):
            return str(self)


#: The time zone moments are shown in, unless ``MAPPER_TIMEZONE`` names another.
DEFAULT_TIMEZONE = "Europe/Amsterdam"


def local_zone() -> _dt.tzinfo:
    """``MAPPER_TIMEZONE`` (an IANA name such as ``Europe/Brussels``), else Amsterdam's."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = os.environ.get("MAPPER_TIMEZONE") or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def _locale() -> Any:
    """The reader's Babel locale, parsed once per language: given as text, Babel parses and
    loads it again on every call (a map's 5,000 tooltips spent a third of their time there)."""
    return _babel_locale("nl_NL" if current_language() == "nl" else "en_GB")


@cache
def _babel_locale(code: str) -> Any:
    from babel import Locale

    return Locale.parse(code)


def format_number(value: float | int, digits: int | None = None) -> str:
    """``value`` with the reader's decimal mark (``0,79``); ``digits`` fixes the decimals.

    >>> with use_language("en"):
    ...     format_number(1234.5, 1), format_number(3)
    ('1,234.5', '3')
    """
    from babel.numbers import format_decimal

    if digits is None:
        return format_decimal(value, locale=_locale())
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale())


def format_percent(value: float, digits: int = 0) -> str:
    """``value`` (0.5 is half) as a percentage the reader's way (``50%``)."""
    from babel.numbers import format_percent as _format_percent

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return _format_percent(value, format=pattern, locale=_locale())


def _as_date(value: _dt.date | str) -> _dt.date:
    if isinstance(value, str):
        text = value.strip()
        return (
            _dt.datetime.fromisoformat(text).date() if "T" in text else _dt.date.fromisoformat(text)
        )
    if isinstance(value, _dt.datetime):
        return value.date()
    return value


def format_date(value: _dt.date | str | None, form: str = "long") -> str:
    """A date written out (``1 december 2026``); ``form`` is Babel's (short, medium, long).

    ISO text is accepted; ``None`` and text that is not a date come back as they are (empty
    for ``None``), so a template never fails on a missing date.
    """
    from babel.dates import format_date as _format_date

    if value is None or value == "":
        return ""
    try:
        day = _as_date(value)
    except ValueError:
        return str(value)
    return _format_date(day, format=form, locale=_locale())


def format_datetime(value: _dt.datetime | str | None, form: str = "long") -> str:
    """A moment written out, date and time to the minute (``1 december 2026 om 14:05``).

    Moments stored with a time zone (the store keeps UTC) are shown in the library's time
    zone, :func:`local_zone`; a moment without one is shown as it is.

    >>> with use_language("nl"):
    ...     format_datetime("2026-12-01T14:05:09+00:00"), format_datetime("2026-07-01T14:05:09Z")
    ('1 december 2026 om 15:05', '1 juli 2026 om 16:05')
    """
    from babel.dates import format_date as _format_date
    from babel.dates import format_time as _format_time

    if value is None or value == "":
        return ""
    try:
        moment = _dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    if moment.tzinfo is not None:  # stored in UTC; shown in the library's own time
        moment = moment.astimezone(local_zone())
    day = _format_date(moment.date(), format=form, locale=_locale())
    time = _format_time(moment.time(), format="HH:mm", locale=_locale())
    joiner = " om " if current_language() == "nl" else " at "
    return f"{day}{joiner}{time}"
