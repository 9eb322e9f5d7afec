"""Het verslag: a report of a community, or of the whole library, as HTML and as PDF.

For the management meeting and the municipality, which funds the library's social role. One
community's report holds its definition and vision, the library's roles and the working
agreements, the SMART goals with their progress, connectedness over time (chart and table),
its activities, the pulse (who carries it), its outcomes and the evaluations of the
cooperation. The library's report has a summary table and then every community on a page of
its own.

The HTML is one self-contained page (styles inline, charts as inline SVG, nothing loaded from
anywhere), so it prints from a browser as it is, and WeasyPrint turns the same page into a PDF
without a network: its URL fetcher here refuses every request.

Examples
--------
>>> from mapper.store import SQLiteStore
>>> from seeds.demo import seed_demo
>>> store = SQLiteStore(":memory:"); _ = seed_demo(store, "demo")
>>> ws = store.workspace("demo")
>>> data = community_report(ws, "Taalmaatjes Rijnstad", as_of=dt.date(2026, 11, 1))
>>> data["name"], data["now"]["members"] > 0
('Taalmaatjes Rijnstad', True)
>>> "Taalmaatjes Rijnstad" in render_html(library_report(ws, as_of=dt.date(2026, 11, 1)))
True
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import communities as com
from .analysis.community import SHARE_METRICS, community_start, connectedness_series, series_dates
from .analysis.goals import community_goals, goal_progress_series
from .analysis.pulse import THRESHOLD, activity_carriers, pulling_alone, pulse
from .errors import MapperError
from .i18n import LANGUAGES, N_, format_date, format_number, format_percent, gettext, use_language
from .model import COMMUNITY_ROLES, add_months
from .store import Workspace
from .svg_charts import bar_chart, line_chart, series
from .workplan import current_agreements, records, settings

#: How many months of history a report shows.
REPORT_MONTHS = 12
TEMPLATES = Path(__file__).parent / "templates"

#: The words of the report, by key: English message ids, in the workbook's words in Dutch.
WORD_IDS: dict[str, str] = {
    "report": N_("Report"),
    "library_report": N_("Report on the communities"),
    "as_of": N_("Position as of"),
    "summary": N_("Summary"),
    "community": N_("Community"),
    "members": N_("Members"),
    "ambassadors": N_("Ambassadors"),
    "ties": N_("Ties among members"),
    "bonded": N_("Direct bond with the library"),
    "library_reach": N_("Within two steps of the library"),
    "activities_90d": N_("Activities, last 90 days"),
    "goals_met": N_("Goals met or on track"),
    "definition": N_("Definition and vision"),
    "bond_type": N_("Bond type"),
    "traits": N_("Specific traits"),
    "themes": N_("Themes"),
    "vision": N_("Shared vision"),
    "own_goals": N_("The community's own goals"),
    "roles": N_("Roles and working agreements"),
    "role": N_("Role"),
    "who": N_("Who"),
    "task": N_("Task"),
    "hours": N_("Hours a month"),
    "contact_person": N_("Contact person"),
    "meeting_rhythm": N_("When and how often it meets"),
    "platform": N_("Online platform"),
    "nobody": N_("nobody"),
    "goals": N_("SMART goals"),
    "goal": N_("Goal"),
    "target": N_("Target value"),
    "deadline": N_("Deadline"),
    "now": N_("Now"),
    "status": N_("Progress"),
    "connectedness": N_("Connectedness over time"),
    "month": N_("Month"),
    "activities": N_("Activities"),
    "activity": N_("Activity"),
    "sessions": N_("Sessions"),
    "carried_by": N_("Organised by"),
    "pulse": N_("A finger on the pulse"),
    "library_share": N_("The library's share"),
    "library": N_("library"),
    "by_members": N_("members"),
    "startup": N_("start-up year"),
    "pulling_alone": N_(
        "The library pulls alone: for three months in a row the library organised more than {pct} of what happened. Are we thinking for the community or with it?"
    ),
    "not_pulling": N_("The community carries its share."),
    "startup_note": N_(
        "The community is in its start-up year (until {day}): read the early numbers as the start-up phase."
    ),
    "outcomes": N_("Outcomes"),
    "outcomes_place": N_("Where outcomes are recorded"),
    "what": N_("What"),
    "date": N_("Date"),
    "where": N_("Where kept"),
    "evaluations": N_("Measurement moments and evaluation of the cooperation"),
    "went_well": N_("What went well"),
    "to_change": N_("What to change"),
    "partners_view": N_("How the partners see it"),
    "score": N_("Score (1–5)"),
    "not_evaluated": N_("not evaluated yet"),
    "calendar": N_("Content calendar"),
    "done": N_("done"),
    "planned": N_("planned"),
    "none": "—",
    "builder": N_("builder"),
    "connector": N_("connector"),
    "driver": N_("driver"),
    "geography": N_("geography"),
    "identity": N_("identity"),
    "affinity": N_("affinity"),
    "met": N_("met"),
    "on_track": N_("on track"),
    "behind": N_("behind"),
    "missed": N_("missed"),
    "unmeasured": N_("not measured yet"),
    "made_by": N_("Made with community-mapper"),
    "pdf": N_("Download as PDF"),
    "back": N_("Back"),
    "print": N_("Print with Ctrl+P (or ⌘P)."),
}


class _Words(Mapping[str, dict[str, str]]):
    """:data:`WORD_IDS` translated, per language: ``WORDS["nl"]["members"]`` is ``Leden``."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        with use_language(lang):
            return {key: gettext(msgid) for key, msgid in WORD_IDS.items()}

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


