"""The board's composition and vote (issue 28 item 2): members present, absent and with a conflict
of interest (forvaltningsloven § 3); sign-off waits until the stances add up; the record, the PDF
and the page word the board's recommendation and the committee's decision as what they are."""

from __future__ import annotations

import json

import jsonschema
import pytest
from assessment_factories import answer_everything, make_assessment, request_signoff, sign_off
from factories import login, make_org, make_user
from test_signoff import pdf_text

from app.assessments import board, services
from app.extensions import db
from app.signoff import canonical

# --- Unit: reading the lines and checking the vote -----------------------------------------


def test_members_and_conflicts_are_read_from_their_lines(app):
    assert board.members("  Anne Hansen, formand \n\nBo Berg\n") == [
        board.Member("Anne Hansen", "formand"),
        board.Member("Bo Berg", ""),
    ]
    assert board.conflicts("Bo Berg: gift med leverandørens direktør") == [
        board.Conflict("Bo Berg", "gift med leverandørens direktør")
    ]
    section = board.board_section("Anne Hansen, formand\nBo Berg, næstformand", 2, "bo berg: inhabil")
    assert section == {
        "members_present": [{"name": "Anne Hansen", "title": "formand"}, {"name": "Bo Berg", "title": "næstformand"}],
        "members_absent_count": 2,
        "conflicts_of_interest": [{"name": "bo berg", "title": "næstformand", "reason": "inhabil"}],
    }


@pytest.mark.parametrize(
    ("present", "message"),
    [
        (", formand", "Linje 1 mangler et navn før kommaet."),
        ("Anne Hansen\nanne  hansen, formand", "Anne Hansen står der to gange."),
        ("A" * 121 + ", formand", "Linje 1 er for lang"),
        ("\n".join(f"Medlem {n}" for n in range(41)), "Skriv højst 40 medlemmer, ét pr. linje."),
    ],
)
def test_bad_member_lines_get_a_danish_message(app, present, message):
    with app.test_request_context():
        assert message in " ".join(board.member_problems(present))


@pytest.mark.parametrize(
    ("conflicts", "message"),
    [
        ("Bo Berg", "skriv navnet og begrundelsen adskilt af et kolon"),
        ("Carl Carlsen: nabo til leverandøren", "Carl Carlsen står ikke blandt de medlemmer, der var til stede"),
        ("Bo Berg: " + "x" * 501, "Begrundelsen for Bo Berg må højst være 500 tegn."),
    ],
)
def test_bad_conflict_lines_get_a_danish_message(app, conflicts, message):
    with app.test_request_context():
        assert message in " ".join(board.conflict_problems(conflicts, "Anne Hansen, formand\nBo Berg"))


def vote(present: int, conflicted: int, counts: dict, absent: int | None = 0) -> list[str]:
    record = {
        "board": {
            "members_present": [{"name": f"M{n}", "title": ""} for n in range(present)],
            "members_absent_count": absent,
            "conflicts_of_interest": [{"name": f"M{n}", "title": "", "reason": "x"} for n in range(conflicted)],
        },
        "position_counts": {"enig": 0, "uenig": 0, "undlader": 0} | counts,
    }
    return board.vote_problems(record)


def test_the_vote_must_add_up_to_the_members_present_less_those_with_a_conflict(app):
    with app.test_request_context():
        assert vote(3, 0, {"enig": 2, "undlader": 1}) == []
        assert vote(3, 1, {"enig": 1, "uenig": 1}) == []
        [problem] = vote(3, 1, {"enig": 3})
        assert "3 medlemmer var til stede, og 1 var inhabile, så 2 skal tage stilling" in problem
        assert "men der er 3 holdninger" in problem
        assert "Skriv, hvilke medlemmer der var til stede" in vote(0, 0, {})[0]  # "0 enige, 0 uenige og 0"
        assert "fraværende" in vote(1, 0, {"enig": 1}, absent=None)[0]
        assert board.vote_problems({"schema_version": 3}) == []  # older records have no board


# --- The form: bounds, Danish messages, what was typed comes back ---------------------------


@pytest.fixture
def deliberating(app):
    org = make_org("Esbjerg Kommune")
    editor = make_user(org, role="editor", name="Sekretær Sørensen")
    assessment = make_assessment(editor, title="Kamera i plejeboliger")
    answer_everything(assessment, editor, meeting=False)
    services.transition(assessment, "start_deliberation", user=editor)
    db.session.commit()
    assessment.editor = editor
    return assessment


