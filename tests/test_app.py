"""The app factory, settings, error pages and /healthz."""

import pytest

from app import create_app
from app.config import DEV_SECRET_KEY, ConfigError, normalise_database_url


def test_factory_takes_overrides(app):
    assert app.testing is True
    assert app.config["PUBLIC_BASE_URL"] == "http://etikdialog.test"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://etik.example.dk/")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.db")
    assert app.config["PUBLIC_BASE_URL"] == "https://etik.example.dk"


def test_sqlite_in_instance_folder_by_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/etikdialog.db")


def test_postgres_urls_use_psycopg():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("key", [None, DEV_SECRET_KEY, "too-short"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_real_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://etik.example.dk")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "writes": "ok"}


def test_healthz_reports_a_broken_database(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "fejl"


def test_unknown_url_gives_danish_404(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.get_data(as_text=True)
    assert '<html lang="da"' in response.get_data(as_text=True)


def test_wrong_method_gives_danish_405(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "Handlingen er ikke tilladt" in response.get_data(as_text=True)


def test_unexpected_error_gives_danish_500(app):
    app.testing = False  # let Flask route the exception to the 500 handler as in production

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.get_data(as_text=True)


def test_the_app_configures_its_own_engine_and_no_other(app, tmp_path):
    """create_app wires the SQLite pragmas and the write watch to the app's engine; an engine that
    something else in the process makes is left as SQLAlchemy makes it (nothing on import)."""
    from sqlalchemy import create_engine, event, text
    from sqlalchemy.engine import Engine

    from app.extensions import db, session_settings

    assert not event.contains(Engine, "connect", session_settings)
    other = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    with other.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 0
    other.dispose()
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert app.extensions["write_health"].failing(300) is False
