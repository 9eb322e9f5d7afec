"""Invitations in the web app: editors make invitation links (with a QR code) and moderate the
answers; partners and residents fill in the public form, without an account.

The ``invite`` blueprint (``/invitations/…``, editors): the list of invitations and a form
to make one, an invitation's page (link, QR code as PNG and SVG, the names it shows,
close/reopen), the moderation queue (each answer beside what is already known; accept, edit
or reject), and the admin's setting for people named by others
(:data:`mapper.invitations.NAMED_PEOPLE`). The public pages are in :mod:`web.invite_public`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
import time
from collections import deque
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from itsdangerous import URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from mapper import invitations as inv
from mapper.errors import MapperError, NotFoundError
from mapper.model import NodeKind
from mapper.store import Workspace

from .auth import requires_role, select_choices
from .db import current_workspace

bp = Blueprint("invite", __name__, url_prefix="/invitations")

NAV = [("invite.index", _l("Invitations"))]

#: Defaults of the settings (app config, or ``MAPPER_<NAME>`` in the environment).
DEFAULTS: dict[str, Any] = {
    "INVITE_LIMIT_ADDRESS": "5/600",  # answers per address per 10 minutes
    "INVITE_LIMIT_INVITATION": "60/3600",  # answers per invitation per hour
    "INVITE_MIN_SECONDS": 3,  # a form sent sooner after it was shown is a bot's
    "INVITE_MAX_FORM_HOURS": 12,  # a form older than this is refused (reload it)
    "INVITE_MAX_BYTES": 32 * 1024,  # largest request body the public pages accept
}


def setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS.get(name))


# --------------------------------------------------------------------------- rate limits


class SlidingWindow:
    """At most ``limit`` events per ``seconds`` per key, in memory (thread-safe)."""

    def __init__(self) -> None:
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, spec: str) -> bool:
        """Count an event for ``key``; False (and not counted) when over the limit."""
        limit, seconds = parse_limit(spec)
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - seconds:
                events.popleft()
            if len(events) >= limit:
                return False
            events.append(now)
            if len(self._events) > 10_000:  # forget idle keys
                for k in [k for k, v in self._events.items() if not v]:
                    del self._events[k]
            return True


def parse_limit(spec: str) -> tuple[int, float]:
    """``"5/600"`` → (5, 600.0): five per ten minutes.

    >>> parse_limit("5/600")
    (5, 600.0)
    """
    count, _, seconds = str(spec).partition("/")
    try:
        limit, window = int(count), float(seconds)
    except ValueError:
        raise ValueError(f"rate limit {spec!r} is not COUNT/SECONDS (e.g. 5/600)") from None
    if limit < 1 or window <= 0:
        raise ValueError(f"rate limit {spec!r} is not COUNT/SECONDS (e.g. 5/600)")
    return limit, window


def _limits() -> SlidingWindow:
    return current_app.extensions.setdefault("invite_limits", SlidingWindow())


def _address_key() -> str:
    """The visitor's address, keyed (HMAC) so that even memory holds no plain address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    address = (request.remote_addr or "?").encode()
    return "a:" + hmac.new(secret, address, hashlib.sha256).hexdigest()[:32]


# --------------------------------------------------------------------------- forms


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InvitationForm(FlaskForm):
    target = SelectField(_l("For the theme or community"), validators=[DataRequired()])
    name = StringField(
        _l("Name of the invitation"),
        validators=[Optional(), Length(max=inv.MAX_NAME)],
        description=_l("Used as the source of what comes in, e.g. “Repair Café evening”."),
    )
    audience = StringField(
        _l("Who is it for?"), validators=[Optional(), Length(max=2 * inv.MAX_NAME)]
    )
    text = TextAreaField(
        _l("A short text in the library's words"),
        validators=[Optional(), Length(max=inv.MAX_TEXT)],
    )
    until = DateField(_l("End date (last day)"), validators=[Optional()])
    max_answers = IntegerField(
        _l("At most this many answers"), validators=[Optional(), NumberRange(min=1, max=10_000)]
    )
    submit = SubmitField(_l("Make the invitation"))


class ShownForm(FlaskForm):
    shown = MultiCheckboxField(_l("Names visitors may pick from"), choices=[])
    submit = SubmitField(_l("Save the names shown"))


