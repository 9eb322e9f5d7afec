"""Logging in and out, and switching workspaces: the ``auth`` blueprint's session views
(the rules every request passes through are in :mod:`web.auth`).
"""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from mapper.errors import MapperError

from .auth import (
    SwitchForm,
    bp,
    get_accounts,
    public,
    safe_next,
    select_choices,
    start_session,
    workspace_choices,
)
from .forms import handle


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Log in"))


class LoginRefused(MapperError):
    """A wrong e-mail address or password: the login page again with 401 (not 422), the
    message on the form as a whole, since it does not say which of the two was wrong."""

    status = 401


@bp.route("/login", methods=["GET", "POST"])
@public
def login():  # type: ignore[no-untyped-def]
    target = safe_next(request.values.get("next"))
    if g.get("user") is not None:
        return redirect(target or url_for("main.index"))
    form = LoginForm()

    def page() -> str:
        return render_template("auth/login.html", form=form, next=target)

    if request.method != "POST":
        return page()

    def check() -> None:
        email = form.email.data.strip()
        # Check and count in one step: the attempt is reserved (counted as a failure) before
        # the password is evaluated, so parallel guesses cannot slip past the limit.
        user = get_accounts().check_password_of(email, form.password.data, request.remote_addr)
        if user is False:
            abort(429)
        if user is None:
            raise LoginRefused("Wrong e-mail address or password.")
        start_session(user)

    # a form that fails shows the page again (422, the message by its field; 401 for a wrong
    # password) with the e-mail address kept; a password is never sent back
    return handle(form, check, again=page, success=lambda _: target or url_for("main.index"))


@bp.post("/logout")
@public
def logout():  # type: ignore[no-untyped-def]
    # The CSRF token was checked before this view (authenticate_request).
    if session.get("sid"):
        get_accounts().end_session(str(session["sid"]))
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    return redirect(url_for("auth.login"))


@bp.post("/workspace")
def switch():  # type: ignore[no-untyped-def]
    form = SwitchForm(prefix="ws")
    form.workspace.choices = select_choices(workspace_choices())
    if form.validate_on_submit():
        session["workspace"] = form.workspace.data
    target = safe_next(request.form.get("next"))
    return redirect(target or url_for("main.index"))
