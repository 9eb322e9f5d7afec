"""Admin pages of a workspace: who may use it with which role, and its privacy settings.

Only admins of the current workspace reach these pages (every ``admin.*`` endpoint needs the
admin role, see :func:`web.auth.required_role_for`). An admin manages the accounts *of their
own workspace*: they invite people by e-mail address (the account holder accepts; the answer
never tells whether the address has an account), change roles, remove people and end their
sessions; accounts in other workspaces are not shown.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange

from mapper.accounts import ROLES
from mapper.errors import ConflictError, ValidationError
from mapper.privacy import (
    DEFAULT_REVIEW_MONTHS,
    ORGANISATIONS_ONLY,
    REVIEW_MONTHS,
    organisations_only,
)

from .auth import ROLE_LABELS, current_user, get_accounts, select_choices
from .db import current_workspace, get_store
from .forms import handle

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _role_choices() -> list[Any]:
    return select_choices([(r, str(ROLE_LABELS[r])) for r in ROLES])


class AddUserForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[])
    submit = SubmitField(_l("Invite"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])
    submit = SubmitField(_l("Change role"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Remove from this workspace"))


class EndSessionsForm(FlaskForm):
    submit = SubmitField(_l("End sessions"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Withdraw"))


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


def add_user_form(**fresh: Any) -> AddUserForm:
    form = AddUserForm(**fresh)
    form.role.choices = _role_choices()
    return form


def role_form(user_id: int, **fresh: Any) -> RoleForm:
    form = RoleForm(prefix=f"u{user_id}", **fresh)
    form.role.choices = _role_choices()
    return form


@bp.get("/")
def users():  # type: ignore[no-untyped-def]
    return render_users()


def render_users(posted: FlaskForm | None = None, user_id: int | None = None) -> str:
    """The users page; ``posted`` is a form that failed (the invitation form, or the role form
    of ``user_id``), shown with what was typed and its message."""
    ws = current_workspace()
    members = get_accounts().members(ws.slug)
    fresh = {"formdata": None}
    role_forms = {}
    for user, role in members:
        if posted is not None and user.id == user_id:
            role_forms[user.id] = posted
            continue
        form = role_form(user.id, **fresh)
        form.role.data = role
        role_forms[user.id] = form
    add_form = posted if posted is not None and user_id is None else add_user_form(**fresh)
    return render_template(
        "admin/users.html",
        workspace=ws.info,
        members=members,
        add_form=add_form,
        role_forms=role_forms,
        remove_forms={u.id: RemoveForm(prefix=f"r{u.id}") for u, _role in members},
        end_forms={u.id: EndSessionsForm(prefix=f"s{u.id}") for u, _role in members},
        invitations=get_accounts().invitations(workspace=ws.slug),
        withdraw_form=WithdrawForm(prefix="w"),
        me=current_user(),
    )


@bp.post("/users")
def add_user():  # type: ignore[no-untyped-def]
    """Invite someone by e-mail address. The answer is the same whether or not an account
    with that address exists (another workspace's accounts are not to be found out), and
    nothing is granted until the account holder accepts on their own account page. New
    accounts are made on the server (``mapper user add``)."""
    ws = current_workspace()
    form = add_user_form()

    def write() -> str:
        email = form.email.data.strip()
        try:
            get_accounts().invite(email, ws.slug, form.role.data, invited_by=g.user.email)
        except ValidationError as error:
            raise ValidationError("That is not an e-mail address.", field="email") from error
        return email

    return handle(
        form,
        write,
        again=lambda: render_users(form),
        success=url_for("admin.users"),
        message=lambda email: _(
            "Invitation made for %(email)s. If that address has an account, its holder sees "
            "the invitation on their account page and can accept it there; nothing changes "
            "until they do. Someone without an account gets one from the server's "
            "administrator (mapper user add) and then sees the invitation too.",
            email=email,
        ),
    )


@bp.post("/invitations/<invitation_id>/withdraw")
def withdraw(invitation_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    if not any(i["id"] == invitation_id for i in get_accounts().invitations(workspace=ws.slug)):
        abort(404)
    if WithdrawForm(prefix="w").validate_on_submit():
        get_accounts().withdraw_invitation(invitation_id)
        flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/sessions/end")
def end_sessions(user_id: int):  # type: ignore[no-untyped-def]
    user, _role = _member(user_id)
    if EndSessionsForm(prefix=f"s{user_id}").validate_on_submit():
        get_accounts().end_sessions(user.email)
        flash(_("Every session of %(email)s has ended.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
def set_role(user_id: int):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    user, _old = _member(user_id)
    form = role_form(user_id)

    def write() -> None:
        if user.id == g.user.id and form.role.data != "admin" and _last_admin(ws.slug, user.id):
            raise ValidationError("You are the last administrator of this workspace.", field="role")
        get_accounts().set_role(user.email, ws.slug, form.role.data)

    return handle(
        form,
        write,
        again=lambda: render_users(form, user_id),
        success=url_for("admin.users"),
        message=_("Role changed."),
    )


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
        return render_template("admin/settings.html", form=form, workspace=info)

    def write() -> None:
        try:
            get_store().update_workspace(
                ws.slug,
                settings={
                    ORGANISATIONS_ONLY: bool(form.organisations_only.data),
                    REVIEW_MONTHS: int(form.review_months.data),
                },
            )
        except ConflictError as error:
            raise ValidationError(
                "This workspace still holds people. Erase them first, then choose "
                "organisations only.",
                field="organisations_only",
            ) from error

    return handle(
        form,
        write,
        again=lambda: render_template("admin/settings.html", form=form, workspace=info),
        success=url_for("admin.settings"),
        message=_("Settings saved."),
    )
