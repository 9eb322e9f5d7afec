"""Data in and out: import from spreadsheets and graph files, export, backup and restore.

- :mod:`mapper.io.readers` reads CSV (as Dutch Excel writes it, or plain UTF-8), XLSX, a zip of
  CSVs, GraphML and GEXF into tables shaped like the templates (:mod:`mapper.io.templates`).
- :mod:`mapper.io.plan` plans an import (dry run: created, updated, matched, proposed, errors)
  and applies it all or nothing.
- :mod:`mapper.io.export` writes a workspace, or one theme's scan, as CSV, XLSX, GraphML, GEXF
  or JSON, and writes the empty templates.
- :mod:`mapper.io.backup` backs up and restores a whole workspace with its history.
- :mod:`mapper.io.matching` finds near-duplicate names; :mod:`mapper.io.merging` puts two
  entities side by side before a merge.
- :mod:`mapper.io.kumu` reads Kumu workbooks and Gephi CSV pairs (with a type mapping) and
  writes Kumu's format; :mod:`mapper.io.directions` finds the undirected edges of a graph file.
"""

from .plan import ImportErrors, ImportPlan, RowError, import_file, plan_import
from .readers import Found, ReadError, read_bytes, read_file

__all__ = [
    "Found",
    "ImportErrors",
    "ImportPlan",
    "ReadError",
    "RowError",
    "import_file",
    "plan_import",
    "read_bytes",
    "read_file",
]
