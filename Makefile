# LearnPulse task runner. The two commands of the README:
#   make run    install what is needed, then start the dashboard on http://127.0.0.1:8050
#   make test   install what is needed (Chromium included), then ruff + the whole pytest suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" != "0" ] && command -v sudo >/dev/null && echo sudo)

.PHONY: run test setup chromium lint bench clean

run: setup
	$(BIN)/learnpulse serve

test: setup chromium
	$(BIN)/ruff check .
	$(BIN)/pytest

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

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python bench/import_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
