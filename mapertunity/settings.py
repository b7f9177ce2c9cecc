"""Mapertunity settings: one module, every deploy-time value read from the environment.

Each value has a safe local default so `make run` works on a fresh clone with no
configuration; the README lists every variable.
"""

import json
import math
import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MAPERTUNITY_VAR_DIR", BASE_DIR / "var"))


class EnvError(ImproperlyConfigured):
    """An environment variable holds a value this setting can't take."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable; anything but the usual spellings is a startup error."""
    value = os.environ.get(name)
    if value is None:
        return default
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise EnvError(f"{name}={value!r} is not a boolean: use true or false (1/0, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise EnvError(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise EnvError(f"{name}={value!r} must be at least {minimum}.")
    return number


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        number = float(value.strip())
    except ValueError:
        raise EnvError(f"{name}={value!r} is not a number.") from None
    if not math.isfinite(number) or (minimum is not None and number < minimum):
        raise EnvError(f"{name}={value!r} must be a finite number of at least {minimum}.")
    return number


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    text = value.strip().lower()
    if text not in choices:
        raise EnvError(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return text


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    # With the public development key anyone could sign a session or an email
    # confirmation link, and so pose as any user.
    raise EnvError(
        "SECRET_KEY must be set to a private value of 32 characters or more when DEBUG is "
        "false; the development key is public."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Mapertunity"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_htmx",
    # Only for its bundled Swagger UI files: /api/v1/docs works offline (no CDN).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "mapertunity.core",
    "mapertunity.accounts",
    "mapertunity.companies",
    "mapertunity.jobs",
    "mapertunity.billing",
    "mapertunity.candidates",
    "mapertunity.moderation",
    "mapertunity.applications",
    "mapertunity.followup",
    "mapertunity.alerts",
    "mapertunity.blog",
    "mapertunity.api",
    "mapertunity.demo",
    "mapertunity.ops",
]

MIDDLEWARE = [
    # First: gives each request an id and logs it with its status and duration.
    "mapertunity.core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The map's viewport answers need no session or user: served before those layers, and
    # before the CSP (a policy governs documents; this is JSON sent as nosniff).
    "mapertunity.api.fastpath.MapFastPath",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "mapertunity.accounts.security.LoginThrottleMiddleware",
    "mapertunity.accounts.security.StaffMFAMiddleware",
]

ROOT_URLCONF = "mapertunity.urls"
WSGI_APPLICATION = "mapertunity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mapertunity" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mapertunity.core.context_processors.site",
                "mapertunity.companies.context_processors.employer",
                "mapertunity.applications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'mapertunity.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes. Reads through a memory
    # map of the file (up to 1 GiB) skip a system call per page: a list page walking an
    # index at a million jobs spends half the time in SQL without it.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Kept open between requests like PostgreSQL's (the PRAGMAs run once per connection,
    # not per request); DB_CONN_MAX_AGE=0 closes each at the end of its request.
# A streaming replica of the PostgreSQL primary (`make scale-demo`): safe requests of users
# who haven't written in the last REPLICA_PIN_SECONDS read from it; everything else (writes,
# the task workers, the map's change-log poll, migrations) uses the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5, minimum=1)
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise EnvError("DATABASE_REPLICA_URL needs DATABASE_URL to name the PostgreSQL primary.")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
    # Tests that see the alias read the primary through it (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["mapertunity.core.dbrouter.PrimaryReplicaRouter"]
    # Outermost, so the session and auth lookups of a request are routed too.
    MIDDLEWARE.insert(0, "mapertunity.core.dbrouter.ReplicaRoutingMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address comes before signing in, so that signing up can't tell whether an
# address already has an account (accounts/signup.py; README, "Security").
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory", ("none", "optional", "mandatory")
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mapertunity] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_ADAPTER = "mapertunity.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    name: f"mapertunity.accounts.forms.{form}"
    for name, form in [
        ("login", "LoginForm"),
        ("signup", "SignupForm"),
        ("add_email", "AddEmailForm"),
        ("reset_password", "ResetPasswordForm"),
        ("reset_password_from_key", "ResetPasswordKeyForm"),
        ("change_password", "ChangePasswordForm"),
    ]
}
# Signing up with an address that already has an account looks the same as a new one:
# the owner is emailed instead (with mandatory confirmation; README, "Security").
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins: the 6th within LOGIN_FAILURE_WINDOW_SECONDS for one account or from one
# IP address is refused with a 429 page (accounts/security.py). Counted in the cache.
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5, minimum=1)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 300, minimum=1)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{LOGIN_FAILURES_ALLOWED}/{LOGIN_FAILURE_WINDOW_SECONDS}s/ip,"
        f"{LOGIN_FAILURES_ALLOWED}/{LOGIN_FAILURE_WINDOW_SECONDS}s/key"
    ),
}
# Two-factor sign-in (TOTP apps, with recovery codes), offered to everyone at
# /accounts/2fa/ and required for staff before the admin opens (accounts/security.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "mapertunity" / "static",
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Resumes: outside MEDIA_ROOT, never served by URL, only through a view that checks access.
# Uploaded files are cut off past this size (resumes allow 5 MB; logos 2 MB).
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 6 * 1024 * 1024, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "mapertunity.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "mapertunity.core.mail.OneFilePerMessageBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mapertunity <hello@mapertunity.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis (`redis://host:6379/0`), when set, holds the cache every server shares: rate-limit
# counts, cached answers. Without it each process has its own memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mapertunity",
        }
    }
