"""Public version comparison (issue 20 item 3): the pure diff of two signed records, the page and
the API that read them from the signed records only, and bad input."""

import json
from pathlib import Path

import pytest
from assessment_factories import make_published, sign_off
from factories import make_user

from app.assessments import services as assessment_services
from app.extensions import db
from app.public import compare, record_diff, word_diff

FIXTURE = Path(__file__).parent / "fixtures" / "schema1_export.json"


def words(ops) -> tuple[str, str]:
    """The text before and after, rebuilt from word operations."""
    return (
        "".join(text for op, text in ops if op != word_diff.INSERT),
        "".join(text for op, text in ops if op != word_diff.DELETE),
    )


def find(comparison, *path):
    return next(f for s in comparison.sections for f in s.fields if f.path == path)


# --- Words -------------------------------------------------------------------------------------


def test_word_diff_marks_added_and_removed_words(app):
    ops = word_diff.word_diff(
        "Borgere med demens falder om natten og ligger længe.",
        "Borgere med demens falder ofte om natten og ligger længe.",
    )
    assert ops == (
        ("equal", "Borgere med demens falder"),
        ("insert", " ofte"),
        ("equal", " om natten og ligger længe."),
    )
    ops = word_diff.word_diff("Nattevagten går faste runder.", "Nattevagten går ind ved besked.")
    assert ("delete", " faste runder.") in ops and ("insert", " ind ved besked.") in ops
    assert words(ops) == ("Nattevagten går faste runder.", "Nattevagten går ind ved besked.")


def test_word_diff_rebuilds_both_texts_and_is_minimal():
    import random

    generator = random.Random(7)
    vocabulary = ["og", "borgere", "i", "nat", "\n", "sensor", "fald."]
    for _ in range(300):
        before = " ".join(generator.choice(vocabulary) for _ in range(generator.randint(0, 25)))
        after = " ".join(generator.choice(vocabulary) for _ in range(generator.randint(0, 25)))
        ops = word_diff.word_diff(before, after)
        assert words(ops) == (before, after)
    # Myers' script is a shortest one: checked against the longest common subsequence by table.
    for _ in range(300):
        a = [generator.choice("abc") for _ in range(generator.randint(0, 10))]
        b = [generator.choice("abc") for _ in range(generator.randint(0, 10))]
        script = word_diff.edit_script(a, b, word_diff.Budget(), 100)
        table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
        assert sum(op == "equal" for op, _ in script) == table[len(a)][len(b)]


def test_a_word_left_alone_between_two_changes_joins_them():
    ops = word_diff.word_diff("røde huse og grønne træer", "blå biler og gule cykler")
    assert ops == (("delete", "røde huse og grønne træer"), ("insert", "blå biler og gule cykler"))


def test_the_word_diff_is_bounded_in_size_and_work():
    long = "ord " * (word_diff.WORD_TOKENS_MAX + 1)
    assert word_diff.word_diff(long, long + "mere") is None  # too many words a side
    assert word_diff.word_diff("a b c " * 300, "c b a " * 300) is None  # too many edits
    assert word_diff.word_diff("a b c " * 30, "c b a " * 30) is not None
    budget = word_diff.Budget(10)
    assert word_diff.word_diff("en to tre fire", "en fem tre seks", budget) is None  # the shared budget is spent
    assert budget.left < 0
    assert word_diff.word_diff("en to tre fire", "en fem tre seks", word_diff.Budget()) is not None


def test_a_pathological_text_costs_at_most_the_budget():
    """Repetitive text is the worst case of a word diff: every field gives up at the edit bound,
    and a whole comparison spends at most its budget, so it ends after a bounded number of steps."""
    budget = word_diff.Budget(200_000)
    before = {"proposal": [_item(f"felt{n}", "a b c " * 800) for n in range(20)]}
    after = {"proposal": [_item(f"felt{n}", "c b a " * 800) for n in range(20)]}
    result = record_diff.compare(before, after, budget=budget)
    assert len(result.changes) == 20 and all(c.words is None for c in result.changes)
    assert budget.left > -3 * word_diff.WORD_EDITS_MAX * 2_000  # overspent by at most one round


