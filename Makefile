# Coder to CTO — the two commands are `make lab` and `make test`; everything else is for maintainers.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: translate venv lab test check test-unit test-notebooks test-browser bench release outputs data doctor lock clean

KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py

## venv: create .venv from requirements.lock (idempotent; quick when already up to date)
venv: $(STAMP) $(KERNEL_CONFIG)

# The workshop's kernels load the ctopath IPython extension: one-sentence errors, and a hint
# when a notebook's setup cell was skipped. Only this venv's kernels are affected.
$(KERNEL_CONFIG): $(STAMP)
	@mkdir -p $(dir $@)
	@printf '%s\n' '# Written by make venv (see the Makefile): load the workshop extension in every kernel.' \
	  'c.InteractiveShellApp.extensions = ["ctopath"]' > $@

# uv installs the hashed lock (about 20 s on this 2-core machine with a warm cache, against about
# two minutes for pip); the venv's own pip installs uv first, from a hashed pin of its own.
$(STAMP): requirements.lock requirements-bootstrap.lock pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "Python 3.11 or newer is needed; found %d.%d. Run: make PYTHON=python3.11 ..." % v[:2])'
	@test -x $(PY) || { echo "Creating $(VENV) ..."; $(PYTHON) -m venv $(VENV); }
	@echo "Installing the installer (uv, pinned and hashed) ..."
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bootstrap.lock
	@echo "Installing the workshop's $$(grep -c '==' requirements.lock) pinned packages, every hash checked ..."
	$(VENV)/bin/uv pip sync --python $(PY) --require-hashes requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps --no-build-isolation -e .
	@touch $@

## lab: set everything up and open the workshop in JupyterLab (`make lab CTOPATH_LANG=zh`: 中文版)
lab: venv
	$(PY) -m ctopath lab

## check: the quick checks pre-commit runs too: ruff, learner notebooks released, lock files, agendas,
## the Chinese edition complete and current
check: venv
	$(VENV)/bin/ruff check src tests
	$(PY) -m ctopath release --check
	$(PY) -m ctopath lock --check
	$(PY) -m ctopath agenda --check
	$(PY) -m ctopath translate --check

## test: set everything up and run every test (unit, notebooks, browser)
# Two pytest workers (the machine has two cores). Each file's tests stay together on one worker (so
# a notebook's cells run in order in one kernel under nbval), except the files conftest.py lists as
# standing alone test by test; every worker runs its share in the order of a serial run.
TEST_WORKERS ?= 2
test: venv
	@$(MAKE) --no-print-directory check
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder  # testpaths: tests, notebooks, exercises/answers (strict nbval)

test-unit: venv
	$(PY) -m pytest tests/unit

test-notebooks: venv
	$(PY) -m pytest tests/notebooks

test-browser: venv
	$(PY) -m pytest tests/browser

## bench: time every notebook in a fresh kernel and every check(); prints a table
bench: venv
	$(PY) -m ctopath bench --update-readme

## release: write the learner notebooks exercises/*.ipynb from the answer set
release: venv
	$(PY) -m ctopath release

## outputs: re-run lessons and answer notebooks, store their outputs, then release
outputs: venv
	$(PY) -m ctopath outputs

## translate: write the Chinese notebooks (zh/) from the English and the catalogs (then `make outputs`)
translate: venv
	$(PY) -m ctopath translate

## data: regenerate data/*.csv (deterministic)
data: venv
	$(PY) -m ctopath data

doctor: venv
	$(PY) -m ctopath doctor

# -- the JupyterHub room (deploy/jupyterhub/) and the instructor's kit ------------------------
.PHONY: test-room bench-room agenda
HUB_NODE := deploy/jupyterhub/node
CHP      := $(HUB_NODE)/node_modules/.bin/configurable-http-proxy
N        ?= 30

## test-room: a real JupyterHub on 127.0.0.1 with 10 learners as real Unix users (needs root;
## everything it creates it removes; skips with a reason otherwise)
test-room: venv $(CHP)
	CTOPATH_ROOM_TESTS=1 $(PY) -m pytest tests/room

## bench-room: spawn N learners (make bench-room N=30), run a notebook in each; times and memory
bench-room: venv $(CHP)
	$(PY) tests/room/bench_room.py --learners $(N)

## agenda: regenerate docs/agenda.md and the agenda in docs/instructor-guide.md from the modules
agenda: venv
	$(PY) -m ctopath agenda --write

# configurable-http-proxy, pinned by package-lock.json, installed into the project (never globally)
$(CHP): $(HUB_NODE)/package.json $(HUB_NODE)/package-lock.json
	npm ci --prefix $(HUB_NODE) --no-audit --no-fund
	@touch $@

## lock: re-resolve requirements.lock from pyproject.toml with uv, keeping today's versions
## (make lock UPGRADE="pandas"); then run `make outputs`
lock: venv
	$(PY) -m ctopath lock --lock $(if $(UPGRADE),--upgrade $(UPGRADE))

clean:
	rm -rf $(VENV) .pytest_cache build src/*.egg-info
