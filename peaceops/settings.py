"""PeaceOps settings: every value comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from peaceops.env import (
    ConfigError,
    envbool,
    envbounds,
    envdate,
    envfloat,
    envint,
    envlist,
    envsize,
    envstr,
    envtime,
    envurl,
    envzone,
)

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(envstr("PEACEOPS_DATA_DIR", str(Path.cwd() / "var")))

DEBUG = envbool("DEBUG", "no")
SECRET_KEY = envstr("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and envbool("PEACEOPS_PRODUCTION", "no"):
        raise ConfigError("SECRET_KEY must be set in production")
    # Development and tests only; production refuses to start without one (above).
    SECRET_KEY = "peaceops-insecure-development-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens stored as SHA-512 digests: the plain token is shown once, at issue
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "peaceops.core",
    "peaceops.linkage",
    "peaceops.search",
    "peaceops.ceasefire",
    "peaceops.returns",
    "peaceops.exchanges",
    "peaceops.restoration",
    "peaceops.intake",
    "peaceops.fieldforms",
    "peaceops.sources",
    "peaceops.alerts",
    "peaceops.reports",
    "peaceops.scenario",
    "peaceops.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "peaceops.core.middleware.BackgroundPollMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peaceops.core.credentials.CredentialsEpochMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "peaceops.core.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "peaceops.core.middleware.RequestIdMiddleware",
    "peaceops.core.middleware.MissionTimeZoneMiddleware",
    "peaceops.core.dbrouter.ReplicaMiddleware",
    "peaceops.core.conflicts.StaleRecordMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peaceops.urls"
WSGI_APPLICATION = "peaceops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "peaceops.core.context_processors.navigation",
            ],
        },
    },
]

# SQLite in WAL mode by default (see peaceops.core.apps for the PRAGMAs); PostgreSQL through DATABASE_URL.
_default_sqlite = f"sqlite:///{DATA_DIR / 'peaceops.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(envstr("DATABASE_URL", _default_sqlite), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # its folder is made in CoreConfig.ready
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": envstr("PEACEOPS_TEST_SQLITE", "") or None}
# An optional read replica for the public and reference pages (peaceops.core.dbrouter; docs/deployment.md).
if _replica_url := envstr("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["peaceops.core.dbrouter.ReplicaRouter"]
# Django's backends with the audit chain's pre-commit step (peaceops.core.backends: a transaction's audit events are
# chained at its COMMIT, so the chain's head is locked only for that instant).
_BACKENDS = {"django.db.backends.postgresql": "peaceops.core.backends.postgresql",
             "django.db.backends.sqlite3": "peaceops.core.backends.sqlite3"}
# PostgreSQL: PEACEOPS_PG_PREPARE_THRESHOLD=N has the server bind the parameters (psycopg's server-side binding)
# and psycopg prepare a statement once it has run N times on a connection, so PostgreSQL parses and plans it once
# per connection rather than per query. Empty: parameters bound client-side, nothing prepared (Django's default;
# what a pooler in transaction mode needs). docs/configuration.md.
_PG_PREPARE_THRESHOLD = envstr("PEACEOPS_PG_PREPARE_THRESHOLD", "")
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql" and _PG_PREPARE_THRESHOLD != "":
        _database["OPTIONS"] = {**_database.get("OPTIONS", {}), "server_side_binding": True,
                                "prepare_threshold": envint("PEACEOPS_PG_PREPARE_THRESHOLD", "0", minimum=0)}
    _database["ENGINE"] = _BACKENDS.get(_database["ENGINE"], _database["ENGINE"])
PEACEOPS_REPLICA_PATHS = envlist("PEACEOPS_REPLICA_PATHS",
                                 "/reports/public/,/api/public/,/places/,/places.geojson,/api/places/,/map/")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
# Roles that must confirm a one-time code (TOTP) after their password: they read detainees', the missing's and
# the dead's files, or administer the accounts that do. Empty turns the second factor off (the demo does).
PEACEOPS_2FA_ROLES = frozenset(envlist("PEACEOPS_2FA_ROLES", "exchange_officer,admin"))
OTP_TOTP_ISSUER = "PeaceOps"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "8", minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_ENABLED = envbool("AXES_ENABLED", "yes")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Spraying many user names from one address locks that address (peaceops.core.lockout); never a name alone.
AXES_HANDLER = "peaceops.core.lockout.AddressLockoutHandler"
AXES_LOCKOUT_CALLABLE = "peaceops.core.lockout.lockout_response"
PEACEOPS_LOGIN_ADDRESS_LIMIT = envint("PEACEOPS_LOGIN_ADDRESS_LIMIT", "30", minimum=1)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and number format per language, everywhere (peaceops/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["peaceops.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = envzone("PEACEOPS_TIME_ZONE", "Asia/Yerevan")  # UTC+4; Asia/Baku agrees
# The reporting day ends at this local time (HH:MM); counts per "day" use periods ending at the cut-off.
PEACEOPS_DAY_CUTOFF = envtime("PEACEOPS_DAY_CUTOFF", "24:00")
# Public outputs never show a count of fewer people than this (a small cell can identify someone).
PEACEOPS_SMALL_CELL = envint("PEACEOPS_SMALL_CELL", "5", minimum=2)
# Dates a caller may ask for (pages, API, commands): from the operation's first day to today plus the planning
# horizon, and no range longer than PEACEOPS_MAX_RANGE_DAYS (see peaceops.core.params).
PEACEOPS_FIRST_DAY = envdate("PEACEOPS_FIRST_DAY", "2020-01-01")
PEACEOPS_PLANNING_DAYS = envint("PEACEOPS_PLANNING_DAYS", "366", minimum=0)
PEACEOPS_MAX_RANGE_DAYS = envint("PEACEOPS_MAX_RANGE_DAYS", "731", minimum=1)
# The operation's current day, which every dated page, dashboard card and form opens on: empty follows the clock
# (a live operation); a date pins it (an archive, a training copy, the demo world, whose day is its last).
PEACEOPS_OPERATION_DAY = envdate("PEACEOPS_OPERATION_DAY", "") if envstr("PEACEOPS_OPERATION_DAY", "") else ""

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", "yes")
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
ATTACHMENT_ROOT = Path(envstr("PEACEOPS_ATTACHMENT_ROOT", str(DATA_DIR / "attachments")))
# An optional base-map tile URL template; offline, the map draws the gazetteer without tiles.
MAP_TILE_URL = envstr("PEACEOPS_MAP_TILE_URL", "")
# The map opens on the area of operations: south,west,north,east in degrees (not on the capitals).
PEACEOPS_MAP_BOUNDS = envbounds("PEACEOPS_MAP_BOUNDS", "39.55,46.40,40.30,47.25")
# The offline base layer written by `peaceops map build-basemap` (drawn live from the gazetteer until then).
PEACEOPS_BASEMAP_PATH = Path(envstr("PEACEOPS_BASEMAP_PATH", str(DATA_DIR / "basemap.geojson")))
# How far an observation post is taken to see (km): the buffers on the map, "which posts could have seen this".
PEACEOPS_OP_VIEW_KM = envfloat("PEACEOPS_OP_VIEW_KM", "6", minimum=0)
# The country an ACLED export files a place of the peacekeeping area under (ceasefire.formats); empty: none.
PEACEOPS_ACLED_AREA_COUNTRY = envstr("PEACEOPS_ACLED_AREA_COUNTRY", "").strip()
# Where readers reach this deployment: downloaded and exported reports link back to it with absolute addresses.
PEACEOPS_SITE_URL = envurl("PEACEOPS_SITE_URL", "http://localhost:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "peaceops.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "peaceops.api.parsers.JSONObjectParser",  # a body of [], "x" or 1 is a clear 400, never a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # One error shape for every endpoint: {"detail": "a sentence", "<field>": ["message", ...]}.
    "EXCEPTION_HANDLER": "peaceops.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "peaceops.api.filtering.FilterBackend",  # django-filter, skipped when no filter is asked for
        "rest_framework.filters.SearchFilter",
        "peaceops.search.api.NameSearchFilter",  # ?q= on lists of people, cases, households, tracing, lists
        "peaceops.api.filtering.OrderingFilter",  # ?ordering=, ties broken by id
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
API_TOKEN_TTL_HOURS = envint("API_TOKEN_TTL_HOURS", "72", minimum=1)
REST_KNOX = {"TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS), "AUTH_HEADER_PREFIX": "Token"}
SPECTACULAR_SETTINGS = {
    "TITLE": "PeaceOps API",
    "DESCRIPTION": "Ceasefire compliance, returns, exchanges, restoration and reporting.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ReliabilityEnum": "peaceops.core.models.sources.Reliability",
                            "AlertSeverityEnum": "peaceops.alerts.models.Severity",
                            "TaskKindEnum": "peaceops.alerts.models.TaskKind",
                            "DecisionStatusEnum": "peaceops.exchanges.models.reconciliation.DecisionStatus",
                            "OrdnanceTypeEnum": "peaceops.restoration.models.mine_action.OrdnanceType",
                            "QAResultEnum": "peaceops.restoration.models.mine_action.QAResult"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "peaceops.api.schema.add_error_responses"],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Record linkage (docs/linkage.md): the engine every matching job runs on, and the Spark cluster it reaches.
# duckdb runs in-process; spark runs on PEACEOPS_SPARK_MASTER (local[*], spark://host:7077, yarn, k8s://…) with
# PEACEOPS_SPARK_CONF's properties ("spark.executor.memory=4g, spark.executor.cores=2").
PEACEOPS_LINKAGE_BACKEND = envstr("PEACEOPS_LINKAGE_BACKEND", "duckdb")
if PEACEOPS_LINKAGE_BACKEND not in ("duckdb", "spark"):
    raise ConfigError(f"PEACEOPS_LINKAGE_BACKEND must be duckdb or spark, not {PEACEOPS_LINKAGE_BACKEND!r}")
PEACEOPS_SPARK_MASTER = envstr("PEACEOPS_SPARK_MASTER", "local[2]")
PEACEOPS_SPARK_CONF = envstr("PEACEOPS_SPARK_CONF", "")
try:  # a property written wrong is said at start-up, not when the first job reaches the cluster
    from peaceops.linkage.config import parse_spark_conf

    parse_spark_conf(PEACEOPS_SPARK_CONF)
except ValueError as exc:
    raise ConfigError(str(exc)) from None
PEACEOPS_SPARK_CHECKPOINT_DIR = envstr("PEACEOPS_SPARK_CHECKPOINT_DIR", "/tmp/peaceops-spark-checkpoints")
# Officers' decisions re-estimate m only from this many confirmed pairs up (`peaceops link learn`).
PEACEOPS_LINKAGE_MIN_LABELS = envint("PEACEOPS_LINKAGE_MIN_LABELS", "30", minimum=1)
# Imports: files kept until their import ends (to resume after a crash), and the limits on what is accepted.
PEACEOPS_IMPORT_DIR = Path(envstr("PEACEOPS_IMPORT_DIR", str(DATA_DIR / "imports")))
PEACEOPS_IMPORT_MAX_BYTES = envint("PEACEOPS_IMPORT_MAX_BYTES", str(50 * 1024 * 1024), minimum=1)
PEACEOPS_IMPORT_MAX_FIELD_CHARS = envint("PEACEOPS_IMPORT_MAX_FIELD_CHARS", "10000", minimum=1)
# Web uploads up to this size are imported while the page waits; larger ones by the worker, with progress shown.
PEACEOPS_IMPORT_INLINE_BYTES = envint("PEACEOPS_IMPORT_INLINE_BYTES", str(1024 * 1024), minimum=0)
# `peaceops forms pull`: the ODK Central server and account it reads submissions with (docs/field-intake.md); the
# password also from a file (PEACEOPS_CENTRAL_PASSWORD_FILE), never on the command line.
PEACEOPS_CENTRAL_URL = envstr("PEACEOPS_CENTRAL_URL", "")
PEACEOPS_CENTRAL_USER = envstr("PEACEOPS_CENTRAL_USER", "")
PEACEOPS_CENTRAL_PASSWORD = envstr("PEACEOPS_CENTRAL_PASSWORD", "")
PEACEOPS_IMPORT_STALE_SECONDS = envint("PEACEOPS_IMPORT_STALE_SECONDS", "120", minimum=1)
# Batch work runs at a lower scheduling priority (nice, 0-19) than the web server, so pages stay quick while it
# runs (peaceops.core.priority): the worker's jobs, and `peaceops intake run` unless told `--nice`.
PEACEOPS_WORKER_NICE = envint("PEACEOPS_WORKER_NICE", "10", minimum=0, maximum=19)
PEACEOPS_IMPORT_NICE = envint("PEACEOPS_IMPORT_NICE", "10", minimum=0, maximum=19)
# Field intake over OpenRosa (peaceops.fieldforms): the largest submission Collect may send in one request, the
# largest single attachment, and whether Basic authentication is allowed over plain HTTP (a closed lab network only).
PEACEOPS_OPENROSA_MAX_BYTES = envint("PEACEOPS_OPENROSA_MAX_BYTES", str(20 * 1024 * 1024), minimum=1)
PEACEOPS_OPENROSA_ATTACHMENT_MAX_BYTES = envint("PEACEOPS_OPENROSA_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024),
                                                minimum=1)
PEACEOPS_OPENROSA_ALLOW_HTTP = envbool("PEACEOPS_OPENROSA_ALLOW_HTTP", "no")
# The worker's heartbeat and its supervisor's restarts, read by /health/ (peaceops.core.supervision).
PEACEOPS_RUN_DIR = Path(envstr("PEACEOPS_RUN_DIR", str(DATA_DIR / "run")))
PEACEOPS_WORKER_HEARTBEAT_SECONDS = envint("PEACEOPS_WORKER_HEARTBEAT_SECONDS", "5", minimum=1)
PEACEOPS_WORKER_STALE_SECONDS = envint("PEACEOPS_WORKER_STALE_SECONDS", "30", minimum=1)
# Optimistic locking (django-concurrency): no database triggers; rows that predate the revision field start at 0.
CONCURRENCY_AUTO_CREATE_TRIGGERS = False
CONCURRENCY_CALLBACK = "peaceops.core.versioning.refuse_stale_save"

# Audit anchoring (docs/deployment.md): signed checkpoints of the audit chain written outside the database.
# Off (and said so by `peaceops audit verify`) until both the directory and the signing key are set.
PEACEOPS_AUDIT_ANCHOR_DIR = envstr("PEACEOPS_AUDIT_ANCHOR_DIR", "")
PEACEOPS_AUDIT_SIGNING_KEY = envstr("PEACEOPS_AUDIT_SIGNING_KEY", "")  # base64 Ed25519 private key (keygen)
# Public keys (base64, comma-separated) that verifiers trust; the signing key's own is trusted when it is set.
PEACEOPS_AUDIT_PUBLIC_KEYS = envlist("PEACEOPS_AUDIT_PUBLIC_KEYS", "")
PEACEOPS_AUDIT_ORIGIN = envstr("PEACEOPS_AUDIT_ORIGIN", "peaceops")  # names this deployment in its checkpoints
PEACEOPS_AUDIT_ANCHOR_INTERVAL = envint("PEACEOPS_AUDIT_ANCHOR_INTERVAL", "300", minimum=1)  # seconds between checkpoints
# How long an API `Idempotency-Key` is remembered (a retry after that is a new request).
# The linkage engine's DuckDB: memory before spilling to disk, threads (0: one per core), where it spills.
PEACEOPS_LINKAGE_MEMORY = envsize("PEACEOPS_LINKAGE_MEMORY", "4GB")
PEACEOPS_LINKAGE_THREADS = envint("PEACEOPS_LINKAGE_THREADS", "0", minimum=0)
PEACEOPS_LINKAGE_TMP = envstr("PEACEOPS_LINKAGE_TMP", "")
# Alerts (docs/alerts.md): a webhook told of every alert whose rule asks for it, signed with a shared secret
# (HMAC-SHA256 of the body); retried by the worker with exponential backoff. Off while the URL is empty.
PEACEOPS_ALERT_WEBHOOK_URL = envstr("PEACEOPS_ALERT_WEBHOOK_URL", "").strip()
PEACEOPS_ALERT_WEBHOOK_SECRET = envstr("PEACEOPS_ALERT_WEBHOOK_SECRET", "")
if PEACEOPS_ALERT_WEBHOOK_URL:
    if not PEACEOPS_ALERT_WEBHOOK_URL.startswith(("https://", "http://")):
        raise ConfigError("PEACEOPS_ALERT_WEBHOOK_URL must be an http:// or https:// URL, not "
                          f"{PEACEOPS_ALERT_WEBHOOK_URL!r}")
    if len(PEACEOPS_ALERT_WEBHOOK_SECRET) < 16:
        raise ConfigError("PEACEOPS_ALERT_WEBHOOK_SECRET must be set (16 characters or more) with "
                          "PEACEOPS_ALERT_WEBHOOK_URL: the receiver checks every call's signature with it")
PEACEOPS_ALERT_WEBHOOK_ATTEMPTS = envint("PEACEOPS_ALERT_WEBHOOK_ATTEMPTS", "6", minimum=1, maximum=20)
PEACEOPS_ALERT_WEBHOOK_BACKOFF = envint("PEACEOPS_ALERT_WEBHOOK_BACKOFF", "30", minimum=1)  # seconds, doubling
PEACEOPS_ALERT_CHECK_INTERVAL = envint("PEACEOPS_ALERT_CHECK_INTERVAL", "60", minimum=5)  # periodic checks
PEACEOPS_ALERT_BASE_URL = envstr("PEACEOPS_ALERT_BASE_URL", "").rstrip("/")  # links in e-mails and webhooks
if PEACEOPS_ALERT_BASE_URL and not PEACEOPS_ALERT_BASE_URL.startswith(("https://", "http://")):
    raise ConfigError(f"PEACEOPS_ALERT_BASE_URL must start with https:// or http://, not {PEACEOPS_ALERT_BASE_URL!r}")
# A dispatched convoy with no step (checkpoint passage, arrival) for this long is overdue at its next checkpoint.
PEACEOPS_CONVOY_OVERDUE_MINUTES = envint("PEACEOPS_CONVOY_OVERDUE_MINUTES", "240", minimum=1)
# E-mail for alerts goes through Django's mail backends (SMTP by default; console or file for trials).
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25", minimum=1, maximum=65535)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "no")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "peaceops@localhost")
PEACEOPS_IDEMPOTENCY_TTL_HOURS = envint("PEACEOPS_IDEMPOTENCY_TTL_HOURS", "24", minimum=1)

# Content Security Policy: everything from our own origin; the optional tile server is added when configured.
_img_src = ["'self'", "data:"] + ([MAP_TILE_URL.split("/{")[0]] if MAP_TILE_URL else [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": _img_src,
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

PRODUCTION = envbool("PEACEOPS_PRODUCTION", "no")
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "yes" if PRODUCTION else "no")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0", minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
BEHIND_PROXY = envbool("BEHIND_PROXY", "no")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Waitress (peaceops serve) drops X-Forwarded-* unless they come from a proxy it trusts: the proxy's address
# (or "*" when only the proxy can reach the port) and the headers it sets.
TRUSTED_PROXY = envstr("TRUSTED_PROXY", "127.0.0.1")
TRUSTED_PROXY_HEADERS = envlist("TRUSTED_PROXY_HEADERS", "x-forwarded-proto,x-forwarded-for")
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "1", minimum=1)
# Load balancers and supervisors probe /health/ over plain HTTP on the internal address.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(12 * 3600), minimum=60)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "peaceops.core.logfilters.RefusalWithoutTraceback"},
                "splink_said": {"()": "peaceops.core.logfilters.SplinkSaidInNotes"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals", "splink_said"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
