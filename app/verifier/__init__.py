"""The offline verifier, `etikdialog-verify`, and the findings /verificer shows.

- `findings`: what a signed PDF, its canonical record and the transparency log prove, as plain
  Danish findings. Flask-free and database-free; it calls `app.signing.validate` for the PAdES
  signature and `app.translog` (merkle, note, checkpoint) for the log. The portal's /verificer
  computes its findings with the same functions.
- `bundle`: the log proof file (`--proof`): the checkpoint, the record's entries and their
  inclusion proofs in one JSON document.
- `fetch`: reads the checkpoint, key, entries and proofs from a portal (`--log URL`) with urllib.
- `cli`: the console script.
"""
