# ExportGov production image: gunicorn by default; the same image runs the Celery worker,
# Celery beat and the one-shot migration (see docker-compose.yml).
FROM python:3.11-slim

# PYTHONPATH: `pip install .` installs the dependencies and a copy of the Python packages
# only (no templates, static files or pyproject.toml, which settings/base.py reads from
# BASE_DIR). The app must run from /app, so /app comes before site-packages.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=exportgov.settings.base

# WeasyPrint's native libraries and a font; Node.js and npm for the front-end packages;
# ICU and a compiler to build PyICU (the screening engine's transliteration).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        nodejs npm libicu-dev pkg-config g++ \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 exportgov \
    && useradd --system --uid 10001 --gid exportgov --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin exportgov

WORKDIR /app

# Front-end packages first: this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .
RUN pip install . \
    && bash scripts/copy_assets.sh \
    && rm -rf node_modules build ./*.egg-info

# Static files are collected at build time. The values below are throwaway placeholders
# that exist only for this command (nothing connects to the database or Redis); the real
# ones come from the runtime environment.
RUN DJANGO_SETTINGS_MODULE=exportgov.settings.base \
    DJANGO_SECRET_KEY=collectstatic-build-only-not-a-secret \
    DATABASE_URL=sqlite:////tmp/collectstatic-unused.sqlite3 \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/collectstatic-unused.sqlite3

# The code stays owned by root (read-only for the app); only var/ (uploads under
# var/media, the beat schedule) is writable by the app user.
RUN mkdir -p /app/var/media && chown -R exportgov:exportgov /app/var

USER exportgov:exportgov
EXPOSE 8000

CMD ["gunicorn", "exportgov.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
