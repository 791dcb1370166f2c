"""The shared cache (Flask-Caching, CACHE_URL): /verificer's findings by the PDF's SHA-256, and the
record fragments in Redis when RECORD_FRAGMENT_STORE=cache (app/public/fragments.py).

The Redis tests use the server on 127.0.0.1:6379 under a key prefix of their own, and skip with a
reason when none answers (CI's machine may have none)."""

import io
import secrets

import pytest
from conftest import make_app
from flask import template_rendered
from sqlalchemy import func, select
from test_deployment_docs import redis_answers

from app import config as app_config
from app.extensions import cache, db
from app.public import fragments, verification
from app.public.models import Publication, RecordFragment
from app.signoff.canonical import sha256_hex
from app.signoff.models import SignedRecord

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_prefix():
    """A key prefix of the test's own on the local Redis, removed afterwards."""
    if not redis_answers():
        pytest.skip("no Redis server answers on 127.0.0.1:6379 (or the redis client is not installed)")
    import redis

    prefix = f"etikdialog-test-{secrets.token_hex(6)}:"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def upload(client, data: bytes):
    return client.post(
        "/verificer", data={"document": (io.BytesIO(data), "vurdering.pdf")}, content_type="multipart/form-data"
    )


@pytest.fixture
def signature_checks(monkeypatch):
    """How often the PDF's signature was checked (the costly part the cache saves)."""
    calls = []
    original = verification.findings.check_signature

    def counted(pdf, roots):
        calls.append(len(pdf))
        return original(pdf, roots)

    monkeypatch.setattr(verification.findings, "check_signature", counted)
    return calls


# --- settings -------------------------------------------------------------------------------


def test_the_cache_url_chooses_the_backend(tmp_path):
    assert app_config.cache_settings("")["CACHE_TYPE"] == "SimpleCache"
    redis_settings = app_config.cache_settings("redis://cache.internal:6379/2")
    assert redis_settings["CACHE_TYPE"] == "RedisCache"
    assert redis_settings["CACHE_REDIS_URL"] == "redis://cache.internal:6379/2"
    files = app_config.cache_settings(f"file://{tmp_path}")
    assert (files["CACHE_TYPE"], files["CACHE_DIR"]) == ("FileSystemCache", str(tmp_path))
    with pytest.raises(app_config.ConfigError, match="absolute directory"):
        app_config.cache_settings("file://relative/dir")


