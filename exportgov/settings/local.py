"""Settings for `make run` on a developer's machine.

With no DATABASE_URL the app runs on a SQLite file in var/; with no REDIS_URL Celery
tasks run eagerly in the web process. Set both to use PostgreSQL, Redis and a worker.
"""

from .embedded import EMBEDDED_REDIS_URL, fill_embedded_environment

fill_embedded_environment()

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}

EMBEDDED_QUEUE = REDIS_URL == EMBEDDED_REDIS_URL  # noqa: F405
if EMBEDDED_QUEUE:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
# runserver serves static files from the finders; WhiteNoise is for production.
MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
