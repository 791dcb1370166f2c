"""The citizens' portal: publication, search, the detail page, the PDF, verification, no leaks."""

import io

import pytest
from assessment_factories import make_assessment, make_published, make_signed
from factories import make_org, make_user
from sqlalchemy import func, select

from app.assessments import services as assessment_services
from app.extensions import db
from app.public import services
from app.public.models import Publication


def withdraw(assessment, reason="Leverandøren er gået konkurs."):
    admin = make_user(assessment.organisation, role="admin")
    assessment_services.transition(assessment, "withdraw", user=admin, reason=reason)
    db.session.commit()


# --- Publication through the state table ------------------------------------------------------


def test_publishing_needs_an_admin(app):
    assessment = make_signed()
    editor = make_user(assessment.organisation, role="editor")
    with pytest.raises(assessment_services.NotAllowed):
        assessment_services.transition(assessment, "publish", user=editor)
    assert db.session.scalar(select(func.count(Publication.id))) == 0


def test_publishing_fills_the_listing_row_from_the_frozen_record(published):
    publication = services.get(published.public_id)
    assert publication.title == "Nattilsyn med sensorer"
    assert publication.organisation_name == "Aarhus Kommune"
    assert publication.signed_record_id == published.signed_record.id
    assert publication.decision == "anbefales_med_betingelser"


def test_withdrawal_needs_a_reason_and_leaves_a_notice(client, published):
    admin = make_user(published.organisation, role="admin")
    with pytest.raises(assessment_services.TransitionBlocked, match="begrundelse"):
        assessment_services.transition(published, "withdraw", user=admin, reason="  ")
    withdraw(published)
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert "Vurderingen er trukket tilbage" in page
    assert "Leverandøren er gået konkurs." in page
    assert "Udvalgets svar" not in page  # the notice stands in place of the content
    assert published.public_id not in client.get("/vurderinger").get_data(as_text=True)
    assert client.get(f"/vurderinger/{published.public_id}.pdf").status_code == 200  # kept for checking


def test_a_new_version_replaces_the_old_and_both_link(client, published):
    editor = make_user(published.organisation, role="editor")
    newer = assessment_services.reopen(published, user=editor)
    db.session.commit()
    from assessment_factories import sign_off

    signers = [make_user(published.organisation, role="member"), make_user(published.organisation, role="admin")]
    sign_off(newer, editor, signers)
    assessment_services.transition(newer, "publish", user=signers[1])
    db.session.commit()
    old_page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    assert "Der findes en nyere version" in old_page
    assert f"/vurderinger/{newer.public_id}" in old_page
    new_page = client.get(f"/vurderinger/{newer.public_id}").get_data(as_text=True)
    assert f"/vurderinger/{published.public_id}" in new_page  # the versions list links back
    # wherever the old version is listed it is marked, the front page shows the one in force,
    # and the API's list says which replaced which
    listing = client.get("/vurderinger").get_data(as_text=True)
    assert listing.count("Erstattet af version 2") == 1
    front = client.get("/").get_data(as_text=True)
    assert f"/vurderinger/{newer.public_id}" in front and f"/vurderinger/{published.public_id}" not in front
    items = {i["public_id"]: i for i in client.get("/api/v1/vurderinger").get_json()["items"]}
    assert (items[published.public_id]["status"], items[published.public_id]["replaced_by"]) == (
        "replaced",
        newer.public_id,
    )
    assert (items[newer.public_id]["status"], items[newer.public_id]["replaced_by"]) == ("published", None)


# --- Pages -----------------------------------------------------------------------------------


def test_front_page_shows_the_latest_and_a_search_box(client, published):
    page = client.get("/").get_data(as_text=True)
    assert "Nattilsyn med sensorer" in page
    assert 'name="q"' in page


def test_detail_page_puts_the_declaration_first(client, published):
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    declaration = page.index("Kort fortalt")
    assert declaration < page.index('id="beslutning"') < page.index('id="spoergsmaal"')
    assert "Kan jeg sige nej, og hvad får jeg i stedet?" in page
    assert published.signed_record.verification_code in page
    assert published.signed_record.pdf_sha256 in page


def test_unknown_ids_and_unpublished_assessments_give_404(client, app):
    signed = make_signed()
    for url in [
        "/vurderinger/findes-ikke",
        f"/vurderinger/{signed.public_id}",
        f"/vurderinger/{signed.public_id}.pdf",
        "/teknologier/findes-ikke",
    ]:
        assert client.get(url).status_code == 404, url


def test_technology_page_lists_every_municipalitys_assessments(client, app):
    first = make_published(make_org("Aarhus Kommune"), title="Sensorer i Aarhus")
    make_published(make_org("Odense Kommune"), title="Sensorer i Odense")
    page = client.get(f"/teknologier/{first.technology_category}").get_data(as_text=True)
    assert "Sensorer i Aarhus" in page and "Sensorer i Odense" in page
    assert "Odense Kommune" in page


