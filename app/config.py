"""Settings, read from the environment. Every setting the app reads is listed here and in the README."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from etikdialog_verify import note

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
# A checkout has setup.cfg beside app/; an installed wheel sits in site-packages, where instance
# data (the default SQLite database, demo keys) must not go: it goes under the environment's prefix.
IS_CHECKOUT = (PROJECT_ROOT / "setup.cfg").is_file()
INSTANCE_DIR = PROJECT_ROOT / "instance" if IS_CHECKOUT else Path(sys.prefix) / "var" / "etikdialog-instance"


def shipped(name: str) -> Path:
    """A top-level folder of the repository (content, migrations): the checkout's own, or the copy
    an installed wheel carries in app/_bundled (setup.py)."""
    return PROJECT_ROOT / name if IS_CHECKOUT else PACKAGE_DIR / "_bundled" / name


DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105 - the refused default
# The placeholder in deploy/etikdialog.env.example: long enough to pass a length check, so it is
# refused by name (tests/test_settings.py keeps the two in step).
SAMPLE_SECRET_KEY = "change-me-to-48-random-characters-python-c-import-secrets"  # noqa: S105
# Argon2id's cost (memory in KiB): at least OWASP's minimum (Password Storage Cheat Sheet: t=2,
# m=19 MiB, p=1), at most what a login can afford (a typo of 40960000 would take seconds and GBs).
ARGON2_BOUNDS = {"time_cost": (2, 20), "memory_cost": (19456, 4 * 1024 * 1024), "parallelism": (1, 64)}
ARGON2_NAMES = tuple(ARGON2_BOUNDS)


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says which setting and why. gunicorn prints a
    RuntimeError raised while it loads the app as "Error: <message>" and exits."""


@contextmanager
def cli_stops_on_config_error():
    """Under the `flask` command a ConfigError ends it with "Error: <message>" and exit status 1,
    where Flask's CLI would print a traceback; anywhere else it propagates."""
    try:
        yield
    except ConfigError as error:
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            raise SystemExit(f"Error: {error}") from None
        raise


def normalise_database_url(url: str) -> str:
    """Let operators write the usual postgres:// URL; we always talk to PostgreSQL through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# The parsers of every setting, one place (README "Settings"). Each reads one environment variable;
# unset or blank gives the default, and anything else it cannot use stops start-up with a
# ConfigError that names the variable, says what is wrong with the value and what is allowed.
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def _raw(name: str) -> str:
    return os.environ.get(name, "").strip()


def int_setting(name: str, default: int, *, minimum: int = 0, maximum: int) -> int:
    """A whole number from minimum to maximum (0, where allowed, switches a timeout or check off)."""
    value = _raw(name)
    if not value:
        return default
    allowed = f"a whole number from {minimum:,} to {maximum:,}"
    if not value.isascii() or not value.isdigit():
        raise ConfigError(f"{name}={value!r} is not a whole number: it must be {allowed}.")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ConfigError(f"{name}={value!r} is out of range: it must be {allowed}.")
    return number


def float_setting(name: str, default: float, *, maximum: float) -> float:
    """A number above 0 and at most maximum (a decimal point is allowed: 2.5)."""
    value = _raw(name)
    if not value:
        return default
    allowed = f"a number of more than 0 and at most {maximum:g}"
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a number: it must be {allowed}.") from None
    if not 0 < number <= maximum:  # also refuses nan; inf is over any maximum
        raise ConfigError(f"{name}={value!r} is out of range: it must be {allowed}.")
    return number


def bool_setting(name: str, default: bool) -> bool:
    """On or off, spelled one of TRUE_WORDS or FALSE_WORDS (any case); nothing else is guessed at."""
    value = _raw(name).lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ConfigError(
        f"{name}={_raw(name)!r} is not on or off: it must be one of {', '.join(TRUE_WORDS)} (on) "
        f"or {', '.join(FALSE_WORDS)} (off)."
    )


def choice_setting(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of a fixed set of words (any case)."""
    value = _raw(name).lower()
    if not value:
        return default
    if value not in choices:
        raise ConfigError(f"{name}={_raw(name)!r} is not allowed: it must be one of {', '.join(choices)}.")
    return value


