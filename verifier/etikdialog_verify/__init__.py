"""etikdialog-verify: check a signed Etikdialog record without trusting the portal that serves it.

A package of its own, with no Flask and no database, so a journalist installs only this
(`pip install ./verifier`). The portal's /verificer uses the same functions.

- `record`: the canonical JSON of a record and its SHA-256, the record's identity.
- `pades`: the PDF's PAdES signature against trust roots (pyHanko's validator).
- `merkle`, `note`, `checkpoint`: the transparency log's hashing (RFC 9162), signed notes and
  checkpoints (C2SP signed-note and tlog-checkpoint).
- `findings`: what a PDF, its record and the log prove, as plain Danish findings.
- `bundle`: the log proof file (`--proof`).
- `fetch`: reads the checkpoint, key, entries and proofs from a portal (`--log URL`).
- `cli`: the console script.
"""
