# Coder to CTO — the two commands are `make lab` and `make test`; everything else is for maintainers.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: venv lab test test-unit test-notebooks test-browser bench release outputs data doctor lock clean

## venv: create .venv from requirements.lock (idempotent; quick when already up to date)
venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "Python 3.11 or newer is needed; found %d.%d. Run: make PYTHON=python3.11 ..." % v[:2])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

## lab: set everything up and open the workshop in JupyterLab
lab: venv
	$(PY) -m ctopath.doctor --quiet || true
	$(PY) -m jupyter lab notebooks/00-orientation.ipynb

## test: set everything up and run every test (unit, notebooks, browser)
test: venv
	$(PY) -m pytest tests

test-unit: venv
	$(PY) -m pytest tests/unit

test-notebooks: venv
	$(PY) -m pytest tests/notebooks

test-browser: venv
	$(PY) -m pytest tests/browser

## bench: time every notebook in a fresh kernel and every check(); prints a table
bench: venv
	$(PY) -m ctopath.bench

## release: write the learner notebooks exercises/*.ipynb from the answer set
release: venv
	$(PY) -m ctopath.release

## outputs: re-run lessons and answer notebooks, store their outputs, then release
outputs: venv
	$(PY) -m ctopath.release --run

## data: regenerate data/*.csv (deterministic)
data: venv
	$(PY) -m ctopath.datagen

doctor: venv
	$(PY) -m ctopath.doctor

## lock: re-resolve requirements.lock from pyproject.toml (then run `make outputs`)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check setuptools '.[test]'
	(head -4 requirements.lock; .lock-venv/bin/pip freeze --all | grep -v -E '^(pip|ctopath)==') > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
