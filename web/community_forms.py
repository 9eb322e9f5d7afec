"""The forms of the community pages (Flask-WTF): a new community, its definition, a library
role, a member who joined, a member who left or changed role, a SMART goal, a measurement and
the readiness check; with the functions that fill their choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mapper.analysis.goals import DIRECTIONS, GOAL_METRICS
from mapper.analysis.readiness import QUESTIONS
from mapper.labels import label
from mapper.model import BOND_TYPES, ROLES, NodeKind, RelKind

from .community_labels import BOND_LABELS, DIRECTION_LABELS, MEMBER_ROLE_LABELS, METRIC_LABELS, lang
from .db import current_workspace


def pick(pairs: Iterable[tuple[str, Any]]) -> list[SelectChoice]:
    """Choices for a select field (wtforms wants SelectChoice objects, not tuples)."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def options(kind: NodeKind, *, blank: Any = None) -> list[tuple[str, str]]:
    nodes = sorted(current_workspace().nodes(kind=kind), key=lambda n: (n.name.casefold(), n.id))
    choices = [(n.id, n.name) for n in nodes]
    return ([("", str(blank))] if blank is not None else []) + choices


# --------------------------------------------------------------------------- forms


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NewCommunityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    bond_type = SelectField(_l("Primary bond"), choices=[])
    submit = SubmitField(_l("Add community"))


class DefinitionForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    bond_type = SelectField(_l("Primary bond"), choices=[])
    traits = TextAreaField(_l("Specific traits (one per line)"), validators=[Length(max=4000)])
    themes = MultiCheckboxField(_l("Themes"), choices=[])
    channels = MultiCheckboxField(_l("Channels where the community is active"), choices=[])
    goals = MultiCheckboxField(_l("Library goals it serves"), choices=[])
    own_goals = TextAreaField(_l("The community's own goals"), validators=[Length(max=4000)])
    norms = TextAreaField(_l("Norms and values"), validators=[Length(max=4000)])
    challenges = TextAreaField(_l("Challenges"), validators=[Length(max=4000)])
    vision = TextAreaField(_l("Shared vision"), validators=[Length(max=4000)])
    on = DateField(_l("Changed on"), validators=[InputRequired()])
    submit = SubmitField(_l("Save"))


class RoleForm(FlaskForm):
    staff = SelectField(_l("Staff member"), choices=[])
    on = DateField(_l("From"), validators=[InputRequired()])
    submit = SubmitField(_l("Save role"))


class MemberForm(FlaskForm):
    member = SelectField(_l("Person or organisation"), choices=[], validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=[])
    since = DateField(_l("Joined on"), validators=[InputRequired()])
    submit = SubmitField(_l("Add member"))


class MemberChangeForm(FlaskForm):
    member = SelectField(_l("Member"), choices=[], validators=[DataRequired()])
    change = SelectField(_l("Change"), choices=[])
    on = DateField(_l("On"), validators=[InputRequired()])
    submit = SubmitField(_l("Record"))


class GoalForm(FlaskForm):
    name = StringField(_l("Goal"), validators=[DataRequired(), Length(max=200)])
    metric = SelectField(_l("What is measured"), choices=[])
    direction = SelectField(_l("Target"), choices=[])
    target = StringField(_l("Target value"), validators=[DataRequired(), Length(max=20)])
    deadline = DateField(_l("Deadline"), validators=[InputRequired()])
    start = DateField(_l("Set on"), validators=[InputRequired()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add SMART goal"))


class MeasurementForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=20)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add measurement"))


def readiness_form_class() -> type[FlaskForm]:
    class ReadinessForm(FlaskForm):
        submit = SubmitField(_l("Save answers"))

    for question in QUESTIONS:
        setattr(
            ReadinessForm,
            question.key,
            RadioField(
                question.nl if lang() == "nl" else question.en,
                choices=pick([("yes", _l("yes")), ("no", _l("no")), ("", _l("not answered"))]),
                default="",
                validate_choice=True,
            ),
        )
    return ReadinessForm


def _bond_choices() -> list[tuple[str, str]]:
    return [("", _("(not chosen)"))] + [(b, str(BOND_LABELS[b])) for b in BOND_TYPES]


def new_community_form() -> NewCommunityForm:
    form = NewCommunityForm()
    form.bond_type.choices = pick(_bond_choices())
    return form


#: ``formdata=`` for a form shown fresh on a page whose other form was posted (so it does not
#: take that form's values: two forms here both have a field ``member``).
FRESH: dict[str, Any] = {"formdata": None}


def role_form(role: str, **fresh: Any) -> RoleForm:
    form = RoleForm(prefix=role, **fresh)
    form.staff.choices = pick([("", _("(nobody)"))] + options(NodeKind.STAFF))
    return form


def member_form(matches: Iterable[Any] = (), **fresh: Any) -> MemberForm:
    """The form for someone who joined; ``matches`` (nodes: the search's matches, or the one
    posted) are its choices, each shown with its kind."""
    form = MemberForm(**fresh)
    form.member.choices = pick(
        (n.id, _("%(name)s (%(kind)s)", name=n.name, kind=label(n.kind))) for n in matches
    )
    form.role.choices = pick([(r, str(MEMBER_ROLE_LABELS[r])) for r in ROLES[RelKind.MEMBER_OF]])
    return form


def member_change_form(current: list[dict[str, Any]], **fresh: Any) -> MemberChangeForm:
    """The form for a member who left or changed role (``current``: the current members, or
    the one posted, as ``{id, name}``)."""
    form = MemberChangeForm(**fresh)
    form.member.choices = pick((m["id"], m["name"]) for m in current)
    form.change.choices = pick(change_choices())
    return form


def change_choices() -> list[tuple[str, str]]:
    return [
        ("leave", _("left the community")),
        ("ambassador", _("became an ambassador")),
        ("member", _("is an ordinary member again")),
    ]


def new_goal_form(**fresh: Any) -> GoalForm:
    form = GoalForm(prefix="goal", **fresh)
    form.metric.choices = pick([(m, str(METRIC_LABELS[m])) for m in GOAL_METRICS])
    form.direction.choices = pick([(d, str(DIRECTION_LABELS[d])) for d in DIRECTIONS])
    if not form.start.data and not form.start.raw_data:
        form.start.data = dt.date.today()
    return form


def measurement_form(goal_id: str, **fresh: Any) -> MeasurementForm:
    return MeasurementForm(prefix=f"m-{goal_id}", **fresh)


def definition_form() -> DefinitionForm:
    form = DefinitionForm()
    form.bond_type.choices = pick(_bond_choices())
    form.themes.choices = pick(options(NodeKind.THEME))
    form.channels.choices = pick(options(NodeKind.CHANNEL))
    form.goals.choices = pick(options(NodeKind.GOAL))
    return form
