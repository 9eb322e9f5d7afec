"""Admin pages of a workspace: who may use it with which role, and its privacy settings.

Only admins of the current workspace reach these pages (every ``admin.*`` endpoint needs the
admin role, see :func:`web.auth.required_role_for`). An admin manages the accounts *of their
own workspace*: they add people, change roles and remove people from it; accounts in other
workspaces are not shown.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from mapper.accounts import ROLES
from mapper.errors import ConflictError, MapperError, NotFoundError, ValidationError
from mapper.privacy import (
    DEFAULT_REVIEW_MONTHS,
    ORGANISATIONS_ONLY,
    REVIEW_MONTHS,
    organisations_only,
)

from .auth import ROLE_LABELS, current_user, get_accounts, select_choices
from .db import current_workspace, get_store

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _role_choices() -> list[Any]:
    return select_choices([(r, str(ROLE_LABELS[r])) for r in ROLES])


class AddUserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    password = PasswordField(
        _l("Password (at least 10 characters; not needed for an existing account)"),
        validators=[Optional(), Length(min=10, max=200)],
    )
    role = SelectField(_l("Role"), choices=[])
    submit = SubmitField(_l("Add"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    submit = SubmitField(_l("Change role"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Remove from this workspace"))


class SettingsForm(FlaskForm):
    organisations_only = BooleanField(_l("Organisations only: keep no names of residents"))
    review_months = IntegerField(
        _l("Review people not contacted for this many months"),
        validators=[DataRequired(), NumberRange(min=1, max=120)],
    )
    submit = SubmitField(_l("Save settings"))


def _member(user_id: int) -> tuple:
    for user, role in get_accounts().members(current_workspace().slug):
        if user.id == user_id:
            return user, role
    abort(404)


@bp.get("/")
def users():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    members = get_accounts().members(ws.slug)
    add_form = AddUserForm()
    add_form.role.choices = _role_choices()
    role_forms = {}
    for user, role in members:
        form = RoleForm(prefix=f"u{user.id}")
        form.role.choices = _role_choices()
        form.role.data = role
        role_forms[user.id] = form
    return render_template(
        "admin/users.html",
        workspace=ws.info,
        members=members,
        add_form=add_form,
        role_forms=role_forms,
        remove_forms={u.id: RemoveForm(prefix=f"r{u.id}") for u, _role in members},
        me=current_user(),
    )


@bp.post("/users")
def add_user():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    form = AddUserForm()
    form.role.choices = _role_choices()
    if not form.validate_on_submit():
        flash(
            _("Fill in an e-mail address and a role; a password needs at least 10 characters."),
            "error",
        )
        return redirect(url_for("admin.users"))
    accounts = get_accounts()
    email = form.email.data.strip()
    try:
        try:
            accounts.user(email)
        except NotFoundError:
            if not form.password.data:
                flash(_("A new account needs a password."), "error")
                return redirect(url_for("admin.users"))
            accounts.add_user(email, form.password.data, name=form.name.data)
        accounts.set_role(email, ws.slug, form.role.data)
    except (ValidationError, ConflictError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.users"))
    flash(_("%(email)s can now use this workspace.", email=email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    user, _old = _member(user_id)
    form = RoleForm(prefix=f"u{user_id}")
    form.role.choices = _role_choices()
    if form.validate_on_submit():
        if user.id == g.user.id and form.role.data != "admin" and _last_admin(ws.slug, user.id):
            flash(_("You are the last administrator of this workspace."), "error")
        else:
            get_accounts().set_role(user.email, ws.slug, form.role.data)
            flash(_("Role changed."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/remove")
def remove_user(user_id: int):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    user, _role = _member(user_id)
    if RemoveForm(prefix=f"r{user_id}").validate_on_submit():
        if _last_admin(ws.slug, user.id):
            flash(_("You are the last administrator of this workspace."), "error")
        else:
            get_accounts().set_role(user.email, ws.slug, None)
            flash(
                _("%(email)s no longer has access to this workspace.", email=user.email), "success"
            )
    return redirect(url_for("admin.users"))


def _last_admin(workspace: str, user_id: int) -> bool:
    admins = [u.id for u, r in get_accounts().members(workspace) if r == "admin"]
    return admins == [user_id]


@bp.route("/settings", methods=["GET", "POST"])
def settings():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    info = ws.info
    form = SettingsForm()
    if request.method == "GET":
        form.organisations_only.data = organisations_only(info.settings)
        form.review_months.data = int(info.settings.get(REVIEW_MONTHS) or DEFAULT_REVIEW_MONTHS)
    elif form.validate_on_submit():
        try:
            get_store().update_workspace(
                ws.slug,
                settings={
                    ORGANISATIONS_ONLY: bool(form.organisations_only.data),
                    REVIEW_MONTHS: int(form.review_months.data),
                },
            )
        except ConflictError:
            flash(
                _(
                    "This workspace still holds people. Erase them first, then choose "
                    "organisations only."
                ),
                "error",
            )
        except MapperError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Settings saved."), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form, workspace=info)
