"""web.db.derived computes a value once per snapshot even when many requests ask for it at
the same time (the others wait for it), and a failed computation lets the next one try."""

from __future__ import annotations

import threading
import time

import pytest

from web.db import derived


class Snapshot:
    """Stands for a projection: derived() keeps values with any weak-referenceable object."""


def test_many_threads_one_computation():
    owner = Snapshot()
    calls: list[int] = []
    start = threading.Barrier(12)

    def compute() -> list[int]:
        calls.append(1)
        time.sleep(0.2)
        return [42]

    results: list[object] = []

    def ask() -> None:
        start.wait()
        results.append(derived(("answer",), compute, of=owner))

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len(results) == 12 and all(r is results[0] for r in results)
    # another key, or another snapshot, is computed apart
    assert derived(("other",), lambda: 7, of=owner) == 7
    assert derived(("answer",), lambda: [0], of=Snapshot()) == [0]


def test_a_failed_computation_is_tried_again():
    owner = Snapshot()

    def fail() -> int:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        derived(("x",), fail, of=owner)
    assert derived(("x",), lambda: 3, of=owner) == 3
