#!/usr/bin/env bash
# Serve ExportGov on http://127.0.0.1:8000. With REDIS_URL set, a Celery worker and beat run
# beside the web server (and stop with it); without it, tasks run eagerly in the web process.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
pids=()
if [ -n "${REDIS_URL:-}" ]; then
  "$bin/celery" -A exportgov worker --loglevel=info --concurrency=2 & pids+=($!)
  "$bin/celery" -A exportgov beat --loglevel=info --schedule=var/celerybeat-schedule & pids+=($!)
  trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
fi
"$bin/python" manage.py runserver 127.0.0.1:8000
