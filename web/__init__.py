"""The Flask app: ``create_app()`` builds it; one blueprint per area of the method.

Settings come from the mapping given to ``create_app``, else from ``MAPPER_*`` environment
variables, else the defaults below. See README, "Configuration".
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from mapper.store import default_url

from . import db, i18n, security
from .extensions import csrf
from .settings import ENV_SETTINGS

__all__ = ["ENV_SETTINGS", "create_app", "csrf"]


def blueprints() -> list[Blueprint]:
    """The blueprints of the app, one per area, in the order their pages appear in the menu.

    Imported here, when an app is made, not when ``web`` is imported: an area's module may
    import ``web.extensions`` and ``web.auth`` without closing a cycle through this package.
    An area may spread its views over sibling modules that add them to its one blueprint, so
    that every endpoint keeps its name: ``auth_login`` and ``auth_account`` add to ``auth``,
    ``io_exports`` and ``io_duplicates`` to ``io``; importing them here, before any blueprint is registered, is what adds those views.
    """
    from . import (  # noqa: F401 - the modules that add views to a blueprint are used so
        aandeslag,
        admin,
        api_entities,
        auth,
        auth_account,
        auth_login,
        community,
        edit,
        invite,
        invite_public,
        io_duplicates,
        io_exports,
        maps,
        privacy,
        team,
        verslag,
        views,
        warm,
    )
    from . import io as io_area

    return [
        views.bp,
        auth.bp,
        admin.bp,
        privacy.bp,
        io_area.bp,
        warm.bp,
        community.bp,
        aandeslag.bp,
        team.bp,
        verslag.bp,
        maps.bp,
        edit.bp,
        api_entities.bp,
        invite.bp,
        invite_public.bp,  # the only pages without login
    ]


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
    from . import auth, errors, page_cache

    auth.init_app(app)  # login, roles and CSRF for every request, before any area's hooks
    errors.init_app(app)
    nav: list[tuple[str, Any]] = []
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
        nav.extend(getattr(sys.modules[blueprint.import_name], "NAV", []))
    # Each area's module may define NAV = [(endpoint, lazy_gettext("Label")), ...]
    app.config["NAV"] = nav
    app.context_processor(lambda: {"nav_items": app.config["NAV"]})
    page_cache.init_app(app)  # after authentication and every area's hooks
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
