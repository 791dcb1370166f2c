"""The transparency log's pure parts: RFC 9162 hashing and proofs, C2SP signed notes and
checkpoints. No app, no database."""

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from etikdialog_verify import checkpoint, merkle, note

# RFC 6962's test tree (the same vectors as certificate-transparency's and Go's tlog tests):
# eight entries and the root after each.
h = bytes.fromhex
LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# golang.org/x/mod/sumdb/note's example key and signed note (note_test.go).
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
GO_NOTE = (
    GO_TEXT
    + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def entries(n: int) -> list[bytes]:
    return [f"entry {i}".encode() for i in range(n)]


def leaf_hashes(items: list[bytes]) -> list[bytes]:
    return [merkle.leaf_hash(item) for item in items]


# --- RFC 9162 ---------------------------------------------------------------------------------


def test_leaf_and_node_hashes_are_domain_separated():
    assert merkle.leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    assert merkle.mth([]) == hashlib.sha256(b"").digest()


def test_roots_match_the_rfc_6962_test_vectors():
    data = [h(x) for x in LEAVES]
    for size in range(1, 9):
        assert merkle.mth(data[:size]).hex() == ROOTS[size - 1]
        assert merkle.root_from_leaf_hashes(leaf_hashes(data[:size])).hex() == ROOTS[size - 1]


def test_proofs_match_the_rfc_6962_test_vectors():
    hashes = leaf_hashes([h(x) for x in LEAVES])
    assert [p.hex() for p in merkle.inclusion_proof(5, hashes)] == [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    assert [p.hex() for p in merkle.consistency_proof(6, hashes)] == [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    assert [p.hex() for p in merkle.consistency_proof(2, hashes[:5])] == [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ]


def test_every_inclusion_and_consistency_proof_of_trees_of_1_to_70_verifies():
    data = entries(70)
    hashes = leaf_hashes(data)
    roots = [merkle.mth(data[:size]) for size in range(1, 71)]
    for size in range(1, 71):
        tree, root = hashes[:size], roots[size - 1]
        assert merkle.root_from_leaf_hashes(tree) == root
        for index in range(size):
            proof = merkle.inclusion_proof(index, tree)
            assert merkle.verify_inclusion(index, size, tree[index], proof, root)
            assert not merkle.verify_inclusion(index, size, tree[index], proof, roots[size - 2] if size > 1 else b"")
            if size > 1:  # the same path at the wrong index does not lead to the root
                assert not merkle.verify_inclusion((index + 1) % size, size, tree[index], proof, root)
        for first in range(1, size + 1):
            proof = merkle.consistency_proof(first, tree)
            assert merkle.verify_consistency(first, size, roots[first - 1], root, proof)
            if first < size:
                assert not merkle.verify_consistency(first, size, roots[first], root, proof)
                assert not merkle.verify_consistency(first, size, roots[first - 1], roots[size - 2], proof)


def test_a_changed_entry_breaks_inclusion_and_consistency():
    data = entries(13)
    root = merkle.mth(data)
    changed = [*data[:5], b"entry 5, rewritten", *data[6:]]
    changed_hashes = leaf_hashes(changed)
    assert merkle.mth(changed) != root
    for index in range(13):  # no proof from the rewritten tree verifies against the published root
        assert not merkle.verify_inclusion(
            index, 13, changed_hashes[index], merkle.inclusion_proof(index, changed_hashes), root
        )
    old_root = merkle.mth(data[:8])
    assert not merkle.verify_consistency(
        8, 13, old_root, merkle.mth(changed), merkle.consistency_proof(8, changed_hashes)
    )


def test_a_removed_entry_breaks_verification():
    data = entries(13)
    root, old_root = merkle.mth(data), merkle.mth(data[:9])
    removed = data[:4] + data[5:]
    removed_hashes = leaf_hashes(removed)
    assert merkle.mth(removed) != merkle.mth(data[:12])
    assert not merkle.verify_inclusion(4, 12, removed_hashes[4], merkle.inclusion_proof(4, removed_hashes), root)
    assert not merkle.verify_consistency(
        9, 12, old_root, merkle.mth(removed), merkle.consistency_proof(9, removed_hashes)
    )


def test_a_reordered_pair_breaks_verification():
    data = entries(13)
    old_root = merkle.mth(data[:10])
    swapped = [*data[:6], data[7], data[6], *data[8:]]
    swapped_hashes = leaf_hashes(swapped)
    assert merkle.mth(swapped) != merkle.mth(data)
    assert not merkle.verify_inclusion(
        6, 13, merkle.leaf_hash(data[6]), merkle.inclusion_proof(6, swapped_hashes), merkle.mth(data)
    )
    assert not merkle.verify_consistency(
        10, 13, old_root, merkle.mth(swapped), merkle.consistency_proof(10, swapped_hashes)
    )


def test_malformed_proofs_are_refused_not_raised():
    hashes = leaf_hashes(entries(5))
    root = merkle.root_from_leaf_hashes(hashes)
    proof = merkle.inclusion_proof(2, hashes)
    assert not merkle.verify_inclusion(5, 5, hashes[2], proof, root)
    assert not merkle.verify_inclusion(2, 5, hashes[2], [*proof, proof[0]], root)  # too long
    assert not merkle.verify_inclusion(2, 5, hashes[2], proof[:-1], root)  # too short
    assert not merkle.verify_inclusion(2, 5, hashes[2], [p[:31] for p in proof], root)
    assert not merkle.verify_consistency(0, 5, root, root, [])
    assert not merkle.verify_consistency(3, 5, root, root, [])
    assert merkle.verify_consistency(5, 5, root, root, [])
    with pytest.raises(merkle.ProofError):
        merkle.inclusion_ranges(5, 5)
    with pytest.raises(merkle.ProofError):
        merkle.consistency_ranges(6, 5)


def test_stored_subtrees_give_the_same_proofs_as_the_leaves():
    """What the database keeps (perfect subtrees) is enough for every proof, and only O(log n) of it is read."""
    hashes = leaf_hashes(entries(70))
    perfect_reads = set()

    def perfect(start, end):
        assert merkle.is_perfect(start, end)
        perfect_reads.add((start, end))
        return merkle.root_from_leaf_hashes(hashes[start:end])

    for size in (1, 2, 3, 7, 8, 9, 31, 64, 70):
        for index in range(size):
            ranges = merkle.inclusion_ranges(index, size)
            assert len(merkle.perfect_parts(ranges)) <= 2 * size.bit_length()
            assert [merkle.range_hash(s, e, perfect) for s, e in ranges] == merkle.inclusion_proof(index, hashes[:size])
    assert merkle.peaks(70) == [(0, 64), (64, 68), (68, 70)]


# --- C2SP signed notes --------------------------------------------------------------------------


def go_private_key() -> Ed25519PrivateKey:
    raw = base64.b64decode(GO_SKEY.split("+", 4)[4])
    assert raw[0] == 1
    return Ed25519PrivateKey.from_private_bytes(raw[1:])


def test_signing_reproduces_the_go_note_packages_example_byte_for_byte():
    key = go_private_key()
    assert note.verifier_key("PeterNeumann", note.raw_public_key(key)) == GO_VKEY
    assert note.sign(GO_TEXT, "PeterNeumann", key) == GO_NOTE
    assert note.open_note(GO_NOTE, GO_VKEY) == GO_TEXT


@pytest.mark.parametrize(
    "tampered",
    [
        GO_NOTE.replace("cryptography", "cryptographY"),
        GO_NOTE.replace("x08go", "x08gp"),
        GO_NOTE.replace("\u2014", "-"),
        GO_NOTE[:-1],
        GO_TEXT,
    ],
)
def test_a_changed_note_is_refused(tampered):
    with pytest.raises(note.NoteError):
        note.open_note(tampered, GO_VKEY)


def test_a_note_by_another_key_is_refused_and_unknown_signatures_are_ignored():
    other = Ed25519PrivateKey.generate()
    other_vkey = note.verifier_key("PeterNeumann", note.raw_public_key(other))
    with pytest.raises(note.NoteError, match="no signature"):
        note.open_note(GO_NOTE, other_vkey)
    both = GO_NOTE + note.sign(GO_TEXT, "Other", other).split("\n\n", 1)[1]  # a second signature line
    assert note.open_note(both, GO_VKEY) == GO_TEXT
    assert note.open_note(both, note.verifier_key("Other", note.raw_public_key(other))) == GO_TEXT


@pytest.mark.parametrize(
    "vkey",
    [
        GO_VKEY.replace("c74f20a3", "c74f20a4"),  # key ID that does not match
        GO_VKEY.replace("PeterNeumann", "PeterNeuman"),
        GO_VKEY.replace("+ARpc", "+AhRpc"),
        GO_VKEY[:-1],
        "PeterNeumann+c74f20a3",
        "",
    ],
)
def test_mangled_verifier_keys_are_refused(vkey):
    with pytest.raises(note.NoteError):
        note.parse_verifier_key(vkey)


# --- C2SP tlog-checkpoint ----------------------------------------------------------------------


def test_a_checkpoint_body_round_trips_and_signs_under_its_origin():
    key = Ed25519PrivateKey.generate()
    origin = checkpoint.origin_for("https://etik.aarhus.dk/")
    assert origin == "etik.aarhus.dk"
    root = h(ROOTS[7])
    body = checkpoint.body(origin, 8, root)
    assert body == f"etik.aarhus.dk\n8\n{base64.b64encode(root).decode()}\n"
    signed = note.sign(body, origin, key)
    vkey = note.verifier_key(origin, note.raw_public_key(key))
    assert checkpoint.open_checkpoint(signed, vkey) == checkpoint.Checkpoint("etik.aarhus.dk", 8, root)
    wrong_name = note.sign(body, "etik.odense.dk", key)
    with pytest.raises(note.NoteError):
        checkpoint.open_checkpoint(wrong_name, note.verifier_key("etik.odense.dk", note.raw_public_key(key)))


@pytest.mark.parametrize(
    "body", ["o\n08\nAAAA\n", "o\n8\n", "\n8\n" + "A" * 44 + "\n", "o\n-1\n" + "A" * 44 + "\n", "o\n8\nAAAA\n"]
)
def test_malformed_checkpoints_are_refused(body):
    with pytest.raises(note.NoteError):
        checkpoint.parse(body)
