"""The house rules: package, imports, docs, translations."""