def check_url(name: str, value: str, schemes: tuple[str, ...], *, host: bool = True, plain: bool = False) -> str:
    """value as an address with one of the schemes, and a host unless host=False; plain: without
    query or fragment. Returns it unchanged."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        parts, problem = None, "it cannot be read as an address"
    else:
        problem = ""
    if parts is None:
        pass
    elif "://" not in value:
        problem = "it has no scheme://"
    elif parts.scheme.lower() not in schemes:
        problem = f"the scheme {parts.scheme}:// is not allowed"
    elif host and not parts.hostname:
        problem = "it has no host"
    elif plain and (parts.query or parts.fragment):
        problem = "it has a query or fragment"
    if problem:
        raise ConfigError(
            f"{name}={value!r} is not a usable address ({problem}): it must start with one of "
            f"{', '.join(s + '://' for s in schemes)}{', name a host' if host else ''}"
            f"{', and have no query or fragment' if plain else ''}."
        )
    return value


def url_setting(name: str, default: str, schemes: tuple[str, ...], *, host: bool = True) -> str:
    """An address from the environment, checked by check_url; unset or blank gives the default."""
    value = _raw(name)
    return check_url(name, value, schemes, host=host) if value else default


MAIL_SCHEMES = ("smtp", "smtp+starttls", "smtps")


def _mail_url(env: str) -> str:
    """MAIL_URL (app/core/mail.py): an SMTP address, or `console`; development prints by default."""
    value = _raw("MAIL_URL")
    if value == "console":
        return value
    if not value:
        return "" if env == "production" else "console"
    return check_url("MAIL_URL", value, MAIL_SCHEMES, plain=True)


MAX_WITNESSES = 20


def _witnesses() -> tuple[tuple[str, str], ...]:
    """LOG_WITNESSES="https://w1.example/witness witness.example/w1+1a2b3c4d+BA…; https://…": each
    witness's submission address and its verifier key (signature type 0x04, cosignature/v1)."""
    value = _raw("LOG_WITNESSES")
    allowed = (
        "it must be 'URL VKEY' pairs separated by ';', each an http(s) address and the witness's "
        f"cosignature/v1 verifier key, at most {MAX_WITNESSES}, each witness once"
    )
    found = []
    for part in filter(None, (item.strip() for item in value.split(";"))):
        url, _, vkey = part.partition(" ")
        try:
            check_url("LOG_WITNESSES", url, WEB, plain=True)
            note.parse_verifier_key(vkey.strip(), note.ALG_COSIGNATURE_V1)
        except (ConfigError, note.NoteError) as error:
            reason = "the address is not usable" if isinstance(error, ConfigError) else str(error)
            raise ConfigError(f"LOG_WITNESSES={value!r} is not usable ({reason} in {part!r}): {allowed}.") from None
        found.append((url, vkey.strip()))
    if len(found) > MAX_WITNESSES or len({vkey.partition("+")[0] for _url, vkey in found}) != len(found):
        raise ConfigError(f"LOG_WITNESSES={value!r} is not usable: {allowed}.")
    return tuple(found)


