"""The demo town on a real Neo4j server: migrated there and back losslessly with ``mapper
migrate``, and served by the web app with the same pages and tables as on SQLite."""

from __future__ import annotations

import re
import shutil
import uuid
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from mapper.cli import main
from mapper.store import SQLiteStore
from mapper.store.dump import checksum
from tests.conftest import _neo4j_store
from tests.fixtures_web import SINGLE_USER
from web import create_app

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

#: Pages visited per kind of page (first path segment), and in all.
PER_ROUTE = 4
MAX_PAGES = 80
#: Pages whose worksheet tables are compared between the two stores.
THEMES_COMPARED = 3


def _url(info, *, login: bool = True) -> str:
    if not login:
        return info.uri
    scheme, rest = info.uri.split("://", 1)
    return f"{scheme}://{info.user}:{info.password}@{rest}"


@pytest.fixture(scope="module")
def demo_on_neo4j(neo4j_server, demo_db, tmp_path_factory):
    """The demo town copied into the session's Neo4j server with ``mapper migrate``
    (credentials from the environment, as the README does it); its slug there."""
    slug = f"demo-{uuid.uuid4().hex[:10]}"
    work = tmp_path_factory.mktemp("demo-neo4j")
    source = work / "demo.db"
    shutil.copy(demo_db, source)
    env = {"NEO4J_USER": neo4j_server.user, "NEO4J_PASSWORD": neo4j_server.password}
    result = CliRunner(env=env).invoke(
        main,
        [
            "migrate",
            "--from",
            f"sqlite:///{source}",
            "--to",
            _url(neo4j_server, login=False),
            "--workspace",
            "demo",
            "--as",
            slug,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 workspace copied and verified" in result.output
    yield slug, source
    store = _neo4j_store(neo4j_server)
    store.delete_workspace(slug)
    store.close()


def test_demo_town_to_neo4j_and_back_is_lossless(demo_on_neo4j, neo4j_server, tmp_path):
    slug, source = demo_on_neo4j
    back = tmp_path / "back.db"
    result = CliRunner().invoke(
        main,
        [
            "migrate",
            "--from",
            _url(neo4j_server),
            "--to",
            f"sqlite:///{back}",
            "--workspace",
            slug,
            "--as",
            "demo",
        ],
    )
    assert result.exit_code == 0, result.output
    with SQLiteStore(source) as first, SQLiteStore(back) as home:
        original = first.dump_workspace("demo")
        returned = home.dump_workspace("demo")
        assert returned == original
        assert checksum(returned) == checksum(original)
        assert len(original.nodes) > 100 and len(original.ties) > 300
    neo = _neo4j_store(neo4j_server)
    there = neo.dump_workspace(slug)
    assert checksum(there) == checksum(original)
    neo.close()


# --------------------------------------------------------------------------- the web app


class _Page(HTMLParser):
    """The links of a page and the text of its tables (cell by cell, row by row)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.tables: list[list[list[str]]] = []
        self._depth = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif tag == "tr" and self._depth:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self._depth:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._depth:
            self._depth -= 1
        elif tag in ("td", "th") and self._cell is not None:
            if self.tables and self.tables[-1]:
                self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(response) -> _Page:
    page = _Page()
    page.feed(response.get_data(as_text=True))
    return page


def _app(url: str, slug: str):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "WORKSPACE": slug,
            "SECRET_KEY": "test",
            **SINGLE_USER,
        }
    )


@pytest.fixture(scope="module")
def two_clients(demo_on_neo4j, neo4j_server):
    slug, source = demo_on_neo4j
    sqlite = _app(f"sqlite:///{source}", "demo").test_client()
    neo = _app(_url(neo4j_server), slug).test_client()
    return sqlite, neo


def _crawl(client) -> dict[str, int]:
    """Every page reachable from ``/`` by GET links, a few of each kind; url → status."""
    seen: dict[str, int] = {}
    per_route: Counter[str] = Counter()
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for href in _parse(response).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(("/static/", "/logout", "/login")) or "lang=" in parts.query:
                continue
            route = parts.path.strip("/").split("/")[0]
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target in seen or target in queue or per_route[route] >= PER_ROUTE:
                continue
            per_route[route] += 1
            queue.append(target)
    return seen


def test_every_demo_page_answers_on_neo4j_as_on_sqlite(two_clients):
    sqlite, neo = two_clients
    pages = _crawl(sqlite)
    assert len(pages) > 20 and {"/", "/frame", "/themes"} <= set(pages)
    assert all(code == 200 for code in pages.values()), pages
    failed = {}
    for url in pages:
        code = neo.get(url).status_code
        if code != 200:
            failed[url] = code
    assert failed == {}


def test_worksheet_tables_are_the_same_on_neo4j(two_clients):
    sqlite, neo = two_clients
    links = _parse(sqlite.get("/themes")).links
    themes = list(dict.fromkeys(h for h in links if re.fullmatch(r"/scan/[^/?]+", h)))
    communities = _parse(sqlite.get("/communities/")).links
    community = next(h for h in communities if re.fullmatch(r"/communities/[^/?]+", h))
    compared = [
        "/frame",
        "/themes",
        *themes[:THEMES_COMPARED],
        community,
        "/communities/",
    ]
    assert len(themes) >= THEMES_COMPARED
    for url in compared:
        on_sqlite = _parse(sqlite.get(url)).tables
        on_neo4j = _parse(neo.get(url)).tables
        assert on_sqlite, f"{url} has no tables"
        assert on_neo4j == on_sqlite, url
