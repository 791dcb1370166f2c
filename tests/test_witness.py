"""etikdialog-witness (C2SP tlog-witness) and cosignatures (C2SP tlog-cosignature, cosignature/v1):
the witness cosigns only a checkpoint that extends the last one it cosigned for that log."""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.request

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from etikdialog_verify import checkpoint as checkpoints
from etikdialog_verify import cosignature, merkle, note, witness

ORIGIN = "etikdialog.test"


class Log:
    """A small log: entries, its signing key and checkpoints signed as the portal signs them."""

    def __init__(self, origin: str = ORIGIN, key: Ed25519PrivateKey | None = None):
        self.origin = origin
        self.key = key or Ed25519PrivateKey.generate()
        self.leaves: list[bytes] = []

    @property
    def vkey(self) -> str:
        return note.verifier_key(self.origin, note.raw_public_key(self.key))

    def append(self, count: int = 1, tag: bytes = b"entry") -> None:
        start = len(self.leaves)
        self.leaves += [merkle.leaf_hash(tag + str(start + i).encode()) for i in range(count)]

    def signed(self, size: int | None = None) -> str:
        size = len(self.leaves) if size is None else size
        root = merkle.root_from_leaf_hashes(self.leaves[:size])
        return note.sign(checkpoints.body(self.origin, size, root), self.origin, self.key)

    def request(self, old: int, size: int | None = None, proof: list[bytes] | None = None) -> bytes:
        size = len(self.leaves) if size is None else size
        if proof is None:
            proof = merkle.consistency_proof(old, self.leaves[:size]) if 0 < old < size else []
        return witness.request_body(old, proof, self.signed(size))


@pytest.fixture
def log():
    log = Log()
    log.append(5)
    return log


@pytest.fixture
def witness_(tmp_path, log):
    return witness.Witness("witness.test/w1", Ed25519PrivateKey.generate(), [log.vkey], tmp_path / "state")


def test_a_first_checkpoint_is_cosigned_and_the_cosignature_verifies(witness_, log):
    answer = witness_.add_checkpoint(log.request(0), now=1_700_000_000)
    assert answer.status == 200
    cosigned = log.signed() + answer.body
    found = cosignature.verify(cosigned, witness_.verifier_key, now=1_700_000_100)
    assert found == cosignature.Cosignature("witness.test/w1", 1_700_000_000)
    # the signed message is cosignature/v1, the time line and the checkpoint text
    line = answer.body.split(" ")[-1]
    assert len(base64.b64decode(line)) == 4 + 8 + 64


def test_an_extension_with_a_consistency_proof_is_cosigned(witness_, log):
    assert witness_.add_checkpoint(log.request(0)).status == 200
    log.append(7)
    answer = witness_.add_checkpoint(log.request(5))
    assert answer.status == 200
    assert witness_.latest(ORIGIN).size == 12


def test_a_wrong_old_size_gets_409_with_the_witness_size(witness_, log):
    witness_.add_checkpoint(log.request(0))
    log.append(2)
    answer = witness_.add_checkpoint(log.request(3))
    assert (answer.status, answer.body, answer.content_type) == (409, "5\n", "text/x.tlog.size")


def test_a_rolled_back_log_is_refused(witness_, log):
    log.append(5)
    assert witness_.add_checkpoint(log.request(0)).status == 200  # the witness saw 10
    assert witness_.add_checkpoint(log.request(0, size=5)).status == 409  # the log pretends 5
    assert witness_.add_checkpoint(log.request(10, size=5)).status == 400  # old larger than new
    assert witness_.latest(ORIGIN).size == 10


def test_a_forked_log_is_refused_even_with_the_log_key(witness_, log):
    assert witness_.add_checkpoint(log.request(0)).status == 200
    fork = Log(key=log.key)  # the same key, another history (a rewrite)
    fork.append(5, tag=b"rewritten")
    fork.append(3)
    assert witness_.add_checkpoint(fork.request(5)).status == 422
    same_size = Log(key=log.key)
    same_size.append(5, tag=b"rewritten")
    assert witness_.add_checkpoint(same_size.request(5)).status == 409  # same size, other root
    assert witness_.latest(ORIGIN).root == merkle.root_from_leaf_hashes(log.leaves)


def test_a_split_view_gets_only_one_side_cosigned(witness_, log):
    """Two readers shown two different trees: the witness cosigns whichever comes first only."""
    other = Log(key=log.key)
    other.leaves = list(log.leaves)
    log.append(1, tag=b"shown-to-reader-a")
    other.append(1, tag=b"shown-to-reader-b")
    assert witness_.add_checkpoint(log.request(0, size=5)).status == 200
    assert witness_.add_checkpoint(log.request(5)).status == 200
    assert witness_.add_checkpoint(other.request(5)).status == 409


