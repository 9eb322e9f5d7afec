"""No English and no model words leak onto a Dutch page (issue #15).

The demo town is seeded once; every page reachable from ``/`` within the app (GET only, same
host, no downloads, no logout) is rendered in Dutch and its visible text is read the way a
person reads it: the text of the page, with ``aria-label``, ``title``, ``placeholder`` and
``alt`` (screen readers read those), without ``<script>`` and ``<style>``. Each page fails on

- ``untranslated``: a message the page asked the catalogue for, with no Dutch in it (the
  Dutch catalogue is watched while the pages render);
- ``english``: a text that is an English message id whose Dutch differs (a label shown
  without going through gettext, e.g. an ``N_`` table printed as it is);
- ``code``: a model code as a word: a kind (``Person``, ``SmartGoal``), a tie kind
  (``MEMBER_OF``), a strength, role, status or audit word (``fair``, ``ambassador``,
  ``create``), a lawful basis (``consent``) or a measure name (``activities_per_month``);
- ``decimal``: a number with a decimal point (Dutch writes ``0,79``);
- ``iso``: a date or moment written as ISO (``2026-11-01``, ``2026-11-01T14:05``);
- ``plural``: one of a plural (``1 kanalen``).

Beside the pages, parts colleagues own in issue #15 (marked ``COLLEAGUE``): the access export
(inzage), the Logboek CSV headers and the CLI's tables (``connectedness``, ``goals``,
``community-changes`` with ``MAPPER_LANGUAGE=nl``).

``LEAK_REPORT=path`` writes every leak found as JSON (page, kind, text), for counting.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from mapper.analysis.goals import DIRECTIONS, GOAL_METRICS, STATUSES
from mapper.i18n import translations_for
from mapper.model import BOND_TYPES, ROLES, STRENGTH_STEPS, NodeKind, RelKind
from mapper.policy import LAWFUL_BASES
from mapper.store import SQLiteStore
from web import create_app
from web.i18n import load_catalog

#: At most this many pages in all, and this many of one shape (``/entity/*``, ``/scan/*?as_of``).
MAX_PAGES = 300
MAX_PER_SHAPE = 3
#: Paths never fetched: downloads, state changes, machine endpoints.
SKIP_PATH = re.compile(
    r"^/(static|api)/|/logout|\.(csv|json|ics|png|svg|xlsx|zip|graphml|gexf|html)$"
    r"|^/io/export|^/io/template|/qr\.|/intrekken/"
)
#: Pages that must be among those crawled (each area of the app), by path prefix.
AREAS = (
    "/frame",
    "/themes",
    "/scan/",
    "/warm-contacts",
    "/communities/",
    "/aan-de-slag",
    "/kalender",
    "/team/",
    "/verslag",
    "/io/",
    "/admin/",
    "/privacy/",
    "/entity/",
    "/readiness",
)


# --------------------------------------------------------------------------- reading a page


class VisibleText(HTMLParser):
    """The texts a person reads (or hears) on a page: text nodes and the attributes a screen
    reader or a tooltip shows; no scripts, no styles."""

    READ_ATTRS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.READ_ATTRS and value:
                self._add(value)
            if tag == "input" and name == "value" and value and self._is_button(attrs):
                self._add(value)

    @staticmethod
    def _is_button(attrs: list[tuple[str, str | None]]) -> bool:
        return dict(attrs).get("type") in ("submit", "button", "reset")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.texts.append(text)


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts


# --------------------------------------------------------------------------- the leaks


#: Codes that are Dutch words as well, so no sign of a leak.
DUTCH_TOO = frozenset({"Community", "met", "import", "online", "offline", "clustering"})


def _codes() -> set[str]:
    """Model codes that must never be read as they are."""
    codes = {k.value for k in NodeKind} | {k.value for k in RelKind}
    codes |= {en for _, _, en in STRENGTH_STEPS}
    codes |= {role for roles in ROLES.values() for role in roles}
    codes |= set(BOND_TYPES) | set(STATUSES) | set(DIRECTIONS) | set(GOAL_METRICS)
    codes |= set(LAWFUL_BASES)
    codes |= {"create", "update", "delete", "merge", "erase", "import", "undo", "restore"}
    # codes that are Dutch words too: "Community", "met" (with), "import", "online"
    return codes - DUTCH_TOO


CODES = _codes()
#: A code as a word: whole word, as stored or capitalised ("fair", "Fair", "SmartGoal").
CODE_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(
        sorted(
            {re.escape(c) for c in CODES} | {re.escape(c.capitalize()) for c in CODES},
            key=len,
            reverse=True,
        )
    )
    + r")(?![\w-])"
)
#: Any snake_case word is a code (a measure, a status, a tie kind).
SNAKE_RE = re.compile(r"(?<![\w/.-])[A-Za-z]+_[A-Za-z_]+(?![\w/.-])")
#: A decimal point in a number: ``0.79``, ``3.5``; not a version or address (``1.2.3``), and not
#: the Dutch thousands mark (``1.234``, ``12.345.678``).
DECIMAL_RE = re.compile(r"(?<![\d.,])\d+\.\d+(?![\d.])")
DUTCH_THOUSANDS_RE = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")
#: ISO dates, months (``2026-11``) and moments.
ISO_RE = re.compile(
    r"\b\d{4}-\d{2}(?:-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)?\b"
)


def _plurals() -> set[str]:
    """Dutch plural words: the plural forms of the catalogue's plural messages, and the
    method's nouns."""
    found = {
        "kanalen", "contactmomenten", "personen", "individuen", "organisaties", "activiteiten",
        "leden", "banden", "doelen", "thema's", "medewerkers", "contacten", "routes", "dagen",
        "weken", "maanden", "jaren", "stappen", "rijen", "verbindingen", "ambassadeurs",
        "gesprekken", "deelnemers", "uitnodigingen", "antwoorden", "wijzigingen", "dubbelen",
    }  # fmt: skip
    for message in load_catalog("nl"):
        if message.pluralizable and isinstance(message.string, tuple | list):
            plural = message.string[-1]
            words = re.findall(r"\}\s*([a-zé’']+)|%\(\w+\)[sd]\s*([a-zé’']+)", plural)
            found |= {w for pair in words for w in pair if len(w) > 3}
    return found