# --- Records -----------------------------------------------------------------------------------


def _item(name, text, label=None, group="Formål"):
    return {
        "field": name,
        "group": "formaal",
        "group_title": group,
        "label": label or name,
        "value": text,
        "text": text,
    }


def _record(**overrides):
    record = {
        "schema_version": 2,
        "public_id": "v1",
        "version_number": 1,
        "title": "Nattilsyn med sensorer",
        "proposal": [
            _item("problem", "Borgere falder om natten.", "Hvilket problem skal løses?"),
            _item("target_group", "Borgere med demens.", "For hvem?"),
        ],
        "questions": [
            {
                "id": "q1",
                "text": "Hvem bestemmer?",
                "discussion": "Kort drøftelse.",
                "answer": "Borgeren.",
                "concern": "lav",
                "concern_label": "Lav",
                "group_title": "Dilemma 1",
                "kind": "dilemma",
            },
        ],
        "decision": {"decision": "anbefales", "label": "Anbefales", "reasoning": "Godt.", "review_date": "2027-12-01"},
        "actions": [
            {
                "description": "Evaluér efter et år.",
                "owner": "Leder",
                "due_date": "2027-06-01",
                "status": "planlagt",
                "status_label": "Planlagt",
                "is_condition": True,
            },
            {
                "description": "Informér de pårørende.",
                "owner": "Leder",
                "due_date": None,
                "status": "planlagt",
                "status_label": "Planlagt",
                "is_condition": False,
            },
        ],
    }
    record.update(overrides)
    return record


def test_identical_records_have_no_changes(app):
    result = record_diff.compare(_record(), _record(public_id="v2", version_number=2))
    assert result.changes == []  # the version's own id and number are no change
    assert result.count(record_diff.UNCHANGED) > 5


def test_a_changed_proposal_field_answer_decision_and_action(app):
    newer = _record(public_id="v2", version_number=2)
    newer["proposal"][0] = _item("problem", "Borgere falder ofte om natten.", "Hvilket problem skal løses?")
    newer["questions"][0] = {
        **newer["questions"][0],
        "answer": "Borgeren selv.",
        "concern": "hoej",
        "concern_label": "Høj",
    }
    newer["decision"] = {**newer["decision"], "decision": "anbefales_ikke", "label": "Anbefales ikke"}
    newer["actions"] = [
        {**newer["actions"][0], "owner": "Sundhedschefen"},
        {
            "description": "Ny handling.",
            "owner": "",
            "due_date": None,
            "status": "planlagt",
            "status_label": "Planlagt",
            "is_condition": False,
        },
        newer["actions"][1],
    ]
    result = record_diff.compare(_record(), newer)

    problem = find(result, "proposal", "problem")
    assert problem.status == "changed" and problem.label == "Hvilket problem skal løses?"
    assert problem.context == ("Formål",)
    assert ("insert", " ofte") in problem.words
    assert find(result, "proposal", "target_group").status == "unchanged"

    answer = find(result, "questions", "q1", "answer")
    assert answer.label == "Udvalgets svar" and answer.context == ("Hvem bestemmer?",)
    assert answer.before == "Borgeren." and answer.after == "Borgeren selv."
    assert find(result, "questions", "q1", "concern_label").after == "Høj"
    assert not any(f.path[-1] == "concern" for s in result.sections for f in s.fields)  # the key, not its label

    assert find(result, "decision", "label").words == (("equal", "Anbefales"), ("insert", " ikke"))
    assert find(result, "decision", "review_date").before == "1. december 2027"

    # The new action is aligned between the other two, which keep their identity.
    assert find(result, "actions", "1", "owner").after == "Sundhedschefen"
    added = [c for c in result.changes if c.path[:2] == ("actions", "2")]
    assert {c.status for c in added} == {"added"} and added[0].context == ("Handling 2",)
    assert not any(
        f.path[:2] == ("actions", "2") and f.status == "unchanged" for s in result.sections for f in s.fields
    )
    assert find(result, "actions", "3", "description").status == "unchanged"
    assert find(result, "actions", "1", "is_condition").after == "Ja, en betingelse"

    declaration = find(result, "declaration", "decision")
    assert declaration.label == "Hvad har kommunen besluttet?" and declaration.status == "changed"


