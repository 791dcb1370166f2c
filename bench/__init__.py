"""Benchmarks (`make bench`): medians over repeated runs and ratios measured side by side.

Each benchmark module has a `run(args) -> dict`; `python -m bench` runs them, writes one JSON
file per benchmark under bench/results/ and a Markdown summary with the machine it ran on.
"""

import logging
from contextlib import contextmanager


@contextmanager
def quiet():
    """Seeding audits every step and appends log entries without a checkpoint key: thousands of
    lines that would bury a benchmark's own output."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)
