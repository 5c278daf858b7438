# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install run test test-browser install-browser bench bench-directory bench-showroom lint messages stop clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

## Start the platform with two demo programmes (embedded PostgreSQL/Redis when no URLs are set).
run: install
	$(VENV)/bin/comptoir dev

## Run the test suite (uses PostgreSQL/Redis on 127.0.0.1 when they answer, embedded ones otherwise).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

$(VENV)/.browser-installed: $(VENV)/.installed
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(PY) -m pip install --quiet -e ".[test,browser]"
	touch $@

install-browser: $(VENV)/.browser-installed

## End-to-end and accessibility tests in Debian's Chromium, driven by Playwright.
test-browser: install-browser
	$(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

## Provisioning benchmark: pool/clone versus migrate, N tenants each way.
bench: install
	$(VENV)/bin/comptoir bench_provisioning --count $${N:-5}

## Directory search benchmark: N generated companies in a throwaway programme (default 100000).
bench-directory: install
	$(VENV)/bin/comptoir bench_directory --companies $${N:-100000}

## Showroom benchmark: 1,000 companies, 1,000,000 products, 200,000 buyers and a year of activity in a throwaway programme.
bench-showroom: install
	$(VENV)/bin/comptoir bench_showroom $(BENCH_ARGS)

lint: install
	$(VENV)/bin/ruff check .

## Update the catalogues in locale/ and compile them (needs gettext; see docs/translations.md).
messages: install
	DJANGO_SETTINGS_MODULE= $(VENV)/bin/django-admin makemessages -l fr -l en --ignore=.venv --ignore=tests --ignore='.data/*'
	DJANGO_SETTINGS_MODULE= $(VENV)/bin/django-admin compilemessages --ignore=.venv --ignore=.data

## Stop the embedded PostgreSQL left running by `make run`.
stop: install
	$(PY) -m platform_core.devserver --stop

clean:
	rm -rf $(VENV) .data
