"""Accounts from the command line: ``mapper user …`` (privacy commands: :mod:`mapper.cli.privacy`).

``mapper user add`` is how the first administrator is made; after that, admins manage their
workspace's users on the web (Users page).
"""

from __future__ import annotations

import click

from ..accounts import ROLES, Accounts, accounts_path
from ..i18n import _
from ..labels import label
from .base import Option, group, option
from .options import database_option, open_from_options, resolve_url

ROLE_CHOICE = click.Choice(ROLES)


def accounts_option(func):  # type: ignore[no-untyped-def]
    return option(
        "--accounts",
        "accounts",
        envvar="MAPPER_ACCOUNTS_PATH",
        default=None,
        metavar="FILE",
        help="Accounts file (default: the SQLite store's own file; with Neo4j "
        "instance/accounts.db).",
    )(func)


def open_accounts(accounts: str | None, database: str | None) -> Accounts:
    return Accounts(accounts or accounts_path(resolve_url(database)))


@group()
def user() -> None:
    """Manage accounts and their roles per workspace (viewer, editor, admin).

    Example: mapper user add anna@bibliotheek.nl --workspace rijnstad --role admin
    """


@user.command("add")
@database_option
@accounts_option
@click.argument("email")
@option("--workspace", required=True, help="Workspace the account gets a role in.")
@option("--role", type=ROLE_CHOICE, default="viewer", show_default=True)
@option("--name", help="The person's name, shown in the app.")
@click.password_option(
    "--password",
    envvar="MAPPER_NEW_PASSWORD",
    cls=Option,
    help="At least 10 characters (asked if not given).",
)
def user_add(
    database: str | None,
    accounts: str | None,
    email: str,
    workspace: str,
    role: str,
    name: str | None,
    password: str,
) -> None:
    """Create an account with a role in a workspace (the first admin is made this way).

    Example: mapper user add anna@bibliotheek.nl --workspace rijnstad --role admin
    """
    store = open_from_options(database)
    try:
        store.get_workspace(workspace)
    finally:
        store.close()
    with open_accounts(accounts, database) as acc:
        acc.add_user(email, password, name=name)
        acc.set_role(email, workspace, role)
    click.echo(
        _("account {email} created: {role} in {workspace}").format(
            email=email, role=label(role, "role"), workspace=workspace
        )
    )


@user.command("list")
@database_option
@accounts_option
def user_list(database: str | None, accounts: str | None) -> None:
    """List the accounts and their roles.

    Example: mapper user list
    """
    with open_accounts(accounts, database) as acc:
        for account in acc.users():
            held = acc.roles(account.id).items()
            roles = ", ".join(f"{w}: {label(r, 'role')}" for w, r in held) or "-"
            flag = " " + _("(disabled)") if account.disabled else ""
            click.echo(f"{account.email}{flag}  {roles}")


@user.command("set-role")
@database_option
@accounts_option
@click.argument("email")
@option("--workspace", required=True)
@option(
    "--role",
    type=click.Choice([*ROLES, "none"]),
    required=True,
    help="The new role; 'none' removes the account from the workspace.",
)
def user_set_role(
    database: str | None, accounts: str | None, email: str, workspace: str, role: str
) -> None:
    """Change an account's role in a workspace.

    Example: mapper user set-role jan@bibliotheek.nl --workspace rijnstad --role editor
    """
    with open_accounts(accounts, database) as acc:
        acc.set_role(email, workspace, None if role == "none" else role)
    click.echo(
        _("{email}: {role} in {workspace}").format(
            email=email,
            role=_("no role") if role == "none" else label(role, "role"),
            workspace=workspace,
        )
    )


@user.command("set-password")
@database_option
@accounts_option
@click.argument("email")
@click.password_option("--password", envvar="MAPPER_NEW_PASSWORD", cls=Option)
def user_set_password(
    database: str | None, accounts: str | None, email: str, password: str
) -> None:
    """Set a new password for an account (ends its sessions).

    Example: mapper user set-password anna@bibliotheek.nl
    """
    with open_accounts(accounts, database) as acc:
        acc.set_password(email, password)
    click.echo(_("password of {email} changed").format(email=email))


@user.command("token")
@database_option
@accounts_option
@click.argument("email")
def user_token(database: str | None, accounts: str | None, email: str) -> None:
    """Make a new API token for an account and print it (the old one stops working).

    Example: mapper user token anna@bibliotheek.nl
    """
    with open_accounts(accounts, database) as acc:
        click.echo(acc.issue_token(email))


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve_settings(url: str, host: str, single_user: bool | None = None) -> dict[str, object]:
    """App settings for ``mapper serve``/``mapper demo``: where the accounts are, the bound
    address, and whether single-user mode (no login) is on.

    Single-user mode is only on when it is asked for explicitly — ``single_user=True`` (the
    ``--single-user`` flag; ``mapper demo`` asks for it unless given ``--login``) or
    ``MAPPER_SINGLE_USER=1`` — and then only when bound to this machine (127.0.0.1). Bound to
    any other address, login is always required.
    """
    import os

    path = accounts_path(url)
    if single_user is None:
        wanted = os.environ.get("MAPPER_SINGLE_USER", "").strip().lower()
        single_user = wanted in ("1", "true", "yes", "on")
    single = bool(single_user) and host in LOOPBACK_HOSTS
    if single_user and not single:
        click.echo(
            _(
                "single-user mode refused: the app is bound to {host}, not only to this computer"
            ).format(host=host)
        )
    if single:
        click.echo(_("single-user mode: no login, reachable only from this computer"))
    else:
        with Accounts(path) as acc:
            has_accounts = acc.count() > 0
        if has_accounts:
            click.echo(_("login required"))
        else:
            click.echo(
                _(
                    "login required — no accounts yet: create the first admin with `mapper user "
                    "add`, or serve only to this computer with --single-user"
                )
            )
    return {"HOST": host, "ACCOUNTS_PATH": path, "SINGLE_USER": single}
