"""Settings, read from the environment. Every setting the app reads is listed here and in the README."""

import os
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105 - the refused default
# The placeholder in deploy/etikdialog.env.example: long enough to pass a length check, so it is
# refused by name (tests/test_settings.py keeps the two in step).
SAMPLE_SECRET_KEY = "change-me-to-48-random-characters-python-c-import-secrets"  # noqa: S105
ARGON2_NAMES = ("time_cost", "memory_cost", "parallelism")


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which setting and why."""


def normalise_database_url(url: str) -> str:
    """Let operators write the usual postgres:// URL; we always talk to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _whole_number(name: str, default: int) -> int:
    """A whole, non-negative number from the environment (0 switches a timeout off)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isascii() or not value.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def _argon2_params() -> dict | None:
    """ARGON2_PARAMS=time_cost=3,memory_cost=65536,parallelism=4 (memory in KiB); unset, the app
    uses app.accounts.passwords' defaults. Values under OWASP's minimum are refused when hashing."""
    value = os.environ.get("ARGON2_PARAMS", "").strip()
    if not value:
        return None
    params = {}
    for part in value.split(","):
        name, _, number = part.partition("=")
        name, number = name.strip(), number.strip()
        if name not in ARGON2_NAMES or not number.isascii() or not number.isdigit():
            raise ConfigError(
                f"ARGON2_PARAMS must look like time_cost=3,memory_cost=65536,parallelism=4, not {value!r}."
            )
        params[name] = int(number)
    if set(params) != set(ARGON2_NAMES):
        raise ConfigError("ARGON2_PARAMS must give time_cost, memory_cost and parallelism.")
    return params


def _public_base_url(env: str) -> str:
    """The portal's public address (no trailing slash). Unset in development: the address `make run`
    and `flask run` serve (`PORT`, else `FLASK_RUN_PORT`, else 5000); unset in production: empty, and
    `check` refuses to start, because it is frozen into every signed PDF and its QR code."""
    value = os.environ.get("PUBLIC_BASE_URL", "").strip()
    if not value and env != "production":
        port = os.environ.get("PORT", "").strip() or os.environ.get("FLASK_RUN_PORT", "").strip() or "5000"
        value = f"http://127.0.0.1:{port}"
    return value.rstrip("/")


def from_environment() -> dict:
    env = os.environ.get("ETIKDIALOG_ENV", "development").strip().lower()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'etikdialog.db'}"
    secure_cookies = _flag("SESSION_COOKIE_SECURE", default=env == "production")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": _public_base_url(env),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        # The __Host- prefix binds the cookie to this host over HTTPS (Secure, Path=/, no Domain).
        "SESSION_COOKIE_NAME": "__Host-etikdialog" if secure_cookies else "etikdialog",
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": int(os.environ.get("SESSION_MAX_HOURS", "12")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        # Uploads to /verificer are PDFs of at most 20 MB; nothing else is larger.
        "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,
        "TRUST_PROXY_HEADERS": int(os.environ.get("TRUST_PROXY_HEADERS", "0")),
        "WTF_CSRF_TIME_LIMIT": None,
        # A PDF render (draft or final) that runs longer than this stops and says so.
        "PDF_RENDER_SECONDS": float(os.environ.get("PDF_RENDER_SECONDS", "20")),
        # A database that does not answer fails a request within seconds instead of hanging it.
        "DATABASE_CONNECT_TIMEOUT": _whole_number("DATABASE_CONNECT_TIMEOUT", 5),
        "DATABASE_STATEMENT_TIMEOUT": _whole_number("DATABASE_STATEMENT_TIMEOUT", 10),
        # /healthz reports "degraded" for this long after a failed write, and below this free space.
        "HEALTH_WRITE_FAILURE_SECONDS": _whole_number("HEALTH_WRITE_FAILURE_SECONDS", 300),
        "HEALTH_MIN_FREE_MB": _whole_number("HEALTH_MIN_FREE_MB", 200),
        # Rendered public pages kept per process for anonymous readers; off only to measure without it.
        "PUBLIC_PAGE_CACHE": _flag("PUBLIC_PAGE_CACHE", default=True),
        # How many board members sign an assessment before it counts as signed (at least 1).
        "SIGNATORIES_REQUIRED": _whole_number("SIGNATORIES_REQUIRED", 2),
        # Argon2id cost of password hashes; None means app.accounts.passwords' defaults.
        "ARGON2_PARAMS": _argon2_params(),
        # URLs per sitemap file: at most the protocol's 50,000 (lower only to test the split).
        "SITEMAP_URLS_PER_FILE": _whole_number("SITEMAP_URLS_PER_FILE", 50_000),
        # Who hears about due follow-up items: an object with notify(item, overdue=...), given in
        # create_app's config by a deployment's own code; None writes a log line per item.
        "FOLLOWUP_NOTIFIER": None,
        # The transparency log's Ed25519 key (PEM, PKCS#8) that signs its checkpoints. Unset in development:
        # instance/log-signing-key.pem, which `make run` creates (`flask log create-demo-key`).
        "LOG_SIGNING_KEY_FILE": os.environ.get("LOG_SIGNING_KEY_FILE", "").strip()
        or ("" if env == "production" else str(INSTANCE_DIR / "log-signing-key.pem")),
        # PDF signing (issue 19): each municipality's <slug>.p12 and <slug>.pass, and roots.pem.
        "SIGNING_KEYS_DIR": os.environ.get("SIGNING_KEYS_DIR", "").strip() or str(INSTANCE_DIR / "signing"),
        # An RFC 3161 timestamp service: signatures become PAdES B-T; unset, B-B without a timestamp.
        "SIGNING_TSA_URL": os.environ.get("SIGNING_TSA_URL", "").strip(),
        # Flask-Limiter's switch: always on; only the test suite turns it off.
        "RATELIMIT_ENABLED": True,
    }


def engine_options(config) -> dict:
    """SQLAlchemy engine options: the configured ones plus what every engine must have.

    Error messages and logs show a statement's shape, never its parameters (people's draft text).
    PostgreSQL gets a connect timeout and, outside `flask` commands, a statement timeout; SQLite a
    busy timeout.
    """
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options["hide_parameters"] = True
    connect_args = dict(options.get("connect_args") or {})
    url = config.get("SQLALCHEMY_DATABASE_URI") or ""
    connect_timeout, statement_timeout = config["DATABASE_CONNECT_TIMEOUT"], config["DATABASE_STATEMENT_TIMEOUT"]
    if url.startswith("postgresql"):
        if connect_timeout:
            connect_args.setdefault("connect_timeout", max(2, connect_timeout))  # libpq's minimum is 2
        # Commands (`flask export`, `import`, `db upgrade`) may run long statements on purpose.
        if statement_timeout and os.environ.get("FLASK_RUN_FROM_CLI") != "true":
            setting = f"-c statement_timeout={int(statement_timeout * 1000)}"
            connect_args["options"] = f"{connect_args.get('options', '')} {setting}".strip()
    elif url.startswith("sqlite"):
        connect_args.setdefault("timeout", statement_timeout or 5)  # how long to wait for a lock
    options["connect_args"] = connect_args
    return options


def check_log_signing_key(config) -> None:
    """Production signs the transparency log's checkpoints, so it needs the key file (issue 19)."""
    if config.get("ENV_NAME") != "production":
        return
    path = config.get("LOG_SIGNING_KEY_FILE") or ""
    if not path or not Path(path).is_file():
        raise ConfigError(
            "LOG_SIGNING_KEY_FILE must name the transparency log's Ed25519 private key (PEM) in production; "
            f"{path or 'it is not set'}{' does not exist' if path else ''}."
        )


