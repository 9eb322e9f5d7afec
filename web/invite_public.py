"""The public pages of invitations (``/doe-mee/<workspace>/…``): the only pages reachable
without login — the form a partner or resident fills in, the thank-you page with the personal
withdrawal link, and the withdrawal page.

Safe in public: rate limited per address and per invitation (in memory; nothing about visitors
is written to disk, and even the memory holds addresses only as keyed hashes), a honeypot
field and a signed time check against bots, a CSRF token, a small size limit
(``INVITE_MAX_BYTES``), text only, nothing of others shown beyond the names the invitation
lists, friendly pages for an unknown, closed, expired or full invitation, and every lookup in
the workspace named in the link only (another workspace's token is simply not found).
"""

from __future__ import annotations

import datetime as dt
import smtplib
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException

from mapper import invitations as inv
from mapper.errors import NotFoundError, ValidationError
from mapper.store import Workspace

from .auth import public, select_choices
from .db import get_store
from .invite import AnswerForm, WithdrawForm, _address_key, _limits, _serializer, setting

bp = Blueprint("invite_public", __name__, url_prefix="/doe-mee")

#: The account name recorded in the audit trail for a withdrawal by whoever answered.
WITHDRAW_ACTOR = "uitnodiging (ingetrokken via de persoonlijke link)"


def _public_workspace(slug: str) -> Workspace:
    try:
        return get_store().workspace(slug)
    except (NotFoundError, ValidationError):
        abort(404)


def _friendly(kind: str, status: int, ws: Workspace | None = None) -> Any:
    library = ws.info.name if ws is not None else None
    return render_template("invite/closed.html", kind=kind, library=library), status


@bp.before_app_request
def _limit_size() -> None:
    # (runs for every request; only the public pages get the small limit)
    if request.blueprint == "invite_public":
        request.max_content_length = int(setting("INVITE_MAX_BYTES"))


@bp.record_once
def _first(state: Any) -> None:
    # The size limit must apply before the app-wide hook reads the form (CSRF check):
    # move our hook to the front of the app's before-request hooks.
    hooks = state.app.before_request_funcs.setdefault(None, [])
    if _limit_size in hooks:
        hooks.remove(_limit_size)
    hooks.insert(0, _limit_size)


@bp.after_request
def _no_store(response: Response) -> Response:
    # The pages carry a CSRF token and, after sending, a personal withdrawal link.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(400)
def _bad_request(exc: HTTPException) -> Any:
    return _friendly("bad", 400)


@bp.errorhandler(404)
def _not_found(exc: HTTPException) -> Any:
    return _friendly("unknown", 404)


@bp.errorhandler(413)
def _too_large(exc: HTTPException) -> Any:
    return _friendly("large", 413)


def _answer_form(ws: Workspace, invitation: inv.Invitation) -> AnswerForm:
    form = AnswerForm()
    pairs = [("person", _("myself")), ("organisation", _("on behalf of an organisation"))]
    if not inv.may_answer_as_person(ws):
        pairs = pairs[1:]
        form.as_who.default = "organisation"
    form.as_who.choices = select_choices(pairs)
    form.known.choices = select_choices([(n.id, n.name) for n in inv.shown_names(ws, invitation)])
    return form


def _open_invitation(ws: Workspace, token: str) -> inv.Invitation | Any:
    try:
        invitation = inv.find_invitation(ws, token)
    except NotFoundError:
        return _friendly("unknown", 404, ws)
    state = invitation.state()
    if state != "open":
        return _friendly(state, 410, ws)
    return invitation


