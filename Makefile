# Callimachus: `make run` serves the embedded default, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 5000
PY     := $(VENV)/bin/python

.PHONY: run test lint bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/callimachus init
	PORT=$(PORT) $(VENV)/bin/callimachus serve --port $(PORT)

test: $(VENV)/.installed-test lint
	scripts/ensure-chromium.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy

bench: $(VENV)/.installed-test
	$(PY) bench/upload.py
	$(PY) bench/records.py
	$(PY) bench/oai.py
	$(PY) bench/search.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