def test_a_removed_entry_and_a_removed_field(app):
    newer = _record(public_id="v2", version_number=2, actions=[_record()["actions"][1]], questions=[])
    result = record_diff.compare(_record(), newer)
    removed = [c for c in result.changes if c.path[:2] == ("actions", "fjernet-1")]
    assert removed and {c.status for c in removed} == {"removed"}
    assert find(result, "questions", "q1", "answer").status == "removed"
    assert find(result, "questions", "q1", "answer").words == (("delete", "Borgeren."),)


def test_a_section_or_field_no_table_knows_is_compared_all_the_same(app):
    """A later schema's new section (schema 3's AI fields) appears without a code change: under
    the labels the record carries, else its keys."""
    newer = _record(
        public_id="v2",
        version_number=2,
        ai_assessment={
            "items": [
                {"field": "ai_use", "label": "Bruger teknologien kunstig intelligens?", "value": "ja", "text": "Ja"}
            ],
            "notified_on": "2026-11-01",
        },
    )
    result = record_diff.compare(_record(), newer)
    section = next(s for s in result.sections if s.key == "ai_assessment")
    assert section.title == "Ai assessment"
    use = find(result, "ai_assessment", "items", "ai_use")
    assert use.label == "Bruger teknologien kunstig intelligens?" and use.status == "added" and use.after == "Ja"
    assert find(result, "ai_assessment", "notified_on").after == "1. november 2026"


def _schema1_record() -> dict:
    tables = json.loads(FIXTURE.read_text(encoding="utf-8"))["tables"]
    return json.loads(tables["signed_record"][0]["canonical_json"])


def test_a_schema_1_record_against_a_schema_2_record(app, published):
    old = _schema1_record()
    new = json.loads(published.signed_record.canonical_json)
    assert old["schema_version"] == 1 and new["schema_version"] >= 2
    result = record_diff.compare(old, new)
    # Fields schema 2 added stand as added; questions schema 1 was never asked, likewise.
    assert find(result, "proposal", "effect_baseline").status == "added"
    assert find(result, "declaration", "complaint").status == "added"
    assert find(result, "declaration", "complaint").before == ""
    assert find(result, "proposal", "problem").status in {"unchanged", "changed"}
    # And the other way round: removed.
    assert find(record_diff.compare(new, old), "proposal", "effect_baseline").status == "removed"


def test_a_schema_2_record_against_one_with_the_ai_assessment(app, published):
    """Record schema 3's AI screening (proposal fields) and its Article 27 assessment (the `ai`
    section) are compared under the labels of their field tables, with no code of their own."""
    from app.assessments.fields import FRIA
    from app.assessments.proposal import FIELDS_BY_NAME

    new = json.loads(published.signed_record.canonical_json)
    assert new["schema_version"] >= 3  # signed now: schema 3 or later, each with the `ai` section

    old = {
        **new,
        "schema_version": 2,
        "proposal": [item for item in new["proposal"] if item["group"] != "ai"],
    }
    del old["ai"]
    fria = {
        "wording": "Etikdialogs formulering",
        "regulation": "Forordning (EU) 2024/1689, artikel 27",
        "elements": [
            {
                "field": name,
                "letter": letter,
                "citation": f"artikel 27, stk. 1, litra {letter}",
                "label": str(FRIA[name].label),
                "question": str(FRIA[name].form_label),
                "text": f"Svar på {letter}.",
            }
            for letter, name in zip("abcdef", FRIA.names[:6], strict=True)
        ],
        "dpia": "Konsekvensanalyse 2026-04",
        "notified": True,
        "notified_date": "2026-05-01",
    }
    new = {**new, "ai": {**new["ai"], "uses_ai": "ja", "high_risk": True, "fria_required": True, "fria": fria}}
    uses_ai = {"value": "ja", "text": "Ja"}
    new["proposal"] = [{**item, **uses_ai} if item["field"] == "uses_ai" else item for item in new["proposal"]]
    result = record_diff.compare(old, new)
    screening = find(result, "proposal", "uses_ai")
    assert screening.status == "added" and screening.after == "Ja"
    assert screening.label == str(FIELDS_BY_NAME["uses_ai"].label)
    empty = [i["field"] for i in new["proposal"] if i["group"] == "ai" and not i["text"]]
    assert empty and not [c for c in result.changes if c.path[-1] in empty]  # an empty new field is no news
    first = FRIA.names[0]
    element = find(result, "ai", "fria", "elements", first)
    assert element.label == str(FRIA[first].label) and element.status == "added" and element.after == "Svar på a."
    assert find(result, "ai", "fria", "dpia").label == str(FRIA["fria_dpia"].label)
    notified = find(result, "ai", "fria", "notified")
    assert notified.label == str(FRIA["fria_notified"].label) and notified.after == "Ja"
    assert find(result, "ai", "fria", "notified_date").after == "1. maj 2026"
    # What the section repeats from the proposal, or derives from it, is compared there only.
    assert not [f for s in result.sections for f in s.fields if f.path[:2] in {("ai", "uses_ai"), ("ai", "high_risk")}]
    assert not [f for s in result.sections for f in s.fields if f.path[-1] in {"wording", "regulation"}]