class CloseForm(FlaskForm):
    submit = SubmitField(_l("Close"))


class RejectForm(FlaskForm):
    submit = SubmitField(_l("Reject and erase"))


class PolicyForm(FlaskForm):
    policy = RadioField(_l("People named by someone who answered"), choices=[])
    submit = SubmitField(_l("Save"))


class AnswerForm(FlaskForm):
    """The public form (prefix-free field names, so the page reads plainly)."""

    as_who = RadioField(_l("I fill this in"), default="person", choices=[])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=inv.MAX_NAME)])
    about = TextAreaField(
        _l("What do you do on this theme?"), validators=[Optional(), Length(max=inv.MAX_TEXT)]
    )
    online = StringField(
        _l("Where are you active online?"),
        validators=[Optional(), Length(max=inv.MAX_ITEM * inv.MAX_ITEMS)],
        description=_l("For example a Facebook group or a website. Separate with commas."),
    )
    offline = StringField(
        _l("Where are you active offline?"),
        validators=[Optional(), Length(max=inv.MAX_ITEM * inv.MAX_ITEMS)],
        description=_l("For example a community centre or a café. Separate with commas."),
    )
    activities = StringField(
        _l("Which activities do you organise?"),
        validators=[Optional(), Length(max=inv.MAX_ITEM * inv.MAX_ITEMS)],
        description=_l("Separate with commas."),
    )
    known = MultiCheckboxField(_l("Whom of these do you know?"), choices=[], validate_choice=False)
    known_orgs = StringField(
        _l("Other organisations you are involved with"),
        validators=[Optional(), Length(max=inv.MAX_ITEM * inv.MAX_ITEMS)],
        description=_l("As a member, volunteer or partner. Separate with commas."),
    )
    known_people = StringField(
        _l("Other people you know who are active on this"),
        validators=[Optional(), Length(max=inv.MAX_ITEM * inv.MAX_ITEMS)],
        description=_l(
            "They have not said yes themselves: the library checks before keeping them."
        ),
    )
    contact = BooleanField(_l("I would like the library to contact me"))
    email = EmailField(
        _l("E-mail address (optional)"),
        validators=[Optional(), Length(max=inv.MAX_EMAIL)],
        description=_l("Only for contact, and to send you your withdrawal link."),
    )
    consent_map = BooleanField(_l("Yes, the library may keep my answer and put me on the map."))
    consent_ties = BooleanField(
        _l("Yes, the library may also record whom I know (the names I pick or type).")
    )
    website = StringField(_l("Leave this field empty"))  # the honeypot
    started = HiddenField()
    submit = SubmitField(_l("Send"))


class WithdrawForm(FlaskForm):
    submit = SubmitField(_l("Yes, erase my answer"))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="invite-form-started")


# --------------------------------------------------------------------------- editor pages


def _targets(ws: Workspace) -> list[tuple[str, str]]:
    themes = sorted(ws.nodes(kind="Theme"), key=lambda n: n.name.casefold())
    communities = sorted(ws.nodes(kind="Community"), key=lambda n: n.name.casefold())
    return [(n.id, f"{_('Theme')}: {n.name}") for n in themes] + [
        (n.id, f"{_('Community')}: {n.name}") for n in communities
    ]


def invite_url(ws: Workspace, invitation: inv.Invitation) -> str:
    """The invitation's public address: from ``BASE_URL`` when set, else this request's."""
    base = current_app.config.get("BASE_URL")
    if base:
        return inv.invitation_link(base, ws.slug, invitation)
    return url_for("invite_public.form", slug=ws.slug, token=invitation.token, _external=True)


STATE_WORDS = {
    "open": _l("open"),
    "closed": _l("closed"),
    "expired": _l("past its end date"),
    "full": _l("full"),
}
POLICY_WORDS = {
    "none": _l("Not at all: only names from the invitation's list are kept"),
    "organisations": _l("Organisations only: typed organisations are kept, typed people not"),
    "review": _l(
        "With a flag for review: typed people are kept without a lawful basis, on the privacy "
        "review list until someone decides"
    ),
}


@bp.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"invite_state_word": lambda s: str(STATE_WORDS.get(s, s))}