PLURAL_RE = re.compile(r"(?<![\d.,])\b1 (" + "|".join(sorted(map(re.escape, _plurals()))) + r")\b")


def _english_messages() -> dict[str, re.Pattern[str]]:
    """Every English message id whose Dutch differs, as a pattern of a whole text (its values
    ``{n}``/``%(n)s`` stand for anything)."""
    patterns: dict[str, re.Pattern[str]] = {}
    for message in load_catalog("nl"):
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        for msgid in ids:
            if not msgid or msgid in strings:
                continue
            literal = re.sub(r"%\(\w+\)[sdfr]|\{[^{}]*\}|<[^>]+>", " ", msgid)
            if len(re.findall(r"[A-Za-z]{2,}", literal)) < 1 or len(literal.strip()) < 4:
                continue  # "%(n)s", "OK": nothing English to see
            parts = re.split(r"(%\(\w+\)[sdfr]|\{[^{}]*\})", " ".join(msgid.split()))
            regex = "".join(".+?" if i % 2 else re.escape(p) for i, p in enumerate(parts))
            patterns[msgid] = re.compile(regex)
    return patterns


ENGLISH = _english_messages()
#: Words that are English and not Dutch: a sentence with two of them was not translated.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "with",
        "from",
        "this",
        "that",
        "which",
        "have",
        "has",
        "are",
        "were",
        "will",
        "would",
        "should",
        "could",
        "there",
        "their",
        "your",
        "you",
        "people",
        "none",
        "other",
        "others",
        "only",
        "about",
        "after",
        "before",
        "between",
        "into",
        "under",
        "what",
        "when",
        "where",
        "who",
        "why",
        "how",
        "than",
        "then",
        "them",
        "they",
        "these",
        "those",
        "been",
        "being",
        "each",
        "every",
    ]
)


