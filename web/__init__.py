"""The Flask app: ``create_app()`` builds it; one blueprint per area of the method.

Settings come from the mapping given to ``create_app``, else from ``MAPPER_*`` environment
variables, else the defaults below. See README, "Configuration".
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from mapper.store import default_url

from . import db, i18n, security

csrf = CSRFProtect()

#: Blueprints of the app, as "module:attribute"; each area adds its own line.
BLUEPRINTS: list[str] = [
    "web.views:bp",
    "web.auth:bp",
    "web.admin:bp",
    "web.privacy:bp",
    "web.io:bp",
    "web.warm:bp",
    "web.community:bp",
    "web.aandeslag:bp",
    "web.team:bp",
    "web.verslag:bp",
    "web.maps:bp",
    "web.edit:bp",
    "web.api_entities:bp",
    "web.invite:bp",
    "web.invite_public:bp",  # the only pages without login
]

#: Settings read from the environment as MAPPER_<NAME>.
ENV_SETTINGS: tuple[str, ...] = ("DATABASE_URL", "WORKSPACE", "SECRET_KEY", "DEFAULT_LANGUAGE")
# Accounts and security (see web/auth.py): single-user mode, bound address, accounts file,
# session length in hours, Secure cookies even behind a TLS-terminating proxy.
ENV_SETTINGS += ("SINGLE_USER", "HOST", "ACCOUNTS_PATH", "SESSION_HOURS", "SECURE_COOKIES")
# Host names the app answers to besides 127.0.0.1, localhost and [::1] (web/security.py).
ENV_SETTINGS += ("TRUSTED_HOSTS",)
# Where uploads wait for their confirmation (web/io.py; `mapper privacy erase` looks there too).
ENV_SETTINGS += ("IMPORT_FOLDER",)
# Invitations (web/invite.py): the site address for links made by `mapper invite`, the mail
# server for confirmations, rate limits of the public form.
ENV_SETTINGS += ("BASE_URL", "SMTP_URL", "MAIL_FROM", "INVITE_LIMIT_ADDRESS")
ENV_SETTINGS += ("INVITE_LIMIT_INVITATION",)
# Serving (see README, "Running it for real"): how many reverse proxies to trust.
ENV_SETTINGS += ("PROXIES",)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=default_url(app.instance_path),
        WORKSPACE="demo",
        DEFAULT_LANGUAGE="nl",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
    )
    for name in ENV_SETTINGS:
        value = os.environ.get(f"MAPPER_{name}")
        if value:
            app.config[name] = value
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    _trust_proxies(app)
    db.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    from . import auth, errors

    auth.init_app(app)  # login, roles and CSRF for every request, before any area's hooks
    errors.init_app(app)
    nav: list[tuple[str, Any]] = []
    for spec in BLUEPRINTS:
        module_name, attr = spec.split(":")
        module = __import__(module_name, fromlist=[attr])
        app.register_blueprint(getattr(module, attr))
        nav.extend(getattr(module, "NAV", []))
    # Each area's module may define NAV = [(endpoint, lazy_gettext("Label")), ...]
    app.config["NAV"] = nav
    app.context_processor(lambda: {"nav_items": app.config["NAV"]})
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``PROXIES`` reverse proxies, take the client's address, scheme, host and path
    prefix from the last that many ``X-Forwarded-*`` headers (werkzeug's ProxyFix); with 0
    (the default) those headers are ignored, since anyone can send them."""
    try:
        proxies = int(app.config.get("PROXIES") or 0)
    except ValueError:
        raise ValueError(f"MAPPER_PROXIES {app.config['PROXIES']!r} is not a number") from None
    if proxies < 0:
        raise ValueError(f"MAPPER_PROXIES {proxies} is below 0")
    app.config["PROXIES"] = proxies
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies
        )


def _instance_secret(folder: Path) -> str:
    """A secret key kept in the instance folder, made on first start."""
    path = folder / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