@bp.route("/", methods=["GET", "POST"])
def index():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    form = InvitationForm()
    form.target.choices = select_choices(_targets(ws))
    if form.validate_on_submit():
        try:
            made = inv.create_invitation(
                ws,
                form.target.data,
                name=form.name.data,
                audience=form.audience.data or "",
                text=form.text.data or "",
                until=form.until.data,
                max_answers=form.max_answers.data,
            )
        except MapperError as exc:
            flash(_("The invitation was not made: %(why)s", why=str(exc)), "error")
        else:
            flash(_("The invitation is ready. Choose which names it shows, if any."), "success")
            return redirect(url_for("invite.detail", invitation_id=made.id))
    today = dt.date.today()
    items = inv.invitations(ws)
    names = ws.get_nodes({i.target_id for i in items})
    policy = PolicyForm(prefix="policy")
    policy.policy.choices = select_choices([(k, str(v)) for k, v in POLICY_WORDS.items()])
    policy.policy.data = inv.named_policy(ws)
    return render_template(
        "invite/index.html",
        form=form,
        items=items,
        names=names,
        today=today,
        pending=len(inv.pending_answers(ws)),
        policy_form=policy,
    )


@bp.post("/settings")
@requires_role("admin")
def settings():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    form = PolicyForm(prefix="policy")
    form.policy.choices = select_choices([(k, str(v)) for k, v in POLICY_WORDS.items()])
    if form.validate_on_submit():
        ws.store.update_workspace(ws.slug, settings={inv.NAMED_PEOPLE: form.policy.data})
        flash(_("Saved."), "success")
    return redirect(url_for("invite.index"))


def _invitation(ws: Workspace, invitation_id: str) -> inv.Invitation:
    try:
        return inv.get_invitation(ws, invitation_id)
    except NotFoundError:
        abort(404)


def _candidates(ws: Workspace, invitation: inv.Invitation) -> list[Any]:
    """People and organisations in the theme's or community's neighbourhood (within two
    ties, as on the scan), to choose the names shown from."""
    around = ws.project_around([invitation.target_id], depth=2)
    ids = {n for n, d in around.nodes(data=True) if d.get("kind") in ("Person", "Organisation")}
    found = ws.get_nodes(ids | set(invitation.shown))
    return sorted(
        (n for n in found.values() if n.kind in inv.SHOWABLE_KINDS),
        key=lambda n: (n.kind.value, n.name.casefold()),
    )


