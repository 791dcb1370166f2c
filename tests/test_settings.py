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
    r"""(?:environ(?:\.get\(\s*|\[\s*)|getenv\(\s*"""
    r"""|(?:int|float|bool|url|choice)_setting(?:\(\s*|,\s*))["']([A-Z][A-Z0-9_]+)["']"""
)
# The settings read as numbers or on/off (gunicorn.conf.py passes the parser to _setting).
TYPED_READ = re.compile(r"""(?:(?:int|float|bool)_setting(?:\(\s*|,\s*))["']([A-Z][A-Z0-9_]+)["']""")

# Config keys the app reads that are not operators' settings, and why.
NOT_SETTINGS = {
    "WTF_CSRF_FIELD_NAME": "Flask-WTF's own setting, left at its default",
    "SQLALCHEMY_ENGINE_OPTIONS": "built by config.py from the database settings",
    "RATELIMIT_ENABLED": "Flask-Limiter's switch, always on; only the test suite turns it off",
    "CACHE_KEY_PREFIX": "Flask-Caching's own setting (etikdialog:, app.config.cache_settings); tests give their own",
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
        'd = os.environ.get("FOUR")\ne = os.environ["FIVE"]\nf = bool_setting("SIX", False)\n'
        'g = int_setting("SEVEN", 1, maximum=1)\nh = os.getenv("EIGHT")\ni = int_setting("NINE", 1, maximum=2)\n'
        'j = _setting(int_setting, "TEN", 2)\nk = bool_setting( "ELEVEN", True)\nl = url_setting("TWELVE", "")\n'
        'm = float_setting("THIRTEEN", 1.0)\nn = choice_setting("FOURTEEN", "a", ("a",))\n',
        encoding="utf-8",
    )
    assert set(reads(CONFIG_READ, [sample])) == {"ONE", "TWO", "THREE"}
    assert set(reads(ENV_READ, [sample])) == {
        "FOUR",
        "FIVE",
        "SIX",
        "SEVEN",
        "EIGHT",
        "NINE",
        "TEN",
        "ELEVEN",
        "TWELVE",
        "THIRTEEN",
        "FOURTEEN",
    }
    assert set(reads(TYPED_READ, [sample])) == {"SIX", "SEVEN", "NINE", "TEN", "ELEVEN", "THIRTEEN"}


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
        ("ARGON2_PARAMS", "time_cost=1,memory_cost=65536,parallelism=4", "time_cost must be from 2 to 20"),
        ("ARGON2_PARAMS", "time_cost=3,memory_cost=19455,parallelism=4", "memory_cost must be from 19,456"),
        ("ARGON2_PARAMS", "time_cost=3,memory_cost=40960000,parallelism=4", "memory_cost must be from 19,456"),
        ("ARGON2_PARAMS", "time_cost=3,memory_cost=65536,parallelism=0", "parallelism must be from 1 to 64"),
        ("SIGNATORIES_REQUIRED", "to", "is not a whole number"),
        ("SIGNATORIES_REQUIRED", "0", "from 1 to 20"),
    ],
)
def test_bad_settings_stop_start_up_with_a_message(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"TESTING": True})


# --- every number and on/off setting refuses what it cannot use ----------------------------------

