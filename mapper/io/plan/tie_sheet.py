"""Step: the rows of a ties sheet, with a shortcut for the rows a big file is made of.

A province's ``Relaties`` sheet is a million rows of two names, a kind, a strength and a date,
most of them repeating texts already seen. Such a row is planned here from what earlier rows
left in the plan's memos (the parsed kind, strength and dates, the entity each name resolved
to, the tie kinds already checked) without building a record for it. Any row that is not
that simple, or that needs a memo not there yet, is handed back to be planned cell by cell
(:meth:`~mapper.io.plan.rows.RowsStep._tie_row`), which fills the memos and reports every bad
cell: the shortcut plans exactly what that would (``tests/io/test_io_write_fast.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...model import RelKind
from ..readers import Table
from ..templates import _folded_examples, parse_rel_kind
from ..values import parse_date, parse_strength
from .base import TieRow, _allowed
from .ties import TiesStep

#: The fields a simple row may fill; its other cells are empty.
SIMPLE = frozenset({"source", "target", "kind", "strength", "since", "until"})
_MISSING = object()


class TieSheetStep(TiesStep):
    """The rows of a ties sheet (not Kumu's: its rows are made from several)."""

    def _tie_sheet(self, table: Table, *, by_content: bool) -> Iterator[tuple[int, dict[str, Any]]]:
        """Plan the simple rows of ``table``; yield ``(row, record)`` of the others (not
        blank), in order, for the caller to plan (example rows are among them)."""
        cols = [(i, c.field) for i, c in enumerate(table.columns) if c is not None]
        index = dict((f, i) for i, f in cols)  # the last column of a field, as records()
        others = [i for f, i in index.items() if f not in SIMPLE]
        width = max(index.values(), default=-1) + 1
        # A simple row leaves every other cell empty: it is no example row when each example
        # fills one of those (the template's do); else every row goes the long way.
        examples = _folded_examples(table.sheet) if by_content else []
        shortcut = all(any(want for f, want in ex if f not in SIMPLE) for ex in examples)
        kind_at, source_at, target_at = (index.get(f) for f in ("kind", "source", "target"))
        if not shortcut or kind_at is None or source_at is None or target_at is None:
            yield from table.records()
            return
        strength_at, since_at, until_at = (index.get(f) for f in ("strength", "since", "until"))
        parsed, fitting, resolved = self._parsed, self._fitting, self._resolved
        ties, title, origin = self.ties, table.title, self.origin
        has_role = RelKind.HAS_ROLE
        entities, most_entities, most_ties = self.entities, self._limits.entities, self._limits.ties
        row_number = table.first_row - 1
        for row in table.rows:
            row_number += 1
            if len(row) >= width:
                kind_cell, source, target = row[kind_at], row[source_at], row[target_at]
                # a text seen before: its value (a bad one is never kept); empty: None
                strength: Any = None
                since: Any = None
                until: Any = None
                if strength_at is not None and (cell := row[strength_at]) is not None:
                    strength = (
                        parsed.get((parse_strength, cell), _MISSING)
                        if type(cell) is str
                        else _MISSING
                    )
                if since_at is not None and (cell := row[since_at]) is not None:
                    since = (
                        parsed.get((parse_date, cell), _MISSING) if type(cell) is str else _MISSING
                    )
                if until_at is not None and (cell := row[until_at]) is not None:
                    until = (
                        parsed.get((parse_date, cell), _MISSING) if type(cell) is str else _MISSING
                    )
                kind = parsed.get((parse_rel_kind, kind_cell)) if type(kind_cell) is str else None
                if (
                    kind is not None
                    and kind is not has_role
                    and strength is not _MISSING
                    and since is not _MISSING
                    and until is not _MISSING
                    and (until is None or since is None)  # else check_interval
                    and (not others or all(row[i] is None or row[i] == "" for i in others))
                    and type(source) is str
                    and type(target) is str
                ):
                    sources, targets, _, _ = _allowed(kind)
                    s = resolved.get((source, sources))
                    t = resolved.get((target, targets))
                    if s is not None and t is not None and (kind, s.kind, t.kind) in fitting:
                        if len(ties) >= most_ties or len(entities) >= most_entities:
                            self._check_size()  # refuses the file
                        ties.append(
                            TieRow(
                                kind,
                                s,
                                t,
                                strength,
                                since,
                                until,
                                None,
                                origin,
                                None,
                                None,
                                title,
                                row_number,
                                True,
                            )
                        )
                        continue
            for value in row:  # as records(): rows with nothing but blanks are skipped
                if value is not None and (type(value) is not str or value.strip()):
                    break
            else:
                continue
            yield row_number, {f: (row[i] if i < len(row) else None) for i, f in cols}