@bp.get("/<invitation_id>")
def detail(invitation_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    invitation = _invitation(ws, invitation_id)
    shown = ShownForm(prefix="shown")
    candidates = _candidates(ws, invitation)
    shown.shown.choices = select_choices(
        [
            (n.id, f"{n.name} ({_('person') if n.kind is NodeKind.PERSON else _('organisation')})")
            for n in candidates
        ]
    )
    shown.shown.data = list(invitation.shown)
    target = ws.get_nodes([invitation.target_id]).get(invitation.target_id)
    answers = [a for a in ws.records("answer") if a.body.get("invitation") == invitation.id]
    return render_template(
        "invite/detail.html",
        invitation=invitation,
        target=target,
        link=invite_url(ws, invitation),
        state=invitation.state(),
        shown_form=shown,
        close_form=CloseForm(prefix="close"),
        pending=sum(1 for a in answers if a.body.get("status") == "pending"),
        accepted=sum(1 for a in answers if a.body.get("status") == "accepted"),
    )


@bp.post("/<invitation_id>/shown")
def save_shown(invitation_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    invitation = _invitation(ws, invitation_id)
    form = ShownForm(prefix="shown")
    form.shown.choices = select_choices([(n.id, n.name) for n in _candidates(ws, invitation)])
    if form.validate_on_submit():
        inv.update_invitation(ws, invitation.id, shown=form.shown.data or [])
        flash(_("Saved."), "success")
    else:
        flash(_("Not saved: pick names from the list."), "error")
    return redirect(url_for("invite.detail", invitation_id=invitation.id))


@bp.post("/<invitation_id>/close")
def close(invitation_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    invitation = _invitation(ws, invitation_id)
    if CloseForm(prefix="close").validate_on_submit():
        inv.update_invitation(ws, invitation.id, closed=not invitation.closed)
    return redirect(url_for("invite.detail", invitation_id=invitation.id))


@bp.get("/<invitation_id>/qr.<ext>")
def qr(invitation_id: str, ext: str):  # type: ignore[no-untyped-def]
    if ext not in ("png", "svg"):
        abort(404)
    ws = current_workspace()
    invitation = _invitation(ws, invitation_id)
    data = inv.qr_code(invite_url(ws, invitation), ext)
    response = Response(data, mimetype="image/png" if ext == "png" else "image/svg+xml")
    if request.args.get("download"):
        filename = f"uitnodiging-{invitation.id}.{ext}"
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --------------------------------------------------------------------------- moderation

ITEM_WORDS = {
    "self": _l("Who answered"),
    "online": _l("Active online"),
    "offline": _l("Active offline"),
    "activities": _l("Activity"),
    "known_orgs": _l("Organisation (typed)"),
    "known_people": _l("Person named (typed)"),
}


def _accept_form(answer_id: str) -> FlaskForm:
    return FlaskForm(prefix=f"a-{answer_id}")


@bp.get("/answers")
def answers():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    queue = []
    for record in inv.pending_answers(ws):
        try:
            invitation = inv.get_invitation(ws, record.body["invitation"])
        except NotFoundError:
            invitation = None
        known = ws.get_nodes(record.body["answer"].get("known") or [])
        queue.append(
            {
                "record": record,
                "answer": record.body["answer"],
                "invitation": invitation,
                "items": inv.review_answer(ws, record.id),
                "known": [known[i] for i in record.body["answer"].get("known") or [] if i in known],
                "accept_form": _accept_form(record.id),
                "reject_form": RejectForm(prefix=f"r-{record.id}"),
            }
        )
    return render_template(
        "invite/answers.html", queue=queue, item_words=ITEM_WORDS, policy=inv.named_policy(ws)
    )


@bp.post("/answers/<answer_id>/accept")
def accept(answer_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    if ws.get_record("answer", answer_id) is None:
        abort(404)
    if not _accept_form(answer_id).validate_on_submit():
        abort(400)
    prefix = f"a-{answer_id}-"
    choices = {
        key[len(prefix) + 7 :]: value
        for key, value in request.form.items()
        if key.startswith(prefix + "choice-")
    }
    edits = {
        "name": request.form.get(prefix + "name"),
        "about": request.form.get(prefix + "about"),
    }
    try:
        report = inv.accept_answer(ws, answer_id, choices=choices, edits=edits)
    except MapperError as exc:
        flash(_("The answer was not accepted: %(why)s", why=str(exc)), "error")
        return redirect(url_for("invite.answers"))
    flash(
        _(
            "Accepted: %(nodes)s new on the map, %(ties)s ties.",
            nodes=len(report["nodes"]),
            ties=len(report["ties"]),
        ),
        "success",
    )
    return redirect(url_for("main.entity", node_id=report["respondent"]))


@bp.post("/answers/<answer_id>/reject")
def reject(answer_id: str):  # type: ignore[no-untyped-def]
    ws = current_workspace()
    if ws.get_record("answer", answer_id) is None:
        abort(404)
    if RejectForm(prefix=f"r-{answer_id}").validate_on_submit():
        try:
            inv.reject_answer(ws, answer_id)
        except MapperError as exc:
            flash(str(exc), "error")
        else:
            flash(_("The answer was rejected and erased."), "success")
    return redirect(url_for("invite.answers"))


# --------------------------------------------------------------------------- what it gives back


def summary_for(target_id: str) -> dict[str, Any]:
    """For the scan and community pages: the invitations of a theme or community, and the
    ties that came from their answers (``tie_rows``: tie, source and target nodes)."""
    try:
        ws = current_workspace()
        summary = inv.invitation_summary(ws, target_id)
    except (MapperError, HTTPException):
        return {"invitations": [], "received": 0, "accepted": 0, "ties": [], "tie_rows": []}
    rows = []
    for tie_id in summary["ties"]:
        try:
            tie = ws.get_tie(tie_id)
        except NotFoundError:
            continue
        ends = ws.get_nodes([tie.source, tie.target])
        if tie.source in ends and tie.target in ends:
            rows.append({"tie": tie, "source": ends[tie.source], "target": ends[tie.target]})
    summary["tie_rows"] = rows
    return summary


@bp.app_context_processor
def _summary_helper() -> dict[str, Any]:
    return {"invitation_summary": summary_for}
