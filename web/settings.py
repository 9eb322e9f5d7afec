"""The app's settings that come from the environment, as ``MAPPER_<NAME>``.

Each is documented in README.md, "Configuration" (``tests/house/test_docs.py`` checks that).
"""

from __future__ import annotations

#: Settings read from the environment as MAPPER_<NAME>.
ENV_SETTINGS: tuple[str, ...] = ("DATABASE_URL", "WORKSPACE", "SECRET_KEY", "DEFAULT_LANGUAGE")
# Accounts and security (see web/auth.py): single-user mode, bound address, accounts file,
# session length in hours, Secure cookies even behind a TLS-terminating proxy.
ENV_SETTINGS += ("SINGLE_USER", "HOST", "ACCOUNTS_PATH", "SESSION_HOURS", "SECURE_COOKIES")
# Host names the app answers to besides 127.0.0.1, localhost and [::1] (web/security.py).
ENV_SETTINGS += ("TRUSTED_HOSTS",)
# Where uploads wait for their confirmation (web/io.py; `mapper privacy erase` looks there too).
ENV_SETTINGS += ("IMPORT_FOLDER",)
# Invitations (web/invite.py): the site address for links made by `mapper invite`, the mail
# server for confirmations, rate limits of the public form.
ENV_SETTINGS += ("BASE_URL", "SMTP_URL", "MAIL_FROM", "INVITE_LIMIT_ADDRESS")
ENV_SETTINGS += ("INVITE_LIMIT_INVITATION",)
# Serving (see README, "Running it for real"): how many reverse proxies to trust.
ENV_SETTINGS += ("PROXIES",)