def test_accessibility_statement(client):
    page = client.get("/tilgaengelighed").get_data(as_text=True)
    assert "Tilgængelighedserklæring" in page
    assert "was.digst.dk" in page


# --- Search and filters ----------------------------------------------------------------------


def titles(client, query: str) -> str:
    response = client.get(f"/vurderinger{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_search_finds_words_in_title_proposal_and_deliberation(client, app):
    make_published(title="Robotstøvsugere på plejecentret", technology_description="Rengøring om natten")
    make_published(title="Spiserobot", problem="Borgere vil gerne spise selv uden hjælp fra personalet.")
    assert "Robotstøvsugere" in titles(client, "?q=rengøring")
    page = titles(client, "?q=spise+selv")
    assert "Spiserobot" in page and "Robotstøvsugere" not in page
    assert "1 vurdering" in page


def test_a_word_of_three_letters_or_more_finds_the_start_of_words_and_a_shorter_one_whole_words(client, app):
    make_published(title="Robotsæl i dagtilbud")
    make_published(title="AI i visitationen")
    make_published(title="Aids til hjemmeplejen")
    assert "Robotsæl" in titles(client, "?q=rob")  # the start of a word, as long as there is one
    page = titles(client, "?q=ro")  # two letters: only the whole word "ro"
    assert "Robotsæl" not in page and "0 vurderinger" in page
    page = titles(client, "?q=ai")
    assert "AI i visitationen" in page and "Aids til" not in page


def test_search_keeps_danish_letters_distinct(client, app):
    make_published(title="Tryghed med sår")
    make_published(title="Tryghed med sar")
    page = titles(client, "?q=sår")
    assert "Tryghed med sår" in page
    assert "Tryghed med sar<" not in page


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "*",
        "%",
        "NEAR(a b)",
        "a OR b AND NOT c",
        "x" * 5000,
        "'; DROP TABLE publication; --",
        "sensor:*",
        "&|!()",
        "\\",
        "_",
    ],
)
def test_any_search_string_gives_a_page_never_a_500(client, published, query):
    response = client.get("/vurderinger", query_string={"q": query})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Publication.id))) == 1


def test_nothing_matching_gives_a_clear_page(client, published):
    page = titles(client, "?q=zzzyyyxxx")
    assert "0 vurderinger" in page
    assert "Ingen vurderinger passer på din søgning" in page


def test_filters_narrow_the_list_and_unknown_values_are_ignored(client, app):
    aarhus = make_published(make_org("Aarhus Kommune"), title="Vurdering fra Aarhus")
    make_published(make_org("Odense Kommune"), title="Vurdering fra Odense")
    page = titles(client, f"?kommune={aarhus.organisation.slug}")
    assert "Vurdering fra Aarhus" in page and "Vurdering fra Odense" not in page
    year = aarhus.signed_record.signed_at.year
    assert "Vurdering fra Odense" in titles(client, f"?aar={year}&beslutning=anbefales_med_betingelser")
    assert "0 vurderinger" in titles(client, "?beslutning=anbefales_ikke")
    page = titles(client, "?aar=abc&beslutning=nonsense")
    assert "Vurdering fra Aarhus" in page and "Vurdering fra Odense" in page
    assert "Vurdering fra Odense" in titles(client, "?aar=abc&beslutning=nonsense&ukendt=1")


def test_pages_out_of_range_give_the_last_page(client, app):
    for number in range(3):
        make_published(title=f"Vurdering {number}")
    result = services.search(services.Filters(), page=99, per_page=2)
    assert (result.page, result.pages, len(result.items)) == (2, 2, 1)
    for side in ["99", "-1", "abc", "1" * 40]:
        assert client.get(f"/vurderinger?side={side}").status_code == 200


# --- The PDF ---------------------------------------------------------------------------------


