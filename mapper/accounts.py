"""User accounts, per-workspace roles, API tokens and failed-login counting.

Accounts live in a SQLite file of their own tables (``accounts_users``,
``accounts_members``, ``accounts_failures``). With the embedded store that is the same file as
the graph (one file to back up); with Neo4j it is ``accounts.db`` in the instance folder (see
:func:`accounts_path`). Either way the web app and the ``mapper user`` command find the same
file.

Passwords are stored as salted hashes (``werkzeug.security``, scrypt); API tokens as their
SHA-256 (the token itself is shown once, when made).

Examples
--------
>>> accounts = Accounts(":memory:")
>>> anna = accounts.add_user("anna@bibliotheek.nl", "een lang wachtwoord", name="Anna")
>>> accounts.set_role("anna@bibliotheek.nl", "rijnstad", "editor")
>>> accounts.roles(anna.id)
{'rijnstad': 'editor'}
>>> accounts.authenticate("ANNA@bibliotheek.nl", "een lang wachtwoord").name
'Anna'
>>> accounts.authenticate("anna@bibliotheek.nl", "fout") is None
True
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from .errors import ConflictError, NotFoundError, ValidationError

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

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT,
    password_hash TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    created_at TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS accounts_members (
    user_id INTEGER NOT NULL REFERENCES accounts_users(id) ON DELETE CASCADE,
    workspace TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (user_id, workspace)
);
CREATE TABLE IF NOT EXISTS accounts_failures (
    key TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS accounts_failures_key ON accounts_failures(key, at);
"""


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


def accounts_path(database_url: str, instance_path: str | Path | None = None) -> str:
    """Where the accounts live: ``MAPPER_ACCOUNTS_PATH`` if set; else the SQLite file of the
    store itself; else ``accounts.db`` in the instance folder (Neo4j, in-memory stores).

    >>> accounts_path("sqlite:////srv/mapper/town.db")
    '/srv/mapper/town.db'
    """
    env = os.environ.get("MAPPER_ACCOUNTS_PATH")
    if env:
        return env
    from .store import is_neo4j_url, sqlite_path

    if not is_neo4j_url(database_url):
        path = sqlite_path(database_url)
        if path != ":memory:":
            return path
    folder = Path(instance_path) if instance_path else Path.cwd() / "instance"
    return str(folder / "accounts.db")


def check_role_name(role: str) -> str:
    if role not in ROLE_RANK:
        raise ValidationError(
            f"role {role!r} is not one of: {', '.join(ROLES)}", field="role", value=role
        )
    return role


