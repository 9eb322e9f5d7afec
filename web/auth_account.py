"""A person's own account: the account page, a new API token, a new password, and the
invitations of colleagues to join a workspace (accept or decline) — views of the ``auth``
blueprint (the rules every request passes through are in :mod:`web.auth`).
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from mapper.errors import NotFoundError, ValidationError

from .auth import (
    LocalUser,
    bp,
    current_user,
    get_accounts,
    start_session,
    user_workspaces,
    workspace_choices,
)
from .forms import handle


class TokenForm(FlaskForm):
    submit = SubmitField(_l("Make a new API token"))


class AcceptForm(FlaskForm):
    submit = SubmitField(_l("Accept"))


class DeclineForm(FlaskForm):
    submit = SubmitField(_l("Decline"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(min=10, max=200, message=_l("A new password needs at least 10 characters.")),
        ],
    )
    submit = SubmitField(_l("Change password"))


@bp.get("/account")
def account():  # type: ignore[no-untyped-def]
    user = current_user()
    if getattr(user, "local", False):
        abort(404)
    return _account_page()


def _account_page(token: str | None = None, password_form: PasswordForm | None = None) -> Any:
    from .db import get_store

    names = dict(workspace_choices())
    user = current_user()
    invitations = get_accounts().invitations(email=user.email) if user is not None else []
    try:
        names_all = {w.slug: w.name for w in get_store().workspaces()} if invitations else {}
    except Exception:  # noqa: BLE001 - the names are a nicety; the slugs will do
        names_all = {}
    return render_template(
        "auth/account.html",
        roles=sorted(user_workspaces().items()),
        names=names,
        names_all=names_all,
        token=token,
        token_form=TokenForm(prefix="token"),
        password_form=password_form or PasswordForm(prefix="pw"),
        invitations=invitations,
        accept_form=AcceptForm(prefix="acc"),
        decline_form=DeclineForm(prefix="dec"),
    )


@bp.post("/account/invitations/<invitation_id>/accept")
def accept(invitation_id: str):  # type: ignore[no-untyped-def]
    user = _invited(invitation_id)
    if not AcceptForm(prefix="acc").validate_on_submit():
        abort(400)
    try:
        slug = get_accounts().accept_invitation(invitation_id, user)
    except NotFoundError:
        abort(404)
    session["workspace"] = slug
    flash(_("Invitation accepted."), "success")
    return redirect(url_for("auth.account"))


def _invited(invitation_id: str) -> Any:
    """The current account, if ``invitation_id`` is one of its open invitations; else 404."""
    user = current_user()
    if getattr(user, "local", False) or user is None:
        abort(404)
    if not any(i["id"] == invitation_id for i in get_accounts().invitations(email=user.email)):
        abort(404)
    return user


@bp.post("/account/invitations/<invitation_id>/decline")
def decline(invitation_id: str):  # type: ignore[no-untyped-def]
    _invited(invitation_id)
    if not DeclineForm(prefix="dec").validate_on_submit():
        abort(400)
    get_accounts().withdraw_invitation(invitation_id)
    flash(_("Invitation declined."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/token")
def token():  # type: ignore[no-untyped-def]
    user = current_user()
    if user is None or isinstance(user, LocalUser):
        abort(404)
    if TokenForm(prefix="token").validate_on_submit():
        # Shown once, in this answer (no-store); never kept in the session cookie.
        return _account_page(get_accounts().issue_token(user.email))
    return redirect(url_for("auth.account"))


@bp.post("/account/password")
def password():  # type: ignore[no-untyped-def]
    user = current_user()
    if user is None or isinstance(user, LocalUser):
        abort(404)
    form = PasswordForm(prefix="pw")

    def change() -> None:
        accounts = get_accounts()
        # The current password is held to the same limit as a login (one step, reserved).
        checked = accounts.check_password_of(user.email, form.current.data, request.remote_addr)
        if checked is False:
            abort(429)
        if checked is None:
            raise ValidationError("The current password is not right.", field="current")
        # Ends every session of the account and revokes its API token; this browser goes on
        # with a fresh session.
        accounts.set_password(user.email, form.new.data)
        start_session(user)

    # a form that fails shows the account page again (422) with the message by its field
    return handle(
        form,
        change,
        again=lambda: _account_page(password_form=form),
        success=url_for("auth.account"),
        message=_("Your password has been changed. Other sessions and your API token have ended."),
    )
