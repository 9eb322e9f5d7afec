"""Deterministic demo data: the town of Rijnstad and its library (see :mod:`seeds.demo`)."""
