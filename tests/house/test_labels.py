"""The model's words as people read them (mapper/labels.py): every code of every category has
its Dutch and English label, and the functions that show them speak the reader's language."""

from __future__ import annotations

import io

import pytest

from mapper import audit, labels
from mapper.analysis.community import METRICS
from mapper.analysis.goals import GOAL_METRICS
from mapper.i18n import use_language
from mapper.io import export as exporter
from mapper.io.plan import plan_import
from mapper.io.readers import read_bytes
from mapper.model import (
    BOND_TYPES,
    CHANNEL_MODES,
    COMMUNITY_ROLES,
    CONTACT_MODES,
    ROLES,
    STRENGTH_STEPS,
    NodeKind,
    RelKind,
    strength_label,
)
from mapper.policy import LAWFUL_BASES, lawful_basis_label
from mapper.services.warm import OUTCOMES

#: Words that are the same in Dutch and in the code (Dutch uses the English word).
SAME_IN_DUTCH = {"Community", "online", "offline", "Clustering", "Id", "type", "deadline"}

#: Every code the model, the audit trail and the analyses store, per category of labels.
MODEL_CODES: dict[str, set[str]] = {
    "kind": {k.value for k in NodeKind},
    "rel": {k.value for k in RelKind},
    "strength": {str(step) for step, _nl, _en in STRENGTH_STEPS},
    "role": {r for roles in ROLES.values() for r in roles} | set(COMMUNITY_ROLES),
    "bond_type": set(BOND_TYPES),
    "channel_mode": set(CHANNEL_MODES),
    "contact_mode": set(CONTACT_MODES),
    "outcome": set(OUTCOMES),
    "action": set(audit.ACTIONS),
    "target_type": set(audit.TARGET_TYPES),
    "actor": {"local", "system", "seeds.demo"},
    "lawful_basis": set(LAWFUL_BASES),
    "measure": set(METRICS) | set(GOAL_METRICS),
}


def in_language(lang, value, category=None):
    with use_language(lang):
        return labels.label(value, category)


@pytest.mark.parametrize("category", sorted(MODEL_CODES))
def test_every_code_of_the_model_has_a_label(category):
    table = labels.CATEGORIES[category]
    assert MODEL_CODES[category] <= set(table), MODEL_CODES[category] - set(table)


@pytest.mark.parametrize("category", sorted(labels.CATEGORIES))
def test_every_label_has_dutch_and_english(category):
    for code, msgid in labels.CATEGORIES[category].items():
        dutch, english = in_language("nl", code, category), in_language("en", code, category)
        assert english == msgid and english.strip(), (category, code)
        assert dutch.strip(), (category, code)
        if dutch not in SAME_IN_DUTCH:
            assert dutch != code, f"{category} {code!r} has no Dutch label"
            assert dutch != english, f"{category} {code!r}: Dutch is the English {english!r}"


def test_every_enum_member_has_its_words():
    for kind in NodeKind:
        dutch, english = in_language("nl", kind), in_language("en", kind)
        assert english == labels.KIND_LABELS[kind]
        assert dutch != kind.value or dutch in SAME_IN_DUTCH
    for rel in RelKind:
        dutch, english = in_language("nl", rel), in_language("en", rel)
        assert english == labels.REL_LABELS[rel] and english != rel.value
        assert dutch not in (rel.value, english)


def test_known_words():
    with use_language("nl"):
        assert labels.label(RelKind.MEMBER_OF) == "is lid van"
        assert labels.label("builder", "role") == "bouwer"
        assert labels.label("4", "strength") == "sterk"
        assert labels.label("legitimate_interest", "lawful_basis") == "gerechtvaardigd belang"
        assert labels.label("activities_per_month", "measure").startswith("Activiteiten per maand")
        assert labels.label("seeds.demo", "actor") == "demogegevens"
        assert labels.label("local", "actor") == "deze computer"
        assert labels.label("erase", "action") == "gewist"
        assert labels.label("not-now", "outcome") == "Nu niet"
        assert labels.label("geography", "bond_type") == "geografie"
    with use_language("en"):
        assert labels.label("seeds.demo", "actor") == "demo data"
        assert labels.label("local", "actor") == "this computer"


