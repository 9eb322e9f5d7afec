"""Interface language: Dutch by default, English available.

Messages are written in English in the code and templates (``_("Environment scan")``) and
translated to Dutch in ``web/translations/nl/*.po`` — one file per area of the app, so areas
don't step on each other. The ``.po`` files are compiled in memory when the app starts (no
compiled ``.mo`` files to keep in step). ``tests/test_i18n.py`` checks every message has its
Dutch translation.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import current_app, request, session
from flask_babel import Babel, Domain, get_locale

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def load_catalog(lang: str) -> Catalog:
    """All ``.po`` files of ``lang`` merged into one catalog."""
    merged = Catalog(locale=lang)
    for path in sorted((TRANSLATIONS / lang).glob("*.po")):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        for message in catalog:
            if message.id and message.string:
                merged.add(message.id, message.string, context=message.context)
    return merged


@cache
def translations_for(lang: str) -> NullTranslations:
    if lang not in LANGUAGES or not (TRANSLATIONS / lang).is_dir():
        return NullTranslations()
    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(lang))
    buffer.seek(0)
    return Translations(fp=buffer)


class PoDomain(Domain):
    """A Flask-Babel domain whose catalogs come from the ``.po`` files, compiled in memory."""

    def get_translations(self) -> NullTranslations:  # type: ignore[override]
        return translations_for(str(get_locale() or DEFAULT_LANGUAGE))


def select_locale() -> str:
    """The language: ``?lang=`` (remembered in the session), else the session, else Dutch."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    return session.get("lang") or current_app.config.get("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    babel = Babel(app, locale_selector=select_locale)
    # Flask-Babel 4 takes the default domain as a name; the instance it builds from it is a
    # cached property, which we set to our in-memory .po domain instead.
    babel.domain_instance = PoDomain()