# --- Two published versions --------------------------------------------------------------------


def new_version(published, *, problem=None, answer=None, action=None, owner=None):
    """Reopen a published assessment, change it, sign and publish the new version."""
    org = published.organisation
    editor = make_user(org, role="editor")
    newer = assessment_services.reopen(published, user=editor)
    db.session.commit()
    if problem:
        assessment_services.save_proposal(newer, {"problem": problem}, expected_version=None, user=editor)
    if answer:
        question = newer.questions[0]
        assessment_services.save_question(question, {"answer": answer}, expected_version=None, user=editor)
    if owner:
        assessment_services.save_action(newer.actions[0], {"owner": owner}, expected_version=None, user=editor)
    if action:
        assessment_services.add_action(newer, {"description": action, "is_condition": False}, user=editor)
    signers = [make_user(org, role="member"), make_user(org, role="admin")]
    sign_off(newer, editor, signers)
    assessment_services.transition(newer, "publish", user=signers[1])
    db.session.commit()
    return newer


@pytest.fixture
def versions(published):
    second = new_version(
        published,
        problem="Borgere med demens falder ofte om natten og ligger længe, før nogen opdager det.",
        answer="Udvalgets nye svar.",
        action="Informér de pårørende <script>alert(1)</script>.",
        owner="Sundhedschefen",
    )
    return published, second