def test_label_takes_codes_loosely_and_leaves_the_unknown_alone():
    with use_language("nl"):
        assert labels.label("smart_goal", "kind") == labels.label(NodeKind.SMART_GOAL)
        assert labels.label("member-of", "rel") == "is lid van"
        assert labels.label("anna@bieb.nl", "actor") == "anna@bieb.nl"
        assert labels.label("zomaar", "role") == "zomaar"
        assert labels.label("zomaar") == "zomaar"
        assert labels.label(None, "role") == ""
        assert labels.field_label("props.lawful_basis") == "grondslag"
        assert labels.field_label("until") == "geldig tot"


def test_strength_and_lawful_basis_in_the_readers_language():
    words = [strength_label(s, "nl") for s in (0.1, 0.3, 0.5, 0.7, 0.9)]
    assert words == ["vluchtig", "zwak", "redelijk", "sterk", "zeer sterk"]
    assert [strength_label(s, "en") for s in (0.1, 0.9)] == ["fleeting", "very strong"]
    with use_language("nl"):
        assert strength_label(None) == "onbekend"
        assert strength_label(0.8, "en") == "strong"  # lang= still wins
        assert lawful_basis_label("consent") == "toestemming"
        assert lawful_basis_label("consent", "en") == "consent"
        assert lawful_basis_label(None) == ""
    with use_language("en"):
        assert strength_label(0.8) == "strong"
        assert lawful_basis_label("public_task") == "public task"
        assert lawful_basis_label("public_task", "nl") == "taak van algemeen belang"


def test_audit_entries_in_words():
    entry = audit.AuditEntry(
        "2026-12-01T14:05:09+00:00",
        "seeds.demo",
        "update",
        "node",
        "per-1",
        "Jan",
        detail={"changed": ["name", "props.lawful_basis"], "version": 2},
    )
    tie = audit.AuditEntry("2026-12-01T14:05:09+00:00", "local", "end", "tie", "t-1", "KNOWS")
    with use_language("nl"):
        assert audit.action_text(entry) == "gewijzigd (naam, grondslag)"
        assert audit.subject_text(tie) == "relatie: kent"
        assert audit.actor_text(tie.actor) == "deze computer"
        assert audit.moment_text(entry) == "1 december 2026 om 15:05"  # 14:05 UTC, Dutch time
        rows = audit.readable_rows([entry, tie])
    assert rows[0] == ["Wanneer", "Wie", "Wat er gebeurde", "Betreft", "Naam", "Id"]
    assert rows[1][1:5] == ["demogegevens", "gewijzigd (naam, grondslag)", "item", "Jan"]
    assert rows[2][1:5] == ["deze computer", "beëindigd", "relatie", "kent"]
    with use_language("en"):
        assert audit.readable_rows([tie])[0][:2] == ["When", "Who"]
        assert audit.moment_text(entry) == "1 December 2026 at 15:05"


def test_xlsx_export_writes_dutch_roles_that_import_back_as_codes(store):
    ws = store.create_workspace("bron", "Bibliotheek Bron")
    jan = ws.add_node("Person", "Jan de Vries")
    repair = ws.add_node("Organisation", "Repair Café")
    ws.add_tie("MEMBER_OF", jan.id, repair.id, role="volunteer", since="2024-01-01")
    rows = exporter.template_rows(exporter.select(store, "bron"))
    (tie_row,) = rows["ties"]
    assert "vrijwilliger" in tie_row and "volunteer" not in tie_row
    out = io.BytesIO()
    exporter.export(store, "bron", "xlsx", out)
    store.create_workspace("kopie")
    plan = plan_import(store, "kopie", read_bytes(out.getvalue(), "export.xlsx"))
    assert plan.ok, plan.errors[:5]
    plan.apply()
    (copied,) = store.ties("kopie", kind="MEMBER_OF")
    assert copied.role == "volunteer"
