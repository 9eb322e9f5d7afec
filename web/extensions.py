"""The Flask extensions the app shares, made once here and bound in ``create_app``.

They live in their own module so that areas (``web.auth``, a blueprint marking a view
``@csrf.exempt``) import them without importing the app package that registers those areas.
"""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

#: CSRF protection of every POST (checked by ``web.auth`` before a view runs).
csrf = CSRFProtect()
