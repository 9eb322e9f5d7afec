"""What a resident and a librarian read, on the demo town through the real Flask app: the
access export (inzage), the Logboek and its CSV, and the entity page say everything in words:
no codes, no ISO timestamps, dates written out."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from mapper import audit
from mapper.analysis.community import METRICS
from mapper.model import CONTACT_MODES, ROLES, STRENGTH_STEPS, NodeKind, RelKind
from mapper.policy import LAWFUL_BASES
from mapper.services.warm import OUTCOMES
from mapper.store import open_store

ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T")
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
DUTCH_MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
DUTCH_DATE = re.compile(r"\b\d{1,2} (" + "|".join(DUTCH_MONTHS) + r") \d{4}\b")
ENGLISH_DATE = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October"
    r"|November|December) \d{4}\b"
)
#: Codes the Dutch reader must never see: the model's enums and every category's codes, in
#: the form they are stored (the words Dutch shares with English are left out).
RAW_CODES = sorted(
    {k.value for k in NodeKind if k.value != "Community"}
    | {k.value for k in RelKind}
    | {en for _step, _nl, en in STRENGTH_STEPS}
    | {r for roles in ROLES.values() for r in roles}
    | set(CONTACT_MODES)
    | set(OUTCOMES)
    | set(audit.ACTIONS)
    | (set(audit.TARGET_TYPES) - {"contact"})  # "contact" is a Dutch word too
    | {"local", "system", "seeds.demo", "SmartGoal"}
    | set(LAWFUL_BASES)
    | set(METRICS)
)


class _Visible(HTMLParser):
    """The text a reader sees: no tags, no attributes, no style or script."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "\n".join(p.strip() for p in parser.parts if p.strip())


def raw_codes_in(text: str) -> list[str]:
    return [
        code
        for code in RAW_CODES
        if re.search(r"(?<![\w.@-])" + re.escape(code) + r"(?![\w@-])", text)
    ]


@pytest.fixture
def demo_store(demo_app):
    store = open_store(demo_app.config["DATABASE_URL"])
    yield store
    store.close()


@pytest.fixture
def resident(demo_store):
    """The demo resident with the most held on them (ties, contacts, versions)."""

    def held(node):
        return (
            sum(1 for _ in demo_store.ties("demo", node=node.id, history=True))
            + 3 * sum(1 for _ in demo_store.contacts("demo", node=node.id))
            + 5 * len(demo_store.node_history("demo", node.id))
        )

    return max(demo_store.nodes("demo", kind=NodeKind.PERSON), key=held)


def test_the_access_document_is_plain_dutch(demo_client, demo_store, resident):
    response = demo_client.get(f"/privacy/person/{resident.id}/export.html")
    assert response.status_code == 200
    text = visible(response.get_data(as_text=True))
    assert f"Alles wat de bibliotheek over {resident.name} heeft vastgelegd" in text
    assert raw_codes_in(text) == []
    assert not ISO_MOMENT.search(text) and not ISO_DAY.search(text), ISO_DAY.findall(text)[:3]
    assert len(DUTCH_DATE.findall(text)) >= 3  # made on, recorded on, contact dates
    # every item says what it is and where it came from
    for words in ("Persoon", "(grondslag)", "Waar de gegevens vandaan komen", "Logboek"):
        assert words in text, words
    assert "demogegevens" in text  # who added it: the demo data, in words
    basis = resident.props.get("lawful_basis")
    if basis:
        assert LAWFUL_BASES[basis][0] in text  # the lawful basis in Dutch words
    contacts = list(demo_store.contacts("demo", node=resident.id))
    assert contacts, "the demo resident has contact moments"
    for contact in contacts:
        day = f"{contact.on.day} {DUTCH_MONTHS[contact.on.month - 1]} {contact.on.year}"
        assert day in text
    ties = list(demo_store.ties("demo", node=resident.id))
    assert any(word in text for _s, word, _en in STRENGTH_STEPS), "strengths are shown as words"
    assert "kent" in text or any(t.kind is not RelKind.KNOWS for t in ties)


def test_the_access_document_in_english(demo_client, resident):
    page = demo_client.get(f"/privacy/person/{resident.id}/export.html?lang=en")
    text = visible(page.get_data(as_text=True))
    assert f"Everything the library holds on {resident.name}" in text
    assert ENGLISH_DATE.search(text) and not ISO_MOMENT.search(text)
    assert "demo data" in text and "seeds.demo" not in text
    assert "Persoon" not in text and "Grondslag" not in text


def test_the_machine_readable_export_keeps_its_codes(demo_client, resident):
    data = demo_client.get(f"/privacy/person/{resident.id}/export.json").get_json()
    assert data["entity"]["kind"] == "Person"
    assert ISO_MOMENT.match(data["generated_at"])
    assert {e["actor"] for e in data["audit"]} >= {"seeds.demo"}


def test_the_logboek_page_says_who_did_what_in_words(demo_client):
    page = demo_client.get("/privacy/audit")
    assert page.status_code == 200
    text = visible(page.get_data(as_text=True))
    assert "Logboek" in text
    assert raw_codes_in(text) == []
    assert not ISO_MOMENT.search(text)
    assert DUTCH_DATE.search(text) and " om " in text
    assert "demogegevens" in text and "toegevoegd" in text
    english = visible(demo_client.get("/privacy/audit?lang=en").get_data(as_text=True))
    assert "demo data" in english and "added" in english and ENGLISH_DATE.search(english)


def test_the_logboek_csv_has_headers_and_words_in_the_readers_language(demo_client):
    body = demo_client.get("/privacy/audit.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Wanneer", "Wie", "Wat er gebeurde", "Betreft", "Naam", "Id"]
    assert len(rows) > 100
    for row in rows[1:]:
        assert not ISO_MOMENT.search(row[0])
        assert raw_codes_in(" | ".join(row[1:4])) == [], row
    assert {r[1] for r in rows[1:]} >= {"demogegevens"}
    assert "relatie" in {r[3] for r in rows[1:]}
    english = demo_client.get("/privacy/audit.csv?lang=en").get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("When,Who,What was done,Concerning,Name,Id")


def test_the_entity_page_shows_words_and_dates(demo_client, demo_store, resident):
    page = demo_client.get(f"/entity/{resident.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = visible(html)
    assert raw_codes_in(text) == [], raw_codes_in(text)
    assert not ISO_MOMENT.search(text) and not ISO_DAY.search(text), ISO_DAY.findall(text)[:3]
    assert DUTCH_DATE.search(text)
    assert "Persoon" in text
    assert any(word in text for _s, word, _en in STRENGTH_STEPS)
    for contact in demo_store.contacts("demo", node=resident.id):
        if contact.mode:
            assert contact.mode not in text.split()
