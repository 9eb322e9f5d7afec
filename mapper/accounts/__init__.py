"""User accounts, per-workspace roles, API tokens and failed-login counting.

Accounts live in a SQLite file of their own tables (``accounts_users``,
``accounts_members``, ``accounts_failures``). With the embedded store that is the same file as
the graph (one file to back up); with Neo4j it is ``accounts.db`` in the instance folder (see
:func:`accounts_path`). Either way the web app and the ``mapper user`` command find the same
file.

Passwords are stored as salted hashes (``werkzeug.security``, scrypt); API tokens as their
SHA-256 (the token itself is shown once, when made).

The package by job: :mod:`.rules` (roles, what a login and a password must be, the
:class:`User` value, where the file is) and :mod:`.database` (the :class:`Accounts` file:
its tables, users, roles, tokens, invitations, sessions and failed logins).

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

from .database import SCHEMA, Accounts
from .rules import (
    FAILURE_WINDOW_SECONDS,
    INVITATION_SECONDS,
    LOGIN_RE,
    MAX_FAILURES_PER_ACCOUNT,
    MAX_FAILURES_PER_ADDRESS,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    ROLE_RANK,
    ROLES,
    Attempt,
    User,
    accounts_path,
    check_login,
    check_password,
    check_role_name,
)

__all__ = [
    "Accounts",
    "Attempt",
    "FAILURE_WINDOW_SECONDS",
    "INVITATION_SECONDS",
    "LOGIN_RE",
    "MAX_FAILURES_PER_ACCOUNT",
    "MAX_FAILURES_PER_ADDRESS",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "ROLE_RANK",
    "SCHEMA",
    "User",
    "accounts_path",
    "check_login",
    "check_password",
    "check_role_name",
]