#: The words of the report, per language (Dutch first, in the workbook's words).
WORDS: Mapping[str, dict[str, str]] = _Words()


class ReportError(MapperError):
    """A report cannot be made (e.g. the PDF library is not installed)."""


def fmt(metric: str, value: Any) -> str:
    """A metric's value for a reader: shares as percentages, counts as whole numbers.

    >>> fmt("library_reach", 0.456), fmt("members", 12.0), fmt("members", None)
    ('46%', '12', '–')
    """
    if value is None:
        return "–"
    if metric in SHARE_METRICS:
        if metric in ("density", "clustering"):
            return format_number(value, 2)
        return format_percent(value)
    if isinstance(value, float) and value.is_integer():
        return format_number(int(value))
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def community_report(
    ws: Workspace,
    ref: str,
    *,
    as_of: dt.date,
    months: int = REPORT_MONTHS,
    history: nx.MultiDiGraph | None = None,
) -> dict[str, Any]:
    """Everything one community's report shows, as of a day (``ref``: id or name)."""
    node = com.community(ws, ref)
    G = history if history is not None else com.load_history(ws)
    profile = com.profile(G, node.id, as_of=as_of)
    first = community_start(G, node.id)
    start = add_months(as_of, -months)
    if first and first > start:
        start = min(first, as_of)
    dates = series_dates(start, as_of)
    points = connectedness_series(G, node.id, dates)
    now = points[-1]
    refs = {a.get("who") for a in records(node, "agreements")}
    s = settings(node)
    refs |= {s.get("contact_person"), s.get("platform")}
    names = {n.id: n.name for n in ws.get_nodes(r for r in refs if r).values()}
    checkpoints = [c for c in records(node, "checkpoints") if c["date"] <= as_of.isoformat()]
    goals = []
    for goal in community_goals(G, node.id):
        if goal.start and goal.start > as_of:
            continue
        marks = [dt.date.fromisoformat(c["date"]) for c in checkpoints if goal.id in c["goals"]]
        series = goal_progress_series(G, goal, [*marks, as_of])
        goals.append({"goal": goal, "now": series[-1], "at_checkpoints": series[:-1]})
    sessions = [
        (day, act, side)
        for day, act, side in activity_carriers(G, node.id, until=as_of)
        if day >= start
    ]
    per_activity: Counter[tuple[str, str]] = Counter((act, side) for _, act, side in sessions)
    activities = sorted(
        (
            {"id": act, "name": G.nodes[act].get("name", act), "side": side, "sessions": n}
            for (act, side), n in per_activity.items()
        ),
        key=lambda a: (-a["sessions"], a["name"].casefold()),
    )
    calendar = records(node, "calendar")
    pulse_points = pulse(G, node.id, as_of=as_of, calendar=calendar, months=months)
    window = [c for c in calendar if start.isoformat() <= c["date"] <= as_of.isoformat()]
    return {
        "id": node.id,
        "name": node.name,
        "as_of": as_of,
        "profile": profile,
        "props": node.props,
        "points": points,
        "now": now,
        "agreements": [
            {**a, "who_name": names.get(a.get("who") or "")}
            for a in current_agreements(node, as_of)
        ],
        "contact_person": names.get(s.get("contact_person") or ""),
        "meeting_rhythm": s.get("meeting_rhythm"),
        "platform": names.get(s.get("platform") or ""),
        "outcomes_place": s.get("outcomes_place"),
        "outcomes": [o for o in records(node, "outcomes") if o["date"] <= as_of.isoformat()],
        "checkpoints": checkpoints,
        "goals": goals,
        "activities": activities,
        "pulse": pulse_points,
        "pulling_alone": pulling_alone(pulse_points),
        "startup_until": add_months(first, 12) if first and add_months(first, 12) > as_of else None,
        "calendar_done": sum(1 for c in window if c.get("status") == "done"),
        "calendar_planned": sum(
            1 for c in calendar if c["date"] > as_of.isoformat() and c.get("status") == "planned"
        ),
    }


