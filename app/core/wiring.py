"""Where a lower package needs something a higher one provides (docs/adr/0007-wiring.md).

The higher package's function is put into the app's own `extensions` by create_app
(app/wiring.py), under a name; the lower package looks it up by that name when it runs. So the
lower package imports no feature, nothing registers on import, and each app built in a process
(the tests build many) carries its own wiring, cleared with it.

A name that create_app did not wire is a programming error, never a silent default: a lookup
that found nothing could leave a section out of a signed record or a check out of /readyz.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

PREFIX = "etikdialog.wired."


class NotWired(LookupError):
    """create_app did not wire the name asked for."""


def provide(app: Flask, name: str, value: Any) -> None:
    """Wire one thing (a function, usually) under `name` for this app."""
    app.extensions[PREFIX + name] = value


def contribute(app: Flask, name: str, *values: Any) -> None:
    """Add to the ordered list under `name` (each value once, in the order given)."""
    listed = app.extensions.setdefault(PREFIX + name, [])
    listed.extend(value for value in values if value not in listed)


def provided(name: str) -> Any:
    """What create_app wired under `name` for the current app."""
    try:
        return current_app.extensions[PREFIX + name]
    except KeyError:
        raise NotWired(f"create_app wired nothing under {name!r} (app/wiring.py)") from None


def contributions(name: str) -> tuple[Any, ...]:
    """The list wired under `name`, in order."""
    return tuple(provided(name))
