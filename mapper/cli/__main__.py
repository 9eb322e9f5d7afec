"""``python -m mapper.cli``: the ``mapper`` command."""

from . import main

main(prog_name="mapper")
