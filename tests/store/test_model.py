"""The model's validation: clear errors naming the bad value."""

from __future__ import annotations

import datetime as dt

import pytest

from mapper import model
from mapper.errors import ValidationError
from mapper.i18n import use_language
from mapper.model import NodeKind, RelKind


@pytest.mark.parametrize("text", ["Person", "person", "PERSON", " Person "])
def test_node_kind_is_case_insensitive(text):
    assert model.node_kind(text) is NodeKind.PERSON


def test_unknown_kinds_name_the_value_and_the_allowed_ones():
    with pytest.raises(ValidationError) as info:
        model.node_kind("Dragon")
    assert "'Dragon'" in str(info.value) and "Organisation" in str(info.value)
    assert info.value.field == "kind" and info.value.value == "Dragon"
    with pytest.raises(ValidationError, match="unknown tie kind 'FRIEND'"):
        model.rel_kind("FRIEND")
    assert model.rel_kind("member of") is RelKind.MEMBER_OF
    assert model.rel_kind("bond-with") is RelKind.BOND_WITH


@pytest.mark.parametrize("value", [1.01, -0.01, "7", "abc", float("nan"), True])
def test_bad_strengths_are_refused(value):
    with pytest.raises(ValidationError) as info:
        model.check_strength(value)
    assert repr(value) in str(info.value)


@pytest.mark.parametrize(
    "value,expected", [(0, 0.0), (1, 1.0), ("0,5", 0.5), ("0.25", 0.25), (None, None), ("", None)]
)
def test_good_strengths(value, expected):
    assert model.check_strength(value) == expected


def test_every_rule_accepts_its_own_kinds_and_refuses_nonsense():
    for kind, (sources, targets) in model.TIE_RULES.items():
        for s in sources:
            for t in targets:
                model.check_tie_kinds(kind, s, t)
    with pytest.raises(ValidationError, match="a HAS_ROLE tie cannot go from Person to Community"):
        model.check_tie_kinds(RelKind.HAS_ROLE, NodeKind.PERSON, NodeKind.COMMUNITY)
    with pytest.raises(ValidationError, match="BOND_WITH tie cannot go from Theme"):
        model.check_tie_kinds(RelKind.BOND_WITH, NodeKind.THEME, NodeKind.PERSON)


def test_symmetric_kind_either_way():
    model.check_tie_kinds(RelKind.KNOWS, NodeKind.PERSON, NodeKind.STAFF)
    model.check_tie_kinds(RelKind.KNOWS, NodeKind.STAFF, NodeKind.PERSON)


def test_roles():
    assert model.check_role(RelKind.MEMBER_OF, "ambassador") == "ambassador"
    with pytest.raises(ValidationError, match="needs a role"):
        model.check_role(RelKind.HAS_ROLE, None)
    with pytest.raises(ValidationError, match="takes no role"):
        model.check_role(RelKind.KNOWS, "friend")
    with pytest.raises(ValidationError, match="'boss' is not allowed on HAS_ROLE"):
        model.check_role(RelKind.HAS_ROLE, "boss")


def test_strength_steps_round_trip():
    for step in range(1, 6):
        assert model.strength_step(model.step_strength(step)) == step
    # the reader's language by default (Dutch here), or the language asked for
    assert [model.strength_label(s, "nl") for s in (0.1, 0.3, 0.5, 0.7, 0.9)] == [
        "vluchtig",
        "zwak",
        "redelijk",
        "sterk",
        "zeer sterk",
    ]
    assert model.strength_label(0.9, "en") == "very strong"
    assert model.strength_label(None, "nl") == "onbekend"
    with use_language("nl"):
        assert model.strength_label(0.7) == "sterk"
    with pytest.raises(ValidationError):
        model.step_strength(6)


def test_dates_and_intervals():
    assert model.check_date("2025-02-28", field="since") == dt.date(2025, 2, 28)
    with pytest.raises(ValidationError, match="since '28-02-2025' is not a date"):
        model.check_date("28-02-2025", field="since")
    with pytest.raises(ValidationError, match="lies before"):
        model.check_interval(dt.date(2025, 1, 2), dt.date(2025, 1, 1))
    assert model.valid_on(dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 1, 31))
    assert not model.valid_on(dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 2, 1))


def test_props_must_be_storable():
    assert model.check_props({"a": [1, "x"], "b": None}) == {"a": [1, "x"], "b": None}
    with pytest.raises(ValidationError, match="property name 'bad key!'"):
        model.check_props({"bad key!": 1})
    with pytest.raises(ValidationError, match="cannot be stored"):
        model.check_props({"when": dt.date(2025, 1, 1)})