def test_the_pdf_is_the_stored_bytes_with_etag_and_long_cache(client, published):
    response = client.get(f"/vurderinger/{published.public_id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data == bytes(published.signed_record.pdf)
    assert response.headers["ETag"] == f'"{published.signed_record.pdf_sha256}"'
    assert "max-age=31536000" in response.headers["Cache-Control"]
    again = client.get(f"/vurderinger/{published.public_id}.pdf", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


# --- Verification ----------------------------------------------------------------------------


def test_verification_by_code_forgives_case_and_dashes(client, published):
    code = published.signed_record.verification_code
    for given in [code, code.lower(), code.replace("-", "")]:
        page = client.get("/verificer", query_string={"kode": given}).get_data(as_text=True)
        assert "Koden passer til en underskrevet vurdering" in page, given
        assert published.signed_record.pdf_sha256 in page


def test_verification_of_an_unknown_or_unpublished_code_is_no_match(client, published):
    signed = make_signed()
    for code in ["AAAA-BBBB-CCCC", signed.signed_record.verification_code, "<script>", "x" * 500]:
        page = client.get("/verificer", query_string={"kode": code}).get_data(as_text=True)
        assert "Ingen match" in page
        assert "<script>" not in page


def upload(client, data: bytes, name="dokument.pdf"):
    return client.post("/verificer", data={"document": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_verification_by_upload_matches_the_exact_bytes_only(client, published):
    pdf = bytes(published.signed_record.pdf)
    assert "Dokumentet er ægte" in upload(client, pdf).get_data(as_text=True)
    changed = pdf[:-10] + bytes([pdf[-10] ^ 1]) + pdf[-9:]
    page = upload(client, changed).get_data(as_text=True)
    assert "Ingen match" in page and "Dokumentet er ægte" not in page


def test_an_upload_that_is_not_a_pdf_is_refused_politely(client, published):
    response = upload(client, b"GIF89a not a pdf", name="billede.gif")
    assert response.status_code == 422
    assert "Filen er ikke en PDF" in response.get_data(as_text=True)
    response = client.post("/verificer", data={}, content_type="multipart/form-data")
    assert "Vælg den PDF-fil" in response.get_data(as_text=True)


def test_an_upload_over_the_limit_is_refused(client, app, published):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(client, b"%PDF-" + b"0" * 4096)
    assert response.status_code == 413
    assert "20 MB" in response.get_data(as_text=True)


def test_verification_reports_a_tampered_record(client, published):
    from sqlalchemy import text

    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TRIGGER signed_record_no_update"))
    else:
        connection.execute(text("ALTER TABLE signed_record DISABLE TRIGGER signed_record_no_change"))
    connection.execute(text("UPDATE signed_record SET canonical_json = replace(canonical_json, 'a', 'b')"))
    if connection.dialect.name != "sqlite":
        connection.execute(text("ALTER TABLE signed_record ENABLE TRIGGER signed_record_no_change"))
    db.session.commit()
    db.session.expire_all()
    page = client.get("/verificer", query_string={"kode": published.signed_record.verification_code})
    assert "Det gemte dokument er ændret" in page.get_data(as_text=True)


# --- Nothing unpublished leaks ---------------------------------------------------------------

PUBLIC_PAGES = ["/", "/vurderinger", "/vurderinger?q=hemmelig", "/teknologier", "/tilgaengelighed", "/verificer"]


@pytest.mark.parametrize("stage", ["draft", "deliberation", "awaiting_signoff", "signed"])
def test_no_public_page_shows_an_unpublished_assessment(client, app, stage):
    org = make_org("Hemmelig Kommune")
    if stage == "signed":
        hidden = make_signed(org, title="Hemmelig vurdering")
    else:
        from assessment_factories import answer_everything

        editor = make_user(org, role="editor")
        hidden = make_assessment(editor, title="Hemmelig vurdering")
        answer_everything(hidden, editor)
        if stage in ("deliberation", "awaiting_signoff"):
            assessment_services.transition(hidden, "start_deliberation", user=editor)
        if stage == "awaiting_signoff":
            from app.signoff import services as signoff

            signoff.name_signatories(
                hidden, [make_user(org, role="member").id, make_user(org, role="admin").id], user=editor
            )
            assessment_services.transition(hidden, "request_signoff", user=editor)
        db.session.commit()
    make_published(title="Offentlig vurdering")
    urls = [
        *PUBLIC_PAGES,
        f"/teknologier/{hidden.technology_category}",
        f"/vurderinger/{hidden.public_id}",
        f"/vurderinger/{hidden.public_id}.pdf",
    ]
    for url in urls:
        body = client.get(url).get_data(as_text=True)
        assert "Hemmelig" not in body, url
        assert hidden.public_id not in body, url
    assert "Offentlig vurdering" in client.get("/vurderinger").get_data(as_text=True)


def test_cached_facets_and_total_follow_each_publication_and_withdrawal(client):
    make_published(make_org("Aarhus Kommune"))
    page = client.get("/vurderinger").get_data(as_text=True)
    assert "1 vurdering" in page and "Odense Kommune" not in page
    odense = make_published(make_org("Odense Kommune"))
    page = client.get("/vurderinger").get_data(as_text=True)
    assert "2 vurderinger" in page and "Odense Kommune" in page
    assessment_services.transition(
        odense, "withdraw", user=make_user(odense.organisation, role="admin"), reason="Forkert leverandør"
    )
    db.session.commit()
    page = client.get("/vurderinger").get_data(as_text=True)
    assert "1 vurdering" in page and "Odense Kommune" not in page


def test_the_minutes_address_is_a_link(client, published):
    """Issue 34: the decision's minutes are one click away, in the declaration and the proposal."""
    page = client.get(f"/vurderinger/{published.public_id}").get_data(as_text=True)
    link = '<a href="https://kommune.example/dagsorden/2026-03-02#punkt-7" rel="noopener noreferrer">'
    assert page.count(link) >= 2
