"""Security headers sent with every response, the Host check, and no caching of pages.

The Content-Security-Policy allows scripts, styles, images and connections only from the app's
own origin: no inline script, no CDN, no web fonts, no framing by other sites.

**Trusted hosts.** Every request must name, in its ``Host`` header, a name the app is bound
to: ``127.0.0.1``, ``localhost``, ``[::1]``, the address of ``HOST`` (``mapper serve
--host``) and those of ``TRUSTED_HOSTS`` (``MAPPER_TRUSTED_HOSTS``, comma-separated; a
leading dot takes every subdomain). Any other gets 400, in every mode: a page of another site
whose name was pointed at 127.0.0.1 (DNS rebinding) cannot read the librarian's own app.

**No caching.** Every response but the static files holds, or may hold, personal data: all are
``Cache-Control: no-store``.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, request

from mapper.model import strip_bidi

#: Host names a local app always answers to.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
#: Bind addresses that name no host (every interface).
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::", "[::]"})

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # vis-network sets element styles from script; no inline <style> or style="" from us.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def set_security_headers(response):  # type: ignore[no-untyped-def]
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


def trusted_hosts(config: Any) -> list[str]:
    """The host names this app answers to (see the module docstring), lower case.

    >>> trusted_hosts({"HOST": "10.0.0.5", "HOST_NAMES": "mapper.bieb.nl, .bieb.nl"})
    ['127.0.0.1', 'localhost', '[::1]', '10.0.0.5', 'mapper.bieb.nl', '.bieb.nl']
    """
    names = list(LOOPBACK_NAMES)
    host = str(config.get("HOST") or "").strip().lower()
    if host and host not in WILDCARD_HOSTS:
        names.append(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    extra = config.get("HOST_NAMES") or []
    if isinstance(extra, str):
        extra = extra.split(",")
    names += [str(n).strip().lower() for n in extra if str(n).strip()]
    return list(dict.fromkeys(names))


def host_name(host: str) -> str:
    """The name in a ``Host`` header, without its port, lower case.

    >>> host_name("[::1]:5000"), host_name("LocalHost:80"), host_name("evil.example")
    ('[::1]', 'localhost', 'evil.example')
    """
    host = host.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[: end + 1] if end != -1 else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_trusted(host: str, names: list[str]) -> bool:
    name = host_name(host)
    for trusted in names:
        if trusted.startswith("."):
            if name == trusted[1:] or name.endswith(trusted):
                return True
        elif name == trusted:
            return True
    return False


def check_host() -> None:
    """Before every request: 400 unless the Host header names a trusted host."""
    names = current_app.config.get("_TRUSTED_HOST_NAMES")
    if names is None:
        names = current_app.config["_TRUSTED_HOST_NAMES"] = trusted_hosts(current_app.config)
    host = request.headers.get("Host", "")
    if not is_trusted(request.host or host, names):
        abort(400, description="untrusted-host")


def show(value: Any) -> Any:
    """What a template shows for ``{{ value }}``: bidi controls removed from text (the
    escaping that follows is Jinja's)."""
    return strip_bidi(value) if isinstance(value, str) else value


def no_store(response: Any) -> Any:
    """Keep every page out of every cache (the static files may be cached)."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.headers["Pragma"] = "no-cache"
    return response


def init_app(app) -> None:  # type: ignore[no-untyped-def]
    # ``TRUSTED_HOSTS`` (MAPPER_TRUSTED_HOSTS) is checked here, so that IPv6 loopback and
    # upper case work; Flask's own check of the same name (werkzeug) is switched off.
    app.config["HOST_NAMES"] = app.config.get("TRUSTED_HOSTS")
    app.config["TRUSTED_HOSTS"] = None
    app.before_request(check_host)
    # Every value a template shows passes here: bidi controls (U+202E …) in user text are
    # dropped, so a name cannot turn the rest of the line around.
    app.jinja_env.finalize = show
    app.after_request(set_security_headers)
    app.after_request(no_store)
