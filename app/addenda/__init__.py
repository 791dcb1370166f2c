"""Signed addenda to a published record: the formal decision, the measured effect, a condition met
and the review's outcome, each a small signed document chained to the record (issue 28 item 3)."""
