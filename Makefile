# The one entry point. Needs only Python >= 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := DJANGO_SETTINGS_MODULE=ancrage.settings.dev $(BIN)/python -m django
PYTEST := DJANGO_SETTINGS_MODULE=ancrage.settings.test $(BIN)/python -m pytest
# Python keeps the bytecode of what it compiles (in __pycache__/, ignored by git), even where the
# environment says not to: each test process then skips recompiling and rewriting the assertions
# of 500 modules (collecting the suite: 8.2 s without the cache, 4.6 s with it), and each Django
# process the project's own modules (a `manage.py check`: 1.7 s against 1.35 s).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo test test-browser quality fix lock serve clean bench-allocation bench-indicators bench-import bench-web mypy-baseline

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements/lock.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/ancrage demo --serve

# In parallel (pytest-xdist, one worker per core); the test database is kept between local runs
# (--reuse-db; .ci/run passes --create-db).
TEST_WORKERS ?= auto
test: install
	$(PYTEST) -n $(TEST_WORKERS) --dist worksteal --reuse-db $(PYTEST_ARGS)

test-browser: install
	ANCRAGE_REQUIRE_BROWSER=1 $(PYTEST) -m browser $(PYTEST_ARGS)

quality: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/mypy_baseline.py
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=ancrage.settings.production \
	  ANCRAGE_SECRET_KEY=quality-check-only-0123456789abcdefghijklmnopqrstuvwxyz \
	  ANCRAGE_ALLOWED_HOSTS=ancrage.example.org \
	  $(BIN)/python -m django check --deploy --fail-level WARNING

# After fixing mypy errors outside the strict modules: record the smaller baseline.
mypy-baseline: install
	$(BIN)/python scripts/mypy_baseline.py --update

fix: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the pinned lock file after changing pyproject.toml (needs network access to PyPI).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -q -o requirements/lock.txt

bench-allocation: install
	$(BIN)/python -m bench.allocation $(if $(QUICK),--quick,)

# PostgreSQL only (DATABASE_URL): generates the preset in that database if it is not there yet.
bench-indicators: install
	$(BIN)/python -m bench.indicators --preset $(or $(PRESET),regional)

# The database of DATABASE_URL (SQLite by default), migrated first; PEOPLE=2000 for a quick run.
# Then a landlord's file for outreach: LINES=100000 for a quick run (1,000,000 by default).
bench-web: install
	$(BIN)/python -m bench.web $(if $(REQUESTS),--requests $(REQUESTS),) $(if $(WORKERS),--workers $(WORKERS),)

bench-import: install
	$(BIN)/python -m bench.imports --people $(or $(PEOPLE),20000)
	$(BIN)/python -m bench.outreach --lines $(or $(LINES),1000000)

serve: install
	$(BIN)/ancrage serve

clean:
	rm -rf $(VENV) var/*.sqlite3*
