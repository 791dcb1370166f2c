"""flask org create, flask user create, flask user set-password."""

from factories import PASSWORD, make_org, make_user

from app.accounts import passwords, services
from app.accounts.models import Organisation, User
from app.extensions import db


def test_org_create(runner):
    result = runner.invoke(args=["org", "create", "Ærø Kommune"])
    assert result.exit_code == 0, result.output
    assert "aeroe-kommune" in result.output
    assert db.session.query(Organisation).filter_by(slug="aeroe-kommune").one().name == "Ærø Kommune"


def test_org_create_refuses_a_duplicate(runner):
    make_org("Aarhus Kommune")
    result = runner.invoke(args=["org", "create", "Aarhus Kommune"])
    assert result.exit_code == 1
    assert "findes allerede" in result.output
    assert db.session.query(Organisation).count() == 1


def user_create_args(**changes):
    options = {
        "--org": "aarhus-kommune",
        "--email": "Anne@Kommune.dk",
        "--name": "Anne Jensen",
        "--title": "Formand",
        "--role": "admin",
        **changes,
    }
    args = ["user", "create"]
    for option, value in options.items():
        args += [option, value]
    return args


def test_user_create_with_password_stdin(runner):
    make_org("Aarhus Kommune")
    result = runner.invoke(args=[*user_create_args(), "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    user = services.get_user_by_email("anne@kommune.dk")
    assert user.role == "admin" and user.title == "Formand"
    assert passwords.verify_password(user.password_hash, PASSWORD)[0] is True


def test_user_create_with_prompt_and_confirmation(runner):
    make_org("Aarhus Kommune")
    result = runner.invoke(args=user_create_args(), input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Gentag adgangskoden" in result.output
    assert PASSWORD not in result.output
    assert services.get_user_by_email("anne@kommune.dk") is not None


def test_user_create_refuses_a_weak_password(runner):
    make_org("Aarhus Kommune")
    for weak in ("kort", "password1234"):
        result = runner.invoke(args=[*user_create_args(), "--password-stdin"], input=weak + "\n")
        assert result.exit_code == 1
        assert "Adgangskoden" in result.output
    assert db.session.query(User).count() == 0


def test_user_create_never_takes_the_password_as_an_argument(runner):
    make_org("Aarhus Kommune")
    result = runner.invoke(args=[*user_create_args(), "--password", PASSWORD])
    assert result.exit_code == 2
    assert db.session.query(User).count() == 0


def test_user_create_refuses_unknown_org_role_and_duplicate_email(runner):
    make_org("Aarhus Kommune")
    result = runner.invoke(args=[*user_create_args(**{"--org": "findes-ikke"}), "--password-stdin"], input=PASSWORD)
    assert result.exit_code == 1 and "findes ikke" in result.output
    result = runner.invoke(args=[*user_create_args(**{"--role": "gud"}), "--password-stdin"], input=PASSWORD)
    assert result.exit_code == 2
    runner.invoke(args=[*user_create_args(), "--password-stdin"], input=PASSWORD)
    result = runner.invoke(args=[*user_create_args(), "--password-stdin"], input=PASSWORD)
    assert result.exit_code == 1 and "findes allerede" in result.output
    assert db.session.query(User).count() == 1


def test_set_password_from_stdin_bumps_the_session_version(runner):
    user = make_user(email="anne@kommune.dk")
    result = runner.invoke(
        args=["user", "set-password", "--email", "ANNE@kommune.dk", "--password-stdin"], input="et-helt-nyt-kodeord-5\n"
    )
    assert result.exit_code == 0, result.output
    user = db.session.get(User, user.id)
    assert user.session_version == 2
    assert passwords.verify_password(user.password_hash, "et-helt-nyt-kodeord-5")[0] is True


def test_set_password_refuses_weak_password_and_unknown_user(runner):
    user = make_user(email="anne@kommune.dk")
    result = runner.invoke(
        args=["user", "set-password", "--email", "anne@kommune.dk", "--password-stdin"], input="123456789012\n"
    )
    assert result.exit_code == 1
    assert "for almindelig" in result.output
    assert db.session.get(User, user.id).session_version == 1
    result = runner.invoke(
        args=["user", "set-password", "--email", "ingen@kommune.dk", "--password-stdin"],
        input="et-helt-nyt-kodeord-5\n",
    )
    assert result.exit_code == 1
    assert "ingen bruger" in result.output
