"""Error pages: a short message in the user's language, never a stack trace or database detail.

Pages get a plain page (``auth/error.html``, which does not depend on the store, so it renders
even when the database is the problem); the JSON API gets ``{"error": code, "message": …}``.
An entity that is not in the user's workspace is *not found* (404), the same as one that
does not exist at all.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from mapper.errors import NotFoundError, StoreUnavailableError, ValidationError

#: Title and explanation per status code (English msgids, translated in auth.po).
MESSAGES: dict[int, tuple[Any, Any]] = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    401: (_l("Login needed"), _l("Log in to use this page.")),
    403: (_l("Not allowed"), _l("Your role in this workspace does not allow this.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not in your workspace.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("The file is larger than this app accepts.")),
    429: (
        _l("Too many attempts"),
        _l("Too many failed logins. Wait a quarter of an hour and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The app could not finish this. Nothing was changed. Please try again later."),
    ),
    503: (
        _l("Not available"),
        _l("The app cannot reach its data right now. Please try again later."),
    ),
}
CSRF_MESSAGE = _l(
    "The form was too old or incomplete (its security token was missing). "
    "Please go back, reload the page and try again."
)


def _wants_json() -> bool:
    from .auth import is_api_request

    return is_api_request()


def render_error(code: int, message: Any = None) -> Any:
    title, default = MESSAGES.get(code, MESSAGES[500])
    text = str(message or default)
    if _wants_json():
        response = jsonify({"error": code, "message": text})
    else:
        response = current_app.make_response(
            render_template(
                "auth/error.html",
                code=code,
                title=str(title),
                message=text,
                error_lang=str(get_locale() or "nl"),
            )
        )
    response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="community-mapper"'
    return response


def handle_http(exc: HTTPException) -> Any:
    code = exc.code or 500
    if isinstance(exc, CSRFError):
        return render_error(400, CSRF_MESSAGE)
    response = render_error(code if code in MESSAGES else (400 if code < 500 else 500))
    if code == 405 and exc.get_response().headers.get("Allow"):
        response.headers["Allow"] = exc.get_response().headers["Allow"]
    return response


def handle_not_found(exc: NotFoundError) -> Any:
    return render_error(404)


def handle_validation(exc: ValidationError) -> Any:
    # The message names the bad value the user gave; it is shown escaped, as text.
    return render_error(400, exc.message)


def handle_unavailable(exc: StoreUnavailableError) -> Any:
    # The store cannot be reached (server down, wrong login): the administrator finds the
    # reason in the log; the user sees one plain message, no address or login.
    current_app.logger.error("store unavailable: %s", exc)
    return render_error(503)


def handle_unexpected(exc: Exception) -> Any:
    # Flask has already logged the exception with its traceback, for the administrator.
    return render_error(500)


def init_app(app: Any) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(NotFoundError, handle_not_found)
    app.register_error_handler(ValidationError, handle_validation)
    app.register_error_handler(StoreUnavailableError, handle_unavailable)
    app.register_error_handler(InternalServerError, handle_unexpected)
