# gorod: two commands for a newcomer (README):
#   make demo   create .venv, install, migrate SQLite, seed the demo city, serve on :8000
#   make test   run the whole test suite (DATABASE_URL picks the database; SQLite by default)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: demo test install system-deps lint messages openapi clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser download), GNU
# gettext for the translation check, redis-server for the shared-cache tests and node + npm for
# the test OpenID provider (ops/oidc). Installed when run as root; otherwise those tests skip.
system-deps:
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v xgettext >/dev/null 2>&1 || missing="$$missing gettext"; \
	  command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	  command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	  command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	    else echo "For browser, translation, Redis and OpenID tests: sudo apt-get install$$missing (skipped without them)"; fi; fi

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	ops/oidc/with-demo-provider.sh $(PY) manage.py run_demo

test: install system-deps
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy gorod config
	$(BIN)/lint-imports

messages: install
	cd gorod && for app in */; do [ -d "$$app/locale" ] && (cd $$app && ../../$(PY) ../../manage.py compilemessages >/dev/null); done; true

openapi: install
	$(PY) manage.py export_openapi

clean:
	rm -rf $(VENV) gorod.sqlite3 gorod.sqlite3-* staticfiles
