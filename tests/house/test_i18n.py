"""Every message the interface shows has its Dutch translation (Dutch is the default)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from web.i18n import load_catalog

ROOT = Path(__file__).parent.parent.parent
WEB = ROOT / "web"
MAPPER = ROOT / "mapper"
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    # The library's: labels marked for later, messages with values, and every error.
    "N_": None,
    "Message": (1,),
    "MapperError": (1,),
    "ValidationError": (1,),
    "NotFoundError": (1,),
    "ConflictError": (1,),
    "StoreUnavailableError": (1,),
}


def _messages(folders=(WEB, MAPPER)):
    found = {}
    for folder in folders:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(folder), METHOD_MAP, keywords=KEYWORDS, options_map={"**/templates/**.html": {}}
        ):
            msgid = message[0] if isinstance(message, tuple) else message  # plurals: singular
            if msgid:
                found.setdefault(msgid, f"{folder.name}/{filename}:{lineno}")
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


#: Calls whose first argument is a message id: it must be a literal, not a finished sentence.
MESSAGE_CALLS = {name for name, spec in KEYWORDS.items()}


def _formatted_messages(folder=MAPPER):
    """``(file:line, call)`` for every message call whose id is not a plain string literal:
    an f-string, a ``%`` or ``.format`` or ``+`` sentence cannot be translated."""
    import ast

    found = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in MESSAGE_CALLS:
                continue
            first = node.args[0]
            if isinstance(first, ast.JoinedStr | ast.BinOp) or (
                isinstance(first, ast.Call) and getattr(first.func, "attr", "") == "format"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    return found


def test_library_messages_are_message_ids_not_finished_sentences():
    """Every error and message of the library is an English id with ``{fields}`` and its
    values as keywords (``ValidationError("no {kind} called {name!r}", kind=..., name=...)``),
    so it can be shown in the reader's language."""
    found = _formatted_messages()
    assert not found, "finished sentences instead of message ids:\n" + "\n".join(found)


def test_the_fast_reader_reads_what_babel_reads():
    """``translations_for`` reads the ``.po`` files with its own small reader: every message
    of Babel's catalogue, plurals included, translates the same."""
    from mapper.i18n import translations_for

    catalog = load_catalog("nl")
    fast = translations_for("nl")
    checked = 0
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            forms = message.string
            assert fast.ngettext(message.id[0], message.id[1], 1) == forms[0], message.id
            assert fast.ngettext(message.id[0], message.id[1], 2) == forms[1], message.id
        else:
            assert fast.gettext(message.id) == message.string, message.id
        checked += 1
    assert checked > 1000


def test_a_message_in_two_catalogues_has_one_translation():
    """Areas keep their own ``.po`` files; a message id two of them share must read the same,
    or which one a person sees would depend on the files' order."""
    from mapper.i18n import CATALOG_DIRS, read_messages

    seen: dict[object, tuple[str, str]] = {}
    clashes = []
    for folder in CATALOG_DIRS:
        for path in sorted((folder / "nl").glob("*.po")):
            for key, text in read_messages(path).items():
                first = seen.setdefault(key, (path.name, text))
                if first[1] != text:
                    clashes.append(f"{key!r}: {first[0]} {first[1]!r} vs {path.name} {text!r}")
    assert not clashes, "\n".join(clashes)
