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
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import communities as com
from .analysis.community import SHARE_METRICS, community_start, connectedness_series, series_dates
from .analysis.goals import community_goals, goal_progress_series
from .analysis.pulse import THRESHOLD, activity_carriers, pulling_alone, pulse
from .errors import MapperError
from .model import COMMUNITY_ROLES, add_months
from .store import Workspace
from .svg_charts import bar_chart, line_chart
from .workplan import current_agreements, records, settings

#: How many months of history a report shows.
REPORT_MONTHS = 12
TEMPLATES = Path(__file__).parent / "templates"

#: The words of the report, per language (Dutch first, in the workbook's words).
WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "report": "Verslag",
        "library_report": "Verslag van de community's",
        "as_of": "Stand op",
        "summary": "Samenvatting",
        "community": "Community",
        "members": "Leden",
        "ambassadors": "Ambassadeurs",
        "ties": "Banden tussen leden",
        "bonded": "Directe band met de bibliotheek",
        "library_reach": "Binnen twee stappen van de bibliotheek",
        "activities_90d": "Activiteiten, laatste 90 dagen",
        "goals_met": "Doelen gehaald of op koers",
        "definition": "Definitie en visie",
        "bond_type": "Gemeenschappelijk kenmerk",
        "traits": "Specifieke kenmerken",
        "themes": "Thema's",
        "vision": "Gezamenlijke visie",
        "own_goals": "Doelen van de community",
        "roles": "Rollen en werkafspraken",
        "role": "Rol",
        "who": "Wie",
        "task": "Taak",
        "hours": "Uur per maand",
        "contact_person": "Aanspreekpunt",
        "meeting_rhythm": "Wanneer en hoe vaak samen",
        "platform": "Online platform",
        "nobody": "niemand",
        "goals": "SMART-doelen",
        "goal": "Doel",
        "target": "Streefwaarde",
        "deadline": "Deadline",
        "now": "Nu",
        "status": "Stand",
        "connectedness": "Verbondenheid door de tijd",
        "month": "Maand",
        "activities": "Activiteiten",
        "activity": "Activiteit",
        "sessions": "Bijeenkomsten",
        "carried_by": "Georganiseerd door",
        "pulse": "De vinger aan de pols",
        "library_share": "Aandeel van de bibliotheek",
        "library": "bibliotheek",
        "by_members": "leden",
        "startup": "opstartjaar",
        "pulling_alone": "De bibliotheek trekt alleen: drie maanden op rij organiseerde de bibliotheek meer dan {pct} van wat er gebeurde. Denken we vóór de community of mét de community?",
        "not_pulling": "De community draagt zelf mee.",
        "startup_note": "De community zit in haar opstartjaar (tot {day}): lees de eerste cijfers als opstartfase.",
        "outcomes": "Uitkomsten",
        "outcomes_place": "Waar de uitkomsten worden vastgelegd",
        "what": "Wat",
        "date": "Datum",
        "where": "Waar vastgelegd",
        "evaluations": "Meetmomenten en evaluatie van de samenwerking",
        "went_well": "Wat ging goed",
        "to_change": "Wat kan anders",
        "partners_view": "Hoe zien de partners het",
        "score": "Cijfer (1–5)",
        "not_evaluated": "nog niet geëvalueerd",
        "calendar": "Contentkalender",
        "done": "gedaan",
        "planned": "gepland",
        "none": "—",
        "builder": "bouwer",
        "connector": "verbinder",
        "driver": "aanjager",
        "geography": "geografie",
        "identity": "identiteit",
        "affinity": "affiniteit",
        "met": "gehaald",
        "on_track": "op koers",
        "behind": "achter",
        "missed": "niet gehaald",
        "unmeasured": "nog niet gemeten",
        "made_by": "Gemaakt met community-mapper",
        "pdf": "Als PDF downloaden",
        "back": "Terug",
        "print": "Afdrukken kan met Ctrl+P (of ⌘P).",
    },
    "en": {
        "report": "Report",
        "library_report": "Report on the communities",
        "as_of": "As of",
        "summary": "Summary",
        "community": "Community",
        "members": "Members",
        "ambassadors": "Ambassadors",
        "ties": "Ties among members",
        "bonded": "Direct bond with the library",
        "library_reach": "Within two steps of the library",
        "activities_90d": "Activities, last 90 days",
        "goals_met": "Goals met or on track",
        "definition": "Definition and vision",
        "bond_type": "Primary bond",
        "traits": "Specific traits",
        "themes": "Themes",
        "vision": "Shared vision",
        "own_goals": "The community's own goals",
        "roles": "Roles and working agreements",
        "role": "Role",
        "who": "Who",
        "task": "Task",
        "hours": "Hours a month",
        "contact_person": "Contact person",
        "meeting_rhythm": "When and how often it meets",
        "platform": "Online platform",
        "nobody": "nobody",
        "goals": "SMART goals",
        "goal": "Goal",
        "target": "Target",
        "deadline": "Deadline",
        "now": "Now",
        "status": "Status",
        "connectedness": "Connectedness over time",
        "month": "Month",
        "activities": "Activities",
        "activity": "Activity",
        "sessions": "Sessions",
        "carried_by": "Organised by",
        "pulse": "A finger on the pulse",
        "library_share": "The library's share",
        "library": "library",
        "by_members": "members",
        "startup": "start-up year",
        "pulling_alone": "The library pulls alone: for three months in a row the library organised more than {pct} of what happened. Are we thinking for the community or with it?",
        "not_pulling": "The community carries its share.",
        "startup_note": "The community is in its start-up year (until {day}): read the early numbers as the start-up phase.",
        "outcomes": "Outcomes",
        "outcomes_place": "Where outcomes are recorded",
        "what": "What",
        "date": "Date",
        "where": "Where kept",
        "evaluations": "Measurement moments and evaluation of the cooperation",
        "went_well": "What went well",
        "to_change": "What to change",
        "partners_view": "How the partners see it",
        "score": "Score (1–5)",
        "not_evaluated": "not evaluated yet",
        "calendar": "Content calendar",
        "done": "done",
        "planned": "planned",
        "none": "—",
        "builder": "builder",
        "connector": "connector",
        "driver": "driver",
        "geography": "geography",
        "identity": "identity",
        "affinity": "affinity",
        "met": "met",
        "on_track": "on track",
        "behind": "behind",
        "missed": "missed",
        "unmeasured": "not measured yet",
        "made_by": "Made with community-mapper",
        "pdf": "Download as PDF",
        "back": "Back",
        "print": "Print with Ctrl+P (or ⌘P).",
    },
}


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
        return f"{value:.0%}" if metric not in ("density", "clustering") else f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:g}" if not value.is_integer() else str(int(value))
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
    labels = [p["date"][:7] for p in report["points"]]
    pulse_labels = [p["month"].strftime("%Y-%m") for p in report["pulse"]]
    return {
        "members": line_chart(
            labels,
            [
                (words["members"], [p["members"] for p in report["points"]]),
                (words["ambassadors"], [p["ambassadors"] for p in report["points"]]),
            ],
            title=f"{words['members']} — {report['name']}",
        ),
        "reach": line_chart(
            labels,
            [
                (words["bonded"], [p["bonded"] for p in report["points"]]),
                (words["library_reach"], [p["library_reach"] for p in report["points"]]),
            ],
            title=f"{words['library_reach']} — {report['name']}",
            share=True,
        ),
        "pulse": bar_chart(
            pulse_labels,
            [p["library_share"] for p in report["pulse"]],
            title=f"{words['library_share']} — {report['name']}",
            muted=[p["startup"] for p in report["pulse"]],
            reference=(f"{THRESHOLD:.0%}", THRESHOLD),
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
    words = WORDS.get(lang, WORDS["nl"])
    communities = report.get("communities", [report])
    return (
        _environment()
        .get_template("report.html")
        .render(
            report=report,
            library="communities" in report,
            communities=[(c, _charts(c, words)) for c in communities],
            w=words,
            lang=lang if lang in WORDS else "nl",
            fmt=fmt,
            roles=COMMUNITY_ROLES,
            threshold=f"{THRESHOLD:.0%}",
            pdf_url=pdf_url,
            back_url=back_url,
        )
    )


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ReportError(f"the report loads nothing from outside (asked for {url[:80]!r})")


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
            f"a PDF needs WeasyPrint and its Pango libraries ({exc}); "
            "print the HTML page from a browser instead"
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
