# LearnPulse task runner. The two commands of the README:
#   make run    install what is needed, then start the dashboard on http://127.0.0.1:8050
#   make test   install what is needed (Chromium included), then ruff + the whole pytest suite
#   (make test-fast: without the browser tests; make coverage: the suite with line coverage)
# pytest runs on one worker process per core (pytest-xdist; TEST_WORKERS=0 runs it in this process); each worker
# has its own PostgreSQL database and folders, and tests that share Redis run on one worker (xdist_group)
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup
SUDO := $(shell [ "$$(id -u)" != "0" ] && command -v sudo >/dev/null && echo sudo)

.PHONY: run test test-fast coverage setup chromium axe ralph lint bench load clean

run: setup
	$(BIN)/learnpulse serve

test: setup chromium axe ralph
	$(BIN)/ruff check .
	$(PYTEST)

# the inner loop: everything but the Chromium tests
test-fast: setup
	$(BIN)/ruff check .
	$(PYTEST) -m "not browser"

# line coverage of the whole suite (coverage.py)
coverage: setup chromium axe ralph
	$(PYTEST) --cov=dashboard --cov=layouts --cov=callbacks --cov=data_access --cov-report=term

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,prod]"
	touch $@

# Debian's Chromium for the browser tests (never a browser download of a test tool)
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium + chromium-driver"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; \
	fi

# axe-core from npm, which the browser tests inject into every page (tests/axe.py); the version is pinned by
# tests/axe/package-lock.json
axe: tests/axe/node_modules/axe-core/axe.min.js

tests/axe/node_modules/axe-core/axe.min.js: tests/axe/package.json tests/axe/package-lock.json
	npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
	touch $@

# Ralph, a real LRS, for the `xapi pull` test: in its own virtualenv (its dependencies are not ours); the test
# skips with the reason when it could not be installed
RALPH_VENV ?= .venv-ralph
ralph: $(RALPH_VENV)/.installed

$(RALPH_VENV)/.installed:
	@$(PY) -m venv $(RALPH_VENV) && $(RALPH_VENV)/bin/python -m pip install -q "ralph-malph[backend-fs,cli,lrs]>=5,<6" requests \
	  && touch $@ || echo "Ralph LRS could not be installed: the xapi pull test will be skipped"

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/import_bench.py

# Locust against 127.0.0.1: owner-only, then mixed roles each in its own scope (bench/load.py; LOAD_ARGS e.g.
# "--learners 100000 --seconds 120"; DATABASE_URL and CACHE_REDIS_URL are honoured)
LOAD_ARGS ?=
load: setup
	$(BIN)/python bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) $(RALPH_VENV) tests/axe/node_modules .pytest_cache .ruff_cache *.egg-info