def library_report(ws: Workspace, *, as_of: dt.date, months: int = REPORT_MONTHS) -> dict[str, Any]:
    """The whole library's report: every community's report, and the library's name."""
    G = com.load_history(ws)
    reports = [
        community_report(ws, c.id, as_of=as_of, months=months, history=G)
        for c in com.communities(ws)
    ]
    return {"name": ws.info.name, "as_of": as_of, "communities": reports}


def _charts(report: dict[str, Any], words: dict[str, str]) -> dict[str, Any]:
    points, name, ident = report["points"], report["name"], report["id"]
    labels = [format_date(p["date"], "MMM yyyy") for p in points]
    return {
        "members": line_chart(
            labels,
            series(points, [("members", words["members"]), ("ambassadors", words["ambassadors"])]),
            title=f"{words['members']} — {name}",
            id=f"{ident}-members",
            whole=True,
        ),
        "reach": line_chart(
            labels,
            series(
                points, [("bonded", words["bonded"]), ("library_reach", words["library_reach"])]
            ),
            title=f"{words['library_reach']} — {name}",
            id=f"{ident}-reach",
            share=True,
        ),
        "pulse": bar_chart(
            [format_date(p["month"], "MMM yyyy") for p in report["pulse"]],
            [p["library_share"] for p in report["pulse"]],
            title=f"{words['library_share']} — {name}",
            id=f"{ident}-pulse",
            muted=[p["startup"] for p in report["pulse"]],
            references=[(format_percent(THRESHOLD), THRESHOLD)],
            legend=words["library_share"],
            muted_legend=words["startup"],
        ),
    }


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """A community report's figures as plain JSON-safe data (for the API and the CLI)."""
    return {
        "id": report["id"],
        "name": report["name"],
        "as_of": report["as_of"].isoformat(),
        "now": {k: v for k, v in report["now"].items() if k != "roles"},
        "goals": [
            {
                "id": g["goal"].id,
                "name": g["goal"].name,
                "metric": g["goal"].metric,
                "target": g["goal"].target,
                "deadline": g["goal"].deadline.isoformat(),
                "value": g["now"]["value"],
                "status": g["now"]["status"],
            }
            for g in report["goals"]
        ],
        "agreements": [
            {"task": a["task"], "who": a.get("who"), "hours": a.get("hours")}
            for a in report["agreements"]
        ],
        "pulse": [
            {
                "month": p["month"].strftime("%Y-%m"),
                "library": p["library"],
                "members": p["members"],
                "library_share": p["library_share"],
                "startup": p["startup"],
            }
            for p in report["pulse"]
        ],
        "pulling_alone": report["pulling_alone"],
        "outcomes": len(report["outcomes"]),
        "evaluations": [
            {"date": c["date"], "score": (c.get("evaluation") or {}).get("score")}
            for c in report["checkpoints"]
        ],
    }


def render_html(
    report: dict[str, Any],
    *,
    lang: str = "nl",
    pdf_url: str | None = None,
    back_url: str | None = None,
) -> str:
    """The report as one self-contained HTML page (a community's or the library's);
    ``pdf_url`` and ``back_url`` add links above it (not printed)."""
    lang = lang if lang in WORDS else "nl"
    words = WORDS[lang]
    communities = report.get("communities", [report])
    with use_language(lang):
        return (
            _environment()
            .get_template("report.html")
            .render(
                report=report,
                library="communities" in report,
                communities=[(c, _charts(c, words)) for c in communities],
                w=words,
                lang=lang,
                fmt=fmt,
                day=format_date,
                roles=COMMUNITY_ROLES,
                threshold=format_percent(THRESHOLD),
                pdf_url=pdf_url,
                back_url=back_url,
            )
        )


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ReportError("the report loads nothing from outside (asked for {url!r})", url=url[:80])


def render_pdf(html: str) -> bytes:
    """The HTML page as a PDF (WeasyPrint), made without any network access.

    Raises
    ------
    ReportError
        If WeasyPrint (or the Pango libraries it needs) is not installed.
    """
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango libraries are missing
        raise ReportError(
            "a PDF needs WeasyPrint and its Pango libraries ({reason}); "
            "print the HTML page from a browser instead",
            reason=str(exc),
        ) from exc
    return weasyprint.HTML(string=html, url_fetcher=_refuse).write_pdf()


__all__ = [
    "REPORT_MONTHS",
    "WORDS",
    "ReportError",
    "community_report",
    "fmt",
    "library_report",
    "render_html",
    "render_pdf",
    "summary",
]
