"""The process's Neo4j drivers (one per address and login) and the URL of a Neo4j store."""

from __future__ import annotations

import atexit
import hashlib
import os
import threading
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as neo_errors

from ...errors import StoreUnavailableError


def describe(exc: BaseException) -> str:
    """A driver error as one line (the driver's own messages may span several).

    >>> describe(OSError("Couldn't connect:\\n  refused"))
    "Couldn't connect: refused"
    """
    text = getattr(exc, "message", None) or str(exc)
    return " ".join(str(text).split())


_DRIVERS: dict[tuple[str, str | None], tuple[str, neo4j.Driver]] = {}
_DRIVERS_LOCK = threading.Lock()
_RETIRED: list[neo4j.Driver] = []


def _fingerprint(password: str | None) -> str:
    return hashlib.sha256((password or "").encode("utf-8")).hexdigest()


def get_driver(uri: str, user: str | None, password: str | None, **config: Any) -> neo4j.Driver:
    """The process's one driver for ``uri`` and ``user`` (created and checked on first use).

    Drivers are cached per URI and user for the life of the process (they hold the
    connection pool); a different password for the same user makes a new, checked driver.

    Raises
    ------
    StoreUnavailableError
        When the server cannot be reached or refuses the login, naming the address and user.
    """
    key = (uri, user)
    fingerprint = _fingerprint(password)
    with _DRIVERS_LOCK:
        cached = _DRIVERS.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        auth = (user, password or "") if user else None
        try:
            driver = neo4j.GraphDatabase.driver(uri, auth=auth, **config)
        except (neo_errors.ConfigurationError, ValueError) as exc:
            raise StoreUnavailableError(
                "cannot use the Neo4j address {uri!r}: {reason}", uri=uri, reason=describe(exc)
            ) from None
        try:
            driver.verify_connectivity()
        except neo_errors.AuthError as exc:
            driver.close()
            raise StoreUnavailableError(
                "Neo4j at {uri} refused the login for user {user!r}: check "
                "MAPPER_NEO4J_USER and MAPPER_NEO4J_PASSWORD ({reason})",
                uri=uri,
                user=user,
                reason=describe(exc),
            ) from None
        except (neo_errors.ServiceUnavailable, neo_errors.SessionExpired, OSError) as exc:
            driver.close()
            raise StoreUnavailableError(
                "cannot reach Neo4j at {uri}: is the server running, and are the host "
                "and port right? ({reason})",
                uri=uri,
                reason=describe(exc),
            ) from None
        except neo_errors.Neo4jError as exc:
            driver.close()
            raise StoreUnavailableError(
                "Neo4j at {uri} is not usable: {reason}", uri=uri, reason=describe(exc)
            ) from None
        except neo_errors.DriverError as exc:
            driver.close()
            raise StoreUnavailableError(
                "cannot connect to Neo4j at {uri}: {reason}", uri=uri, reason=describe(exc)
            ) from None
        if cached is not None:
            # Handles opened with the old login may still use it: close it at exit.
            _RETIRED.append(cached[1])
        _DRIVERS[key] = (fingerprint, driver)
        return driver


@atexit.register
def close_drivers() -> None:
    """Close every cached driver (at exit, or in a test that wants a fresh start)."""
    with _DRIVERS_LOCK:
        for driver in [d for _, d in _DRIVERS.values()] + _RETIRED:
            try:
                driver.close()
            except Exception:  # noqa: BLE001 - closing at exit must not fail
                pass
        _DRIVERS.clear()
        _RETIRED.clear()
    from . import schema

    schema.forget()


def parse_url(url: str) -> tuple[str, str | None, str | None, str | None]:
    """Split a Neo4j URL into the driver's address, user, password and database.

    >>> parse_url("neo4j+s://anna:ge%40heim@db.example.org:7687?database=libs&policy=eu")
    ('neo4j+s://db.example.org:7687?policy=eu', 'anna', 'ge@heim', 'libs')
    >>> parse_url("bolt://localhost:7687")
    ('bolt://localhost:7687', None, None, None)
    """
    parts = urlsplit(url)
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    query = parse_qsl(parts.query, keep_blank_values=True)
    database = next((v for k, v in query if k == "database"), None) or None
    rest = urlencode([(k, v) for k, v in query if k != "database"])
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, rest, "")), user, password, database


def _env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None
