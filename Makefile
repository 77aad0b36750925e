# Samverkansportalen: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The address in e-mail links and feeds: the server `make run` starts, unless PORTAL_BASE_URL is set.
BASE_URL := $(or $(PORTAL_BASE_URL),http://$(HOST):$(PORT))

.PHONY: run test test-sqlite test-postgres test-deps install messages demo bench lint format clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

messages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules >/dev/null

demo: install messages
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_demo

run: demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	@PORTAL_BASE_URL=$(BASE_URL) $(MANAGE) demo_logins
	@PORTAL_BASE_URL=$(BASE_URL) bash .ci/serve.sh $(HOST) $(PORT)

test-deps: install messages
	@bash .ci/install-test-deps.sh

test: test-deps
	@bash .ci/test.sh

test-sqlite: test-deps
	@TEST_DATABASES=sqlite bash .ci/test.sh

test-postgres: test-deps
	@TEST_DATABASES=postgresql bash .ci/test.sh

bench: install messages
	@bash .ci/bench.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles
