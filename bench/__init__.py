"""Benchmark harness (issue 8): page run times, query times, a naive pandas baseline.

Run it with ``make bench`` / ``make bench-quick`` or ``python -m bench.run --help``.
"""
