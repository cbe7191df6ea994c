# Provider Portal. Quick start: `make run` (serve the portal) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cat package.json package-lock.json | cksum | cut -d' ' -f1)
CSS := portal/frontend/static/portal/portal.css
SCSS := $(wildcard portal/frontend/scss/*.scss)

.PHONY: run test install static lint types lock bench clean

run: install static
	scripts/ensure_clamav.sh || true
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo_data
	$(PY) manage.py serve_dev

test: install static
	scripts/test.sh

install: $(PY_STAMP) $(NODE_STAMP)
	@scripts/ensure_pdf_libraries.sh || true

$(PY_STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-*
	touch $@

static: $(CSS)

$(CSS): $(SCSS) $(NODE_STAMP)
	npm run --silent build:css

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	$(VENV)/bin/mypy .

# Re-resolve requirements.in into the pinned lock file.
lock: install
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-header --output-file requirements.lock requirements.in

bench: install static
	scripts/bench.sh

clean:
	rm -rf $(VENV) node_modules var $(CSS)
