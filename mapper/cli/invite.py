"""``mapper invite``: make an invitation link (and QR code) for a theme or a community."""

from __future__ import annotations

import os
from pathlib import Path

import click

from .. import invitations as inv
from ..i18n import _
from .base import command, option
from .options import date_type, with_workspace


@command("invite")
@with_workspace
@option("--theme", metavar="NAME", help="The theme the invitation is about.")
@option("--community", metavar="NAME", help="The community the invitation is about.")
@option("--until", type=date_type(), help="Last day answers are taken (YYYY-MM-DD).")
@option("--max", "max_answers", type=click.IntRange(min=1), help="At most N answers.")
@option(
    "--base-url",
    envvar="MAPPER_BASE_URL",
    default=inv.DEFAULT_BASE_URL,
    show_default=True,
    help="The site's address as visitors reach it (default: MAPPER_BASE_URL).",
)
@option("--name", help="Name of the invitation (default: the theme's or community's).")
@option("--for", "audience", default="", help="Who it is for, e.g. 'partners in Noord'.")
@option("--text", default="", help="A short text in the library's words.")
@option(
    "--show",
    multiple=True,
    metavar="NAME",
    help="A person or organisation visitors may pick from (repeat the option).",
)
@option(
    "--qr",
    "qr_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the QR code to this file (.png or .svg).",
)
def invite(  # type: ignore[no-untyped-def]
    ws, theme, community, until, max_answers, base_url, name, audience, text, show, qr_file
) -> None:
    """Make an invitation for a theme or community and print its link.

    Partners and residents who follow the link fill in a form (with their consent); answers
    wait in the queue on the Invitations page until an editor accepts or rejects them.

    Example: mapper invite --theme duurzaamheid --until 2026-12-31 --max 50
    --base-url https://kaart.bibliotheek-rijnstad.nl --qr uitnodiging.png
    """
    if bool(theme) == bool(community):
        raise click.UsageError(_("give either --theme NAME or --community NAME"))
    target = ws.lookup(theme or community, kind="Theme" if theme else "Community")
    shown = [ws.lookup(n, kind=["Person", "Organisation"]).id for n in show]
    made = inv.create_invitation(
        ws,
        target.id,
        name=name,
        audience=audience,
        text=text,
        until=until.date() if until else None,
        max_answers=max_answers,
        shown=shown,
    )
    link = inv.invitation_link(base_url, ws.slug, made)
    click.echo(link)
    if qr_file is not None:
        kind = qr_file.suffix.lower().lstrip(".")
        if kind not in ("png", "svg"):
            raise click.BadParameter(
                _("the QR code file must end in .png or .svg"), param_hint="--qr"
            )
        qr_file.write_bytes(inv.qr_code(link, kind))
        click.echo(_("QR code written to {file}").format(file=os.fspath(qr_file)), err=True)
