"""Benchmarks (`make bench`): medians over repeated runs and ratios measured side by side.

Each benchmark module has a `run(args) -> dict`; `python -m bench` runs them, writes one JSON
file per benchmark under bench/results/ and a Markdown summary with the machine it ran on.
"""
