"""Every setting the app reads is defined in app/config.py and described in the README, and
production refuses the sample secret key.

The scan reads the source, so a new `current_app.config.get("X")` or `os.environ.get("X")`
anywhere in app/ (or gunicorn.conf.py) fails here until config.py and the README have it.
"""

import re
from pathlib import Path

import pytest

from app import config as app_config
from app import create_app
from app.config import SAMPLE_SECRET_KEY, ConfigError

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

CONFIG_READ = re.compile(r"""config(?:\[\s*|\.get\(\s*)["']([A-Z][A-Z0-9_]+)["']""")
ENV_READ = re.compile(
    r"""(?:environ(?:\.get\(\s*|\[\s*)|getenv\(\s*|_flag\(\s*|_whole_number\(\s*)["']([A-Z][A-Z0-9_]+)["']"""
)

# Config keys the app reads that are not operators' settings, and why.
NOT_SETTINGS = {
    "WTF_CSRF_FIELD_NAME": "Flask-WTF's own setting, left at its default",
    "SQLALCHEMY_ENGINE_OPTIONS": "built by config.py from the database settings",
    "RATELIMIT_ENABLED": "Flask-Limiter's switch, always on; only the test suite turns it off",
}
# Config keys the README names by their environment variable.
README_NAME = {
    "ENV_NAME": "ETIKDIALOG_ENV",
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL",
    "SESSION_COOKIE_NAME": "SESSION_COOKIE_SECURE",  # __Host-etikdialog exactly when cookies are secure
}
# Environment variables that are not settings: Flask's CLI sets this one for its commands.
NOT_SETTING_VARIABLES = {"FLASK_RUN_FROM_CLI"}


def reads(pattern: re.Pattern, files) -> dict[str, str]:
    """Each name the pattern finds, with the first file that reads it."""
    found: dict[str, str] = {}
    for path in files:
        for name in pattern.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, path.name)
    return found


def app_sources():
    return sorted((ROOT / "app").rglob("*.py"))


def in_readme(name: str) -> bool:
    return f"`{name}`" in README


def test_the_scan_finds_every_way_a_setting_is_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'a = current_app.config.get("ONE", 2)\nb = app.config["TWO"]\nc = config.get( "THREE")\n'
        'd = os.environ.get("FOUR")\ne = os.environ["FIVE"]\nf = _flag("SIX")\n'
        'g = _whole_number("SEVEN", 1)\nh = os.getenv("EIGHT")\n',
        encoding="utf-8",
    )
    assert set(reads(CONFIG_READ, [sample])) == {"ONE", "TWO", "THREE"}
    assert set(reads(ENV_READ, [sample])) == {"FOUR", "FIVE", "SIX", "SEVEN", "EIGHT"}


def test_the_scan_sees_the_settings_the_issue_named():
    keys = reads(CONFIG_READ, app_sources())
    assert {"SIGNATORIES_REQUIRED", "ARGON2_PARAMS", "PUBLIC_PAGE_CACHE"} <= set(keys)


def test_every_config_key_the_app_reads_is_defined_in_config_py(monkeypatch):
    monkeypatch.delenv("ETIKDIALOG_ENV", raising=False)
    defined = set(app_config.from_environment())
    missing = {
        key: where
        for key, where in reads(CONFIG_READ, app_sources()).items()
        if key not in defined and key not in NOT_SETTINGS
    }
    assert missing == {}, f"read by the app but not defined in app/config.py: {missing}"


def test_every_config_key_the_app_reads_is_in_the_readme():
    missing = {
        key: where
        for key, where in reads(CONFIG_READ, app_sources()).items()
        if key not in NOT_SETTINGS and not in_readme(README_NAME.get(key, key))
    }
    assert missing == {}, f"read by the app but not in the README's settings: {missing}"


def test_every_environment_variable_read_is_in_the_readme():
    files = [*app_sources(), ROOT / "gunicorn.conf.py"]
    missing = {
        name: where
        for name, where in reads(ENV_READ, files).items()
        if name not in NOT_SETTING_VARIABLES and not in_readme(name)
    }
    assert missing == {}, f"read from the environment but not in the README: {missing}"


def test_the_sample_environment_file_holds_the_refused_placeholder():
    sample = (ROOT / "deploy" / "etikdialog.env.example").read_text(encoding="utf-8")
    assert f"SECRET_KEY={SAMPLE_SECRET_KEY}\n" in sample
    assert len(SAMPLE_SECRET_KEY) >= 32  # why the length check alone let it through


@pytest.mark.parametrize("key", [SAMPLE_SECRET_KEY, "change-me-" + "x" * 40])
def test_production_refuses_the_sample_secret_key(monkeypatch, tmp_path, key):
    monkeypatch.setenv("ETIKDIALOG_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_signatories_and_argon2_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SIGNATORIES_REQUIRED", "3")
    monkeypatch.setenv("ARGON2_PARAMS", "time_cost=4, memory_cost=65536,parallelism=2")
    config = app_config.from_environment()
    assert config["SIGNATORIES_REQUIRED"] == 3
    assert config["ARGON2_PARAMS"] == {"time_cost": 4, "memory_cost": 65536, "parallelism": 2}
    monkeypatch.delenv("ARGON2_PARAMS")
    monkeypatch.delenv("SIGNATORIES_REQUIRED")
    config = app_config.from_environment()
    assert (config["SIGNATORIES_REQUIRED"], config["ARGON2_PARAMS"]) == (2, None)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ARGON2_PARAMS", "time_cost=3", "time_cost, memory_cost and parallelism"),
        ("ARGON2_PARAMS", "time_cost=3,memory=1,parallelism=1", "must look like"),
        ("ARGON2_PARAMS", "time_cost=-3,memory_cost=65536,parallelism=4", "must look like"),
        ("SIGNATORIES_REQUIRED", "to", "whole number"),
        ("SIGNATORIES_REQUIRED", "0", "at least 1"),
    ],
)
def test_bad_settings_stop_start_up_with_a_message(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"TESTING": True})
