# Agora: `make run` serves the demo city; `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
export PORT

.PHONY: help run test lint typecheck unit browser bench messages lock clean

help:
	@echo "make run     set up and serve the demo city on http://127.0.0.1:$(PORT)"
	@echo "make test    set up and run every check and test"
	@echo "make bench   measure requests/s, latency and page weight under production settings"
	@echo "make messages  update the translation catalogues"
	@echo "make lock    re-resolve the locked dependencies from pyproject.toml"

# uv installs the locked packages (with their hashes checked) several times faster than pip.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes

$(VENV)/bin/python:
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(UV) -r requirements/base.txt
	@touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(VENV)/bin/python
	$(UV) -r requirements/dev.txt
	@touch $@ $(VENV)/.installed-base

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: system-packages browser-packages compiled-messages
system-packages:
	@scripts/ensure-system-packages

browser-packages:
	@scripts/ensure-system-packages --browser

compiled-messages: system-packages $(VENV)/.installed-base
	@$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

run: $(VENV)/.installed-base compiled-messages
	$(MANAGE) migrate --no-input -v0
	@if [ ! -f var/.demo-loaded ]; then $(MANAGE) seed_demo && touch var/.demo-loaded; \
	  else echo "Demo city already loaded (delete var/.demo-loaded to load it again)."; fi
	@$(MANAGE) collectstatic --no-input -v0
	scripts/serve

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(VENV)/bin/mypy agora config bench tests conftest.py

test: $(VENV)/.installed-dev node_modules/.installed browser-packages compiled-messages
	scripts/test

bench: $(VENV)/.installed-dev browser-packages compiled-messages
	$(PY) bench/run.py

# French is the source language: its catalogue repeats each message (msgen) so that French
# plural rules apply; English messages are translated by hand in locale/en.
messages: $(VENV)/.installed-base system-packages
	$(MANAGE) makemessages -l en -l fr --no-obsolete --no-location \
	  --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests --ignore=bench
	msgattrib --clear-fuzzy --empty -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	msgen --force-po -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	$(MANAGE) quebec_library_messages
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0
	@msgfmt --statistics -o /dev/null locale/en/LC_MESSAGES/django.po

lock: $(VENV)/.installed-dev
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --universal --generate-hashes -q -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --group pyproject.toml:dev --python-version 3.12 --universal --generate-hashes -q -o requirements/dev.txt

clean:
	rm -rf $(VENV) node_modules var/static
