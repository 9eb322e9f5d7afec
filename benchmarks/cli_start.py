"""Benchmark: how long ``mapper --help`` takes to start (issue #12: at most 150 ms).

Runs each command line several times as a fresh process and prints the median and the
fastest run, beside the start of ``python -c "import click"`` measured in the same run (the
floor: Python plus Click). ``--source DIR`` measures another checkout as well (e.g. the
commit before the lazy commands, from ``git worktree add``), so before and after come from
one run on the same machine.

Compile the bytecode first (``python -m compileall -q mapper web seeds`` and the
site-packages, as an install does): with ``PYTHONDONTWRITEBYTECODE`` set, every start would
otherwise compile the sources again and measure that instead. On a busy machine compare the
figures with the floor of the same run, not with the 150 ms.

Run: ``python benchmarks/cli_start.py [--runs 20] [--source /tmp/mapper-before]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP = "from mapper.cli import main; main(['--help'], prog_name='mapper')"
IMPORT = "import mapper.cli"


def _time(code: str, runs: int, cwd: Path, env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--source", type=Path, help="Another checkout to measure as well.")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    english = {**env, "MAPPER_LANGUAGE": "en"}
    dutch = {**env, "MAPPER_LANGUAGE": "nl"}
    cases = [
        ("python -c 'import click' (floor)", "import click", ROOT, english),
        ("import mapper.cli", IMPORT, ROOT, english),
        ("mapper --help (English)", HELP, ROOT, english),
        ("mapper --help (Dutch)", HELP, ROOT, dutch),
    ]
    if args.source is not None:
        cases += [
            (f"mapper --help (English), {args.source}", HELP, args.source, english),
            (f"mapper --help (Dutch), {args.source}", HELP, args.source, dutch),
        ]
    floor = None
    print(f"{'':52} {'median':>8} {'fastest':>8} {'over floor':>10}")
    for name, code, cwd, run_env in cases:
        times = _time(code, args.runs, cwd, run_env)
        median = statistics.median(times) * 1000
        floor = median if floor is None else floor
        over = f"{median - floor:+8.0f} ms" if name != cases[0][0] else ""
        print(f"{name:52} {median:6.0f} ms {min(times) * 1000:6.0f} ms {over:>10}")


if __name__ == "__main__":
    main()
