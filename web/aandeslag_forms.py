"""The forms of *Aan de slag* (Flask-WTF, each with its CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

CONTENT_KIND_LABELS = {
    "blog": _l("blog"),
    "video": _l("video"),
    "poster": _l("poster/flyer"),
    "event": _l("event"),
    "social": _l("social media"),
}
CONTENT_STATUS_LABELS = {"planned": _l("planned"), "done": _l("done")}
SCORE_LABELS = {
    "1": _l("1 · poor"),
    "2": _l("2 · meagre"),
    "3": _l("3 · fair"),
    "4": _l("4 · good"),
    "5": _l("5 · very good"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgreementForm(FlaskForm):
    task = StringField(
        _l("Task (who is responsible for what)"), validators=[DataRequired(), Length(max=200)]
    )
    who = SelectField(_l("Who"), choices=[])
    hours = StringField(_l("Hours per month"), validators=[Optional(), Length(max=10)])
    since = DateField(_l("From"), validators=[InputRequired()])
    submit = SubmitField(_l("Add agreement"))


class EndAgreementForm(FlaskForm):
    on = DateField(_l("Ends on"), validators=[InputRequired()])
    submit = SubmitField(_l("End agreement"))


class SettingsForm(FlaskForm):
    contact_person = SelectField(_l("Contact person"), choices=[])
    meeting_rhythm = StringField(
        _l("When and how often the community meets"), validators=[Optional(), Length(max=500)]
    )
    platform = SelectField(_l("Online platform"), choices=[])
    outcomes_place = StringField(
        _l("Where and how outcomes are recorded"), validators=[Optional(), Length(max=500)]
    )
    submit = SubmitField(_l("Save"))


class CheckpointForm(FlaskForm):
    date = DateField(_l("Date"), validators=[InputRequired()])
    goals = MultiCheckboxField(_l("SMART goals measured"), choices=[])
    how = TextAreaField(_l("How it is measured"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Plan measurement moment"))


class EvaluationForm(FlaskForm):
    date = DateField(_l("Evaluated on"), validators=[InputRequired()])
    went_well = TextAreaField(_l("What went well?"), validators=[Optional(), Length(max=4000)])
    to_change = TextAreaField(_l("What should change?"), validators=[Optional(), Length(max=4000)])
    partners_view = TextAreaField(
        _l("How do the partners see the cooperation?"), validators=[Optional(), Length(max=4000)]
    )
    score = SelectField(_l("Score"), choices=[])
    submit = SubmitField(_l("Save evaluation"))


class OutcomeForm(FlaskForm):
    what = StringField(_l("Outcome"), validators=[DataRequired(), Length(max=500)])
    date = DateField(_l("Date"), validators=[InputRequired()])
    where = StringField(_l("Where it is kept"), validators=[Optional(), Length(max=300)])
    link = StringField(_l("Link"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Add outcome"))


class ContentForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[])
    date = DateField(_l("Date"), validators=[InputRequired()])
    channel = SelectField(_l("Channel"), choices=[])
    owner = SelectField(_l("Owner"), choices=[])
    status = SelectField(_l("Status"), choices=[])
    submit = SubmitField(_l("Add to the calendar"))


class ContentStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[])
    submit = SubmitField(_l("Change"))