@bp.route("/<slug>/<token>", methods=["GET", "POST"])
@public
def form(slug: str, token: str):  # type: ignore[no-untyped-def]
    ws = _public_workspace(slug)
    invitation = _open_invitation(ws, token)
    if not isinstance(invitation, inv.Invitation):
        return invitation
    form = _answer_form(ws, invitation)
    error = None
    if request.method == "POST":
        limits = _limits()
        if not limits.hit(_address_key(), setting("INVITE_LIMIT_ADDRESS")) or not limits.hit(
            f"i:{ws.slug}:{invitation.id}", setting("INVITE_LIMIT_INVITATION")
        ):
            return _friendly("busy", 429, ws)
        if form.website.data or not _human_time(form.started.data):
            return _friendly("bot", 400, ws)
        if not form.consent_map.data:
            error = _(
                "Nothing was stored: without your consent to be on the map we cannot keep "
                "your answer."
            )
        elif form.validate_on_submit():
            raw = {
                "as": form.as_who.data,
                "name": form.name.data,
                "about": form.about.data,
                "online": form.online.data,
                "offline": form.offline.data,
                "activities": form.activities.data,
                "known": form.known.data or [],
                "known_orgs": form.known_orgs.data,
                "known_people": form.known_people.data,
                "contact": form.contact.data,
                "email": form.email.data,
                "consent_map": form.consent_map.data,
                "consent_ties": form.consent_ties.data,
            }
            try:
                answer_id, withdraw = inv.submit_answer(ws, token, raw)
            except inv.InvitationClosed as exc:
                return _friendly(exc.reason, 410, ws)
            except ValidationError as exc:
                error = _("Please check the form: %(why)s", why=str(exc))
            else:
                link = url_for(
                    "invite_public.withdraw", slug=ws.slug, token=withdraw, _external=True
                )
                session["invite_withdraw"] = link
                session["invite_mailed"] = _send_confirmation(ws, raw.get("email"), link)
                return redirect(url_for("invite_public.thanks", slug=ws.slug, token=token))
        else:
            error = _("Please check the form: a name is needed, and texts must not be too long.")
    form.started.data = _serializer().dumps(invitation.id)
    status = 400 if error else 200
    return (
        render_template(
            "invite/form.html",
            form=form,
            invitation=invitation,
            library=ws.info.name,
            target=ws.get_nodes([invitation.target_id]).get(invitation.target_id),
            consent=_consent(ws),
            consent_version=inv.CONSENT_VERSION,
            people_typed=inv.named_policy(ws) == "review" and inv.may_answer_as_person(ws),
            orgs_typed=inv.named_policy(ws) != "none",
            error=error,
        ),
        status,
    )


def _human_time(started: str | None) -> bool:
    """True if the form was shown at least ``INVITE_MIN_SECONDS`` ago (and not too long)."""
    try:
        _value, signed_at = _serializer().loads(
            started or "",
            max_age=int(float(setting("INVITE_MAX_FORM_HOURS")) * 3600),
            return_timestamp=True,
        )
    except BadSignature:
        return False
    age = dt.datetime.now(dt.UTC).timestamp() - signed_at.timestamp()
    return age >= float(setting("INVITE_MIN_SECONDS"))


def _consent(ws: Workspace) -> list[tuple[str, str]]:
    from .views import lang

    words = inv.CONSENT_TEXT.get(lang(), inv.CONSENT_TEXT["nl"])
    return [(title, text.format(library=ws.info.name)) for title, text in words]


@bp.get("/<slug>/<token>/klaar")
@public
def thanks(slug: str, token: str):  # type: ignore[no-untyped-def]
    ws = _public_workspace(slug)
    link = session.pop("invite_withdraw", None)
    mailed = session.pop("invite_mailed", False)
    return render_template("invite/thanks.html", link=link, mailed=mailed, library=ws.info.name)


@bp.route("/<slug>/intrekken/<token>", methods=["GET", "POST"])
@public
def withdraw(slug: str, token: str):  # type: ignore[no-untyped-def]
    ws = _public_workspace(slug)
    try:
        record = inv.find_answer(ws, token)
    except NotFoundError:
        return _friendly("gone", 404, ws)
    form = WithdrawForm()
    if form.validate_on_submit():
        with ws.store.acting_as(WITHDRAW_ACTOR):
            report = inv.withdraw_answer(ws, token)
        return render_template("invite/withdrawn.html", report=report, library=ws.info.name)
    answer = record.body.get("answer")
    held: dict[str, Any] = {}
    if record.body.get("status") == "accepted":
        nodes = ws.get_nodes([record.body.get("respondent", "")])
        held["respondent"] = nodes.get(record.body.get("respondent", ""))
        held["ties"] = len(record.body.get("ties") or [])
    return render_template(
        "invite/withdraw.html",
        form=form,
        record=record,
        answer=answer,
        held=held,
        library=ws.info.name,
    )


def _send_confirmation(ws: Workspace, email: str | None, link: str) -> bool:
    """Mail the withdrawal link when the deployment configures SMTP (``SMTP_URL``, e.g.
    ``smtp://user:password@mail.example.nl:587``, and ``MAIL_FROM``); otherwise do nothing.
    True if a message was handed to the server."""
    url = current_app.config.get("SMTP_URL")
    sender = current_app.config.get("MAIL_FROM")
    if not (url and sender and email):
        return False
    parts = urlsplit(url)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email
    message["Subject"] = _("Your answer to %(library)s", library=ws.info.name)
    message.set_content(
        _(
            "Thank you for your answer. With this personal link you can withdraw your "
            "consent at any time; everything your answer added is then erased:\n\n%(link)s\n",
            link=link,
        )
    )
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with cls(parts.hostname or "localhost", port, timeout=10) as smtp:
            if parts.scheme == "smtp+starttls":
                smtp.starttls()
            if parts.username:
                smtp.login(parts.username, parts.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.warning("confirmation e-mail not sent", exc_info=True)
        return False
    return True
