"""Password hashing (argon2id) and the password policy."""

import re

import pytest

from app import create_app
from app.accounts import passwords
from app.accounts.passwords import (
    TOO_COMMON,
    TOO_LONG,
    TOO_PERSONAL,
    TOO_SHORT,
    validate_password_policy,
)


def argon2_parameters(password_hash: str) -> dict:
    match = re.match(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", password_hash)
    assert match, password_hash
    m, t, p = map(int, match.groups())
    return {"memory_cost": m, "time_cost": t, "parallelism": p}


def test_eleven_characters_are_refused():
    assert validate_password_policy("a-b-c-d-e-f") == [TOO_SHORT]
    assert TOO_SHORT == "Adgangskoden skal være mindst 12 tegn."


def test_twelve_characters_are_enough():
    assert validate_password_policy("hest-bil-sø7") == []


def test_128_characters_are_allowed_and_129_refused():
    assert validate_password_policy("ord-" * 32) == []
    assert validate_password_policy("ord-" * 32 + "x") == [TOO_LONG]


def test_length_counts_characters_not_bytes():
    assert validate_password_policy("æøåæøå-hest1") == []  # 12 characters, 18 bytes


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "Password1234",
        "123456789012",
        "qwertyuiopas",
        "sommerfugl12",
        "kodeord12345",
        "iloveyou1234",
        "Sommer2024!!",
        "aaaaaaaaaaaaaa",
        "abababababab",
    ],
)
def test_common_and_repetitive_passwords_are_refused(password):
    assert validate_password_policy(password) == [TOO_COMMON]


def test_no_composition_rules():
    assert validate_password_policy("kun små bogstaver og mellemrum") == []


def test_password_must_not_be_the_email_or_name():
    assert TOO_PERSONAL in validate_password_policy(
        "anne.jensen@kommune.dk", personal=("anne.jensen@kommune.dk", "Anne Jensen")
    )
    assert TOO_PERSONAL in validate_password_policy("Anne Marie Jensen", personal=("a@kommune.dk", "Anne Marie Jensen"))


def test_common_password_list_is_shipped_and_long_enough():
    common = passwords.common_passwords()
    assert len(common) >= 300
    assert all(len(p) >= 12 for p in common)
    assert {"password1234", "sommerfugl12", "kodeord12345"} <= common


def test_hash_is_argon2id_with_at_least_owasp_parameters(app):
    password_hash = passwords.hash_password("korrekt-hest-batteri-9")
    params = argon2_parameters(password_hash)
    assert params["memory_cost"] >= 19456
    assert params["time_cost"] >= 2
    assert params["parallelism"] >= 1


def test_production_parameters_are_stronger_than_the_test_ones(tmp_path):
    production = create_app({"TESTING": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.db"})
    with production.app_context():
        assert passwords.argon2_params() == {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


@pytest.mark.parametrize("app_overrides", [{"ARGON2_PARAMS": {"time_cost": 3, "memory_cost": 20000, "parallelism": 2}}])
def test_parameters_come_from_config(app):
    params = argon2_parameters(passwords.hash_password("korrekt-hest-batteri-9"))
    assert params == {"time_cost": 3, "memory_cost": 20000, "parallelism": 2}


@pytest.mark.parametrize("app_overrides", [{"ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 8192, "parallelism": 1}}])
def test_parameters_below_owasp_minimum_are_refused(app):
    with pytest.raises(ValueError, match="OWASP"):
        passwords.hash_password("korrekt-hest-batteri-9")


def test_verify_accepts_the_right_password_and_refuses_a_wrong_one(app):
    password_hash = passwords.hash_password("korrekt-hest-batteri-9")
    assert passwords.verify_password(password_hash, "korrekt-hest-batteri-9") == (True, None)
    assert passwords.verify_password(password_hash, "korrekt-hest-batteri-8") == (False, None)
    assert passwords.verify_password("not a hash", "korrekt-hest-batteri-9") == (False, None)


def test_verify_offers_a_new_hash_when_parameters_changed(app):
    app.config["ARGON2_PARAMS"] = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}
    old_hash = passwords.hash_password("korrekt-hest-batteri-9")
    app.config["ARGON2_PARAMS"] = {"time_cost": 3, "memory_cost": 19456, "parallelism": 1}
    matches, new_hash = passwords.verify_password(old_hash, "korrekt-hest-batteri-9")
    assert matches is True
    assert argon2_parameters(new_hash)["time_cost"] == 3


def test_unicode_forms_of_the_same_password_match(app):
    composed = "blåbærgrød-med-fløde"
    decomposed = composed.replace("å", "a\u030a")
    assert composed != decomposed
    assert passwords.verify_password(passwords.hash_password(composed), decomposed)[0] is True
