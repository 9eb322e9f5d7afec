"""The accounts file: its tables, and :class:`Accounts` with users, roles, API tokens,
invitations to a workspace, sessions and failed-login counting.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ConflictError, NotFoundError
from .rules import (
    FAILURE_WINDOW_SECONDS,
    INVITATION_SECONDS,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    Attempt,
    User,
    check_login,
    check_password,
    check_role_name,
)

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
CREATE TABLE IF NOT EXISTS accounts_sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES accounts_users(id) ON DELETE CASCADE,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS accounts_sessions_user ON accounts_sessions(user_id);
CREATE TABLE IF NOT EXISTS accounts_invitations (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    workspace TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    invited_by TEXT,
    created_at REAL NOT NULL,
    expires_at REAL NOT NULL,
    UNIQUE (email, workspace)
);
"""


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


#: A hash checked when the login is unknown, so that a wrong login takes as long as a wrong
#: password (no telling which accounts exist from the timing). Made on first use: a scrypt
#: hash costs a noticeable part of a second, which every `mapper` command paid at start.
_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = generate_password_hash("not a real password, only for timing")
    return _DUMMY_HASH


class Accounts:
    """The accounts file (see :mod:`mapper.accounts`). Use as a context manager or ``close()``.

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
            raise ConflictError("an account for {email!r} already exists", email=email) from None
        return self.user(email)

    def user(self, email: str) -> User:
        """The account with this login; NotFoundError if there is none."""
        found = self._user("email = ?", [(email or "").strip()])
        if found is None:
            raise NotFoundError("no account {email!r}", email=email)
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
        """Set a new password: every session of the account ends and its API token is
        revoked (a new one can be made)."""
        user = self.user(email)
        hashed = generate_password_hash(check_password(password))
        with self._lock:
            self.conn.execute(
                "UPDATE accounts_users SET password_hash = ?, token_hash = NULL WHERE id = ?",
                (hashed, user.id),
            )
            self.conn.execute("DELETE FROM accounts_sessions WHERE user_id = ?", (user.id,))

    def set_disabled(self, email: str, disabled: bool = True) -> None:
        user = self.user(email)
        with self._lock:
            self.conn.execute(
                "UPDATE accounts_users SET disabled = ?, token_hash = NULL WHERE id = ?",
                (int(disabled), user.id),
            )
            self.conn.execute("DELETE FROM accounts_sessions WHERE user_id = ?", (user.id,))

    def authenticate(self, email: str, password: str) -> User | None:
        """The account if the login and password fit and it is not disabled, else None."""
        user = self._user("email = ?", [(email or "").strip()])
        if user is None:
            check_password_hash(_dummy_hash(), password or "")
            return None
        if not check_password_hash(user.password_hash, password or ""):
            return None
        return None if user.disabled else user

    # ------------------------------------------------------------------ roles

    def set_role(self, email: str, workspace: str, role: str | None) -> None:
        """Give an account a role in a workspace; ``None`` removes it from the workspace (and
        ends the account's sessions, so that no open page keeps working there)."""
        user = self.user(email)
        with self._lock:
            if role is None:
                self.conn.execute(
                    "DELETE FROM accounts_members WHERE user_id = ? AND workspace = ?",
                    (user.id, workspace),
                )
                self.conn.execute("DELETE FROM accounts_sessions WHERE user_id = ?", (user.id,))
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

    # ------------------------------------------------------------------ invitations

    def invite(
        self,
        email: str,
        workspace: str,
        role: str,
        *,
        invited_by: str | None = None,
        now: float | None = None,
    ) -> None:
        """Invite the holder of ``email`` to ``workspace`` with ``role``; they accept it on
        their account page (:meth:`accept_invitation`). Whether an account with that address
        exists makes no difference here (nothing tells the admin), and nothing is granted
        until its holder accepts. A second invitation replaces the first."""
        email = check_login(email)
        check_role_name(role)
        when = time.time() if now is None else now
        with self._lock:
            self.conn.execute(
                "INSERT INTO accounts_invitations"
                "(id, email, workspace, role, invited_by, created_at, expires_at)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT(email, workspace) DO UPDATE SET"
                " id = excluded.id, role = excluded.role, invited_by = excluded.invited_by,"
                " created_at = excluded.created_at, expires_at = excluded.expires_at",
                (
                    secrets.token_urlsafe(16),
                    email,
                    workspace,
                    role,
                    invited_by,
                    when,
                    when + INVITATION_SECONDS,
                ),
            )
            self.conn.execute("DELETE FROM accounts_invitations WHERE expires_at < ?", (when,))

    def invitations(
        self, *, email: str | None = None, workspace: str | None = None
    ) -> list[dict[str, object]]:
        """Open invitations for an address, or of a workspace."""
        where: list[str] = ["expires_at >= ?"]
        params: list[object] = [time.time()]
        if email is not None:
            where.append("email = ?")
            params.append(email.strip())
        if workspace is not None:
            where.append("workspace = ?")
            params.append(workspace)
        with self._lock:
            rows = self.conn.execute(
                "SELECT id, email, workspace, role, invited_by, created_at FROM"
                f" accounts_invitations WHERE {' AND '.join(where)} ORDER BY created_at",
                params,
            ).fetchall()
        keys = ("id", "email", "workspace", "role", "invited_by", "created_at")
        return [dict(zip(keys, r)) for r in rows]

    def accept_invitation(self, invitation_id: str, user: User) -> str:
        """Accept an open invitation made for ``user``'s own address: the role is given and
        the invitation is gone. Returns the workspace. NotFoundError otherwise."""
        for inv in self.invitations(email=user.email):
            if inv["id"] == invitation_id:
                self.set_role(user.email, str(inv["workspace"]), str(inv["role"]))
                self.withdraw_invitation(invitation_id)
                return str(inv["workspace"])
        raise NotFoundError("no such invitation for this account")

    def withdraw_invitation(self, invitation_id: str) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM accounts_invitations WHERE id = ?", (invitation_id,))

    # ------------------------------------------------------------------ sessions

    def start_session(self, user_id: int, *, hours: float, now: float | None = None) -> str:
        """A new session for the account; returns its id (kept only as a hash here)."""
        when = time.time() if now is None else now
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            self.conn.execute("DELETE FROM accounts_sessions WHERE expires_at < ?", (when,))
            self.conn.execute(
                "INSERT INTO accounts_sessions(id_hash, user_id, created_at, expires_at)"
                " VALUES (?,?,?,?)",
                (_token_hash(session_id), user_id, when, when + hours * 3600),
            )
        return session_id

    def session_user(self, session_id: str, *, now: float | None = None) -> User | None:
        """The (enabled) account a live session belongs to, or None (ended or expired)."""
        if not session_id or len(session_id) > 200:
            return None
        when = time.time() if now is None else now
        with self._lock:
            row = self.conn.execute(
                "SELECT user_id FROM accounts_sessions WHERE id_hash = ? AND expires_at >= ?",
                (_token_hash(session_id), when),
            ).fetchone()
        if row is None:
            return None
        user = self.get(int(row[0]))
        return None if user is None or user.disabled else user

    def end_session(self, session_id: str) -> None:
        with self._lock:
            self.conn.execute(
                "DELETE FROM accounts_sessions WHERE id_hash = ?", (_token_hash(session_id),)
            )

    def end_sessions(self, email: str) -> int:
        """End every session of the account at once; returns how many there were."""
        user = self.user(email)
        with self._lock:
            cursor = self.conn.execute(
                "DELETE FROM accounts_sessions WHERE user_id = ?", (user.id,)
            )
        return cursor.rowcount

    def sessions(self, email: str, *, now: float | None = None) -> int:
        """How many live sessions the account has."""
        user = self.user(email)
        when = time.time() if now is None else now
        with self._lock:
            return int(
                self.conn.execute(
                    "SELECT count(*) FROM accounts_sessions WHERE user_id = ? AND expires_at >= ?",
                    (user.id, when),
                ).fetchone()[0]
            )

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

    def reserve_attempt(
        self, email: str, address: str | None, *, now: float | None = None
    ) -> Attempt | None:
        """Reserve the evaluation of one password for ``email`` from ``address``, or None
        when too many failed (or are being evaluated) within the window.

        Check and record are one step (one ``BEGIN IMMEDIATE`` transaction, which also holds
        across processes): the attempt counts as a failure from the moment it is reserved,
        so however many arrive at once, at most :data:`MAX_FAILURES_PER_ACCOUNT` per
        account and :data:`MAX_FAILURES_PER_ADDRESS` per address are evaluated. A
        successful one is released again with :meth:`release`.

        >>> accounts = Accounts(":memory:")
        >>> [accounts.reserve_attempt("a@b.nl", "10.0.0.1") is not None for _ in range(6)]
        [True, True, True, True, True, False]
        """
        when = time.time() if now is None else now
        keys = [(f"login:{(email or '').strip().lower()}", MAX_FAILURES_PER_ACCOUNT)]
        if address:
            keys.append((f"ip:{address}", MAX_FAILURES_PER_ADDRESS))
        since = when - FAILURE_WINDOW_SECONDS
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                for key, limit in keys:
                    count = self.conn.execute(
                        "SELECT count(*) FROM accounts_failures WHERE key = ? AND at >= ?",
                        (key, since),
                    ).fetchone()[0]
                    if count >= limit:
                        self.conn.execute("COMMIT")
                        return None
                rowids = []
                for key, _limit in keys:
                    cursor = self.conn.execute(
                        "INSERT INTO accounts_failures(key, at) VALUES (?, ?)", (key, when)
                    )
                    rowids.append(int(cursor.lastrowid or 0))
                self.conn.execute("DELETE FROM accounts_failures WHERE at < ?", (since,))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        return Attempt(tuple(rowids))

    def release(self, attempt: Attempt) -> None:
        """Take back a reserved attempt that succeeded (it was no failure)."""
        with self._lock:
            self.conn.executemany(
                "DELETE FROM accounts_failures WHERE rowid = ?", [(r,) for r in attempt.rowids]
            )

    def check_password_of(
        self, email: str, password: str, address: str | None
    ) -> User | Literal[False] | None:
        """Evaluate a password within the rate limit: the account if it fits, None if not,
        False if refused unevaluated (too many failures lately)."""
        attempt = self.reserve_attempt(email, address)
        if attempt is None:
            return False
        user = self.authenticate(email, password)
        if user is not None:
            self.release(attempt)
        return user
