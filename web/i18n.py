"""Interface language: Dutch by default, English available.

Messages are written in English in the code and templates (``_("Environment scan")``) and
translated to Dutch in ``web/translations/nl/*.po`` — one file per area of the app, so areas
don't step on each other — beside the library's own in ``mapper/translations/nl/`` (one
mechanism, :mod:`mapper.i18n`). The ``.po`` files are compiled in memory when the app starts (no
compiled ``.mo`` files to keep in step). ``tests/house/test_i18n.py`` checks every message has its
Dutch translation.
"""

from __future__ import annotations

from gettext import NullTranslations
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request, session
from flask_babel import Babel, Domain, get_locale

from mapper.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    format_date,
    format_datetime,
    format_number,
    format_percent,
    load_catalog,
    register_catalogs,
    set_language_resolver,
    translations_for,
)
from mapper.labels import label

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "init_app", "load_catalog", "translations_for"]

TRANSLATIONS = Path(__file__).parent / "translations"
register_catalogs(TRANSLATIONS)


class PoDomain(Domain):
    """A Flask-Babel domain whose catalogs are the library's and the web's ``.po`` files,
    compiled in memory (one mechanism: :mod:`mapper.i18n`)."""

    def get_translations(self) -> NullTranslations:  # type: ignore[override]
        return translations_for(str(get_locale() or DEFAULT_LANGUAGE))


def select_locale() -> str:
    """The language: ``?lang=`` (remembered in the session), else the session, else Dutch."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    return session.get("lang") or current_app.config.get("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)


def _request_language() -> str | None:
    """The request's language, for the library's messages (errors, labels, exports)."""
    if not has_request_context() or "babel" not in current_app.extensions:
        return None  # outside a request, or an app made without create_app (a doctest)
    return str(get_locale() or DEFAULT_LANGUAGE)


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    babel = Babel(app, locale_selector=select_locale)
    # Flask-Babel 4 takes the default domain as a name; the instance it builds from it is a
    # cached property, which we set to our in-memory .po domain instead.
    babel.domain_instance = PoDomain()
    set_language_resolver(_request_language)
    app.jinja_env.filters.update(FILTERS)


def _number(value: Any, digits: int | None = None) -> str:
    return "" if value is None or value == "" else format_number(value, digits)


def _percent(value: Any, digits: int = 0) -> str:
    return "" if value is None or value == "" else format_percent(value, digits)


def _month(day: Any) -> str:
    return "" if day is None else format_date(day, "LLLL y")


#: Jinja filters for what a person reads, in the request's language (one mechanism):
#: ``{{ x|number(2) }}`` → ``0,79``, ``{{ share|percent }}`` → ``50%``, ``{{ day|longdate }}`` →
#: ``1 december 2026``, ``{{ day|month }}`` → ``december 2026``, ``{{ at|moment }}`` → ``1 december 2026 om 14:05``,
#: ``{{ code|label("rel") }}`` → ``is lid van``.
FILTERS: dict[str, Any] = {
    "number": _number,
    "percent": _percent,
    "longdate": format_date,
    "month": _month,
    "moment": format_datetime,
    "label": label,
}
