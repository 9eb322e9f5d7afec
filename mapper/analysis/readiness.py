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
from ..i18n import N_, gettext, use_language

#: Key of the answers in the workspace settings.
SETTINGS_KEY = "readiness"


@dataclass(frozen=True)
class Question:
    """One question of the check, with its building block (*bouwsteen*) and the workbook's
    advice, as English message ids; read them in a language through the properties
    (``text``, ``advice``, ``building_block`` in the reader's language; ``nl`` and ``en``
    fixed)."""

    key: str
    block_en: str
    en: str
    advice_en: str

    @property
    def text(self) -> str:
        """The question in the reader's language."""
        return gettext(self.en)

    @property
    def advice(self) -> str:
        """The advice in the reader's language."""
        return gettext(self.advice_en)

    @property
    def building_block(self) -> str:
        """The building block in the reader's language."""
        return gettext(self.block_en)

    @property
    def nl(self) -> str:
        return _in_dutch(self.en)

    @property
    def block(self) -> str:
        """The building block in the workbook's Dutch."""
        return _in_dutch(self.block_en)

    @property
    def advice_nl(self) -> str:
        return _in_dutch(self.advice_en)


def _in_dutch(message: str) -> str:
    with use_language("nl"):
        return gettext(message)


#: The eight questions, in the workbook's order.
QUESTIONS: tuple[Question, ...] = (
    Question(
        "support",
        N_("strategy"),
        N_(
            "Does the management support it, and does working with communities fit "
            "the organisation's mission and vision?"
        ),
        N_(
            "Discuss with the management how working with communities fits the "
            "mission and vision, and record that support in the policy plan."
        ),
    ),
    Question(
        "means",
        N_("strategy"),
        N_("Is working with communities the right means for the goal you have?"),
        N_(
            "Go back to the frame (worksheet 1): which of the library's goals does a "
            "community serve?"
        ),
    ),
    Question(
        "skills",
        N_("staff"),
        N_(
            "Does your organisation have the right skills and competences, or the "
            "time to learn them?"
        ),
        N_(
            "Make time to learn: a workshop on working in networks, shadowing another"
            " library, sharing out the roles of builder, connector and driver."
        ),
    ),
    Question(
        "partners",
        N_("cooperation"),
        N_("Are there partners outside the organisation you can work with?"),
        N_("Make an environment scan (worksheet 3) to find partners around your theme."),
    ),
    Question(
        "internal",
        N_("internal communication"),
        N_("Do you have the means to involve the right people inside the organisation?"),
        N_("Tell colleagues what you do and why; involve them early, e.g. in a team meeting."),
    ),
    Question(
        "venue",
        N_("premises"),
        N_("Are your building and/or online environment fit to host communities?"),
        N_("See whether there is a place where a community can meet, in the building or online."),
    ),
    Question(
        "flexible",
        N_("flexibility"),
        N_("Is your organisation flexible enough to respond to what the community asks?"),
        N_("Agree who may decide on what a community asks for, without long chains of approval."),
    ),
    Question(
        "resources",
        N_("time and money"),
        N_("And not least: is there enough time and money to spend?"),
        N_(
            "Reckon a year for the start-up phase, and set aside hours and budget before you start."
        ),
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
        no, each with its building block and advice (``building_block``, ``advice`` in the
        reader's language; ``block``/``advice_nl`` Dutch, ``block_en``/``advice_en`` English),
        in the workbook's order.
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
                "building_block": q.building_block,
                "advice": q.advice,
            }
            for q in QUESTIONS
            if given.get(q.key) is False
        ],
    }


__all__ = ["QUESTIONS", "QUESTION_KEYS", "SETTINGS_KEY", "Question", "check_answers", "readiness"]
