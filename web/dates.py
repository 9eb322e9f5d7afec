"""The date a page is shown for: reading it from the query string, and stepping by months.

Every page that reads the graph *as of a date* uses these, so a bad date gets the same message
everywhere and the month steps keep the page's other arguments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from flask import flash, request, url_for
from flask_babel import gettext as _

from mapper.errors import ValidationError
from mapper.model import add_months, check_date

#: The days a page can be shown for; a date outside is moved to the nearest one, with a
#: message (9999-12-31 and 0001-01-01 have no month after or before them).
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2199, 12, 31)


def date_arg(
    name: str = "as_of", default: dt.date | None = None, *, aliases: Iterable[str] = ()
) -> dt.date:
    """The date in ``?name=`` (or the first of ``aliases`` given); ``default`` (today) when
    absent. A value that is not a date is named in a flashed message and the default is used."""
    fallback = default or dt.date.today()
    raw = ""
    for key in (name, *aliases):
        raw = (request.args.get(key) or "").strip()
        if raw:
            break
    if not raw:
        return fallback
    try:
        day = check_date(raw, field=name) or fallback
    except ValidationError:
        flash(
            _(
                "%(value)s is not a date (use YYYY-MM-DD); using %(default)s.",
                value=raw,
                default=fallback.isoformat(),
            ),
            "error",
        )
        return fallback
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        clamped = min(max(day, EARLIEST_DAY), LATEST_DAY)
        flash(
            _(
                "%(value)s lies outside %(first)s – %(last)s; showing %(shown)s.",
                value=raw,
                first=EARLIEST_DAY.isoformat(),
                last=LATEST_DAY.isoformat(),
                shown=clamped.isoformat(),
            ),
            "error",
        )
        return clamped
    return day


def month_links(day: dt.date) -> dict[str, str]:
    """This page one month earlier, one month later and today, keeping its other arguments."""

    def link(target: dt.date) -> str:
        args = request.args.to_dict(flat=False)
        args["as_of"] = [target.isoformat()]
        values: dict[str, Any] = {**(request.view_args or {}), **args}
        return url_for(request.endpoint or "main.index", **values)

    return {
        "prev": link(add_months(day, -1)),
        "next": link(add_months(day, 1)),
        "today": link(dt.date.today()),
    }