def leaks_in(texts: Iterable[str]) -> Iterator[tuple[str, str]]:
    """``(kind, text)`` for every leak in the visible texts of one page."""
    for text in texts:
        if text in ENGLISH or any(p.fullmatch(text) for p in ENGLISH.values()):
            yield "english", text
        else:
            words = re.findall(r"[a-z]+", text.lower())
            if sum(w in ENGLISH_WORDS for w in words) >= 2:
                yield "english", text
        for match in CODE_RE.finditer(text):
            yield "code", f"{match.group(1)} in {text[:120]!r}"
        for match in SNAKE_RE.finditer(text):
            if match.group(0) not in CODES:
                yield "code", f"{match.group(0)} in {text[:120]!r}"
        for match in DECIMAL_RE.finditer(ISO_RE.sub(" ", text)):  # (fractions of a second)
            if not DUTCH_THOUSANDS_RE.fullmatch(match.group(0)):
                yield "decimal", f"{match.group(0)} in {text[:120]!r}"
        for match in ISO_RE.finditer(text):
            yield "iso", f"{match.group(0)} in {text[:120]!r}"
        for match in PLURAL_RE.finditer(text):
            yield "plural", f"{match.group(0)} in {text[:120]!r}"


# --------------------------------------------------------------------------- the demo, crawled


class CatalogueWatch:
    """Records every message asked of the Dutch catalogue that it has no Dutch for."""

    METHODS = ("gettext", "ugettext", "ngettext", "ungettext", "pgettext", "npgettext")

    def __init__(self) -> None:
        self.translations = translations_for("nl")
        self.catalog = self.translations._catalog  # type: ignore[attr-defined]
        self.missing: list[str] = []

    def __enter__(self) -> CatalogueWatch:
        for name in self.METHODS:
            original = getattr(self.translations, name, None)
            if original is not None:
                setattr(self.translations, name, self._wrap(name, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.METHODS:
            self.translations.__dict__.pop(name, None)

    def _wrap(self, name: str, original):  # type: ignore[no-untyped-def]
        def watched(*args):  # type: ignore[no-untyped-def]
            msgid = args[1] if name.startswith(("p", "np")) else args[0]
            context = args[0] if name.startswith(("p", "np")) else None
            key = msgid if context is None else f"{context}\x04{msgid}"
            if name.startswith(("n", "un", "np")):
                key = (key, 0)
            if key not in self.catalog and msgid.strip():
                self.missing.append(msgid)
            return original(*args)

        return watched


def _shape(url: str) -> str:
    """``/entity/*?…`` for ``/entity/per-0012?as_of=2026-01-01``: pages of one shape."""
    parts = urlsplit(url)
    segments = [
        "*" if re.search(r"\d", s) or re.match(r"^[a-z]{3}-", s) else s
        for s in parts.path.split("/")
    ]
    return "/".join(segments) + ("?…" if parts.query else "")


HREF_RE = re.compile(r"""href="([^"#]*)""")


def _links(page: str) -> Iterator[str]:
    for raw in HREF_RE.findall(page):
        href = raw.replace("&amp;", "&")
        if href.startswith("http://localhost/"):
            href = href[len("http://localhost") :]
        if not href.startswith("/") or href.startswith("//"):
            continue
        parts = urlsplit(href)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"]
        if any(k == "lang" for k, _ in parse_qsl(parts.query)):
            continue  # the language switch
        if SKIP_PATH.search(parts.path):
            continue
        yield parts.path + ("?" + urlencode(query) if query else "")


@pytest.fixture(scope="module")
def leak_app(tmp_path_factory):
    from seeds.demo import seed_demo

    folder = tmp_path_factory.mktemp("leaks")
    path = folder / "demo.db"
    store = SQLiteStore(path)
    seed_demo(store, "demo")
    store.close()
    copy = folder / "pages.db"
    shutil.copy(path, copy)
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{copy}",
            "WORKSPACE": "demo",
            "SECRET_KEY": "test",
            "SINGLE_USER": True,
            "HOST": "127.0.0.1",
            "IMPORT_FOLDER": str(folder / "uploads"),
        }
    )