def test_the_page_shows_words_added_and_removed_from_the_signed_records(client, versions):
    first, second = versions
    response = client.get(f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Ændringer fra version 1 til version 2" in page
    assert (
        '<ins class="diff-ins"><span class="diff-mark">[Tilføjet:</span> ofte<span class="diff-mark">]</span></ins>'
        in page
    )
    assert 'Udvalgets <ins class="diff-ins"><span class="diff-mark">[Tilføjet:</span> nye<span' in page
    assert '[Fjernet:</span> Leder af Sundhed og Omsorg<span class="diff-mark">]</span></del> <ins' in page
    assert "Sundhedschefen" in page and "Handlingsplan" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "uændrede felter i afsnittet" in page  # unchanged fields are collapsed
    assert "Uændret:" in page  # and unchanged sections named in one line


def test_the_page_reads_the_signed_record_not_the_live_rows(client, versions):
    first, second = versions
    second.problem = "Levende tekst, der aldrig blev underskrevet."
    db.session.commit()
    page = client.get(f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2").get_data(as_text=True)
    assert "Levende tekst" not in page and "ofte" in page


def test_a_record_that_fails_its_hash_is_not_compared(client, versions):
    first, second = versions
    from test_backup_and_verify import tamper

    swap = "replace(canonical_json, 'Borgere med demens', 'Borgere uden demens')"
    tamper(f"UPDATE signed_record SET canonical_json = {swap} WHERE id = {first.signed_record.id}")  # noqa: S608
    db.session.expire_all()
    response = client.get(f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2")
    assert response.status_code == 409
    assert "Version 1 passer ikke længere med sin kontrolsum" in response.get_data(as_text=True)
    assert "uden demens" not in response.get_data(as_text=True)


def test_the_detail_page_offers_the_comparison(client, versions):
    first, second = versions
    page = client.get(f"/vurderinger/{second.public_id}").get_data(as_text=True)
    assert f"/vurderinger/{second.public_id}/aendringer?fra=1&amp;til=2" in page
    assert "Se ændringer siden forrige version" in page
    assert 'name="fra"' in page and 'name="til"' in page
    first_page = client.get(f"/vurderinger/{first.public_id}").get_data(as_text=True)
    assert "Se ændringer siden forrige version" not in first_page and 'name="fra"' in first_page


def test_a_single_version_offers_no_comparison(client, published):
    assert 'name="fra"' not in client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    response = client.get(f"/vurderinger/{published.public_id}/aendringer?fra=1&til=2")
    assert response.status_code == 404
    assert "Der er kun én offentliggjort version" in response.get_data(as_text=True)


def test_no_query_goes_to_the_previous_version_and_odd_spellings_to_the_plain_one(client, versions):
    first, second = versions
    base = f"/vurderinger/{second.public_id}/aendringer"
    for query, status in (("", 302), ("?x=y", 302), ("?fra=01&til=2", 301), ("?til=2&fra=1", 301)):
        response = client.get(base + query)
        assert response.status_code == status, query
        assert response.headers["Location"].endswith(f"{base}?fra=1&til=2"), query
    assert client.get(f"/vurderinger/{first.public_id}/aendringer").headers["Location"].endswith("?fra=1&til=2")
    assert client.get(base + "?fra=2&til=1").status_code == 200  # backwards is allowed


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?fra=1", 400, "Vælg to versioner"),
        ("?fra=1&til=", 400, "Vælg to versioner"),
        ("?fra=en&til=2", 400, "Vælg to versioner"),
        ("?fra=-1&til=2", 400, "Vælg to versioner"),
        ("?fra=%C2%B2&til=2", 400, "Vælg to versioner"),
        ("?fra=1&til=99999999999999999999999", 400, "Vælg to versioner"),
        ("?fra=2&til=2", 400, "Vælg to forskellige versioner"),
        ("?fra=1&til=7", 404, "ingen offentliggjort version 7"),
        ("?fra=1&til=99999", 404, "ingen offentliggjort version 99999"),
        ("?fra=1e0&til=2", 400, "Vælg to versioner"),
        ("?fra=+1&til=2", 400, "Vælg to versioner"),
        ("?fra=%EF%BC%91&til=2", 400, "Vælg to versioner"),  # a full-width 1
        ("?fra=0&til=2", 400, "Vælg to versioner"),
        ("?fra=" + "1" * 5000 + "&til=2", 400, "Vælg to versioner"),
        ("?fra=0001&til=0001", 400, "Vælg to forskellige versioner"),
        ("?fra=01&til=7&x=y", 404, "ingen offentliggjort version 7"),
    ],
)
def test_bad_versions_get_a_danish_message_and_never_a_500(client, versions, query, status, message):
    first, second = versions
    response = client.get(f"/vurderinger/{second.public_id}/aendringer{query}")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page
    assert 'name="fra"' in page  # the form is there to choose again
    api = client.get(f"/api/v1/vurderinger/{second.public_id}/aendringer{query}")
    assert api.status_code == status and message in api.get_json()["error"]


def test_another_records_versions_and_unknown_ids(client, versions):
    first, second = versions
    other = make_published(title="Spiserobot")
    other_second = new_version(other, problem="Andet problem.")
    other_third = new_version(other_second, problem="Tredje problem.")
    assert other_third.version_number == 3
    response = client.get(f"/vurderinger/{second.public_id}/aendringer?fra=1&til=3")
    assert response.status_code == 404  # version 3 belongs to another record
    assert client.get("/vurderinger/findes-ikke/aendringer?fra=1&til=2").status_code == 404
    assert client.get("/api/v1/vurderinger/findes-ikke/aendringer?fra=1&til=2").status_code == 404
    unpublished = assessment_services.reopen(other_third, user=make_user(other.organisation, role="editor"))
    db.session.commit()
    assert client.get(f"/vurderinger/{unpublished.public_id}/aendringer?fra=1&til=2").status_code == 404


def test_a_withdrawn_version_is_not_compared(client, versions):
    first, second = versions
    admin = make_user(first.organisation, role="admin")
    assessment_services.transition(first, "withdraw", user=admin, reason="Forkert tal i forslaget.")
    db.session.commit()
    response = client.get(f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2")
    assert response.status_code == 404
    assert "Der er kun én offentliggjort version" in response.get_data(as_text=True)
    assert 'name="fra"' not in client.get(f"/vurderinger/{second.public_id}").get_data(as_text=True)


def test_the_page_is_cached_per_pair(client, versions, app):
    from flask import template_rendered

    first, second = versions
    url = f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2"
    names = []

    def rendered(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(rendered, app)
    try:
        first_response = client.get(url)
        assert first_response.headers["ETag"] and "public/compare.html" in names
        names.clear()
        assert client.get(url).get_data() == first_response.get_data() and names == []
        assert client.get(url, headers={"If-None-Match": first_response.headers["ETag"]}).status_code == 304
        client.get(f"/vurderinger/{second.public_id}/aendringer?fra=2&til=1")
        assert "public/compare.html" in names  # another pair, another page
    finally:
        template_rendered.disconnect(rendered, app)


@pytest.fixture
def compare_calls(monkeypatch):
    """Every call of the comparison itself, counted (the page cache is off in these tests' apps)."""
    calls = []
    real = compare.compare

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(compare, "compare", counted)
    return calls


@pytest.mark.parametrize(
    "query",
    ["?fra=0001&til=2", "?til=2&fra=1", "?fra=1&til=2&x=y", "?fra=1&til=2&fra=1", "?fra=1&til=2&utm_source=a"],
)
def test_a_non_canonical_query_redirects_without_comparing(client, versions, monkeypatch, query):
    first, second = versions

    def refuse(*args, **kwargs):
        raise AssertionError("compared before redirecting")

    monkeypatch.setattr(compare, "compare", refuse)
    from app.signoff import integrity

    monkeypatch.setattr(integrity, "json_intact", refuse)  # no record is even read
    for base in (f"/vurderinger/{second.public_id}/aendringer", f"/api/v1/vurderinger/{second.public_id}/aendringer"):
        response = client.get(base + query)
        assert response.status_code == 301, (base, query)
        assert response.headers["Location"].endswith(f"{base}?fra=1&til=2"), (base, query)
    # The redirect is no promise: a bad value is still refused before anything is compared.
    assert client.get(f"/vurderinger/{second.public_id}/aendringer?fra=01&til=x").status_code == 400


@pytest.mark.parametrize("app_overrides", [{"PUBLIC_PAGE_CACHE": False}])
def test_a_comparison_is_computed_once_per_pair_of_records_and_language(client, versions, compare_calls):
    first, second = versions
    page = f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2"
    api = f"/api/v1/vurderinger/{second.public_id}/aendringer?fra=1&til=2"
    first_page = client.get(page)
    assert first_page.status_code == 200 and len(compare_calls) == 1
    assert client.get(page).get_data() == first_page.get_data() and len(compare_calls) == 1
    assert client.get(api).status_code == 200 and len(compare_calls) == 1  # the API reads Danish too
    client.get(f"/vurderinger/{second.public_id}/aendringer?fra=2&til=1")
    assert len(compare_calls) == 2  # another direction, another comparison
    client.get("/sprog/en")
    client.get(page)
    assert len(compare_calls) == 3  # the labels are read in the reader's language
    assert client.get(api).status_code == 200 and len(compare_calls) == 3


@pytest.mark.parametrize("app_overrides", [{"PUBLIC_PAGE_CACHE": False}])
def test_a_cached_comparison_is_not_shown_for_a_record_that_fails_its_hash(client, versions, compare_calls):
    first, second = versions
    from test_backup_and_verify import tamper

    url = f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2"
    assert client.get(url).status_code == 200
    swap = "replace(canonical_json, 'Borgere med demens', 'Borgere uden demens')"
    tamper(f"UPDATE signed_record SET canonical_json = {swap} WHERE id = {first.signed_record.id}")  # noqa: S608
    db.session.expire_all()
    response = client.get(url)
    assert response.status_code == 409 and len(compare_calls) == 1


def test_the_comparison_cache_is_bounded_by_size():
    from app.public.cache import PageCache

    cache = PageCache(max_entries=10, max_weight=100)
    cache.put("a", "A", weight=60)
    cache.put("b", "B", weight=30)
    cache.put("c", "C", weight=30)  # 120 > 100: the oldest goes
    assert cache.get("a") is None and cache.get("b") == "B" and cache.weight == 60
    cache.put("huge", "H", weight=101)  # heavier than the whole bound: not kept
    assert cache.get("huge") is None and cache.weight == 60


def test_the_api_gives_the_same_comparison(client, versions):
    first, second = versions
    response = client.get(f"/api/v1/vurderinger/{second.public_id}/aendringer?fra=1&til=2")
    assert response.status_code == 200
    body = response.get_json()
    assert body["from"]["version"] == 1 and body["to"]["version"] == 2
    assert body["from"]["json_sha256"] == first.signed_record.json_sha256
    problem = next(c for c in body["changes"] if c["path"] == ["proposal", "problem"])
    assert problem["label"] == "Hvilket problem skal løses?" and problem["change"] == "changed"
    assert {"op": "insert", "text": " ofte"} in problem["words"]
    assert body["changed"] == len(body["changes"]) and body["unchanged"] > 0
    assert body["links"]["html"].endswith(f"/vurderinger/{second.public_id}/aendringer?fra=1&til=2")
    # Open data stays Danish for an English reader.
    client.get("/sprog/en")
    english = client.get(f"/api/v1/vurderinger/{second.public_id}/aendringer?fra=1&til=2").get_json()
    assert next(c for c in english["changes"] if c["path"][0] == "questions")["label"] == "Udvalgets svar"


def test_the_api_answers_match_the_openapi_document(client, versions):
    import jsonschema
    from test_openapi_responses import documented_statuses, validate

    spec = client.get("/api/v1/openapi.json").get_json()
    path = "/api/v1/vurderinger/{public_id}/aendringer"
    first, second = versions
    base = f"/api/v1/vurderinger/{second.public_id}/aendringer"
    for query, status in [
        ("?fra=1&til=2", "200"),
        ("?fra=2&til=1", "200"),
        ("?fra=x&til=2", "400"),
        ("?fra=1&til=9", "404"),
    ]:
        response = client.get(base + query)
        assert str(response.status_code) == status and status in documented_statuses(spec, path), query
        validate(spec, path, status, response.get_json())
    assert str(client.get(base).status_code) in documented_statuses(spec, path)  # 302 to the plain query
    body = client.get(base + "?fra=1&til=2").get_json()
    assert any(change["words"] for change in body["changes"])  # the word schema was applied
    body["changes"][0]["words"] = [{"op": "replace", "text": "x"}]
    with pytest.raises(jsonschema.ValidationError):
        validate(spec, path, "200", body)


def test_the_page_cuts_long_unchanged_text_beside_a_change(app):
    before = " ".join(f"ord{n}" for n in range(400))
    after = before.replace("ord200", "nyt200")
    change = record_diff.compare(
        {"proposal": [_item("problem", before)]}, {"proposal": [_item("problem", after)]}
    ).changes[0]
    assert words(change.words) == (before, after)  # the data keeps every word
    shown = change.shown_words
    assert [op for op, _ in shown] == ["skip", "equal", "delete", "insert", "equal", "skip"]
    assert sum(len(text) for op, text in shown if op == "equal") <= 2 * word_diff.KEEP_AROUND + 2
    assert shown[1][1].endswith("ord199 ") or shown[1][1].endswith("ord199")
    assert word_diff.abridged((("equal", "kort "), ("insert", "ord"))) == [("equal", "kort "), ("insert", "ord")]
