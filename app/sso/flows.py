"""The one-time values of a login at the provider, kept in the (signed) session between the
redirect and the callback, and the ticket a fresh signing login leaves for the signature.

A flow is found by its ``state``, used once, and expires after FLOW_SECONDS; at most MAX_FLOWS
are kept (a person may have two tabs). A signing ticket is used once and lasts TICKET_SECONDS.
"""

from __future__ import annotations

import time

from flask import session

FLOW_SECONDS = 600
MAX_FLOWS = 4
TICKET_SECONDS = 120


def remember(state: str, data: dict) -> None:
    now = time.time()
    flows = {k: v for k, v in (session.get("sso_flows") or {}).items() if now - v.get("started", 0) < FLOW_SECONDS}
    flows[state] = {**data, "started": now}
    session["sso_flows"] = dict(sorted(flows.items(), key=lambda item: item[1]["started"])[-MAX_FLOWS:])


def take(state: str | None) -> dict | None:
    """The flow this state started, once; None for an unknown, used or expired state."""
    flows = dict(session.get("sso_flows") or {})
    flow = flows.pop(state, None) if isinstance(state, str) else None
    session["sso_flows"] = flows
    if flow is None or time.time() - flow.get("started", 0) >= FLOW_SECONDS:
        return None
    return flow


def leave_ticket(ticket: dict) -> None:
    session["sso_sign_ticket"] = {**ticket, "issued": time.time()}


def take_ticket(user_id: int, public_id: str) -> dict | None:
    """The fresh login left for this signer and assessment, once; None if absent or too old."""
    ticket = session.pop("sso_sign_ticket", None)
    if not isinstance(ticket, dict) or ticket.get("user_id") != user_id or ticket.get("public_id") != public_id:
        return None
    if time.time() - ticket.get("issued", 0) > TICKET_SECONDS:
        return None
    return ticket
