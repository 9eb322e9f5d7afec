"""Cells written for spreadsheets: formulas neutralised, control characters stripped.

A spreadsheet reads a CSV cell, or a typed-in XLSX cell, that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula; a name like ``=HYPERLINK("http://…")``
or ``=cmd|' /C calc'!A0`` would run when a colleague opens the export. Following OWASP's
advice on CSV injection, every export meant for spreadsheets neutralises such cells:

- in CSV, the cell gets a leading ``'`` (a cell that already begins with ``'`` gets one
  more), and :func:`restore` takes exactly one off again on import, so an export imports back
  unchanged;
- in XLSX, the cell is written as text with Excel's own "quote prefix" (what Excel stores when
  someone types ``'=…``): it shows as typed, is never evaluated, and reads back unchanged.

Examples
--------
>>> neutralise("=HYPERLINK(1)"), neutralise("Jan"), neutralise("'t Hof"), neutralise("-")
("'=HYPERLINK(1)", 'Jan', "''t Hof", "'-")
>>> all(restore(neutralise(v)) == v for v in ("=1+1", "'t Hof", "''", "+31 6", "Jan"))
True
>>> strip_controls("Jan\\x00 de\\x1b Vries")
'Jan de Vries'
"""

from __future__ import annotations

import re
from typing import Any

#: What a spreadsheet takes as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The escape character, and what it escapes.
QUOTE = "'"
_ESCAPED = (*FORMULA_STARTS, QUOTE)
#: Control characters no spreadsheet or XML file can hold (tab, LF and CR excepted).
CONTROL_RE = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run (see the module docstring)."""
    if isinstance(value, str) and value.startswith(_ESCAPED):
        return QUOTE + value
    return value


def restore(value: Any) -> Any:
    """The cell :func:`neutralise` was given: one leading ``'`` off, if it escapes."""
    if (
        isinstance(value, str)
        and value.startswith(QUOTE)
        and value[1:2]
        and (value[1:].startswith(_ESCAPED))
    ):
        return value[1:]
    return value


def strip_controls(value: Any) -> Any:
    """Text without control characters (tab and line breaks kept)."""
    if isinstance(value, str):
        return CONTROL_RE.sub("", value)
    return value


__all__ = ["FORMULA_STARTS", "neutralise", "restore", "strip_controls", "is_formula_like"]
