"""Rules that existed twice and disagreed, now kept in one place: reading a
typed verification code, the unusable password hash, and the statuses before signing."""

import pytest
from assessment_factories import make_signed
from factories import make_user

from app.accounts import passwords
from app.assessments import services as assessment_services
from app.signoff import codes
from app.signoff import services as signoff


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("7K2M-9QXD-4HTA", "7K2M-9QXD-4HTA"),
        ("7k2m 9qxd 4hta", "7K2M-9QXD-4HTA"),
        ("7K2M9QXD4HTA", "7K2M-9QXD-4HTA"),
        ("OIL0-0000-0000", "0110-0000-0000"),  # Crockford: O reads as 0, I and L as 1
        ("7K2M-9QXD-4HTU", None),  # U is not in the alphabet and is not mapped (it was read as V)
        ("uuuu-uuuu-uuuu", None),
        ("7K2M-9QXD-4HT", None),  # too short
        ("7K2M-9QXD-4HTA-X", None),  # too long: never cut down to a code
        ("<script>", None),
        ("", None),
        (None, None),
        ("x" * 500, None),
    ],
)
def test_a_typed_code_has_one_reading(typed, expected):
    assert codes.normalise(typed) == expected


def test_verificer_reads_codes_by_the_same_rule(client, published):
    code = published.signed_record.verification_code
    typed = code.lower().replace("0", "o").replace("1", "l").replace("-", " ")
    page = client.get("/verificer", query_string={"kode": typed}).get_data(as_text=True)
    assert "Koden passer til en underskrevet vurdering" in page
    # One character a U: the old portal rule kept it, the sign-off rule read it as V; now no code.
    with_u = code[:-1] + "U"
    page = client.get("/verificer", query_string={"kode": with_u}).get_data(as_text=True)
    assert "Ingen match" in page


def test_the_unusable_hash_refuses_every_password():
    assert passwords.verify_password(passwords.UNUSABLE_HASH, "") == (False, None)
    assert passwords.verify_password(passwords.UNUSABLE_HASH, "!") == (False, None)


def test_no_stance_and_no_new_signatories_once_signed(org):
    signed = make_signed(org)
    editor = make_user(org, role="editor")
    member = make_user(org, role="member")
    with pytest.raises(assessment_services.NotEditable):
        assessment_services.save_position(signed, "enig", "", user=member)
    with pytest.raises(assessment_services.NotEditable):
        signoff.name_signatories(signed, [member.id], user=editor)
