"""Every message the interface shows has its Dutch translation (Dutch is the default)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from web.i18n import load_catalog

WEB = Path(__file__).parent.parent / "web"
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
}


def _messages():
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(WEB), METHOD_MAP, keywords=KEYWORDS, options_map={"**/templates/**.html": {}}
    ):
        msgid = message[0] if isinstance(message, tuple) else message  # plurals: by singular
        if msgid:
            found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _strings(value):
    return value if isinstance(value, tuple) else (value,)


def test_extraction_finds_messages():
    assert len(_messages()) > 200


def test_every_message_has_a_dutch_translation():
    catalog = load_catalog("nl")
    missing = {
        m: where
        for m, where in _messages().items()
        if not (catalog.get(m) and catalog.get(m).string)
    }
    assert not missing, "no Dutch translation for:\n" + "\n".join(
        f"{w}: {m!r}" for m, w in sorted(missing.items(), key=lambda x: x[1])
    )