def check_login(email: str) -> str:
    text = (email or "").strip()
    if not LOGIN_RE.match(text):
        raise ValidationError(
            f"login {email!r} is not an e-mail address", field="email", value=email
        )
    return text


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(
            f"a password has at most {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    return password


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: A hash checked when the login is unknown, so that a wrong login takes as long as a wrong
#: password (no telling which accounts exist from the timing).
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


class Accounts:
    """The accounts file (see the module docstring). Use as a context manager or ``close()``.

    Parameters
    ----------
    path : str or Path
        The SQLite file (created if missing), or ``":memory:"``.
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30
        )
        self._lock = threading.RLock()
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 30000")
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode = WAL")
        with self._lock:
            self.conn.executescript(SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Accounts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Accounts({self.path!r})"

    # ------------------------------------------------------------------ users

    def _user(self, where: str, params: Iterable[object]) -> User | None:
        with self._lock:
            row = self.conn.execute(
                "SELECT id, email, name, created_at, disabled, password_hash FROM accounts_users"
                f" WHERE {where}",
                tuple(params),
            ).fetchone()
        if row is None:
            return None
        return User(row[0], row[1], row[2], row[3], bool(row[4]), row[5])

    def add_user(self, email: str, password: str, *, name: str | None = None) -> User:
        """Create an account; ConflictError if the login exists."""
        email = check_login(email)
        hashed = generate_password_hash(check_password(password))
        try:
            with self._lock:
                self.conn.execute(
                    "INSERT INTO accounts_users(email, name, password_hash, created_at)"
                    " VALUES (?,?,?,?)",
                    (email, (name or "").strip() or None, hashed, _now()),
                )
        except sqlite3.IntegrityError:
            raise ConflictError(f"an account for {email!r} already exists") from None
        return self.user(email)

    def user(self, email: str) -> User:
        """The account with this login; NotFoundError if there is none."""
        found = self._user("email = ?", [(email or "").strip()])
        if found is None:
            raise NotFoundError(f"no account {email!r}")
        return found

    def get(self, user_id: int) -> User | None:
        """The account with this id, or None."""
        return self._user("id = ?", [user_id])

    def users(self) -> list[User]:
        with self._lock:
            rows = self.conn.execute(
                "SELECT id, email, name, created_at, disabled, password_hash FROM accounts_users"
                " ORDER BY email"
            ).fetchall()
        return [User(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in rows]

    def count(self) -> int:
        with self._lock:
            return int(self.conn.execute("SELECT count(*) FROM accounts_users").fetchone()[0])

    def set_password(self, email: str, password: str) -> None:
        user = self.user(email)
        hashed = generate_password_hash(check_password(password))
        with self._lock:
            self.conn.execute(
                "UPDATE accounts_users SET password_hash = ? WHERE id = ?", (hashed, user.id)
            )

    def set_disabled(self, email: str, disabled: bool = True) -> None:
        user = self.user(email)
        with self._lock:
            self.conn.execute(
                "UPDATE accounts_users SET disabled = ?, token_hash = NULL WHERE id = ?",
                (int(disabled), user.id),
            )

    def authenticate(self, email: str, password: str) -> User | None:
        """The account if the login and password fit and it is not disabled, else None."""
        user = self._user("email = ?", [(email or "").strip()])
        if user is None:
            check_password_hash(_DUMMY_HASH, password or "")
            return None
        if not check_password_hash(user.password_hash, password or ""):
            return None
        return None if user.disabled else user

    # ------------------------------------------------------------------ roles

    def set_role(self, email: str, workspace: str, role: str | None) -> None:
        """Give an account a role in a workspace; ``None`` removes it from the workspace."""
        user = self.user(email)
        with self._lock:
            if role is None:
                self.conn.execute(
                    "DELETE FROM accounts_members WHERE user_id = ? AND workspace = ?",
                    (user.id, workspace),
                )
            else:
                self.conn.execute(
                    "INSERT INTO accounts_members(user_id, workspace, role) VALUES (?,?,?)"
                    " ON CONFLICT(user_id, workspace) DO UPDATE SET role = excluded.role",
                    (user.id, workspace, check_role_name(role)),
                )

    def roles(self, user_id: int) -> dict[str, str]:
        """The account's role per workspace, by workspace slug."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT workspace, role FROM accounts_members WHERE user_id = ? ORDER BY workspace",
                (user_id,),
            ).fetchall()
        return {w: r for w, r in rows}

    def members(self, workspace: str) -> list[tuple[User, str]]:
        """Accounts with a role in ``workspace`` and their role, by login."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT u.id, u.email, u.name, u.created_at, u.disabled, u.password_hash, m.role"
                " FROM accounts_users u JOIN accounts_members m ON m.user_id = u.id"
                " WHERE m.workspace = ? ORDER BY u.email",
                (workspace,),
            ).fetchall()
        return [(User(r[0], r[1], r[2], r[3], bool(r[4]), r[5]), r[6]) for r in rows]

    # ------------------------------------------------------------------ API tokens

    def issue_token(self, email: str) -> str:
        """A new API token for the account (the old one stops working). Shown only now."""
        user = self.user(email)
        token = "cm_" + secrets.token_urlsafe(32)
        with self._lock:
            self.conn.execute(
                "UPDATE accounts_users SET token_hash = ? WHERE id = ?",
                (_token_hash(token), user.id),
            )
        return token

    def revoke_token(self, email: str) -> None:
        user = self.user(email)
        with self._lock:
            self.conn.execute(
                "UPDATE accounts_users SET token_hash = NULL WHERE id = ?", (user.id,)
            )

    def user_by_token(self, token: str) -> User | None:
        """The (enabled) account an API token belongs to, or None."""
        if not token or len(token) > 200:
            return None
        user = self._user("token_hash = ?", [_token_hash(token)])
        return None if user is None or user.disabled else user

    # ------------------------------------------------------------------ failed logins

    def record_failure(self, *keys: str, at: float | None = None) -> None:
        """Count a failed login against each key (``"login:anna@…"``, ``"ip:10.0.0.5"``)."""
        when = time.time() if at is None else at
        with self._lock:
            self.conn.executemany(
                "INSERT INTO accounts_failures(key, at) VALUES (?, ?)", [(k, when) for k in keys]
            )
            self.conn.execute(
                "DELETE FROM accounts_failures WHERE at < ?", (when - FAILURE_WINDOW_SECONDS,)
            )

    def failures(self, key: str, *, now: float | None = None) -> int:
        """Failed logins counted against ``key`` within the window."""
        since = (time.time() if now is None else now) - FAILURE_WINDOW_SECONDS
        with self._lock:
            return int(
                self.conn.execute(
                    "SELECT count(*) FROM accounts_failures WHERE key = ? AND at >= ?",
                    (key, since),
                ).fetchone()[0]
            )

    def clear_failures(self, key: str) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM accounts_failures WHERE key = ?", (key,))

    def login_failed(self, email: str, address: str | None) -> None:
        """Count a failed login against the login and the address it came from."""
        keys = [f"login:{(email or '').strip().lower()}"]
        if address:
            keys.append(f"ip:{address}")
        self.record_failure(*keys)

    def login_succeeded(self, email: str) -> None:
        self.clear_failures(f"login:{(email or '').strip().lower()}")

    def locked_out(self, email: str, address: str | None) -> bool:
        """True if too many logins failed lately for this login or from this address."""
        if self.failures(f"login:{(email or '').strip().lower()}") >= MAX_FAILURES_PER_ACCOUNT:
            return True
        return bool(address) and self.failures(f"ip:{address}") >= MAX_FAILURES_PER_ADDRESS
