"""The demo town's *Aan de slag*: working agreements, half a year of content calendar, two
measurement moments with evaluations (and one coming up), platforms and outcomes.

:func:`plan` adds them to the Community node specs of a planned town (``seeds.demo._Town``)
before anything is written, as the properties :mod:`mapper.workplan` reads. It draws nothing
from the town's random generator, so the rest of the demo stays exactly as it was.

"Samen in de Wijk" is the community where the library pulls alone: its staff own every
communication moment, so the library carries well over 70% month after month (the pulse
warning); in the two others the members carry most of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from mapper.model import add_months

#: Per community: contact person, meeting rhythm, platform, where outcomes go, and the tasks
#: (task, who, hours per month). ``who`` and the contact are "staff:key" or person keys.
AGREEMENTS: dict[str, dict[str, Any]] = {
    "taalmaatjes": {
        "contact_person": "fatma",
        "meeting_rhythm": "Elke dinsdagochtend in het Taalcafé; eens per maand overleg met de ambassadeurs.",
        "platform": "kenniscloud",
        "outcomes_place": "KennisCloud-groep Taalmaatjes Rijnstad, map Oefenmateriaal",
        "tasks": [
            ("Ruimte en koffie in de bibliotheek regelen", "staff:samira", 4),
            ("Nieuwe deelnemers aan een maatje koppelen", "staff:marieke", 8),
            ("Inhoud van de oefenbijeenkomsten", "fatma", 6),
            ("Berichten in de KennisCloud-groep", "gerrit", 3),
            ("Meten en evalueren met de partners", "staff:priya", 2),
        ],
        "outcomes": [
            (
                -3,
                "Oefenkaarten 'Naar de huisarts' en 'Op de markt'",
                "KennisCloud, map Oefenmateriaal",
                "https://kenniscloud.example/taalmaatjes/oefenkaarten",
            ),
            (-1, "Tips van maatjes voor maatjes (verslag van de bijeenkomst)", "KennisCloud", None),
        ],
    },
    "repair": {
        "contact_person": "rene",
        "meeting_rhythm": "Elke eerste zaterdag van de maand het Repair Café; kwartaaloverleg in de bibliotheek.",
        "platform": "fb_repair",
        "outcomes_place": "Reparatiehandleidingen in de Facebook-groep en in de collectie",
        "tasks": [
            ("Werkplaats in de bibliotheek openen en opruimen", "staff:anouk", 4),
            ("Reparateurs inroosteren", "rene", 5),
            ("Handleidingen schrijven", "chloe", 4),
            ("Contact met de kringloop en het ROC", "staff:daniel", 3),
        ],
        "outcomes": [
            (
                -2,
                "Handleiding 'Je fietsband plakken'",
                "Facebook-groep en collectie",
                "https://repair.example/handleidingen/fietsband",
            ),
        ],
    },
    "samen": {
        "contact_person": "staff:joost",
        "meeting_rhythm": "Om de week een koffieochtend in het wijkcentrum.",
        "platform": "hoplr",
        "outcomes_place": "Nog niet afgesproken",
        "tasks": [
            ("Koffieochtenden organiseren", "staff:joost", 10),
            ("Buren uitnodigen en bellen", "staff:marieke", 8),
            ("Berichten op Hoplr", "staff:marieke", 4),
            ("Meedenken over de activiteiten", "riet", 1),
        ],
        "outcomes": [],
    },
}

#: The content calendar: per community, per month (``-4`` … ``+1`` from today's month), the
#: communication moments as (day of month, kind, title, owner, channel).
CALENDAR: dict[str, list[tuple[int, str, str, str, str]]] = {
    "taalmaatjes": [
        (5, "social", "Oproep: word taalmaatje", "gerrit", "kenniscloud"),
        (12, "blog", "Blog: zo oefenen wij samen", "fatma", "kenniscloud"),
        (20, "poster", "Poster Taalcafé in de bibliotheek", "staff:samira", "prikbord"),
    ],
    "repair": [
        (3, "event", "Repair Café in de bibliotheek", "rene", "fb_repair"),
        (10, "video", "Video: een stofzuiger repareren", "chloe", "fb_repair"),
        (18, "social", "Terugblik op de reparaties van de maand", "staff:anouk", "fb_repair"),
    ],
    "samen": [
        (2, "poster", "Flyer koffieochtend in de brievenbussen", "staff:joost", "wa_klooster"),
        (6, "social", "Bericht op Hoplr: koffieochtend", "staff:marieke", "hoplr"),
        (11, "event", "Koffieochtend in het wijkcentrum", "staff:joost", "hoplr"),
        (16, "social", "Herinnering in de WhatsApp-groep", "staff:marieke", "wa_klooster"),
        (22, "blog", "Blog: nieuws uit Kloosterveld", "staff:marieke", "hoplr"),
        (26, "event", "Koffieochtend in het wijkcentrum", "staff:joost", "hoplr"),
    ],
}
#: Calendar months relative to today's month: half a year, four past and two ahead.
CALENDAR_MONTHS = range(-4, 2)

#: Measurement moments: months from today's month (day 15), with the evaluation of the
#: cooperation for the past ones: (went well, to change, partners' view, score).
CHECKPOINTS: dict[str, list[tuple[int, tuple[str, str, str, int] | None]]] = {
    "taalmaatjes": [
        (
            -5,
            (
                "Veel nieuwe maatjes via het Taalhuis.",
                "De KennisCloud-groep wordt weinig gelezen.",
                "Vluchtelingenwerk is tevreden over de koppelingen.",
                4,
            ),
        ),
        (
            -2,
            (
                "De ambassadeurs nemen de bijeenkomsten over.",
                "Meer mannen bereiken.",
                "Het Taalhuis wil vaker samen plannen.",
                4,
            ),
        ),
        (0, None),
    ],
    "repair": [
        (
            -4,
            (
                "Het Repair Café trekt elke maand nieuwe bezoekers.",
                "Handleidingen beter vindbaar maken.",
                "De kringloop ziet minder weggegooide apparaten.",
                5,
            ),
        ),
        (
            -1,
            (
                "Twee nieuwe reparateurs.",
                "Nog geen vijf ambassadeurs.",
                "Het ROC wil stagiairs sturen.",
                4,
            ),
        ),
        (0, None),
    ],
    "samen": [
        (
            -4,
            (
                "De koffieochtenden lopen.",
                "Buren organiseren nog niets zelf.",
                "Het wijkcentrum vindt het vooral een bibliotheekactiviteit.",
                2,
            ),
        ),
        (
            -1,
            (
                "Riet denkt mee.",
                "De bibliotheek doet bijna alles: vraag buren om een ochtend te trekken.",
                "De KBO wil meedoen als er een vaste vrijwilliger is.",
                2,
            ),
        ),
        (0, None),
    ],
}


def _id(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:8]


def plan(t: Any) -> None:
    """Add the *Aan de slag* properties to the communities of the planned town ``t``."""
    this_month = t.today.replace(day=1)
    specs = {n["id"]: n for n in t.nodes}

    def ref(key: str) -> str:
        return t.ids[key if key.startswith("staff:") else f"person:{key}"]

    goals_of: dict[str, list[str]] = {}
    for number, (com_key, _name, _spec) in enumerate(_smart_goals()):
        goals_of.setdefault(com_key, []).append(t.ids[f"smartgoal:{number}"])
    for key, spec in AGREEMENTS.items():
        com = t.ids[f"community:{key}"]
        founded = t.node_since[com]
        props = specs[com]["props"]
        agreed = max(founded, add_months(this_month, -6)).isoformat()
        props["agreements"] = [
            {
                "id": _id(key, "task", i),
                "task": task,
                "who": ref(who),
                "hours": float(hours),
                "since": agreed,
                "until": None,
            }
            for i, (task, who, hours) in enumerate(spec["tasks"])
        ]
        props["contact_person"] = ref(spec["contact_person"])
        props["meeting_rhythm"] = spec["meeting_rhythm"]
        props["platform"] = t.ids[f"channel:{spec['platform']}"]
        props["outcomes_place"] = spec["outcomes_place"]
        props["outcomes"] = [
            {
                "id": _id(key, "outcome", i),
                "what": what,
                "date": add_months(this_month, months).replace(day=9).isoformat(),
                "where": where,
                "link": link,
            }
            for i, (months, what, where, link) in enumerate(spec["outcomes"])
        ]
        items = []
        for months in CALENDAR_MONTHS:
            month = add_months(this_month, months)
            for i, (day, kind, title, owner, channel) in enumerate(CALENDAR[key]):
                date = month.replace(day=day)
                items.append(
                    {
                        "id": _id(key, "content", months, i),
                        "title": title,
                        "kind": kind,
                        "date": date.isoformat(),
                        "channel": t.ids[f"channel:{channel}"],
                        "owner": ref(owner),
                        "status": "done" if date < t.today else "planned",
                    }
                )
        props["calendar"] = items
        checkpoints = []
        for i, (months, evaluation) in enumerate(CHECKPOINTS[key]):
            moment = add_months(this_month, months).replace(day=15)
            row: dict[str, Any] = {
                "id": _id(key, "checkpoint", i),
                "date": moment.isoformat(),
                "goals": sorted(goals_of.get(key, [])),
                "how": "Ledenlijst en presentielijsten bijwerken; de doelen uit de app lezen.",
                "evaluation": None,
            }
            if evaluation is not None:
                went_well, to_change, partners, score = evaluation
                row["evaluation"] = {
                    "date": (moment + dt.timedelta(days=2)).isoformat(),
                    "went_well": went_well,
                    "to_change": to_change,
                    "partners_view": partners,
                    "score": score,
                }
            checkpoints.append(row)
        props["checkpoints"] = checkpoints


def _smart_goals() -> list[tuple[str, str, dict[str, object]]]:
    from . import rijnstad

    return rijnstad.SMART_GOALS
