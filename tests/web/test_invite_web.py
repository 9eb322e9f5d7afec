"""The invitation pages in the web app: editors' pages behind login and roles, and the public
form safe in public — refused without consent, after the end date, over the limit, from a bot
(honeypot, too fast, a forged time stamp), over the rate limits, without a CSRF token, too
large, with another workspace's token — each storing nothing."""

from __future__ import annotations

import re

import pytest

from mapper import invitations as inv
from mapper.store import SQLiteStore
from tests.privacy_helpers import csrf_token, login, make_app, seed_two_workspaces
from tests.web.test_auth import rules

FIELD_RE = r'name="{}" type="hidden" value="([^"]+)"'


@pytest.fixture
def town(tmp_path):
    return seed_two_workspaces(tmp_path)


def invitation(town, slug="alpha", **fields):
    store = SQLiteStore(town.path)
    try:
        ids = town.ids[slug]
        return inv.create_invitation(store.workspace(slug), ids["theme"], **fields)
    finally:
        store.close()


def answers(town, slug="alpha"):
    store = SQLiteStore(town.path)
    try:
        return store.workspace(slug).records("answer")
    finally:
        store.close()


def form_fields(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    return {
        "csrf_token": re.search(FIELD_RE.format("csrf_token"), html).group(1),
        "started": re.search(FIELD_RE.format("started"), html).group(1),
    }, html


def filled(fields, **changes):
    data = {
        **fields,
        "as_who": "person",
        "name": "Bezoeker Testmans",
        "about": "Ik help bij het Repair Café",
        "online": "Facebookgroep Groen",
        "offline": "Buurthuis",
        "activities": "Fietsspreekuur",
        "consent_map": "y",
        "consent_ties": "y",
        "website": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def path_of(town, made, slug="alpha"):
    return f"/doe-mee/{slug}/{made.token}"


@pytest.fixture
def app(town):
    return make_app(town, INVITE_MIN_SECONDS=0)


def test_a_visitor_answers_without_an_account(app, town):
    made = invitation(town, shown=[town.ids["alpha"]["organisation"]])
    visitor = app.test_client()
    fields, html = form_fields(visitor, path_of(town, made))
    assert "Vereniging Alfaweg" in html  # the listed name …
    for other in town.names["alpha"] + town.names["beta"]:  # … and nothing else of anyone
        if other != "Vereniging Alfaweg":
            assert other not in html, other
    assert "toestemming" in html.lower() and inv.CONSENT_VERSION in html
    response = visitor.post(
        path_of(town, made), data=filled(fields, known=town.ids["alpha"]["organisation"])
    )
    assert response.status_code == 302
    thanks = visitor.get(response.headers["Location"])
    assert thanks.status_code == 200 and thanks.headers["Cache-Control"] == "no-store"
    link = re.search(r'id="withdraw-link" href="([^"]+)"', thanks.get_data(as_text=True)).group(1)
    assert "/doe-mee/alpha/intrekken/" in link
    (record,) = answers(town)
    assert record.body["answer"]["known"] == [town.ids["alpha"]["organisation"]]
    # the withdrawal page shows what is held, and erases it on confirmation
    page = visitor.get(link.replace("http://localhost", ""))
    assert "Bezoeker Testmans" in page.get_data(as_text=True)
    token = re.search(FIELD_RE.format("csrf_token"), page.get_data(as_text=True)).group(1)
    done = visitor.post(link.replace("http://localhost", ""), data={"csrf_token": token})
    assert done.status_code == 200 and "gewist" in done.get_data(as_text=True)
    assert answers(town) == []


def test_refused_without_consent(app, town):
    made = invitation(town)
    visitor = app.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    response = visitor.post(path_of(town, made), data=filled(fields, consent_map=None))
    assert response.status_code == 400
    assert "Er is niets bewaard" in response.get_data(as_text=True)
    assert answers(town) == []


def test_refused_after_the_end_date(app, town):
    made = invitation(town, until="2020-01-31", today="2020-01-01")
    visitor = app.test_client()
    page = visitor.get(path_of(town, made))
    assert page.status_code == 410 and "afgelopen" in page.get_data(as_text=True)
    token = csrf_token(visitor, "/login")
    response = visitor.post(path_of(town, made), data={"csrf_token": token, "name": "x"})
    assert response.status_code == 410
    assert answers(town) == []


def test_refused_over_the_answer_limit(app, town):
    made = invitation(town, max_answers=1)
    visitor = app.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    assert visitor.post(path_of(town, made), data=filled(fields)).status_code == 302
    second = app.test_client()
    page = second.get(path_of(town, made))
    assert page.status_code == 410 and "vol" in page.get_data(as_text=True)
    # a form opened before the limit was reached is refused too
    response = visitor.post(path_of(town, made), data=filled(fields, name="Nog iemand"))
    assert response.status_code == 410
    assert len(answers(town)) == 1


def test_refused_from_a_bot_honeypot(app, town):
    made = invitation(town)
    visitor = app.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    response = visitor.post(path_of(town, made), data=filled(fields, website="http://spam"))
    assert response.status_code == 400
    assert "niets bewaard" in response.get_data(as_text=True)
    assert answers(town) == []


def test_refused_from_a_bot_too_fast_or_forged(town):
    app = make_app(town)  # the default time check: at least 3 seconds
    made = invitation(town)
    visitor = app.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    assert visitor.post(path_of(town, made), data=filled(fields)).status_code == 400
    forged = filled(fields, started="eyJ0aW1lIjoxfQ.forged.signature")
    assert visitor.post(path_of(town, made), data=forged).status_code == 400
    missing = filled(fields, started=None)
    assert visitor.post(path_of(town, made), data=missing).status_code == 400
    assert answers(town) == []


def test_refused_over_the_rate_limit_per_address(town):
    app = make_app(town, INVITE_MIN_SECONDS=0, INVITE_LIMIT_ADDRESS="2/600")
    made = invitation(town)
    visitor = app.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    for i in range(2):
        assert (
            visitor.post(path_of(town, made), data=filled(fields, name=f"P{i}")).status_code == 302
        )
        fields, _ = form_fields(visitor, path_of(town, made))
    response = visitor.post(path_of(town, made), data=filled(fields, name="P3"))
    assert response.status_code == 429 and "Even geduld" in response.get_data(as_text=True)
    assert len(answers(town)) == 2
    # another address may still answer
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    fields, _ = form_fields(other, path_of(town, made))
    assert other.post(path_of(town, made), data=filled(fields, name="P4")).status_code == 302


def test_refused_over_the_rate_limit_per_invitation(town):
    app = make_app(town, INVITE_MIN_SECONDS=0, INVITE_LIMIT_INVITATION="2/600")
    made = invitation(town)
    statuses = []
    for i in range(3):
        visitor = app.test_client()
        visitor.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"
        fields, _ = form_fields(visitor, path_of(town, made))
        statuses.append(visitor.post(path_of(town, made), data=filled(fields)).status_code)
    assert statuses == [302, 302, 429]
    assert len(answers(town)) == 2


def test_refused_without_csrf_token_and_when_too_large(app, town):
    made = invitation(town)
    visitor = app.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    response = visitor.post(path_of(town, made), data=filled(fields, csrf_token=None))
    assert response.status_code == 400 and "te oud" in response.get_data(as_text=True)
    big = visitor.post(path_of(town, made), data=filled(fields, about="x" * 40_000))
    assert big.status_code == 413 and "te lang" in big.get_data(as_text=True)
    long_name = visitor.post(path_of(town, made), data=filled(fields, name="n" * 500))
    assert long_name.status_code == 400
    assert answers(town) == []


def test_a_token_of_another_workspace_is_not_found(app, town):
    theirs = invitation(town, "beta")
    visitor = app.test_client()
    for url in (
        f"/doe-mee/alpha/{theirs.token}",
        "/doe-mee/nergens/whatever",
        "/doe-mee/alpha/intrekken/whatever",
    ):
        page = visitor.get(url)
        assert page.status_code == 404, url
        assert "Betastraat" not in page.get_data(as_text=True)
    # their own link works, in their own workspace only
    fields, html = form_fields(visitor, f"/doe-mee/beta/{theirs.token}")
    assert "Bibliotheek Betastraat" in html and "Alfaweg" not in html
    response = visitor.post(f"/doe-mee/beta/{theirs.token}", data=filled(fields))
    assert response.status_code == 302
    link = re.search(
        r'id="withdraw-link" href="([^"]+)"',
        visitor.get(response.headers["Location"]).get_data(as_text=True),
    ).group(1)
    token = link.rsplit("/", 1)[1]
    assert visitor.get(f"/doe-mee/alpha/intrekken/{token}").status_code == 404
    assert answers(town, "alpha") == [] and len(answers(town, "beta")) == 1


def test_public_pages_are_the_only_pages_without_login(app, town):
    made = invitation(town)
    client = app.test_client()
    public = set()
    for rule in rules(app, methods={"GET"}):
        if "<" in rule.rule:
            continue
        response = client.get(rule.rule)
        if response.status_code not in (302, 401):
            public.add(rule.endpoint)
    # (other areas may publish documents without login, e.g. an API description; no
    # invitation page of the editors is among them)
    assert not {e for e in public if e.startswith("invite")}
    assert client.get(path_of(town, made)).status_code == 200
    assert client.get("/invitations/").status_code == 302  # editors' pages need login
    assert client.get(f"/invitations/{made.id}/qr.png").status_code == 302
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    public_views = {e for e in endpoints if getattr(app.view_functions[e], "public", False)}
    assert {e for e in public_views if e.startswith("invite")} == {
        "invite_public.form",
        "invite_public.thanks",
        "invite_public.withdraw",
    }


def test_editor_makes_and_moderates_viewer_may_not(app, town):
    editor = app.test_client()
    login(editor, "editor@alpha.nl")
    page = editor.get("/invitations/")
    assert page.status_code == 200 and "Uitnodigingen" in page.get_data(as_text=True)
    token = csrf_token(editor, "/invitations/")
    response = editor.post(
        "/invitations/",
        data={
            "csrf_token": token,
            "target": town.ids["alpha"]["theme"],
            "name": "Buurtavond",
            "max_answers": "10",
        },
    )
    assert response.status_code == 302
    detail = editor.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'value="(http://localhost/doe-mee/alpha/[^"]+)"', detail).group(1)
    inv_id = response.headers["Location"].rsplit("/", 1)[1]
    png = editor.get(f"/invitations/{inv_id}/qr.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    svg = editor.get(f"/invitations/{inv_id}/qr.svg?download=1")
    assert svg.mimetype == "image/svg+xml" and "attachment" in svg.headers["Content-Disposition"]
    visitor = app.test_client()
    fields, _ = form_fields(visitor, link.replace("http://localhost", ""))
    xss = "<script>alert(1)</script>"
    visitor.post(link.replace("http://localhost", ""), data=filled(fields, name=xss))
    queue = editor.get("/invitations/answers").get_data(as_text=True)
    assert xss not in queue and "&lt;script&gt;alert(1)&lt;/script&gt;" in queue
    (record,) = answers(town)
    viewer = app.test_client()
    login(viewer, "viewer@alpha.nl")
    vtoken = csrf_token(viewer, "/account")
    assert (
        viewer.post(
            f"/invitations/answers/{record.id}/accept", data={"csrf_token": vtoken}
        ).status_code
        == 403
    )
    assert viewer.post("/invitations/", data={"csrf_token": vtoken}).status_code == 403
    other = app.test_client()
    login(other, "admin@beta.nl")
    btoken = csrf_token(other, "/account")
    assert other.get(f"/invitations/{inv_id}").status_code == 404
    assert (
        other.post(
            f"/invitations/answers/{record.id}/accept", data={"csrf_token": btoken}
        ).status_code
        == 404
    )
    token = csrf_token(editor, "/invitations/answers")
    accepted = editor.post(
        f"/invitations/answers/{record.id}/accept",
        data={"csrf_token": token, f"a-{record.id}-name": "Bezoeker Echt"},
    )
    assert accepted.status_code == 302
    entity = editor.get(accepted.headers["Location"]).get_data(as_text=True)
    assert "Bezoeker Echt" in entity
    scan = editor.get(f"/scan/{town.ids['alpha']['theme']}").get_data(as_text=True)
    assert 'id="invitation-ties"' in scan and "Buurtavond" in scan
    assert "uit een uitnodiging" in scan


def test_named_people_setting_is_for_admins(app, town):
    editor = app.test_client()
    login(editor, "editor@alpha.nl")
    token = csrf_token(editor, "/invitations/")
    assert (
        editor.post(
            "/invitations/settings", data={"csrf_token": token, "policy-policy": "review"}
        ).status_code
        == 403
    )
    admin = app.test_client()
    login(admin, "admin@alpha.nl")
    page = admin.get("/invitations/").get_data(as_text=True)
    token = re.search(r'name="policy-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = admin.post(
        "/invitations/settings", data={"policy-csrf_token": token, "policy-policy": "review"}
    )
    assert response.status_code == 302
    store = SQLiteStore(town.path)
    assert inv.named_policy(store.workspace("alpha")) == "review"
    store.close()


class _SMTPSink:
    """A tiny SMTP server on 127.0.0.1 that keeps the messages it receives (for the test)."""

    def __init__(self):
        import socketserver
        import threading

        self.messages: list[str] = []
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                def say(line):
                    self.wfile.write(line.encode() + b"\r\n")

                say("220 sink")
                data = None
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    text = line.decode("utf-8", "replace").rstrip("\r\n")
                    if data is not None:
                        if text == ".":
                            sink.messages.append("\n".join(data))
                            data = None
                            say("250 kept")
                        else:
                            data.append(text)
                        continue
                    verb = text.split(" ", 1)[0].upper()
                    if verb == "DATA":
                        data = []
                        say("354 go on")
                    elif verb == "QUIT":
                        say("221 bye")
                        return
                    else:
                        say("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_confirmation_mail_only_when_smtp_is_configured(town):
    made = invitation(town)
    plain = make_app(town, INVITE_MIN_SECONDS=0)
    visitor = plain.test_client()
    fields, _ = form_fields(visitor, path_of(town, made))
    response = visitor.post(path_of(town, made), data=filled(fields, email="wil@example.nl"))
    thanks = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "ook naar je e-mailadres gestuurd" not in thanks  # no SMTP: nothing sent
    sink = _SMTPSink()
    try:
        mailing = make_app(
            town,
            INVITE_MIN_SECONDS=0,
            SMTP_URL=f"smtp://127.0.0.1:{sink.port}",
            MAIL_FROM="bieb@example.nl",
        )
        visitor = mailing.test_client()
        fields, _ = form_fields(visitor, path_of(town, made))
        response = visitor.post(path_of(town, made), data=filled(fields, email="wil@example.nl"))
        thanks = visitor.get(response.headers["Location"]).get_data(as_text=True)
        assert "ook naar je e-mailadres gestuurd" in thanks
        link = re.search(r'id="withdraw-link" href="([^"]+)"', thanks).group(1)
        (message,) = sink.messages
        assert "To: wil@example.nl" in message and "From: bieb@example.nl" in message
        assert link.rsplit("/", 1)[1] in message.replace("=\n", "")
    finally:
        sink.close()