# Each numeric or on/off setting with values it must refuse; the scan test below keeps the table
# complete, so a new setting fails here until it has its bad values.
NOT_A_NUMBER = ("abc", "1.5", "-1", "١", "1e3", "10 000")  # "١" is an Arabic-Indic one: isdigit() but not ASCII
WHOLE = {
    "SESSION_IDLE_MINUTES": (*NOT_A_NUMBER, "0", "1441"),
    "SESSION_MAX_HOURS": (*NOT_A_NUMBER, "0", "169"),
    "TRUST_PROXY_HEADERS": (*NOT_A_NUMBER, "yes", "true", "6"),
    "DATABASE_CONNECT_TIMEOUT": (*NOT_A_NUMBER, "61"),
    "DATABASE_STATEMENT_TIMEOUT": (*NOT_A_NUMBER, "3601"),
    "HEALTH_WRITE_FAILURE_SECONDS": (*NOT_A_NUMBER, "604801"),
    "HEALTH_MIN_FREE_MB": (*NOT_A_NUMBER, "10000001"),
    "SIGNATORIES_REQUIRED": (*NOT_A_NUMBER, "0", "21"),
    "SITEMAP_URLS_PER_FILE": (*NOT_A_NUMBER, "0", "50001"),
    "RECORD_FRAGMENT_MAX_BYTES": (*NOT_A_NUMBER, "1000", "1099511627777"),
    "PORT": (*NOT_A_NUMBER, "0", "65536"),
    "FLASK_RUN_PORT": (*NOT_A_NUMBER, "0", "65536"),
    "LOG_WITNESS_QUORUM": (*NOT_A_NUMBER, "1"),  # no witnesses configured: no quorum to ask for
}
GUNICORN_WHOLE = {
    "WEB_CONCURRENCY": (*NOT_A_NUMBER, "0", "65"),
    "GUNICORN_THREADS": (*NOT_A_NUMBER, "0", "65"),
    "GUNICORN_MAX_REQUESTS": (*NOT_A_NUMBER, "1000000001"),
    "TRUST_PROXY_HEADERS": WHOLE["TRUST_PROXY_HEADERS"],
}
DECIMAL = {
    "PDF_RENDER_SECONDS": ("abc", "-5", "0", "61", "nan", "inf", "1,5"),
    "LOG_WITNESS_TIMEOUT": ("abc", "-1", "0", "31", "nan"),
}
ON_OFF = dict.fromkeys(
    (
        "SESSION_COOKIE_SECURE",
        "PUBLIC_PAGE_CACHE",
        "METRICS_ENABLED",
        "SIGNING_DEMO_TSA",
        "SIGNING_LTV",
        "SIGNING_REVOCATION_FETCH",
        "RECORD_FRAGMENTS",
    ),
    ("maybe", "2", "ja", "enabled"),
)
OTHER = {
    "ETIKDIALOG_ENV": ("prod", "test", "staging"),
    "DATABASE_URL": ("instance/etikdialog.db", "mysql://db/etik", "postgresql//db"),
    "RATELIMIT_STORAGE_URI": ("redis", "http://127.0.0.1:6379", "127.0.0.1:6379"),
    "SIGNING_TSA_URL": ("tsa.example", "ftp://tsa.example", "https://"),
    "LOG_WITNESSES": (
        "https://w.example",  # no key
        "ftp://w.example w.example+00000000+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "https://w.example not-a-key",
        "https://w.example w.example+00000000+BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  # wrong key id
    ),
}
BAD = {**WHOLE, **DECIMAL, **ON_OFF, **OTHER}
GOOD = [
    ("SESSION_IDLE_MINUTES", " 45 ", 45),
    ("TRUST_PROXY_HEADERS", "1", 1),
    ("TRUST_PROXY_HEADERS", "", 0),
    ("PDF_RENDER_SECONDS", "2.5", 2.5),
    ("SESSION_COOKIE_SECURE", "Off", False),
    ("SESSION_COOKIE_SECURE", "YES", True),
    ("PUBLIC_PAGE_CACHE", "0", False),
    ("ETIKDIALOG_ENV", "Production", "production"),
    ("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ("DATABASE_URL", "postgres://db/etik", "postgresql+psycopg://db/etik"),
]
CONFIG_KEY = {"ETIKDIALOG_ENV": "ENV_NAME", "DATABASE_URL": "SQLALCHEMY_DATABASE_URI"}


def test_every_number_and_on_off_setting_has_bad_values_here():
    typed = set(reads(TYPED_READ, [ROOT / "app" / "config.py", ROOT / "gunicorn.conf.py"]))
    assert typed == set(WHOLE) | set(GUNICORN_WHOLE) | set(DECIMAL) | set(ON_OFF)


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in BAD.items() for value in values])
def test_a_bad_setting_stops_create_app_with_its_name_and_what_is_allowed(monkeypatch, name, value):
    for unset in ("PUBLIC_BASE_URL", "PORT"):  # without them, the development address reads the ports
        monkeypatch.delenv(unset, raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        create_app({"TESTING": True})
    message = str(refused.value)
    assert message.startswith(f"{name}={value.strip()!r} ")  # the variable and the value, as given
    assert "must" in message  # and what is allowed


@pytest.mark.parametrize(("name", "value", "expected"), GOOD)
def test_good_settings_are_read(monkeypatch, name, value, expected):
    monkeypatch.setenv(name, value)
    assert app_config.from_environment()[CONFIG_KEY.get(name, name)] == expected


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in GUNICORN_WHOLE.items() for value in values[::3]]
)
def test_a_bad_setting_stops_gunicorn_with_its_message(monkeypatch, name, value):
    """gunicorn prints a traceback for any exception in its config file; SystemExit is a message."""
    import runpy

    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as stopped:
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert str(stopped.value.code).startswith(f"Error: {name}={value.strip()!r} ")


def test_gunicorn_reads_its_settings(monkeypatch):
    import runpy

    for name, value in {"WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "4", "GUNICORN_MAX_REQUESTS": "0"}.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (settings["workers"], settings["threads"], settings["max_requests"]) == (3, 4, 0)


def test_a_bad_setting_stops_a_flask_command_with_its_message_not_a_traceback():
    import os
    import subprocess
    import sys

    env = {**os.environ, "SESSION_IDLE_MINUTES": "abc"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "routes"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: SESSION_IDLE_MINUTES='abc' is not a whole number: it must be a whole number from 1 to 1,440."
    )


# --- the sample environment file names every setting production requires --------------------------

SAMPLE = ROOT / "deploy" / "etikdialog.env.example"


def required_in_production() -> set[str]:
    """The settings whose row in the README's table marks them **required** (in production)."""
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|([^|]*)\|", README, re.MULTILINE)
    return {name for name, default in rows if "**required**" in default}


def sample_settings() -> dict[str, str]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def test_the_sample_environment_file_sets_every_setting_production_requires():
    required = required_in_production()
    assert {"ETIKDIALOG_ENV", "SECRET_KEY", "PUBLIC_BASE_URL", "LOG_SIGNING_KEY_FILE"} <= required
    missing = required - set(sample_settings())
    assert missing == set(), f"required in production (README) but not in {SAMPLE.name}: {missing}"
    assert sample_settings()["ETIKDIALOG_ENV"] == "production"


def test_every_setting_in_the_sample_environment_file_is_in_the_readme():
    assert {name for name in sample_settings() if not in_readme(name)} == set()


def test_production_starts_from_the_sample_environment_file_with_its_placeholders_filled(monkeypatch, tmp_path):
    """Only what an operator must fill in is replaced: the secret, the database, the key's path."""
    from app.translog.services import write_key

    write_key(tmp_path / "log.pem")
    filled = {
        "SECRET_KEY": "s" * 48,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}",
        "LOG_SIGNING_KEY_FILE": str(tmp_path / "log.pem"),
    }
    for name, value in (sample_settings() | filled).items():
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.config["ENV_NAME"] == "production" and app.config["PUBLIC_BASE_URL"] == "https://etikdialog.example.dk"
    monkeypatch.delenv("LOG_SIGNING_KEY_FILE")
    with pytest.raises(ConfigError, match="LOG_SIGNING_KEY_FILE"):  # the one the issue found missing
        create_app()
