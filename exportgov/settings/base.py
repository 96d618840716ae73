"""Production-shaped settings, read from the environment.

There is no production.py: production is this file with its environment. `local.py`
(the `make run` embedded default) and `test.py` adjust it. Secrets have no defaults here,
so a deployment without DJANGO_SECRET_KEY, DATABASE_URL or REDIS_URL refuses to start.
"""

import tomllib
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    env.read_env(str(BASE_DIR / ".env"))

with (BASE_DIR / "pyproject.toml").open("rb") as pyproject:
    EXPORTGOV_VERSION = tomllib.load(pyproject)["project"]["version"]

# Core
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be a random string of 32 characters or more."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ROOT_URLCONF = "exportgov.urls"
WSGI_APPLICATION = "exportgov.wsgi.application"
ASGI_APPLICATION = "exportgov.asgi.application"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("EXPORTGOV_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_fsm",
    "django_htmx",
    "template_partials",
    "django_countries",
    "csp",
]
LOCAL_APPS = [
    "exportgov.core",
    "exportgov.accounts",
    "exportgov.audit",
    "exportgov.notifications",
    "exportgov.transparency",
    "licensing",
    "screening",
    "appeals",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

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
                "csp.context_processors.nonce",
                "exportgov.core.context_processors.site",
            ],
        },
    },
]

# Accounts, sessions and passwords
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=2).total_seconds())
INVITATION_VALID_FOR = timedelta(days=env.int("EXPORTGOV_INVITATION_DAYS", default=7))
# Sessions end after this much inactivity (each request renews the cookie).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
ANONYMOUS_USER_NAME = None  # guardian: anonymous visitors get no object permissions

# Security headers and Content Security Policy (no inline scripts anywhere)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Static files: front-end packages are copied from node_modules into exportgov/static/vendor
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "exportgov" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("EXPORTGOV_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded documents go to local disk unless an S3-compatible bucket is configured.
if env("EXPORTGOV_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("EXPORTGOV_S3_BUCKET"),
            "endpoint_url": env("EXPORTGOV_S3_ENDPOINT_URL", default=None),
            "region_name": env("EXPORTGOV_S3_REGION", default=None),
            "access_key": env("EXPORTGOV_S3_ACCESS_KEY", default=None),
            "secret_key": env("EXPORTGOV_S3_SECRET_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Email
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env(
    "DJANGO_DEFAULT_FROM_EMAIL", default="ExportGov <no-reply@exportgov.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[ExportGov] "

# Redis, cache and Celery
REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
HEALTH_CHECK_TIMEOUT = env.float("EXPORTGOV_HEALTH_CHECK_TIMEOUT", default=1.0)

# Audit log: events are chained with an HMAC whose key lives outside the database,
# so a row forged by someone with database access alone does not verify.
AUDIT_CHAIN_KEY = env("EXPORTGOV_AUDIT_CHAIN_KEY", default="") or SECRET_KEY

# REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request without credentials is answered 401, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "exportgov.core.api.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "exportgov.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ExportGov API",
    "DESCRIPTION": "Export licensing for dual-use research tools, software and technology.",
    "VERSION": EXPORTGOV_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(asctime)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
EXPORTGOV_SITE_URL = env("EXPORTGOV_SITE_URL", default="http://127.0.0.1:8000")
FORM_RENDERER = "exportgov.core.forms.FormRenderer"

# Licensing
LICENSING_HOLIDAY_COUNTRY = env("EXPORTGOV_HOLIDAY_COUNTRY", default="GB")
LICENSING_HOLIDAY_SUBDIVISION = env("EXPORTGOV_HOLIDAY_SUBDIVISION", default="ENG") or None
LICENSING_TIER_WORKING_DAYS = {"low": 5, "medium": 20, "high": 40}
# The tier of a case that reaches triage without a screening result.
LICENSING_UNSCREENED_TIER = "medium"
APPEALS_WINDOW_DAYS = env.int("EXPORTGOV_APPEALS_WINDOW_DAYS", default=28)  # calendar days
APPEALS_WORKING_DAYS = env.int("EXPORTGOV_APPEALS_WORKING_DAYS", default=20)
LICENSING_LICENCE_VALID_DAYS = env.int("EXPORTGOV_LICENCE_VALID_DAYS", default=730)
LICENSING_UPLOAD_MAX_BYTES = env.int("EXPORTGOV_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# Control data (CCL, Country Chart, Country Groups, licence exceptions, EU Annex I): the
# files `manage.py import_controls` and the demo seeding import; see data/controls/SOURCES.md.
CONTROL_DATA_DIR = BASE_DIR / "data" / "controls"

# Flagging pipeline: the risk score (0-100) at or above which a case is medium or high tier;
# a run queued or running longer than this is queued again, and failed after so many starts.
SCREENING_TIER_THRESHOLDS = {"medium": 25, "high": 60}
SCREENING_STUCK_AFTER_SECONDS = env.int("EXPORTGOV_SCREENING_STUCK_AFTER_SECONDS", default=600)
SCREENING_MAX_ATTEMPTS = env.int("EXPORTGOV_SCREENING_MAX_ATTEMPTS", default=3)

# Sunset reviews: a review of a rule version opens this many days before its sunset date;
# a renewal may set the new sunset at most this many days ahead.
SUNSET_REVIEW_LEAD_DAYS = 60
SUNSET_RENEWAL_MAX_DAYS = 730
# An imported edition of control data applies for this many days unless a review renews it.
CONTROL_DATA_SUNSET_DAYS = 365

# The public transparency figures are computed at most once per this many seconds per period.
TRANSPARENCY_CACHE_SECONDS = env.int("TRANSPARENCY_CACHE_SECONDS", default=300)

# Public consultations: the shortest comment period, and how many comments one client (by IP
# address) may send per hour (django-ratelimit's rate syntax).
CONSULTATION_MIN_DAYS = 14
CONSULTATION_COMMENT_RATE = "5/h"

# Screening: the score at or above which a name counts as a match, per list. Calibrated on
# data/screening_eval with benchmarks/screening_eval.py (its threshold sweep).
SCREENING_THRESHOLDS = {
    "default": 0.8,
    "un_sc": 0.75,
    "us_bis_dpl": 0.75,
    "us_csl": 0.8,
    "us_ofac_consolidated": 0.775,
    "us_ofac_sdn": 0.775,
}
