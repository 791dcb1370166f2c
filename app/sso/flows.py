"""The one-time values of a login at the provider, between the redirect and the callback, and the
ticket a fresh signing login leaves for the signature: kept server-side (table sso_flow) and used
once.

A flow's values (OIDC state, nonce and PKCE verifier; the SAML request's ID) are stored under
the SHA-256 of its state, which also travels through the provider (OIDC `state`, SAML
RelayState); the browser's session lists the states it started, so a callback is taken only in
the browser that began it. A signing ticket is stored under a random key only the session holds.

Using one deletes its row in one statement (DELETE … RETURNING), which is committed at once, so
no later rollback in the request gives it back, and of two parallel callbacks with the same
state only one gets it. A copy of the session cookie taken before the callback still names the
state, but finds no row: the state check fails. A flow expires after FLOW_SECONDS, a ticket after
TICKET_SECONDS; expired rows are deleted whenever a new one is stored. A session lists at most
MAX_FLOWS states (a person may have two tabs).
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import timedelta

from authlib.common.security import generate_token
from flask import session
from sqlalchemy import delete

from app.core.time import utcnow
from app.core.transactions import record_now
from app.extensions import db
from app.sso.models import SsoFlow

FLOW_SECONDS = 600
MAX_FLOWS = 4
TICKET_SECONDS = 120
KEY_MAX = 256  # a state or key longer than this was never ours
FLOW, TICKET = "flow", "ticket"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _store(kind: str, key: str, data: dict, seconds: int) -> None:
    now = utcnow()
    db.session.execute(delete(SsoFlow).where(SsoFlow.expires_at < now))
    db.session.add(
        SsoFlow(
            key_hash=_hash(key),
            kind=kind,
            payload=json.dumps(data),
            created_at=now,
            expires_at=now + timedelta(seconds=seconds),
        )
    )
    db.session.flush()


def _consume(kind: str, key) -> dict | None:
    """The stored values under ``key``, deleted in the same statement; None for none or expired."""
    if not isinstance(key, str) or not 0 < len(key) <= KEY_MAX:
        return None
    # Used now, whatever the rest of the request does: committed at once (record_now).
    row = record_now(
        lambda: db.session.execute(
            delete(SsoFlow)
            .where(SsoFlow.key_hash == _hash(key), SsoFlow.kind == kind)
            .returning(SsoFlow.payload, SsoFlow.expires_at)
        ).first()
    )
    if row is None or row.expires_at <= utcnow():
        return None
    return json.loads(row.payload)


def remember(state: str, data: dict) -> None:
    """Keep a flow started now under its state (committed when the request ends, ADR 0008)."""
    _store(FLOW, state, {**data, "started": time.time()}, FLOW_SECONDS)
    states = [s for s in (session.get("sso_flows") or []) if isinstance(s, str) and s != state]
    session["sso_flows"] = [*states, state][-MAX_FLOWS:]


def take(state: str | None) -> dict | None:
    """The flow this browser started with this state, once; None for an unknown, used or expired
    state, or one this browser's session does not name."""
    states = [s for s in (session.get("sso_flows") or []) if isinstance(s, str)]
    if not isinstance(state, str) or state not in states:
        return None
    session["sso_flows"] = [s for s in states if s != state]
    return _consume(FLOW, state)


def leave_ticket(ticket: dict) -> None:
    """Keep the fresh login's ticket for the signature (committed when the request ends, ADR 0008)."""
    key = generate_token(32)
    _store(TICKET, key, {**ticket, "issued": time.time()}, TICKET_SECONDS)
    session["sso_sign_ticket"] = key


def take_ticket(user_id: int, public_id: str) -> dict | None:
    """The fresh login left for this signer and assessment, once; None if absent or too old."""
    ticket = _consume(TICKET, session.pop("sso_sign_ticket", None))
    if not isinstance(ticket, dict) or ticket.get("user_id") != user_id or ticket.get("public_id") != public_id:
        return None
    if time.time() - ticket.get("issued", 0) > TICKET_SECONDS:
        return None
    return ticket
