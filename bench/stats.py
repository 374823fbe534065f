"""Timing helpers: run a callable N times, keep the wall times in milliseconds."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    samples_ms: tuple[float, ...]

    @property
    def runs(self) -> int:
        return len(self.samples_ms)

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        return percentile(self.samples_ms, 95)


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (with 10 runs, p95 is the slowest run)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def time_calls(
    fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> Timing:
    """``runs`` timed calls of ``fn``; ``before`` (untimed) runs ahead of each call."""
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(tuple(samples))
