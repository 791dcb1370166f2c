""" "Få besked, når kommunen svarer" (issue 34): an optional address on the question form, used once
for the answer through a real SMTP server (aiosmtpd on loopback) and then erased; the consent stays."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from assessment_factories import make_published
from factories import login, make_user
from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db
from app.feedback import services
from app.feedback.models import Feedback
from app.public.models import Publication


class Inbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.url = f"smtp://127.0.0.1:{port}"
    yield inbox
    controller.stop()


@pytest.fixture
def app_overrides(smtp_server):
    return {"MAIL_URL": smtp_server.url, "MAIL_FROM": "Etikdialog <noreply@etikdialog.test>"}


@pytest.fixture
def publication(org) -> Publication:
    record = make_published(org, title="Nattilsyn med sensorer")
    return db.session.scalar(select(Publication).where(Publication.assessment_id == record.id))


def ask(client, publication, **values):
    data = {"kind": "spoergsmaal", "body": "Hvor længe gemmes sensordata?", "author_name": "", **values}
    return client.post(f"/vurderinger/{publication.public_id}/spoerg", data=data)


def test_the_answer_is_mailed_once_and_the_address_erased(app, client, org, publication, smtp_server):
    page = client.get(f"/vurderinger/{publication.public_id}/spoerg").get_data(as_text=True)
    assert "Få besked, når kommunen svarer" in page and "sletter så adressen" in page  # form and privacy text
    assert ask(client, publication, notify_email="inge@example.dk", notify_consent="y").status_code == 303
    item = db.session.scalars(select(Feedback)).one()
    assert item.notify_email == "inge@example.dk" and item.notify_consent_at is not None

    editor = make_user(org, role="editor")
    login(client, editor)
    response = client.post(f"/intern/henvendelser/{item.id}/besvar", data={"a-answer": "Data slettes efter 24 timer."})
    assert response.status_code == 302
    assert "Svaret er sendt til borgerens e-mail" in client.get(response.location).get_data(as_text=True)
    [(recipients, mail)] = smtp_server.messages
    assert recipients == ["inge@example.dk"]
    assert mail["Subject"] == "Svar på dit spørgsmål om „Nattilsyn med sensorer“"
    body = mail.get_content()
    assert "Data slettes efter 24 timer." in body and f"/vurderinger/{publication.public_id}" in body
    db.session.expire_all()
    item = db.session.get(Feedback, item.id)
    assert item.notify_email is None and item.notified_at is not None and item.notify_consent_at is not None
    # A changed answer sends nothing more: the address is gone.
    client.post(f"/intern/henvendelser/{item.id}/besvar", data={"a-answer": "Rettet svar."})
    assert len(smtp_server.messages) == 1


def test_an_address_needs_the_consent_and_must_be_an_address(client, publication):
    response = ask(client, publication, notify_email="inge@example.dk")
    assert response.status_code == 422
    assert "Sæt hak ved „Ja, send mig svaret“" in response.get_data(as_text=True)
    response = ask(client, publication, notify_email="ikke en adresse", notify_consent="y")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Skriv en gyldig e-mailadresse" in page
    assert 'value="ikke en adresse"' in page  # what was typed comes back
    response = ask(client, publication, notify_email="a" * 250 + "@x.dk", notify_consent="y")
    assert response.status_code == 422 and "Teksten må højst være 254 tegn." in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Feedback.id))) == 0


def test_a_server_that_fails_keeps_the_answer_and_the_address(app, org, publication):
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens
    item = services.receive(
        publication,
        kind="spoergsmaal",
        body="Spørgsmål",
        author_name="",
        author_organisation="",
        publish_name=False,
        address="192.0.2.1",
        notify_email="inge@example.dk",
    )
    services.answer(item, user=make_user(org, role="editor"), text="Svar")
    db.session.commit()
    assert services.mail_answer(item) is False
    assert item.notify_email == "inge@example.dk" and item.answer == "Svar"


def test_an_unused_address_is_purged_after_30_days(app, publication):
    item = services.receive(
        publication,
        kind="spoergsmaal",
        body="Spørgsmål",
        author_name="",
        author_organisation="",
        publish_name=False,
        address="192.0.2.1",
        notify_email="inge@example.dk",
    )
    item.received_at = utcnow() - timedelta(days=40)
    db.session.commit()
    services.purge_addresses()
    assert item.notify_email is None and item.notify_consent_at is not None


def test_without_a_mail_server_the_form_offers_no_address(app, client, publication):
    app.config["MAIL_URL"] = ""
    page = client.get(f"/vurderinger/{publication.public_id}/spoerg").get_data(as_text=True)
    assert 'name="notify_email"' not in page and "Kommunen beder ikke om din e-mail." in page
