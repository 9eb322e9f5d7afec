"""Placeholder home page; the web area replaces it."""

from flask import Blueprint, render_template

from .db import current_workspace

bp = Blueprint("main", __name__)


@bp.get("/")
def index():  # type: ignore[no-untyped-def]
    ws = current_workspace()
    return render_template("index.html", workspace=ws.info, counts=ws.counts())