def _witness_quorum() -> int:
    count = len(_witnesses())
    return int_setting("LOG_WITNESS_QUORUM", count // 2 + 1 if count else 0, minimum=1 if count else 0, maximum=count)


def _argon2_params() -> dict | None:
    """ARGON2_PARAMS=time_cost=3,memory_cost=65536,parallelism=4 (memory in KiB); unset, the app
    uses app.accounts.passwords' defaults. Each value must lie within ARGON2_BOUNDS."""
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
    for name, (low, high) in ARGON2_BOUNDS.items():
        if not low <= params[name] <= high:
            raise ConfigError(
                f"ARGON2_PARAMS={value!r} is out of range: {name} must be from {low:,} to {high:,} "
                "(OWASP's minimum for argon2id is time_cost=2, memory_cost=19456, parallelism=1)."
            )
    return params


def _public_base_url(env: str) -> str:
    """The portal's public address (no trailing slash). Unset in development: the address `make run`
    and `flask run` serve (`PORT`, else `FLASK_RUN_PORT`, else 5000); unset in production: empty, and
    `check` refuses to start, because it is frozen into every signed PDF and its QR code."""
    value = os.environ.get("PUBLIC_BASE_URL", "").strip()
    if not value and env != "production":
        port = int_setting("PORT", 0, minimum=1, maximum=65535) or int_setting(
            "FLASK_RUN_PORT", 5000, minimum=1, maximum=65535
        )
        value = f"http://127.0.0.1:{port}"
    return value.rstrip("/")


ENVIRONMENTS = ("development", "production")
WEB = ("http", "https")
# SQLite, or PostgreSQL through psycopg 3 (normalise_database_url rewrites the first three).
DATABASES = ("sqlite", "postgres", "postgresql", "postgresql+psycopg")
MAX_SIGNATORIES = 20  # a board is a handful of people; a typo such as 200 would make signing impossible


def _limiter_storages() -> tuple[str, ...]:
    """The storage schemes Flask-Limiter (the limits package) knows: memory, redis, memcached, …"""
    from limits.storage import SCHEMES

    return tuple(sorted(SCHEMES))


CACHE_SCHEMES = ("redis", "rediss", "unix", "file")
CACHE_KEY_PREFIX = "etikdialog:"
FRAGMENT_STORES = ("database", "cache")


def cache_settings(url: str) -> dict:
    """Flask-Caching's settings (app.extensions.cache) for CACHE_URL: redis://, rediss:// or
    unix:// (a Redis socket) for a cache that every worker and instance shares; file:///dir for one
    that the workers of one machine share; unset, each process keeps its own (SimpleCache)."""
    scheme = url.partition("://")[0].lower() if url else ""
    common = {"CACHE_KEY_PREFIX": CACHE_KEY_PREFIX, "CACHE_DEFAULT_TIMEOUT": 24 * 3600}
    if scheme in ("redis", "rediss", "unix"):
        import importlib.util

        if importlib.util.find_spec("redis") is None:
            raise ConfigError(f"CACHE_URL={url!r} needs the Redis client: pip install '.[redis]'.")
        return common | {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url}
    if scheme == "file":
        parts = urlsplit(url)
        directory = parts.path
        if parts.netloc or not directory.startswith("/"):
            raise ConfigError(f"CACHE_URL={url!r} must name an absolute directory: file:///var/cache/etikdialog.")
        return common | {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": directory, "CACHE_THRESHOLD": 2000}
    return common | {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 500}


def redis_cache(config) -> bool:
    """Whether CACHE_URL points at a Redis server (the record fragments may then be kept there)."""
    return (config.get("CACHE_URL") or "").partition("://")[0].lower() in ("redis", "rediss", "unix")


def trusted_proxies() -> int:
    """TRUST_PROXY_HEADERS: how many proxies in front; ProxyFix in create_app and gunicorn.conf.py
    both read it through here."""
    return int_setting("TRUST_PROXY_HEADERS", 0, maximum=5)


def from_environment() -> dict:
    env = choice_setting("ETIKDIALOG_ENV", "development", ENVIRONMENTS)
    database_url = url_setting("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'etikdialog.db'}", DATABASES, host=False)
    secure_cookies = bool_setting("SESSION_COOKIE_SECURE", default=env == "production")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PUBLIC_BASE_URL": _public_base_url(env),
        "CONTENT_DIR": os.environ.get("CONTENT_DIR", str(shipped("content"))),
        "RATELIMIT_STORAGE_URI": url_setting("RATELIMIT_STORAGE_URI", "memory://", _limiter_storages(), host=False),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        # The __Host- prefix binds the cookie to this host over HTTPS (Secure, Path=/, no Domain).
        "SESSION_COOKIE_NAME": "__Host-etikdialog" if secure_cookies else "etikdialog",
        "SESSION_IDLE_MINUTES": int_setting("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60),
        "SESSION_MAX_HOURS": int_setting("SESSION_MAX_HOURS", 12, minimum=1, maximum=7 * 24),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        # Uploads to /verificer are PDFs of at most 20 MB; nothing else is larger.
        "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,
        "TRUST_PROXY_HEADERS": trusted_proxies(),
        "WTF_CSRF_TIME_LIMIT": None,
        # A PDF render (draft or final) that runs longer than this stops and says so; gunicorn stops a
        # request after 60 seconds anyway (gunicorn.conf.py's timeout).
        "PDF_RENDER_SECONDS": float_setting("PDF_RENDER_SECONDS", 20.0, maximum=60),
        # A database that does not answer fails a request within seconds instead of hanging it.
        "DATABASE_CONNECT_TIMEOUT": int_setting("DATABASE_CONNECT_TIMEOUT", 5, maximum=60),
        "DATABASE_STATEMENT_TIMEOUT": int_setting("DATABASE_STATEMENT_TIMEOUT", 10, maximum=3600),
        # /healthz reports "degraded" for this long after a failed write, and below this free space.
        "HEALTH_WRITE_FAILURE_SECONDS": int_setting("HEALTH_WRITE_FAILURE_SECONDS", 300, maximum=7 * 24 * 3600),
        "HEALTH_MIN_FREE_MB": int_setting("HEALTH_MIN_FREE_MB", 200, maximum=10**7),
        # /metrics (Prometheus): off unless switched on, then only for these addresses (CIDRs).
        "METRICS_ENABLED": bool_setting("METRICS_ENABLED", default=False),
        "METRICS_ALLOW": os.environ.get("METRICS_ALLOW", "127.0.0.1/32, ::1/128"),
        # Rendered public pages kept per process for anonymous readers; off only to measure without it.
        "PUBLIC_PAGE_CACHE": bool_setting("PUBLIC_PAGE_CACHE", default=True),
        # The record page's signed part, rendered once per record, build and language and shared
        # by every worker in the record_fragment table (app/public/fragments.py), bounded by bytes.
        "RECORD_FRAGMENTS": bool_setting("RECORD_FRAGMENTS", default=True),
        "RECORD_FRAGMENT_MAX_BYTES": int_setting(
            "RECORD_FRAGMENT_MAX_BYTES", 256 * 1024 * 1024, minimum=1024 * 1024, maximum=2**40
        ),
        # Where the fragments are kept: the record_fragment table (the default), or the shared cache
        # when CACHE_URL points at Redis (app/public/fragments.py), bounded there by the same bytes.
        "RECORD_FRAGMENT_STORE": choice_setting("RECORD_FRAGMENT_STORE", "database", FRAGMENT_STORES),
        # The shared cache (Flask-Caching, app.extensions.cache; cache_settings above): /verificer's
        # findings by the PDF's SHA-256. Redis for several workers or instances; unset, per process.
        "CACHE_URL": url_setting("CACHE_URL", "", CACHE_SCHEMES, host=False),
        # How many board members sign an assessment before it counts as signed (at least 1).
        "SIGNATORIES_REQUIRED": int_setting("SIGNATORIES_REQUIRED", 2, minimum=1, maximum=MAX_SIGNATORIES),
        # Argon2id cost of password hashes; None means app.accounts.passwords' defaults.
        "ARGON2_PARAMS": _argon2_params(),
        # URLs per sitemap file: at most the protocol's 50,000 (lower only to test the split).
        "SITEMAP_URLS_PER_FILE": int_setting("SITEMAP_URLS_PER_FILE", 50_000, minimum=1, maximum=50_000),
        # Who hears about due follow-up items: an object with notify(item, overdue=...), given in
        # create_app's config by a deployment's own code; None writes a log line per item.
        "FOLLOWUP_NOTIFIER": None,
        # The transparency log's Ed25519 key (PEM, PKCS#8) that signs its checkpoints. Unset in development:
        # instance/log-signing-key.pem, which `make run` creates (`flask log create-demo-key`).
        "LOG_SIGNING_KEY_FILE": os.environ.get("LOG_SIGNING_KEY_FILE", "").strip()
        or ("" if env == "production" else str(INSTANCE_DIR / "log-signing-key.pem")),
        # Where the newest signed checkpoint is kept outside the database (rollback protection);
        # unset: beside the log key, as <LOG_SIGNING_KEY_FILE>.checkpoint.
        "LOG_STATE_FILE": _raw("LOG_STATE_FILE"),
        # Witnesses that cosign each checkpoint (C2SP tlog-witness): "URL VKEY" pairs, ";" between.
        "LOG_WITNESSES": _witnesses(),
        # How many of them must cosign for a checkpoint to count as witnessed (default: a majority).
        "LOG_WITNESS_QUORUM": _witness_quorum(),
        # Seconds to wait for a witness; they are asked at once, after the signature is committed.
        "LOG_WITNESS_TIMEOUT": float_setting("LOG_WITNESS_TIMEOUT", 3.0, maximum=30.0),
        # PDF signing (ADR 0006): each municipality's <slug>.p12 and <slug>.pass, and roots.pem.
        "SIGNING_KEYS_DIR": os.environ.get("SIGNING_KEYS_DIR", "").strip() or str(INSTANCE_DIR / "signing"),
        # An RFC 3161 timestamp service: signatures become PAdES B-T; unset, B-B without a timestamp.
        "SIGNING_TSA_URL": url_setting("SIGNING_TSA_URL", "", WEB),
        # Outside production: the demo CA's timestamp authority, in process, when there is no URL.
        "SIGNING_DEMO_TSA": bool_setting("SIGNING_DEMO_TSA", default=False),
        # With a timestamp service: PAdES B-LT and B-LTA (DSS with chains and revocation data, and a
        # document timestamp); off: B-T. SIGNING_REVOCATION_FETCH: fetch CRLs/OCSP from the certificates.
        "SIGNING_LTV": bool_setting("SIGNING_LTV", default=True),
        "SIGNING_REVOCATION_FETCH": bool_setting("SIGNING_REVOCATION_FETCH", default=True),
        # Mail to citizens who ask for the answer (app/core/mail.py): SMTP, `console`, or none.
        "MAIL_URL": _mail_url(env),
        "MAIL_FROM": _raw("MAIL_FROM") or "Etikdialog <noreply@localhost>",
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
    """Production signs the transparency log's checkpoints, so it needs the key file (ADR 0004) to
    serve. `flask` commands start without the file, so that `flask log create-key` can make it."""
    if config.get("ENV_NAME") != "production":
        return
    path = config.get("LOG_SIGNING_KEY_FILE") or ""
    if not path or (not Path(path).is_file() and os.environ.get("FLASK_RUN_FROM_CLI") != "true"):
        raise ConfigError(
            "LOG_SIGNING_KEY_FILE must name the transparency log's Ed25519 private key (PEM) in production; "
            f"{path or 'it is not set'}{' does not exist' if path else ''} "
            "(create one with `flask --app app log create-key`)."
        )


def check(config) -> None:
    """Refuse settings that would be unsafe; production needs a real secret key and its public address."""
    if int(config.get("SIGNATORIES_REQUIRED", 2)) < 1:
        raise ConfigError("SIGNATORIES_REQUIRED must be at least 1.")
    check_log_signing_key(config)
    if config.get("RECORD_FRAGMENT_STORE", "database") == "cache" and not redis_cache(config):
        raise ConfigError(
            "RECORD_FRAGMENT_STORE=cache keeps the record fragments in Redis: set CACHE_URL=redis://… "
            "(otherwise leave it unset: the record_fragment table, which every worker shares)."
        )
    if config.get("ENV_NAME") == "production":
        key = config.get("SECRET_KEY") or ""
        if key in (DEV_SECRET_KEY, SAMPLE_SECRET_KEY) or "change-me" in key or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                '(for example: python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
    check_public_base_url(config.get("PUBLIC_BASE_URL") or "", production=config.get("ENV_NAME") == "production")
    # The signing keys themselves need the database: app/signing/checks.py, at gunicorn's start.
    tsa_url = (config.get("SIGNING_TSA_URL") or "").strip()
    if tsa_url:
        check_url("SIGNING_TSA_URL", tsa_url, WEB)  # an RFC 3161 timestamp service
    if config.get("SIGNING_DEMO_TSA") and config.get("ENV_NAME") == "production":
        raise ConfigError(
            "SIGNING_DEMO_TSA is the demo CA's test timestamp service and is refused in production; "
            "set SIGNING_TSA_URL to a real RFC 3161 service instead."
        )


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
    check_url("PUBLIC_BASE_URL", value, WEB, plain=True)
