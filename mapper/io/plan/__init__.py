"""The import plan: what a file would create, update and match, before anything is written.

One module per step, each a layer of :class:`ImportPlan`:

- :mod:`~mapper.io.plan.base` — the rows, errors and state every step shares;
- :mod:`~mapper.io.plan.rows` — every row of every sheet, each cell checked;
- :mod:`~mapper.io.plan.resolve` — names resolved to entities, in the file and the workspace;
- :mod:`~mapper.io.plan.ties` — ties and contact moments checked and matched to stored ones;
- :mod:`~mapper.io.plan.apply` — the plan written, all or nothing;
- :mod:`~mapper.io.plan.core` — :class:`ImportPlan` itself (reporting, decisions),
  :func:`plan_import` and :func:`import_file`.
"""

from .base import ImportErrors, Proposal, RowError, tie_key
from .core import ImportPlan, import_file, plan_import

__all__ = [
    "ImportPlan",
    "ImportErrors",
    "RowError",
    "Proposal",
    "plan_import",
    "import_file",
    "tie_key",
]
