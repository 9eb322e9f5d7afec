"""The import and export area's words for the librarian: a reader's problems, a disk that is
full, the dry run's notes, and the kinds of entities (why two entities look alike is the
category ``duplicate_reason`` of :mod:`mapper.labels`). The library says these in English
message ids; here they are said in the interface's language.

No views: :mod:`web.io` and its sibling modules import these.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from mapper.errors import MapperError, is_disk_full
from mapper.i18n import format_number, render

#: Reader problems as the librarian reads them (the library's own messages are English).
READ_ERRORS: dict[str, Any] = {
    "rows": _l(
        "The file has more than %(limit)s rows; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "columns": _l(
        "Sheet %(sheet)s has more than %(limit)s columns; the templates have far "
        "fewer. Remove the extra columns."
    ),
    "cells": _l(
        "The file has more than %(limit)s cells; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "cell_chars": _l("Sheet %(sheet)s has a cell of more than %(limit)s characters."),
    "file_bytes": _l("The file is larger than %(limit_mb)s MB."),
    "uncompressed": _l(
        "The file would unpack to more than %(limit_mb)s MB; that is more than one import takes."
    ),
    "ratio": _l(
        "%(member)s in the zip file would unpack to more than %(limit)s times its "
        "size; such a file is refused."
    ),
    "shared_strings": _l("The Excel file holds more than %(limit_mb)s MB of text."),
    "encrypted": _l(
        "%(member)s in the zip file is protected with a password. Save it again without a password."
    ),
    "compression": _l(
        "%(member)s in the zip file is packed in a way that cannot be read. "
        "Pack it again as a normal zip file."
    ),
    "member": _l("%(member)s in the zip file cannot be unpacked; the zip file is damaged."),
    "damaged": _l("The file is damaged or is not what its name says."),
    "encoding": _l(
        "The file starts as UTF-8 but is not UTF-8 (at byte %(byte)s). Save it "
        "again as “CSV UTF-8”."
    ),
    "csv": _l("Sheet %(sheet)s is not a readable CSV file."),
    "excel": _l("The Excel file cannot be read; it may be damaged or protected with a password."),
    "entities": _l(
        "The file names more than %(limit)s entities; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "ties": _l(
        "The file names more than %(limit)s ties; one import takes at most that many. "
        "Split it into smaller files."
    ),
    "xml": _l("The graph file is not valid XML."),
    "xml_doctype": _l("The graph file declares a DOCTYPE or entities; such a file is refused."),
    "xml_depth": _l("The graph file nests deeper than %(limit)s levels; such a file is refused."),
    "xml_elements": _l(
        "The graph file has more than %(limit)s elements; that is more than one import takes."
    ),
}


def read_error_message(code: str | None, params: dict[str, Any], fallback: str) -> str:
    """A reader problem in the interface's language (the library's English as fallback)."""
    message = READ_ERRORS.get(code or "")
    if message is None:
        return fallback
    numbers = {
        k: (format_decimal(v, locale=str(get_locale() or "nl")) if isinstance(v, int) else v)
        for k, v in params.items()
    }
    try:
        return str(message) % numbers
    except (KeyError, TypeError, ValueError):
        return fallback


def storage_message(exc: BaseException) -> str:
    """One clear sentence for a disk that is full or cannot be written."""
    if is_disk_full(exc):
        return _(
            "The disk is full, so nothing was written. Free up space (or ask your IT "
            "department) and try again."
        )
    return _("The file could not be stored on the server; nothing was written. Try again.")


def stored_error(exc: MapperError) -> dict[str, Any]:
    """A reader's error as kept with an upload: its code, and its message id and values when
    they are plain text and numbers (kept as JSON), to say it in the reader's language later;
    the sentence as said now besides."""
    params = exc.params
    plain = all(v is None or isinstance(v, str | int | float) for v in params.values())
    return {
        "code": getattr(exc, "code", None),
        "params": params if plain else {},
        "msgid": exc.msgid if plain else None,
        "message": str(exc),
    }


def _said_now(error: dict[str, Any]) -> str:
    """A stored error's sentence in the reader's language now (numbers the reader's way)."""
    if not error.get("msgid"):
        return str(error.get("message", ""))
    params = error.get("params") or {}
    numbers = {
        k: format_number(v) if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in params.items()
    }
    return render(error["msgid"], numbers)


def unreadable(meta: dict[str, Any]) -> str:
    error = meta.get("error") or {}
    return read_error_message(error.get("code"), error.get("params") or {}, _said_now(error))


def note_text(item: dict[str, Any]) -> str:
    """A dry-run note in the interface's language (the library's English when it has no
    code)."""
    params = item.get("params", {})
    if item.get("code") == "example_row":
        return _(
            "%(sheet)s, row %(row)s: an example row of the template (%(what)s), skipped. To "
            "import it, empty its id cell ('%(mark)s').",
            **params,
        )
    if item.get("code") == "place_is_organisation":
        return _(
            "%(sheet)s, row %(row)s, '%(column)s': '%(name)s' is an organisation, so "
            "%(entity)s becomes a member of it (no new channel).",
            **params,
        )
    return str(item.get("text", ""))


def kind_label(kind: str) -> str:
    labels = {
        "Person": _("person"),
        "Organisation": _("organisation"),
        "Activity": _("activity"),
        "Staff": _("staff member"),
        "Community": _("community"),
        "Theme": _("theme"),
        "Channel": _("channel"),
        "Library": _("library"),
        "Goal": _("goal"),
        "SmartGoal": _("SMART goal"),
    }
    return labels.get(kind, kind)


#: How many recent merges the duplicates page offers to undo.
