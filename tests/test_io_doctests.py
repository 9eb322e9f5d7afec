"""Run the examples in the docstrings of the import/export modules."""

import doctest
import importlib

import pytest

MODULES = [
    "mapper.io.templates",
    "mapper.io.values",
    "mapper.io.readers",
    "mapper.io.matching",
    "mapper.io.plan",
    "mapper.io.export",
    "mapper.io.backup",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
