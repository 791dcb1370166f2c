"""PAdES signatures on the frozen PDF (ADR 0006).

- `keys`: each municipality's PKCS#12 file and passphrase file in SIGNING_KEYS_DIR, and the trust
  roots in use; outside production a missing certificate is issued on demand from the demo CA.
- `democa`: the clearly labelled TEST CA and its certificates (development, tests, the demo).
- `pades`: signs a PDF as PAdES B-B (B-T with SIGNING_TSA_URL) with pyHanko, deterministically.
- `validate`: a Flask-free check of a signed PDF against trust roots, for /verificer and the
  offline verifier.
- `cli`: `flask signing create-demo-ca | issue | check`; `views`: /api/v1/signing/roots.pem.
"""
