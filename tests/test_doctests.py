"""Run the examples in the library's docstrings."""

import doctest
import importlib

import pytest

MODULES = [
    "mapper.model",
    "mapper.store.base",
    "mapper.store.sqlite",
    "mapper.store",
    "mapper.maps",
    "mapper.analysis.scan",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
