"""One way to time a function for the benchmarks: median milliseconds after a warm-up."""

from __future__ import annotations

import statistics
import time
from typing import Any, Callable


def median_ms(function: Callable[..., Any], *args: Any, runs: int = 500, warmup: int = 50) -> float:
    for _ in range(warmup):  # pipeline, matchers and vocabulary are built on first use
        function(*args)
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        function(*args)
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000
