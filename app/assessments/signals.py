"""What the assessments package announces. Other packages listen; every connection is made in
create_app (app/__init__.py, `_connect_signals`), so this package names none of its listeners.

Receivers are called inside the service's transaction, with the assessment as the sender. A
receiver that raises refuses the whole change: the caller rolls back.
"""

from blinker import Namespace

_signals = Namespace()

# Sent by services.transition once the role and the preconditions hold, before the status changes
# and before the status event is audited. Keyword arguments: step (the workflow.Transition), user
# (a User or audit SYSTEM), and the transition's own arguments (reason, record_sha256).
transitioning = _signals.signal("transitioning")

# Sent by workflow.missing_for to ask the packages above this one what else stops a transition, so
# its preconditions need not import them (reuse: fields taken over and not yet confirmed). Keyword
# arguments: step (the workflow.Transition) and the transition's own arguments. Each receiver
# returns the sentences saying what is missing (empty when nothing is).
checking = _signals.signal("checking")

# Sent when something that is part of the signed record changes outside the versioned forms
# (a member's position or dissent). Keyword arguments: user, reason (Danish, for the audit log).
changed = _signals.signal("changed")

# Sent by services.reopen once version n+1 (a draft) exists and is flushed, so other packages copy
# what they keep per assessment (related documents). Keyword arguments: copy (the new version), user.
reopened = _signals.signal("reopened")

# Sent by the services that freeze, publish, withdraw or replace a signed record, once the change is
# flushed, so the public transparency log records it in the same transaction. Keyword arguments:
# kind ("signed", "published", "withdrawn" or "new_version": a newer version replaced this record's
# publication), frozen (the SignedRecord the event is about) and at (its time, naive UTC).
logged = _signals.signal("logged")
