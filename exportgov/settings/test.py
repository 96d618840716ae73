"""Test settings: real PostgreSQL and Redis (overridable), only speed overrides beyond that."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-any-production-use")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/exportgov")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AUDIT_CHAIN_KEY = "test-audit-chain-key"
# Tests build cases and read the figures at once; the cache's own test turns it on.
TRANSPARENCY_CACHE_SECONDS = 0
# The test client and live server serve static files themselves.
MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