def test_unknown_origins_forged_and_malformed_requests_are_refused(witness_, log):
    stranger = Log(origin="other.test")
    stranger.append(1)
    assert witness_.add_checkpoint(stranger.request(0)).status == 404
    forged = Log(key=Ed25519PrivateKey.generate())
    forged.append(5)
    assert witness_.add_checkpoint(forged.request(0)).status == 403
    assert witness_.add_checkpoint(b"old 01\n\n" + log.signed().encode()).status == 400
    assert witness_.add_checkpoint(b"nothing").status == 400
    assert witness_.add_checkpoint(b"\xff\xfe").status == 400
    too_long = witness.request_body(0, [bytes(32)] * 64, log.signed())
    assert witness_.add_checkpoint(too_long).status == 400
    assert witness_.add_checkpoint(b"old 0\n" + b"A" * witness.MAX_BODY).status == 413
    assert witness_.add_checkpoint(witness.request_body(0, [bytes(32)], log.signed())).status == 422
    assert witness_.latest(ORIGIN) is None


def test_the_state_survives_a_restart_and_races_never_roll_it_back(tmp_path, log):
    key = Ed25519PrivateKey.generate()
    first = witness.Witness("witness.test/w1", key, [log.vkey], tmp_path / "state")
    assert first.add_checkpoint(log.request(0)).status == 200
    restarted = witness.Witness("witness.test/w1", key, [log.vkey], tmp_path / "state")
    assert restarted.latest(ORIGIN).size == 5
    log.append(20)
    sizes = [6, 10, 25, 15, 8]
    answers = {}

    def submit(size):
        answers[size] = restarted.add_checkpoint(log.request(5, size=size)).status

    threads = [threading.Thread(target=submit, args=(size,)) for size in sizes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    accepted = [size for size, status in answers.items() if status == 200]
    assert len(accepted) == 1  # all came from old size 5: only the first through the lock can match
    assert restarted.latest(ORIGIN).size == accepted[0]


def test_cosignatures_from_unknown_keys_or_the_future_do_not_count(witness_, log):
    body = witness_.add_checkpoint(log.request(0), now=1_700_000_000).body
    cosigned = log.signed() + body
    other = cosignature.verifier_key("witness.test/w2", Ed25519PrivateKey.generate())
    assert cosignature.quorum(cosigned, [witness_.verifier_key, other], now=1_700_000_000) == [
        cosignature.Cosignature("witness.test/w1", 1_700_000_000)
    ]
    with pytest.raises(note.NoteError, match="in the future"):
        cosignature.verify(cosigned, witness_.verifier_key, now=1_600_000_000)
    with pytest.raises(note.NoteError, match="not a cosigner key"):
        cosignature.verify(cosigned, log.vkey)  # a log key (type 0x01) is not a witness key
    tampered = cosigned.replace(f"\n{len(log.leaves)}\n", "\n4\n", 1)
    with pytest.raises(note.NoteError):
        cosignature.verify(tampered, witness_.verifier_key, now=1_700_000_000)


def test_the_witness_speaks_http(witness_, log):
    from http.server import ThreadingHTTPServer

    server = ThreadingHTTPServer(("127.0.0.1", 0), witness.handler_for(witness_))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/key", timeout=5) as answer:
            assert answer.read().decode().strip() == witness_.verifier_key
        request = urllib.request.Request(f"{base}/add-checkpoint", data=log.request(0), method="POST")
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.status == 200
            assert cosignature.verify(log.signed() + answer.read().decode(), witness_.verifier_key)
        log.append(1)
        stale = urllib.request.Request(f"{base}/add-checkpoint", data=log.request(0), method="POST")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(stale, timeout=5)
        assert refused.value.code == 409 and refused.value.headers["Content-Type"] == "text/x.tlog.size"
        assert refused.value.read() == b"5\n"
    finally:
        server.shutdown()
        server.server_close()


def test_the_command_makes_a_key_once_and_prints_its_verifier_key(tmp_path, capsys):
    path = tmp_path / "witness.key"
    assert witness.main(["create-key", "--name", "witness.test/w1", "--key", str(path)]) == 0
    vkey = capsys.readouterr().out.strip()
    assert vkey == cosignature.verifier_key("witness.test/w1", witness.load_key(path))
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert witness.main(["create-key", "--name", "witness.test/w1", "--key", str(path)]) == 1
    assert "exists" in capsys.readouterr().err
    assert witness.main(["vkey", "--name", "witness.test/w1", "--key", str(path)]) == 0
    assert capsys.readouterr().out.strip() == vkey
