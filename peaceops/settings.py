"""PeaceOps settings: every value comes from the environment (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from peaceops.env import ConfigError, envbool, envint, envlist, envstr

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
    "rest_framework.authtoken",
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
    "peaceops.ceasefire",
    "peaceops.returns",
    "peaceops.exchanges",
    "peaceops.restoration",
    "peaceops.intake",
    "peaceops.sources",
    "peaceops.reports",
    "peaceops.scenario",
    "peaceops.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "peaceops.core.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "peaceops.core.middleware.RequestIdMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"timeout": 30, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": envstr("PEACEOPS_TEST_SQLITE", "") or None}
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

AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "8")
AXES_COOLOFF_TIME = 1  # hours
AXES_ENABLED = envbool("AXES_ENABLED", "yes")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = envstr("PEACEOPS_TIME_ZONE", "Asia/Yerevan")  # UTC+4; Asia/Baku agrees
# The reporting day ends at this local time (HH:MM); counts per "day" use periods ending at the cut-off.
PEACEOPS_DAY_CUTOFF = envstr("PEACEOPS_DAY_CUTOFF", "24:00")
# Public outputs never show a count of fewer people than this (a small cell can identify someone).
PEACEOPS_SMALL_CELL = envint("PEACEOPS_SMALL_CELL", "5")

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even when serving from the finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", "yes")
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(DATA_DIR / "media")))
ATTACHMENT_ROOT = Path(envstr("PEACEOPS_ATTACHMENT_ROOT", str(DATA_DIR / "attachments")))
# An optional base-map tile URL template; offline, the map draws the gazetteer without tiles.
MAP_TILE_URL = envstr("PEACEOPS_MAP_TILE_URL", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "peaceops.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute"},
}
API_TOKEN_TTL_HOURS = envint("API_TOKEN_TTL_HOURS", "72")
SPECTACULAR_SETTINGS = {
    "TITLE": "PeaceOps API",
    "DESCRIPTION": "Ceasefire compliance, returns, exchanges, restoration and reporting.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"ReliabilityEnum": "peaceops.core.models.sources.Reliability"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

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
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", "no") else None
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(12 * 3600))
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