def check(config) -> None:
    """Refuse settings that would be unsafe; production needs a real secret key and its public address."""
    if int(config.get("SIGNATORIES_REQUIRED", 2)) < 1:
        raise ConfigError("SIGNATORIES_REQUIRED must be at least 1.")
    check_log_signing_key(config)
    if config.get("ENV_NAME") == "production":
        key = config.get("SECRET_KEY") or ""
        if key in (DEV_SECRET_KEY, SAMPLE_SECRET_KEY) or "change-me" in key or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
    check_public_base_url(config.get("PUBLIC_BASE_URL") or "", production=config.get("ENV_NAME") == "production")
    from app.signing.checks import check_settings  # the keys themselves: gunicorn.conf.py's on_starting

    check_settings(config)


def check_public_base_url(value: str, *, production: bool) -> None:
    """PUBLIC_BASE_URL is frozen into signed PDFs and builds the API's, the feed's and the sitemap's
    links: production must name it, and it must be an http(s) address without query or fragment."""
    if not value:
        if production:
            raise ConfigError(
                "PUBLIC_BASE_URL must be set in production to the portal's public address "
                "(for example https://etikdialog.aarhus.dk): it is frozen into every signed PDF and its QR code."
            )
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"PUBLIC_BASE_URL must be an address like https://etikdialog.aarhus.dk (http or https, a host, "
            f"no query or fragment), not {value!r}."
        )
