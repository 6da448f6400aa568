# gorod: two commands for a newcomer (README):
#   make demo   create .venv, install, migrate SQLite, seed the demo city, serve on :8000
#   make test   run the whole test suite (DATABASE_URL picks the database; SQLite by default)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: demo test install browser lint messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium (they are skipped without it)"; fi; }

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py run_demo

test: install browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy gorod config
	$(BIN)/lint-imports

messages: install
	cd gorod && for app in */; do [ -d "$$app/locale" ] && (cd $$app && ../../$(PY) ../manage.py compilemessages >/dev/null); done; true

clean:
	rm -rf $(VENV) gorod.sqlite3 gorod.sqlite3-* staticfiles