def test_cache_url_is_checked_from_the_environment(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://127.0.0.1:11211")
    with pytest.raises(app_config.ConfigError, match="CACHE_URL"):
        app_config.from_environment()
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/0")
    assert app_config.from_environment()["CACHE_URL"] == "redis://127.0.0.1:6379/0"


def test_fragments_in_the_cache_need_redis():
    with pytest.raises(app_config.ConfigError, match="RECORD_FRAGMENT_STORE=cache"):
        app_config.check({"RECORD_FRAGMENT_STORE": "cache", "CACHE_URL": ""})
    app_config.check({"RECORD_FRAGMENT_STORE": "cache", "CACHE_URL": REDIS_URL})  # accepted
    app_config.check({"RECORD_FRAGMENT_STORE": "database", "CACHE_URL": ""})


# --- /verificer findings in the shared cache -------------------------------------------------


def test_findings_are_kept_by_the_pdf_hash_in_the_shared_cache(app, client, published, signature_checks):
    frozen = db.session.scalar(select(SignedRecord))
    pdf = bytes(frozen.pdf)
    first = upload(client, pdf)
    assert first.status_code == 200 and signature_checks == [len(pdf)]
    second = upload(client, pdf)
    assert signature_checks == [len(pdf)]  # the second reader gets the kept findings
    assert second.data == first.data
    key = verification.findings_key(
        sha256_hex(pdf), sha256_hex(frozen.canonical_json.encode("utf-8")), sha256_hex(verification.roots_pem())
    )
    assert frozen.pdf_sha256 in key and cache.get(key) is not None


def test_a_cache_that_fails_costs_only_the_check(app, client, published, signature_checks, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    frozen = db.session.scalar(select(SignedRecord))
    response = upload(client, bytes(frozen.pdf))
    assert response.status_code == 200 and len(signature_checks) == 1
    assert frozen.verification_code.encode() in response.data


# --- Redis: shared by every worker --------------------------------------------------------------


@pytest.fixture
def app_overrides(request):
    if "redis_prefix" not in request.fixturenames:
        return {}
    prefix = request.getfixturevalue("redis_prefix")
    return {
        "PUBLIC_PAGE_CACHE": False,
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
        "RECORD_FRAGMENT_STORE": "cache",
    }


def another_worker(tmp_path, postgres_schema, overrides):
    """A second app on the same database and Redis: what another gunicorn worker is."""
    return make_app(tmp_path, postgres_schema, **overrides)


def test_findings_are_shared_through_redis(
    redis_prefix, app, published, signature_checks, tmp_path, postgres_schema, app_overrides
):
    frozen = db.session.scalar(select(SignedRecord))
    pdf = bytes(frozen.pdf)
    assert upload(app.test_client(), pdf).status_code == 200
    assert len(signature_checks) == 1
    other = another_worker(tmp_path, postgres_schema, app_overrides)
    with other.app_context():
        response = upload(other.test_client(), pdf)
    assert response.status_code == 200 and frozen.verification_code.encode() in response.data
    assert len(signature_checks) == 1  # the other worker read what the first one found
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    assert any(frozen.pdf_sha256.encode() in key for key in client.scan_iter(match=redis_prefix + "*"))
    client.close()


def test_fragments_live_in_redis_and_the_page_is_a_full_render(
    redis_prefix, app, client, published, tmp_path, postgres_schema, app_overrides
):
    rendered = []

    def record(sender, template, context, **extra):
        if template.name == fragments.TEMPLATE:
            rendered.append(context["record"]["public_id"])

    public_id = db.session.scalar(select(Publication.public_id))
    app.config["RECORD_FRAGMENTS"] = False
    full = client.get(f"/vurderinger/{public_id}").data
    app.config["RECORD_FRAGMENTS"] = True
    template_rendered.connect(record, app)
    try:
        cold = client.get(f"/vurderinger/{public_id}").data
        assert rendered == [public_id]
        assert db.session.scalar(select(func.count(RecordFragment.key))) == 0  # not in the table
        store = fragments.RedisStore.of(app)
        assert store.stored_bytes() > 0
    finally:
        template_rendered.disconnect(record, app)
    other = another_worker(tmp_path, postgres_schema, app_overrides)
    other_rendered = []

    def other_record(sender, template, context, **extra):
        if template.name == fragments.TEMPLATE:
            other_rendered.append(template.name)

    template_rendered.connect(other_record, other)
    try:
        with other.app_context():
            warm = other.test_client().get(f"/vurderinger/{public_id}").data
    finally:
        template_rendered.disconnect(other_record, other)
    assert other_rendered == []  # read from Redis, not rendered again
    assert cold == full and warm == full


def test_fragments_in_redis_are_bounded_by_bytes(redis_prefix, app):
    app.config["RECORD_FRAGMENT_MAX_BYTES"] = 10_000
    store = fragments.RedisStore.of(app)
    for number in range(5):
        assert store.put(f"key-{number}", "æ" * 1500 + str(number)) in (0, 1, 2)  # 3,001 bytes each
    assert store.stored_bytes() <= 10_000
    assert store.get("key-0") is None and store.get("key-1") is None  # the oldest went first
    assert store.get("key-4") == "æ" * 1500 + "4"
    assert store.put("key-4", "other bytes") == 0 and store.get("key-4") == "æ" * 1500 + "4"  # kept as written
    app.config["RECORD_FRAGMENT_MAX_BYTES"] = 3_001
    assert store.evict() == 2
    assert store.stored_bytes() == 3_001 and store.get("key-4") is not None


def test_an_unreachable_redis_costs_a_render_not_the_page(app, client, published):
    app.config.update(
        {"CACHE_URL": "redis://127.0.0.1:9/0", "CACHE_KEY_PREFIX": "none:", "RECORD_FRAGMENT_STORE": "cache"}
    )
    app.config["PUBLIC_PAGE_CACHE"] = False
    public_id = db.session.scalar(select(Publication.public_id))
    response = client.get(f"/vurderinger/{public_id}")
    assert response.status_code == 200 and b'id="erklaering"' in response.data
