"""`etikdialog-witness`: a C2SP tlog-witness (https://c2sp.org/tlog-witness) for Etikdialog logs.

Another municipality, KL or a newspaper runs one. It knows each log it witnesses by the log's
verifier key (the portal publishes it at /api/v1/log/key). A portal submits every new checkpoint
with a consistency proof from the last size this witness cosigned; the witness cosigns only a
checkpoint that extends that one, so a log that was rolled back, rewritten or shown differently to
different readers cannot gather its cosignature. It keeps, per log origin, the latest checkpoint
it cosigned, in a file written atomically; the check and the update happen under a lock, so two
requests at once cannot roll its view back.

    etikdialog-witness create-key --name witness.example/w1 --key witness.key
    etikdialog-witness serve --name witness.example/w1 --key witness.key --state state/ \\
        --log "<log verifier key>" [--log …] --listen 127.0.0.1:7380

No Flask and no database: the standard library's HTTP server and the verifier's own note,
checkpoint and Merkle modules.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import fcntl
import hashlib
import os
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, load_pem_private_key

from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import cosignature, merkle, note
from etikdialog_verify.files import write_atomically
from etikdialog_verify.findings import quiet_libraries

MAX_BODY = 16 * 1024  # an old-size line, 63 proof lines and a checkpoint with its signatures
MAX_PROOF = 63  # the protocol's bound on consistency proof lines
SIZE_TYPE = "text/x.tlog.size"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


class Witness:
    """The witness's rules, apart from HTTP: `add_checkpoint` answers a request body."""

    def __init__(self, name: str, private_key: Ed25519PrivateKey, log_keys: list[str], state: Path):
        if not note.valid_key_name(name):
            raise ValueError(f"invalid witness name {name!r}")
        self.name = name
        self.private_key = private_key
        self.logs: dict[str, list[str]] = {}
        for vkey in log_keys:
            self.logs.setdefault(note.parse_verifier_key(vkey).name, []).append(vkey)
        self.state = state
        self.state.mkdir(parents=True, exist_ok=True)
        self._threads = threading.Lock()

    @property
    def verifier_key(self) -> str:
        return cosignature.verifier_key(self.name, self.private_key)

    def _path(self, origin: str) -> Path:
        return self.state / f"{hashlib.sha256(origin.encode('utf-8')).hexdigest()[:32]}.checkpoint"

    def latest(self, origin: str) -> checkpoints.Checkpoint | None:
        """The latest checkpoint this witness cosigned for the log, or None."""
        path = self._path(origin)
        if not path.exists():
            return None
        return checkpoints.parse(note.split(path.read_text(encoding="utf-8"))[0])

    def _store(self, origin: str, signed: str) -> None:
        write_atomically(self._path(origin), signed)

    def add_checkpoint(self, body: bytes, *, now: int | None = None) -> Answer:
        if len(body) > MAX_BODY:
            return Answer(413, "request body too large\n")
        try:
            old_size, proof, signed = parse_request(body)
        except ValueError as error:
            return Answer(400, f"{error}\n")
        try:
            text, _ = note.split(signed)
            submitted = checkpoints.parse(text)
        except note.NoteError as error:
            return Answer(400, f"{error}\n")
        keys = self.logs.get(submitted.origin)
        if not keys:
            return Answer(404, "unknown log origin\n")
        if not any(_opens(signed, key) for key in keys):
            return Answer(403, "no valid signature by the log's key\n")
        if old_size > submitted.size:
            return Answer(400, "old size is larger than the checkpoint's size\n")
        # the check against the stored size and the update are one step (the spec's race)
        with self._threads, open(self.state / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            latest = self.latest(submitted.origin)
            latest_size = latest.size if latest else 0
            if old_size != latest_size:
                return Answer(409, f"{latest_size}\n", SIZE_TYPE)
            if latest is None:
                if proof:
                    return Answer(422, "a consistency proof from size 0 must be empty\n")
            elif old_size == submitted.size:
                if submitted.root != latest.root:
                    return Answer(409, f"{latest_size}\n", SIZE_TYPE)
            elif not merkle.verify_consistency(old_size, submitted.size, latest.root, submitted.root, proof):
                return Answer(422, "the consistency proof does not verify\n")
            self._store(submitted.origin, signed)
        return Answer(200, cosignature.sign(text, self.name, self.private_key, now))


def _opens(signed: str, vkey: str) -> bool:
    try:
        checkpoints.open_checkpoint(signed, vkey)
    except note.NoteError:
        return False
    return True


def parse_request(body: bytes) -> tuple[int, list[bytes], str]:
    """The old size, the consistency proof and the signed checkpoint of an add-checkpoint body."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("the body is not UTF-8") from None
    head, separator, signed = text.partition("\n\n")
    if not separator:
        raise ValueError("no empty line before the checkpoint")
    lines = head.split("\n")
    first = lines[0]
    if not first.startswith("old ") or not checkpoints.DECIMAL.fullmatch(first[4:]):
        raise ValueError("the first line must be 'old <size>'")
    if len(lines) - 1 > MAX_PROOF:
        raise ValueError(f"more than {MAX_PROOF} consistency proof lines")
    proof = []
    for line in lines[1:]:
        try:
            digest = base64.b64decode(line, validate=True)
        except (ValueError, binascii.Error):
            raise ValueError("a proof line is not base64") from None
        if len(digest) != 32:
            raise ValueError("a proof line is not a 32-byte hash")
        proof.append(digest)
    return int(first[4:]), proof, signed


def request_body(old_size: int, proof: list[bytes], signed_checkpoint: str) -> bytes:
    """What a log sends to add-checkpoint (the portal's side of the protocol)."""
    lines = [f"old {old_size}", *(base64.b64encode(digest).decode("ascii") for digest in proof)]
    return ("\n".join(lines) + "\n\n" + signed_checkpoint).encode("utf-8")


def handler_for(witness: Witness) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "etikdialog-witness"

        def do_POST(self):  # noqa: N802 - the standard library's name
            if self.path.rstrip("/") != "/add-checkpoint":
                return self._answer(Answer(404, "not found\n"))
            try:
                length = int(self.headers.get("Content-Length", ""))
            except ValueError:
                return self._answer(Answer(411, "length required\n"))
            if not 0 <= length <= MAX_BODY:
                return self._answer(Answer(413, "request body too large\n"))
            return self._answer(witness.add_checkpoint(self.rfile.read(length)))

        def do_GET(self):  # noqa: N802
            if self.path.rstrip("/") == "/key":
                return self._answer(Answer(200, witness.verifier_key + "\n"))
            return self._answer(Answer(404, "not found\n"))

        def _answer(self, answer: Answer):
            data = answer.body.encode("utf-8")
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - the standard library's name
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return Handler


def load_key(path: Path) -> Ed25519PrivateKey:
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def create_key(path: Path) -> Ed25519PrivateKey:
    """A new Ed25519 key at ``path`` (mode 0600), never over an existing file."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
        file.write(pem)
    return key


def main(argv: list[str] | None = None) -> int:
    quiet_libraries()
    parser = argparse.ArgumentParser(prog="etikdialog-witness", description="Et vidne for Etikdialogs transparenslog.")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("create-key", help="opret vidnets nøgle og vis dets offentlige nøgle")
    make.add_argument("--name", required=True)
    make.add_argument("--key", type=Path, required=True)
    show = commands.add_parser("vkey", help="vis vidnets offentlige nøgle (vkey)")
    show.add_argument("--name", required=True)
    show.add_argument("--key", type=Path, required=True)
    serve = commands.add_parser("serve", help="modtag kontrolpunkter og medunderskriv dem")
    serve.add_argument("--name", required=True)
    serve.add_argument("--key", type=Path, required=True)
    serve.add_argument("--state", type=Path, required=True)
    serve.add_argument("--log", action="append", required=True, help="loggens offentlige nøgle (vkey)")
    serve.add_argument("--listen", default="127.0.0.1:7380")
    args = parser.parse_args(argv)
    try:
        if args.command in ("create-key", "vkey"):
            key = create_key(args.key) if args.command == "create-key" else load_key(args.key)
            print(cosignature.verifier_key(args.name, key))
            return 0
        witness = Witness(args.name, load_key(args.key), args.log, args.state)
        host, _, port = args.listen.rpartition(":")
        server = ThreadingHTTPServer((host, int(port)), handler_for(witness))
    except (OSError, ValueError, note.NoteError) as error:
        print(f"etikdialog-witness: {error}", file=sys.stderr)
        return 1
    print(f"{witness.verifier_key} lytter på {args.listen}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
