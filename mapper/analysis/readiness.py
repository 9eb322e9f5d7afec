"""The readiness check of the workbook: is the library ready to work with communities?

Before the step plan, the workbook *Werken met community's* ("Interne organisatie op orde")
asks eight yes/no questions, each tied to one of the building blocks (bouwstenen) Probiblio
formulated for the move to a community library. Its advice: "Als je het merendeel van de
vragen met ‘ja’ kunt beantwoorden, kun je aan de slag" — when most answers are yes, go ahead.

Answers are kept per library (workspace) as a mapping ``question key → True/False``; a
question not answered yet is missing from it. The web app stores them in the workspace
settings under :data:`SETTINGS_KEY`.

Examples
--------
>>> result = readiness({"support": True, "means": True, "skills": True, "partners": True,
...                     "internal": True, "venue": False, "flexible": False})
>>> result["yes"], result["no"], result["unanswered"], result["verdict"]
(5, 2, 1, 'go_ahead')
>>> [q["block"] for q in result["to_work_on"]]
['vestiging', 'flexibiliteit']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import ValidationError

#: Key of the answers in the workspace settings.
SETTINGS_KEY = "readiness"


@dataclass(frozen=True)
class Question:
    """One question of the check, in the workbook's words (Dutch) and in English."""

    key: str
    block: str  # the building block (bouwsteen), in the workbook's Dutch
    block_en: str
    nl: str
    en: str
    advice_nl: str
    advice_en: str


#: The eight questions, in the workbook's order.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "support",
        "strategie",
        "strategy",
        "Is er ondersteuning van de directie en sluit werken met community’s aan op de missie "
        "en visie van de organisatie?",
        "Does the management support it, and does working with communities fit the "
        "organisation's mission and vision?",
        "Bespreek met de directie hoe werken met community’s past bij de missie en visie, en "
        "leg die steun vast in het beleidsplan.",
        "Discuss with the management how working with communities fits the mission and vision, "
        "and record that support in the policy plan.",
    ),
    Question(
        "means",
        "strategie",
        "strategy",
        "Is het werken met community’s het juiste middel voor het doel dat je hebt?",
        "Is working with communities the right means for the goal you have?",
        "Ga terug naar de kapstok (werkblad 1): welke organisatiedoelen dient een community?",
        "Go back to the frame (worksheet 1): which of the library's goals does a community serve?",
    ),
    Question(
        "skills",
        "medewerkers",
        "staff",
        "Zijn binnen jouw organisatie de juiste vaardigheden en competenties aanwezig of is er "
        "tijd om te leren hoe het moet?",
        "Does your organisation have the right skills and competences, or the time to learn them?",
        "Maak tijd om te leren: een workshop werken in netwerken, meelopen met een andere "
        "bibliotheek, de rollen bouwer, verbinder en aanjager verdelen.",
        "Make time to learn: a workshop on working in networks, shadowing another library, "
        "sharing out the roles of builder, connector and driver.",
    ),
    Question(
        "partners",
        "samenwerking",
        "cooperation",
        "Zijn er buiten de organisatie partners met wie je samen kunt optrekken?",
        "Are there partners outside the organisation you can work with?",
        "Maak een omgevingsscan (werkblad 3) om partners rond je thema te vinden.",
        "Make an environment scan (worksheet 3) to find partners around your theme.",
    ),
    Question(
        "internal",
        "interne communicatie",
        "internal communication",
        "Beschik je over de middelen om intern de juiste personen te betrekken?",
        "Do you have the means to involve the right people inside the organisation?",
        "Vertel collega’s wat je doet en waarom; betrek ze vroeg, bijvoorbeeld in een teamoverleg.",
        "Tell colleagues what you do and why; involve them early, e.g. in a team meeting.",
    ),
    Question(
        "venue",
        "vestiging",
        "premises",
        "Is jouw fysieke vestiging en/of online omgeving geschikt voor het ontvangen van "
        "community’s?",
        "Are your building and/or online environment fit to host communities?",
        "Kijk of er een plek is waar een community kan samenkomen, in de vestiging of online.",
        "See whether there is a place where a community can meet, in the building or online.",
    ),
    Question(
        "flexible",
        "flexibiliteit",
        "flexibility",
        "Is jouw organisatie flexibel genoeg om in te spelen op vragen vanuit de gemeenschap?",
        "Is your organisation flexible enough to respond to what the community asks?",
        "Spreek af wie mag beslissen over wat een community vraagt, zonder lange lijnen.",
        "Agree who may decide on what a community asks for, without long chains of approval.",
    ),
    Question(
        "resources",
        "tijd en geld",
        "time and money",
        "En niet onbelangrijk: is er voldoende tijd en geld om te besteden?",
        "And not least: is there enough time and money to spend?",
        "Reken op een jaar voor de opstartfase, en maak uren en budget vrij voordat je begint.",
        "Reckon a year for the start-up phase, and set aside hours and budget before you start.",
    ),
)

QUESTION_KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)


def check_answers(answers: Mapping[str, Any]) -> dict[str, bool]:
    """Return the answers as ``key → bool``; ValidationError names an unknown question or an
    answer that is not yes/no. ``None`` (or "") leaves a question unanswered."""
    if not isinstance(answers, Mapping):
        raise ValidationError(
            "the answers {given!r} are not a mapping", field="answers", given=answers
        )
    out: dict[str, bool] = {}
    for key, value in answers.items():
        if key not in QUESTION_KEYS:
            raise ValidationError(
                "unknown readiness question {key!r} (known: {known})",
                field=str(key),
                value=key,
                key=key,
                known=", ".join(QUESTION_KEYS),
            )
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            out[key] = value
        elif isinstance(value, str) and value.strip().lower() in (
            "ja",
            "yes",
            "y",
            "j",
            "true",
            "1",
        ):
            out[key] = True
        elif isinstance(value, str) and value.strip().lower() in ("nee", "no", "n", "false", "0"):
            out[key] = False
        else:
            raise ValidationError(
                "the answer {given!r} to {key!r} is not yes or no",
                field=key,
                value=value,
                given=value,
                key=key,
            )
    return out


def readiness(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Score the check and give the workbook's advice.

    Returns
    -------
    dict
        ``yes``, ``no``, ``unanswered`` (counts), ``verdict`` — ``go_ahead`` when a majority of
        the eight questions (five or more) is answered yes, ``not_yet`` when that can no
        longer happen, ``incomplete`` otherwise — and ``to_work_on``: the questions answered
        no, each with its building block and advice, in the workbook's order.
    """
    given = check_answers(answers)
    yes = sum(1 for v in given.values() if v)
    no = sum(1 for v in given.values() if not v)
    unanswered = len(QUESTIONS) - yes - no
    majority = len(QUESTIONS) // 2 + 1
    if yes >= majority:
        verdict = "go_ahead"
    elif yes + unanswered < majority:
        verdict = "not_yet"
    else:
        verdict = "incomplete"
    return {
        "yes": yes,
        "no": no,
        "unanswered": unanswered,
        "majority": majority,
        "verdict": verdict,
        "answers": given,
        "to_work_on": [
            {
                "key": q.key,
                "block": q.block,
                "block_en": q.block_en,
                "advice_nl": q.advice_nl,
                "advice_en": q.advice_en,
            }
            for q in QUESTIONS
            if given.get(q.key) is False
        ],
    }


__all__ = ["QUESTIONS", "QUESTION_KEYS", "SETTINGS_KEY", "Question", "check_answers", "readiness"]