def _seeds(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Where the crawl starts: the dashboard, and one page of each area that is reached by a
    form rather than a link (every theme scan, a person's inzage)."""
    from mapper.analysis.scan import theme_scan
    from mapper.store import open_store

    store = open_store(app.config["DATABASE_URL"])
    try:
        graph = store.project("demo")
        themes = [f"/scan/{row.theme}" for row in theme_scan(graph)]
        people = [n for n, d in graph.nodes(data=True) if d.get("kind") == "Person"]
        communities = [n for n, d in graph.nodes(data=True) if d.get("kind") == "Community"]
    finally:
        store.close()
    seeds = ["/", *themes, "/warm-contacts", "/communities/", "/team/", "/verslag/", "/io/"]
    seeds += ["/io/duplicates", "/admin/", "/admin/settings", "/privacy/", "/privacy/audit"]
    seeds += ["/readiness", "/maps/views"]
    seeds += [f"/warm-contacts/{people[0]}", f"/privacy/person/{people[0]}"]
    for community in communities:
        seeds += [f"/communities/{community}", f"/communities/{community}/aan-de-slag"]
        seeds += [f"/communities/{community}/kalender", f"/communities/{community}/verslag"]
        seeds += [f"/communities/{community}/changes"]
    return seeds


@pytest.fixture(scope="module")
def crawl(leak_app):
    """Every page of the demo in Dutch: ``{url: (status, html)}``, and the catalogue misses
    per url."""
    client = leak_app.test_client()
    pages: dict[str, tuple[int, str]] = {}
    misses: dict[str, list[str]] = {}
    shapes: Counter[str] = Counter()
    queue = deque(_seeds(leak_app))
    seen = set(queue)
    watch = CatalogueWatch()
    with watch:
        while queue and len(pages) < MAX_PAGES:
            url = queue.popleft()
            shape = _shape(url)
            if shapes[shape] >= MAX_PER_SHAPE and url not in _seeds_cache(leak_app):
                continue
            shapes[shape] += 1
            before = len(watch.missing)
            response = client.get(url, headers={"Accept-Language": "nl"})
            if response.status_code in (301, 302, 303):
                continue
            if "text/html" not in response.headers.get("Content-Type", ""):
                continue
            if "attachment" in response.headers.get("Content-Disposition", ""):
                continue
            body = response.get_data(as_text=True)
            pages[url] = (response.status_code, body)
            if len(watch.missing) > before:
                misses[url] = sorted(set(watch.missing[before:]))
            for link in _links(body):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    return pages, misses


_SEEDS: dict[int, set[str]] = {}


def _seeds_cache(app) -> set[str]:  # type: ignore[no-untyped-def]
    if id(app) not in _SEEDS:
        _SEEDS[id(app)] = set(_seeds(app))
    return _SEEDS[id(app)]


@pytest.fixture(scope="module")
def leaks(crawl) -> list[tuple[str, str, str]]:
    """``(url, kind, text)`` of every leak on every crawled page; printed as a summary."""
    pages, misses = crawl
    found: list[tuple[str, str, str]] = []
    for url, (_status, html) in pages.items():
        found += [(url, "untranslated", m) for m in misses.get(url, [])]
        found += [(url, kind, text) for kind, text in dict.fromkeys(leaks_in(visible_texts(html)))]
    print(f"\n[leaks] {len(pages)} pages crawled")
    _summarise("pages", found)
    return found


def _summarise(what: str, found: list[tuple[str, str, str]]) -> None:
    by_kind = Counter(kind for _, kind, _ in found)
    distinct = Counter(kind for kind, _ in {(k, t) for _, k, t in found})
    by_page = Counter(_shape(url) for url, _, _ in found)
    print(
        f"\n[leaks] {what}: {sum(by_kind.values())} leaks; by kind {dict(sorted(by_kind.items()))}"
    )
    print(f"[leaks] {what}: distinct texts by kind {dict(sorted(distinct.items()))}")
    for shape, count in by_page.most_common():
        print(f"[leaks]   {shape}: {count}")
    report = os.environ.get("LEAK_REPORT")
    if report:
        existing = json.loads(Path(report).read_text()) if os.path.exists(report) else {}
        existing[what] = [list(row) for row in found]
        with open(report, "w") as fh:
            json.dump(existing, fh, indent=1, ensure_ascii=False)


def _explain(found: list[tuple[str, str, str]], kind: str) -> str:
    rows = sorted({(text, url) for url, k, text in found if k == kind})
    by_text: dict[str, list[str]] = {}
    for text, url in rows:
        by_text.setdefault(text, []).append(url)
    lines = [
        f"{text}    ({', '.join(urls[:2])}{' …' if len(urls) > 2 else ''})"
        for text, urls in by_text.items()
    ]
    return f"{len(lines)} {kind} leak(s):\n" + "\n".join(lines[:80])


# --------------------------------------------------------------------------- the tests


def test_the_crawl_reaches_every_area_of_the_app(crawl):
    pages, _ = crawl
    assert len(pages) > 60
    for area in AREAS:
        assert any(area in url for url in pages), f"no page of {area} was crawled"
    failing = {url: status for url, (status, _) in pages.items() if status != 200}
    assert not failing, failing


def test_the_leak_finder_sees_each_kind_of_leak():
    texts = visible_texts(
        "<p>1 kanalen</p><p>MEMBER_OF</p><span class=sr-only>Person</span><p>0.79</p>"
        "<p>2026-11-01T10:00:00</p><p title='activities_per_month'>x</p><script>0.5</script>"
        "<p>1.234 leden · versie 1.2.3 · 0,79 · 1 kanaal · 1 december 2026</p>"
    )
    kinds = Counter(kind for kind, _ in leaks_in(texts))
    assert kinds == {"plural": 1, "code": 3, "decimal": 1, "iso": 1, "english": 1}  # Person
    assert list(leaks_in(["Environment scan"])) == [("english", "Environment scan")]


@pytest.mark.parametrize("kind", ["untranslated", "english", "code", "decimal", "iso", "plural"])
def test_no_leak_on_any_dutch_page(leaks, kind):
    assert not [row for row in leaks if row[1] == kind], _explain(leaks, kind)


# ----------------------------------------------------------- COLLEAGUE: exports and the CLI


@pytest.fixture(scope="module")
def person(leak_app) -> str:
    from mapper.store import open_store

    store = open_store(leak_app.config["DATABASE_URL"])
    try:
        graph = store.project("demo")
        return next(n for n, d in graph.nodes(data=True) if d.get("kind") == "Person")
    finally:
        store.close()


def test_access_export_is_dutch(leak_app, person):
    """COLLEAGUE (privacy/inzage): the access export a resident receives."""
    response = leak_app.test_client().get(f"/privacy/person/{person}/export.html")
    assert response.status_code == 200
    found = [
        (f"inzage {person}", k, t)
        for k, t in leaks_in(visible_texts(response.get_data(as_text=True)))
    ]
    _summarise("access export", found)
    assert not found, "\n".join(f"{k}: {t}" for _, k, t in found)


def test_logboek_csv_is_dutch(leak_app):
    """COLLEAGUE (Logboek/audit): the headers and the words of the Logboek CSV."""
    client = leak_app.test_client()
    client.get("/privacy/audit")  # the session's language: Dutch by default
    response = client.get("/privacy/audit.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows, "the demo has an audit trail"
    header, body = rows[0], rows[1:]
    found = [("audit.csv header", k, t) for k, t in leaks_in(header)]
    found += [("audit.csv header", "english", h) for h in header if re.fullmatch(r"[a-z_]+", h)]
    cells = {cell for row in body[:200] for cell in row}
    found += [("audit.csv rows", k, t) for k, t in leaks_in(sorted(cells)) if k != "iso"]
    _summarise("logboek csv", found)
    assert not found, "\n".join(f"{w} {k}: {t}" for w, k, t in found)


@pytest.mark.parametrize(
    "command",
    [
        ["connectedness", "--community", "{community}", "--to", "2026-11-01"],
        ["goals", "--community", "{community}", "--as-of", "2026-11-01"],
        [
            "community-changes",
            "--community",
            "{community}",
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-01",
        ],
    ],
    ids=["connectedness", "goals", "community-changes"],
)
def test_cli_tables_are_dutch(leak_app, command, monkeypatch):
    """COLLEAGUE (CLI): the tables of the command line with ``MAPPER_LANGUAGE=nl``."""
    from click.testing import CliRunner

    from mapper.cli import main
    from mapper.store import open_store

    store = open_store(leak_app.config["DATABASE_URL"])
    try:
        graph = store.project("demo")
        community = next(n for n, d in graph.nodes(data=True) if d.get("kind") == "Community")
    finally:
        store.close()
    args = [a.format(community=community) for a in command]
    monkeypatch.setenv("MAPPER_LANGUAGE", "nl")
    result = CliRunner().invoke(
        main, [*args, "--database", leak_app.config["DATABASE_URL"], "--workspace", "demo"]
    )
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines() if line.strip()]
    found = [(f"cli {command[0]}", k, t) for k, t in dict.fromkeys(leaks_in(lines))]
    header = lines[1] if command[0] != "community-changes" else ""
    found += [(f"cli {command[0]}", "code", w) for w in header.split() if "_" in w]
    _summarise(f"cli {command[0]}", found)
    assert not found, "\n".join(f"{k}: {t}" for _, k, t in found[:60])
