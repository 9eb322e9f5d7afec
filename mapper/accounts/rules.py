"""What an account is and must be: the roles per workspace, the limits on logins and
passwords and their checks, the :class:`User` value, and where the accounts file lives.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ValidationError

#: Roles per workspace, weakest first: a viewer reads, an editor also writes, an admin also
#: manages users and the workspace's settings.
ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES, start=1)}

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
LOGIN_RE = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,185}$")

#: Failed logins allowed per account, and per address, within the window.
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_SECONDS = 15 * 60


#: How long an invitation to a workspace waits for the account holder (seconds).
INVITATION_SECONDS = 14 * 24 * 3600


@dataclass(frozen=True, slots=True)
class User:
    """An account. ``password_hash`` is kept out of ``repr``."""

    id: int
    email: str
    name: str | None
    created_at: str
    disabled: bool = False
    password_hash: str = field(default="", repr=False)

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @property
    def session_key(self) -> str:
        """A fingerprint of the password hash: sessions made before a password change
        stop working after it."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Attempt:
    """A reserved password evaluation (see :meth:`Accounts.reserve_attempt`)."""

    rowids: tuple[int, ...]


def accounts_path(database_url: str, instance_path: str | Path | None = None) -> str:
    """Where the accounts live: ``MAPPER_ACCOUNTS_PATH`` if set; else the SQLite file of the
    store itself; else ``accounts.db`` in the instance folder (Neo4j, in-memory stores).

    >>> accounts_path("sqlite:////srv/mapper/town.db")
    '/srv/mapper/town.db'
    """
    env = os.environ.get("MAPPER_ACCOUNTS_PATH")
    if env:
        return env
    from ..store import is_neo4j_url, sqlite_path

    if not is_neo4j_url(database_url):
        path = sqlite_path(database_url)
        if path != ":memory:":
            return path
    folder = Path(instance_path) if instance_path else Path.cwd() / "instance"
    return str(folder / "accounts.db")


def check_role_name(role: str) -> str:
    if role not in ROLE_RANK:
        raise ValidationError(
            "role {role!r} is not one of: {roles}",
            field="role",
            value=role,
            role=role,
            roles=", ".join(ROLES),
        )
    return role


def check_login(email: str) -> str:
    text = (email or "").strip()
    if not LOGIN_RE.match(text):
        raise ValidationError(
            "login {email!r} is not an e-mail address", field="email", value=email, email=email
        )
    return text


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            "a password needs at least {n} characters",
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            "a password has at most {n} characters",
            field="password",
            n=MAX_PASSWORD_LENGTH,
        )
    return password
