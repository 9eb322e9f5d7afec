"""One way to handle a posted form: check it, write through the library, and either go on
(flash and redirect: POST/redirect/GET) or show the same page again with what was typed and
the message next to the field it is about (HTTP 422, never a redirect that loses the input).

>>> from flask import Flask
>>> from flask_wtf import FlaskForm
>>> from wtforms import StringField
>>> from mapper.errors import ValidationError
>>> class F(FlaskForm):
...     name = StringField("Name")
>>> app = Flask("doc")
>>> app.config.update(SECRET_KEY="x", WTF_CSRF_ENABLED=False)
>>> with app.test_request_context(method="POST", data={"name": "Ada"}):
...     form = F()
...     def write():
...         raise ValidationError("{name!r} is taken", field="name", name="Ada")
...     body, status = handle(form, write, again=lambda: form.name.errors[0], success="/")
>>> body, status
("'Ada' is taken", 422)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import flash, redirect
from flask_wtf import FlaskForm
from wtforms import Form

from mapper.errors import MapperError

__all__ = ["INVALID", "attach_error", "handle"]

#: The status of a page shown again because what was posted could not be taken
#: (*Unprocessable Content*): the browser shows it, a script can tell it apart from success.
INVALID = 422


def attach_error(
    form: Form, error: MapperError | str, fields: Mapping[str, str] | None = None
) -> None:
    """Put ``error``'s message next to the field it names, else on the form as a whole.

    ``error.field`` (a :class:`mapper.errors.ValidationError`'s) is the library's name of the
    value; ``fields`` maps it to the form's field where the names differ.
    """
    message = str(error)
    name = getattr(error, "field", None)
    name = (fields or {}).get(name, name) if name else None
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors") and name != "csrf_token":
        errors = list(target.errors) if isinstance(target.errors, (list, tuple)) else []
        target.errors = [*errors, message]
    else:
        form.form_errors.append(message)


def handle(
    form: FlaskForm,
    write: Callable[[], Any],
    *,
    again: Callable[[], Any],
    success: str | Callable[[Any], str],
    message: str | Callable[[Any], str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> Any:
    """Check ``form``, run ``write()``, and answer the request.

    Parameters
    ----------
    form
        The posted form (its CSRF token and validators are checked first).
    write
        The library call; what it returns is passed to ``success`` and ``message``.
    again
        Renders the page the form is on, with this same ``form`` (its data and errors); it is
        answered with status :data:`INVALID` when the form or the write fails.
    success
        Where to go after a write (a URL, or a function of the write's result).
    message
        Flashed after a write (text, or a function of the write's result).
    fields
        The library's field names mapped to the form's, where they differ.

    Returns
    -------
    A redirect after a write, else ``(page, 422)``; an error that carries its own ``status``
    (a refused login: 401) is answered with that one.
    """
    status = INVALID
    if form.validate_on_submit():
        try:
            result = write()
        except MapperError as error:
            attach_error(form, error, fields)
            status = int(getattr(error, "status", INVALID))
        else:
            if message is not None:
                flash(message(result) if callable(message) else message, "success")
            return redirect(success(result) if callable(success) else success)
    page = again()
    if isinstance(page, tuple):  # a view's (body, status): the status is ours
        page = page[0]
    return page, status