def decision_form(client, assessment, **values) -> dict:
    from factories import hidden

    page = client.get(f"/intern/vurderinger/{assessment.public_id}/beslutning").get_data(as_text=True)
    return {
        "row_version": hidden(page, "row_version"),
        "base": hidden(page, "base"),
        "decision": assessment.decision,
        "decision_reasoning": assessment.decision_reasoning,
        "review_date": assessment.review_date.isoformat(),
        "board_present": "",
        "board_absent_count": "",
        "board_conflicts": "",
        **values,
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"board_absent_count": "mange"}, "Not a valid integer value."),
        ({"board_absent_count": "-1"}, "Skriv et helt tal mellem 0 og 99."),
        ({"board_absent_count": "100"}, "Skriv et helt tal mellem 0 og 99."),
        ({"board_present": "x" * 8001}, "Teksten må højst være 8.000 tegn."),
        ({"board_conflicts": "Ukendt Person: nabo"}, "Ukendt Person står ikke blandt de medlemmer"),
        ({"board_present": ", formand"}, "Linje 1 mangler et navn før kommaet."),
    ],
)
def test_the_meeting_fields_are_bounded_and_the_form_comes_back_with_what_was_typed(
    client, deliberating, values, message
):
    login(client, deliberating.editor)
    typed = {"board_present": "Anne Hansen, formand\nBo Berg, medlem", **values}
    response = client.post(
        f"/intern/vurderinger/{deliberating.public_id}/beslutning", data=decision_form(client, deliberating, **typed)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    if message != "Not a valid integer value.":
        assert message in html
    assert "Bo Berg, medlem" in html or "x" * 100 in html or ", formand" in html
    db.session.refresh(deliberating)
    assert deliberating.board_present == ""


def test_a_letter_for_the_number_absent_is_refused_in_danish(client, deliberating):
    login(client, deliberating.editor)
    response = client.post(
        f"/intern/vurderinger/{deliberating.public_id}/beslutning",
        data=decision_form(client, deliberating, board_present="Anne Hansen", board_absent_count="mange"),
    )
    assert response.status_code == 422
    assert "Not a valid integer value" not in response.get_data(as_text=True)


# --- Sign-off waits for the vote; conflicts take no stance -----------------------------------


def test_sign_off_is_refused_until_the_stances_add_up(client, deliberating):
    editor = deliberating.editor
    org = deliberating.organisation
    chair = make_user(org, role="member", name="Anne Hansen", title="formand")
    member = make_user(org, role="member", name="Bo Berg", title="medlem")
    admin = make_user(org, role="admin")
    services.save_decision(
        deliberating,
        {
            "board_present": "Anne Hansen, formand\nBo Berg, medlem\nCarl Carlsen, medlem",
            "board_absent_count": 1,
            "board_conflicts": "Carl Carlsen: gift med leverandørens direktør",
        },
        expected_version=None,
        user=editor,
    )
    services.save_position(deliberating, "enig", "", user=chair)
    db.session.commit()
    with pytest.raises(services.TransitionBlocked, match="så 2 skal tage stilling") as refused:
        request_signoff(deliberating, editor, [chair, admin])
    assert "men der er 1 holdninger" in str(refused.value)
    db.session.rollback()
    login(client, editor)
    overview = client.get(f"/intern/vurderinger/{deliberating.public_id}").get_data(as_text=True)
    assert "Afstemningen går ikke op" in overview

    services.save_position(deliberating, "undlader", "", user=member)
    sign_off(deliberating, editor, [chair, admin])
    services.transition(deliberating, "publish", user=admin)
    db.session.commit()
    record = json.loads(deliberating.signed_record.canonical_json)
    jsonschema.validate(record, canonical.load_schema())
    assert record["board"] == {
        "members_present": [
            {"name": "Anne Hansen", "title": "formand"},
            {"name": "Bo Berg", "title": "medlem"},
            {"name": "Carl Carlsen", "title": "medlem"},
        ],
        "members_absent_count": 1,
        "conflicts_of_interest": [
            {"name": "Carl Carlsen", "title": "medlem", "reason": "gift med leverandørens direktør"}
        ],
    }
    assert record["position_counts"] == {"enig": 1, "uenig": 0, "undlader": 1}
    assert record["positions"] == []  # nobody dissented, so no stance is named

    text = " ".join(pdf_text(bytes(deliberating.signed_record.pdf)).split())
    assert "Etikrådets anbefaling" in text and "Den formelle beslutning" in text
    assert "Træffes af Ældre- og Sundhedsudvalget på mødet den 2. marts 2026." in text
    assert "Carl Carlsen, medlem, var inhabil og tog ikke stilling: gift med leverandørens direktør" in text
    assert "Af de 2 medlemmer, der tog stilling, var 1 enig i anbefalingen, 0 uenige, og 1 undlod" in text
    assert "0 enige, 0 uenige og 0" not in text and "Beslutningen er truffet" not in text
    html = " ".join(client.get(f"/vurderinger/{deliberating.public_id}").get_data(as_text=True).split())
    assert "Etikrådets anbefaling:" in html and "Etikrådet anbefaler, at kommunen tager teknologien i brug" in html
    # the page words the formal decision by the date (app/addenda): the meeting has passed, none added
    assert "Beslutningen skulle træffes af Ældre- og Sundhedsudvalget på mødet den 2. marts 2026." in html
    assert "Carl Carlsen, medlem, var inhabil og tog ikke stilling" in html
    assert "Beslutningen er truffet" not in html


def test_a_member_with_a_conflict_takes_no_stance(client, deliberating):
    editor = deliberating.editor
    org = deliberating.organisation
    member = make_user(org, role="member", name="Bo Berg", title="medlem")
    services.save_position(deliberating, "enig", "", user=member)
    services.save_position(deliberating, "enig", "", user=editor)
    services.save_decision(
        deliberating,
        {
            "board_present": "Bo Berg, medlem\nSekretær Sørensen, konsulent",
            "board_absent_count": 0,
            "board_conflicts": "Bo Berg: ejer aktier i leverandøren",
        },
        expected_version=None,
        user=editor,
    )
    db.session.commit()
    with pytest.raises(services.TransitionBlocked, match="Bo Berg er erklæret inhabil, men har taget stilling"):
        request_signoff(deliberating, editor, [member, make_user(org, role="admin")])
    db.session.rollback()
    with pytest.raises(services.AssessmentError, match="inhabil i sagen"):
        services.save_position(deliberating, "uenig", "", user=member)
    db.session.rollback()

    login(client, member)
    response = client.post(f"/intern/vurderinger/{deliberating.public_id}/holdning/traek-tilbage")
    assert response.status_code == 302
    db.session.expire_all()
    assert [p.user.name for p in deliberating.positions] == ["Sekretær Sørensen"]


def test_a_stance_from_someone_not_present_is_named(deliberating):
    editor = deliberating.editor
    outsider = make_user(deliberating.organisation, role="member", name="Ida Ikketil")
    services.save_position(deliberating, "enig", "", user=outsider)
    services.save_decision(
        deliberating,
        {"board_present": "Sekretær Sørensen", "board_absent_count": 0},
        expected_version=None,
        user=editor,
    )
    services.save_position(deliberating, "enig", "", user=editor)
    from app.signoff.record_checks import vote_adds_up

    assert any("Ida Ikketil har taget stilling, men står ikke blandt" in p for p in vote_adds_up(deliberating))


def test_a_new_version_is_a_new_meeting(app):
    from assessment_factories import make_signed

    signed = make_signed()
    assert signed.board_present
    editor = make_user(signed.organisation, role="editor")
    copy = services.reopen(signed, user=editor)
    assert copy.board_present == "" and copy.board_absent_count is None
    assert copy.decision == signed.decision


def test_a_signature_is_refused_when_the_vote_stops_adding_up_while_awaiting_it(app):
    """A stance can still be given while signatures are collected; one from a member not counted
    at the meeting stops the next signature (the final one included)."""
    from assessment_factories import make_assessment as new_assessment

    from app.content.loader import get_content
    from app.signoff import services as signoff

    org = make_org()
    editor = make_user(org, role="editor")
    member, admin = make_user(org, role="member"), make_user(org, role="admin")
    assessment = new_assessment(editor)
    answer_everything(assessment, editor)  # the editor present, with a stance
    request_signoff(assessment, editor, [member, admin])
    services.save_position(assessment, "enig", "", user=member)  # not at the meeting
    db.session.commit()
    _, record_sha256 = signoff.current_record(assessment, get_content())
    with pytest.raises(signoff.SignRefused, match="Afstemningen går ikke op"):
        signoff.sign(
            assessment,
            user=member,
            password="",
            seen_hash=record_sha256,
            seen_at=None,
            content=get_content(),
            password_ok=lambda user, password: True,
        )
