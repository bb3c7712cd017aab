# Cellwright: make run · make test · make bench · make lint  (each creates .venv on first use)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-slow bench lint format example clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Start Cellwright on the built-in library and the example project. Without a display it says so
# and runs the headless example study instead.
run: $(STAMP)
	$(PY) -m cellwright.app.launch

# The suite CI runs. GUI tests get a virtual X display from pytest-xvfb.
test: $(STAMP)
	$(VENV)/bin/pytest -m "not slow and not bench" -q

# Long validation cases (finer meshes, full measured-data comparisons).
test-slow: $(STAMP)
	$(VENV)/bin/pytest -m "slow" -q

bench: $(STAMP)
	$(VENV)/bin/pytest tests/bench -m bench -s --benchmark-columns=min,mean,max,rounds -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the example project from the real engines.
example: $(STAMP)
	$(PY) -m cellwright.app.example_project

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .benchmarks
