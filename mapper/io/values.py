"""Cell values as people type them in a spreadsheet: strengths, dates, lists, yes/no.

Examples
--------
>>> parse_strength("0,6"), parse_strength("4"), parse_strength(4), parse_strength("sterk")
(0.6, 0.8, 0.8, 0.8)
>>> parse_strength("7")
Traceback (most recent call last):
...
mapper.errors.ValidationError: strength '7' is not between 0 and 1 or 1–5
>>> parse_date("13-01-2024", field="since")
datetime.date(2024, 1, 13)
>>> split_list("Facebook; Instagram, KennisCloud")
['Facebook', 'Instagram', 'KennisCloud']
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from functools import lru_cache
from typing import Any

from ..errors import ValidationError
from ..model import STRENGTH_STEPS, field_word, step_strength
from .templates import NO_WORDS, YES_WORDS, cached_fold

#: Strength words (Dutch and English) for the five steps.
STRENGTH_WORDS: dict[str, int] = {}
for _step, _nl, _en in STRENGTH_STEPS:
    STRENGTH_WORDS[_nl] = _step
    STRENGTH_WORDS[_en] = _step

_STEP_RE = re.compile(r"^[1-5]$")
_STEP_TEXT = {str(k): step_strength(k) for k in range(1, 6)} | {"0": 0.0}
_ISO_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\d[T ]")
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: Any) -> str | None:
    """A cell as stripped text; ``None`` when blank. Whole floats lose their ``.0``."""
    if type(value) is str:
        return value.strip() or None
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_strength(value: Any, *, field: str = "strength") -> float | None:
    """A strength from a cell: a number 0–1 (decimal point or comma), a whole number 1–5 (the
    five steps, stored as ``step / 5``), or a step word ("sterk", "strong"). Blank is None.

    A whole ``1`` is step 1 ("vluchtig", 0.2); write ``1.0`` for full strength.
    """
    if type(value) is str and value in _STEP_TEXT:
        return _STEP_TEXT[value]
    if is_blank(value):
        return None
    bad = ValidationError(
        "{field_name} {given!r} is not between 0 and 1 or 1–5",
        field=field,
        value=value,
        field_name=field_word(field),
        given=text(value),
    )
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int):
        if value == 0:
            return 0.0
        if 1 <= value <= 5:
            return step_strength(value)
        raise bad
    if isinstance(value, float):
        number = value
    else:
        word = cached_fold(str(value))
        if word in STRENGTH_WORDS:
            return step_strength(STRENGTH_WORDS[word])
        if _STEP_RE.match(word):
            return step_strength(int(word))
        try:
            number = float(word.replace(",", "."))
        except ValueError:
            raise ValidationError(
                "{field_name} {given!r} is not a number (use 0–1 or 1–5)",
                field=field,
                value=value,
                field_name=field_word(field),
                given=text(value),
            ) from None
    if math.isnan(number):
        raise bad
    if 0.0 <= number <= 1.0:
        return number
    if number.is_integer() and 1 <= number <= 5:
        return step_strength(int(number))
    raise bad


@lru_cache(maxsize=100_000)
def _iso_date(raw: str) -> dt.date:
    return dt.date.fromisoformat(raw)


def parse_date(value: Any, *, field: str) -> dt.date | None:
    """A date from a cell: a spreadsheet date, ``YYYY-MM-DD`` or ``DD-MM-YYYY`` (also with
    ``/`` or ``.``); blank is None."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    try:
        return _iso_date(raw)
    except ValueError:
        pass
    if _ISO_TIME_RE.match(raw):
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            pass
    m = _DMY_RE.match(raw)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise ValidationError(
        "{field_name} {raw!r} is not a date (use YYYY-MM-DD or DD-MM-YYYY)",
        field=field,
        value=value,
        field_name=field_word(field),
        raw=raw,
    )


def split_list(value: Any) -> list[str]:
    """The items of a list cell, separated by ``;``, ``,`` or line breaks; blanks dropped,
    duplicates (ignoring case and accents) dropped."""
    raw = text(value)
    if raw is None:
        return []
    seen: dict[str, str] = {}
    for part in re.split(r"[;,\n]", raw):
        item = " ".join(part.split())
        if item and cached_fold(item) not in seen:
            seen[cached_fold(item)] = item
    return list(seen.values())


def parse_yes(value: Any, *, field: str = "bond") -> bool | None:
    """``ja``/``nee`` (and yes/no, x, 1/0) from a cell; blank is None."""
    raw = text(value)
    if raw is None:
        return None
    word = cached_fold(raw)
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValidationError(
        "{field_name} {raw!r} is not ja or nee",
        field=field,
        value=value,
        field_name=field_word(field),
        raw=raw,
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_extra(value: Any, *, field: str = "extra") -> dict[str, Any]:
    """The JSON object of the ``overige gegevens`` column; blank is ``{}``."""
    raw = text(value)
    if raw is None:
        return {}
    try:
        loaded = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValidationError(
            "{field_name} {raw!r} nests too deeply",
            field=field,
            value=raw[:60],
            field_name=field_word(field),
            raw=raw[:60],
        ) from None
    except ValueError:
        raise ValidationError(
            '{field_name} {raw!r} is not JSON (write e.g. {{"bron": "krant"}})',
            field=field,
            value=value,
            field_name=field_word(field),
            raw=raw[:60],
        ) from None
    if not isinstance(loaded, dict):
        raise ValidationError(
            "{field_name} {raw!r} is not a JSON object",
            field=field,
            value=value,
            field_name=field_word(field),
            raw=raw[:60],
        )
    return loaded


def format_strength(strength: float | None) -> str:
    """A strength written so that it reads back as the same 0–1 number (never a bare 1–5).

    >>> format_strength(0.8), format_strength(1.0), format_strength(None)
    ('0.8', '1.0', '')
    """
    if strength is None:
        return ""
    out = repr(float(strength))
    return out
