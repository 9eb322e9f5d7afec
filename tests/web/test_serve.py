"""`mapper serve`: waitress by default, Flask's development server only with --debug, and the
behind-a-proxy setting (werkzeug's ProxyFix with a configured number of proxies)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from web import create_app

MAPPER = str(Path(sys.executable).parent / "mapper")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> urllib.response.addinfourl:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            return urllib.request.urlopen(url, timeout=10)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url}")


@pytest.fixture
def database(tmp_path):
    url = f"sqlite:///{tmp_path / 'town.db'}"
    subprocess.run(
        [MAPPER, "init-workspace", "demo", "--name", "Bibliotheek", "--database", url],
        check=True,
        capture_output=True,
    )
    return url


@pytest.mark.parametrize(
    "flags,server", [(["--threads", "4"], "community-mapper"), (["--debug"], "Werkzeug")]
)
def test_serve_runs_waitress_and_the_dev_server_only_with_debug(database, tmp_path, flags, server):
    port = free_port()
    proc = subprocess.Popen(
        [MAPPER, "serve", "--database", database, "--port", str(port), "--single-user", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
    )
    try:
        response = wait_for(f"http://127.0.0.1:{port}/", proc)
        assert response.status == 200
        assert response.headers["Server"].startswith(server)
        assert "Bibliotheek" in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stdout:
            proc.stdout.close()


def test_proxies_setting_trusts_that_many_forwarding_proxies(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}", "PROXIES": 2})
    assert isinstance(app.wsgi_app, ProxyFix)
    assert (app.wsgi_app.x_for, app.wsgi_app.x_proto, app.wsgi_app.x_host) == (2, 2, 2)
    seen = {}

    def recorder(environ, start_response):  # what the app behind the proxy fix sees
        seen.update(addr=environ["REMOTE_ADDR"], scheme=environ["wsgi.url_scheme"])
        start_response("200 OK", [])
        return [b""]

    app.wsgi_app.app = recorder
    app.wsgi_app(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "REMOTE_ADDR": "10.0.0.2",
            "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7, 10.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https, https",
            "wsgi.url_scheme": "http",
        },
        lambda status, headers: None,
    )
    # Two proxies: the address the farther one saw, not what the client claims to be.
    assert seen == {"addr": "198.51.100.7", "scheme": "https"}


def test_no_proxies_by_default_and_a_bad_value_is_refused(tmp_path, monkeypatch):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})
    assert not isinstance(app.wsgi_app, ProxyFix)
    monkeypatch.setenv("MAPPER_PROXIES", "twee")
    with pytest.raises(ValueError, match="MAPPER_PROXIES"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'a.db'}"})
