"""Use cases between the store and the edges (web, API, CLI): each a function that takes a
:class:`~mapper.store.base.Workspace` and does one thing a librarian asks for, validated,
versioned, audited and all or nothing. Nothing here imports Flask.

- :mod:`mapper.services.edit`: add, change and end entities and ties on the worksheets, and
  undo a change ("ongedaan maken").
- :mod:`mapper.services.quickadd`: several names at once, with the import's near-duplicate
  check.
- :mod:`mapper.services.warm`: warm contacts for a workspace (the cached warm graph, the
  ranking for a target found by name) and logging a conversation (werkblad 4–5).
"""
