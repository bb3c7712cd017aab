# Cellwright: make run · make test · make bench · make lint · make dist  (each creates .venv on first use)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-slow test-dist bench lint format example report screenshots dist clean

# uv downloads and unpacks in parallel: the same packages as pip in a quarter of the time (59 s
# against 221 s for a cold install here); pip stays the fallback.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip uv
	$(VENV)/bin/uv pip install -q --python $(PY) -e '.[dev]' || $(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Start Cellwright on the built-in library and the example project. Without a display it says so
# and runs the headless example study instead.
run: $(STAMP)
	$(PY) -m cellwright.app.launch

# The suite CI runs, on two pytest-xdist workers (each with its own virtual X display from
# pytest-xvfb): the suite's GUI waits, subprocesses and solver runs overlap on CI's two cores
# (11.7 min here with a bundle build beside it, where one worker alone took over 20).
test: $(STAMP)
	$(VENV)/bin/pytest -n 2 -m "not slow and not bench and not dist" -q --durations=15

# Long validation cases (finer meshes, full measured-data comparisons).
test-slow: $(STAMP)
	$(VENV)/bin/pytest -m "slow" -q

# The one-folder PyInstaller bundle in dist/cellwright (about ten minutes; docs/install.md).
dist:
	bash installer/build.sh

# Build the bundle and test it as a user would: CLI, headless example, window, every engine family.
test-dist: $(STAMP) dist
	$(VENV)/bin/pytest tests/dist -m dist -q -s

bench: $(STAMP)
	$(VENV)/bin/pytest tests/bench -m bench -s --benchmark-columns=min,mean,max,rounds -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the example project from the real engines (and its PDF report beside it).
example: $(STAMP)
	$(PY) -m cellwright.app.example_project

# The example project and its design report: build/example.cwproj, build/example-report.pdf.
report: $(STAMP)
	mkdir -p build
	$(PY) -m cellwright.app.example_project build/example.cwproj

# The documentation's screenshots (docs/screenshots), taken in the window on the example project
# (in a virtual display when there is no screen).
screenshots: $(STAMP)
	$(if $(DISPLAY),,xvfb-run -a -s "-screen 0 1600x1000x24") $(PY) -m cellwright.app.screenshots docs/screenshots

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .benchmarks
