"""Numbers in query strings: one parser, so that no odd digit ever reaches int().

``str.isdigit()`` accepts "²" and "①", which ``int()`` refuses; only ASCII digits count here.
"""

from __future__ import annotations

import re

ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


def bounded_int(value: str | None, *, default, minimum: int, maximum: int):
    """``value`` as a whole number within [minimum, maximum], else ``default``; never raises."""
    if not isinstance(value, str) or not ASCII_NUMBER.fullmatch(value):
        return default
    number = int(value)
    return number if minimum <= number <= maximum else default
