# ExportGov: `make run` serves the app with demo data; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
VENDOR := exportgov/static/vendor

.PHONY: run test install lint

install: $(VENV)/.installed $(VENDOR)/.copied

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.installed scripts/copy_assets.sh
	scripts/copy_assets.sh
	touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	scripts/run.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=exportgov.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	if command -v docker-compose >/dev/null; then docker-compose -f docker-compose.yml config --quiet; \
	else echo "docker-compose not installed: compose file not validated"; fi

test: lint
	$(BIN)/pytest