# "db": django-tasks-db, run by `manage.py worker` (the default, no broker). "rq": RQ on
# REDIS_URL through django-tasks-rq, run by `manage.py rq_worker` (pip install ".[scale]").
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db").strip().lower()
TASKS: dict[str, dict[str, object]]
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise EnvError("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT", 600, minimum=1)}
    }
else:
    raise EnvError(f"TASKS_BACKEND={TASKS_BACKEND!r}: use db or rq.")
# The task worker (`manage.py worker`) writes a heartbeat this often; a task still running
# under a worker with no heartbeat for the lease is run again. The lease outlasts SQLite's
# lock timeout plus a beat, so a worker waiting behind a lock is not taken for dead.
WORKER_HEARTBEAT_SECONDS = env_float("WORKER_HEARTBEAT_SECONDS", 5, minimum=0.1)
WORKER_LEASE_SECONDS = env_float("WORKER_LEASE_SECONDS", 45, minimum=1)
if WORKER_LEASE_SECONDS <= 2 * WORKER_HEARTBEAT_SECONDS:
    raise EnvError("WORKER_LEASE_SECONDS must be more than twice WORKER_HEARTBEAT_SECONDS.")
# Recurring work, enqueued by the worker when due (no cron): a task's dotted path and the
# seconds between runs. One line per job.
RECURRING_TASKS = [
    ("mapertunity.blog.tasks.sweep_blog", 60),
    ("mapertunity.jobs.tasks.expire_jobs", 300),
    ("mapertunity.jobs.tasks.send_expiry_notices", 300),
    ("mapertunity.applications.tasks.close_unanswered", 3600),
    ("mapertunity.followup.tasks.send_daily_digests", 300),
    ("mapertunity.alerts.tasks.send_alert_digests", 300),
    ("mapertunity.core.worker.prune_heartbeats", 3600),
]
# How long a SQLite connection waits for another's write lock before "database is locked"
# (default 20); the worker's tests shorten it to meet the error quickly.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"]["timeout"] = env_float("SQLITE_TIMEOUT_SECONDS", 20, minimum=0)

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# HSTS: 0 leaves it off (safe while TLS is not yet set up); 31536000 is a year.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Content Security Policy (django-csp): scripts and styles only from our own files, no
# inline code; map tiles from MAP_TILE_URL's host. See the README's "Security" section.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Uploaded media (company logos, blog images): served by the site itself unless the proxy
# in front serves MEDIA_ROOT at /media/ (set SERVE_MEDIA=false then).
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# The map. OpenStreetMap's tile policy asks for visible attribution.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def _tile_origin(template: str) -> list[str]:
    """The origin map tiles come from, for the CSP (a ``{s}`` subdomain becomes ``*``)."""
    from urllib.parse import urlsplit

    parts = urlsplit(template.replace("{s}", "subdomain"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc.replace('subdomain', '*')}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No 'unsafe-inline', no 'unsafe-eval': every script is a file we serve, and htmx
        # is told not to eval (the htmx-config meta tag in base.html).
        "script-src": [SELF],
        # Leaflet and our map code set positions through element.style (CSSOM), which a
        # CSP allows; no style attribute or <style> element is served.
        "style-src": [SELF],
        # data: for the QR code of the two-factor set-up and Swagger UI's icons.
        "img-src": [SELF, "data:", *_tile_origin(MAP_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Dotted path of the geocoder class; a deployment with network access can plug its own.
GEOCODER = os.environ.get("GEOCODER", "mapertunity.geo.gazetteer.OfflineGeocoder")
# How often (seconds) a server process checks the database for job changes to fold
# into its in-memory map index; the map shows a write within this long.
MAP_INDEX_REFRESH_SECONDS = env_float("MAP_INDEX_REFRESH_SECONDS", 0.5, minimum=0)
# Where the map index snapshot is written once and memory-mapped by every server process
# ("" keeps each process's index in its own memory).
MAP_INDEX_DIR = os.environ.get("MAP_INDEX_DIR", str(VAR_DIR / "mapindex"))
# /healthz fails when this process's map index is further behind the job change log.
MAP_INDEX_MAX_LAG_SECONDS = env_float("MAP_INDEX_MAX_LAG_SECONDS", 60, minimum=0)
# Seconds a browser, proxy or CDN may reuse a map answer without asking (each carries a
# strong ETag, so after that a repeat is a 304); keep it short: a write shows within it.
MAP_CACHE_MAX_AGE = env_int("MAP_CACHE_MAX_AGE", 1, minimum=0)
JOB_VALID_DAYS = env_int("JOB_VALID_DAYS", 30, minimum=1)
# How often a job's place may change in a day (see jobs.actions.update_job).
JOB_PLACE_CHANGES_PER_DAY = env_int("JOB_PLACE_CHANGES_PER_DAY", 3, minimum=0)
# Employers are told this many days before a job closes, with a one-click renew.
JOB_EXPIRY_NOTICE_DAYS = env_int("JOB_EXPIRY_NOTICE_DAYS", 3, minimum=1)
# A live job nobody confirmed open for this many days is marked and sinks in best match.
JOB_UNCONFIRMED_DAYS = env_int("JOB_UNCONFIRMED_DAYS", 60, minimum=1)
# The most jobs one list goes through (the pages of /jobs/, a cluster's, the API's cursor):
# a deeper page would make the database walk every row before it (see jobs/listing.py).
JOB_LIST_MAX_RESULTS = env_int("JOB_LIST_MAX_RESULTS", 1000, minimum=20)
# Reports from this many different accounts hide a job until staff review it.
JOB_REPORTS_TO_HIDE = env_int("JOB_REPORTS_TO_HIDE", 3, minimum=1)
# What one employer account may open per hour: a person's pace, not a scraper's.
CANDIDATE_PROFILES_PER_HOUR = env_int("CANDIDATE_PROFILES_PER_HOUR", 60, minimum=0)
RESUME_DOWNLOADS_PER_HOUR = env_int("RESUME_DOWNLOADS_PER_HOUR", 20, minimum=0)
# Domain check emails one company may ask for per day.
DOMAIN_CHECKS_PER_DAY = env_int("DOMAIN_CHECKS_PER_DAY", 5, minimum=0)
# The blog: subscriber emails go out in batches; a delivery with no progress for this
# many seconds counts as stalled and is picked up again (the sweep_blog task); rows held
# by a task worker that died are taken back as soon as its heartbeat stops.
BLOG_DELIVERY_BATCH_SIZE = env_int("BLOG_DELIVERY_BATCH_SIZE", 100, minimum=1)
BLOG_DELIVERY_STALL_SECONDS = env_int("BLOG_DELIVERY_STALL_SECONDS", 600, minimum=1)
BLOG_SUBSCRIBE_PER_IP_PER_HOUR = env_int("BLOG_SUBSCRIBE_PER_IP_PER_HOUR", 10, minimum=0)
# Messages: the other side is emailed at most once per conversation this often (minutes).
MESSAGE_EMAIL_MINUTES = env_int("MESSAGE_EMAIL_MINUTES", 15, minimum=0)
# Live "Choose ID" availability checks one IP address may make per hour.
HANDLE_CHECKS_PER_HOUR = env_int("HANDLE_CHECKS_PER_HOUR", 300, minimum=1)
# Drafts the signup may autosave per hour for one anonymous visitor (session and address).
SIGNUP_AUTOSAVES_PER_HOUR = env_int("SIGNUP_AUTOSAVES_PER_HOUR", 120, minimum=1)
# Resume text extractions that may run at once on this machine (each child may use up to
# 512 MiB); more wait a few seconds, then are asked to try again.
RESUME_EXTRACTIONS_AT_ONCE = env_int("RESUME_EXTRACTIONS_AT_ONCE", 2, minimum=1)
BLOG_SUBSCRIBE_PER_ADDRESS_PER_DAY = env_int("BLOG_SUBSCRIBE_PER_ADDRESS_PER_DAY", 3, minimum=0)
# The API (/api/v1/): requests per minute from one IP address and with one token (0: no
# limit); counted in the cache, so shared between servers when CACHES is shared.
API_REQUESTS_PER_IP_PER_MINUTE = env_int("API_REQUESTS_PER_IP_PER_MINUTE", 600, minimum=0)
API_REQUESTS_PER_TOKEN_PER_MINUTE = env_int("API_REQUESTS_PER_TOKEN_PER_MINUTE", 120, minimum=0)

# "json": one JSON object per line (time, level, logger, message, request id; requests add
# method, path, status, duration_ms), for a log collector; "text" for people.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise EnvError(f"LOG_FORMAT={LOG_FORMAT!r} must be json or text.")
# Credits (billing): the first posting of a company is free, later postings and renewals
# cost one credit each. Packs are bought with Stripe Checkout; without both keys the buy
# page says buying isn't set up and staff grant credits in the admin.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")


def _credit_packs() -> dict[str, dict[str, object]]:
    """The price table: pack code -> credits, price in minor units, currency, name.

    ``CREDIT_PACKS`` may hold a JSON object of the same shape to replace the default.
    """
    raw = os.environ.get("CREDIT_PACKS", "")
    if not raw:
        return {
            "one": {"credits": 1, "amount": 4900, "currency": "USD", "name": "1 posting credit"},
            "five": {"credits": 5, "amount": 19900, "currency": "USD", "name": "5 posting credits"},
            "twenty": {
                "credits": 20,
                "amount": 59900,
                "currency": "USD",
                "name": "20 posting credits",
            },
        }
    try:
        packs = json.loads(raw)
        ok = (
            isinstance(packs, dict)
            and packs
            and all(
                isinstance(p, dict)
                and isinstance(p.get("credits"), int)
                and p["credits"] > 0
                and isinstance(p.get("amount"), int)
                and p["amount"] > 0
                and isinstance(p.get("currency"), str)
                and len(p["currency"]) == 3
                for p in packs.values()
            )
        )
    except ValueError:
        ok = False
    if not ok:
        raise EnvError(
            "CREDIT_PACKS must be a JSON object of packs, each with positive integer "
            '"credits" and "amount" (minor units) and a 3-letter "currency".'
        )
    return packs


CREDIT_PACKS = _credit_packs()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "mapertunity.core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "mapertunity.core.logs.JsonFormatter"},
        "text": {"()": "mapertunity.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
