# The two set-up commands are `make run` and `make test`; both install what they need first.
# Every target is safe to run again: stamps make a second run quick and change nothing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# The demo's OpenID Provider (Esbjerg logs in through it): oidc-provider from npm, on 127.0.0.1.
OIDC_PORT ?= 5001
ETIKDIALOG_DEMO_OIDC_SECRET ?= demo-client-secret-only-for-make-run
# Two local witnesses cosign the demo log's checkpoints (etikdialog-witness, README 'Witnesses').
WITNESS_PORT_1 ?= 5002
WITNESS_PORT_2 ?= 5003
WITNESS_NAME ?= localhost/etikdialog-vidne
export ETIKDIALOG_DEMO_OIDC_SECRET
STAMPS := .make
DKFDS_STATIC := app/static/dkfds
export FLASK_APP := app

.PHONY: install run test bench lint clean translations lock

CATALOGUE := app/translations/en/LC_MESSAGES/messages

install: $(STAMPS)/python $(DKFDS_STATIC)/.copied $(CATALOGUE).mo $(STAMPS)/xmlsec1

# SAML single sign-on signs and checks with Debian's xmlsec1 (pysaml2 calls it); installed here
# when we may (as root), as `make bench` does for wrk.
$(STAMPS)/xmlsec1:
	@command -v xmlsec1 >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xmlsec1 >/dev/null 2>&1; } || \
		echo "xmlsec1 is not installed (apt-get install xmlsec1): SAML single sign-on will not work"
	@command -v xmlsec1 >/dev/null 2>&1 && mkdir -p $(STAMPS) && touch $@ || true

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Python packages come from the dev lock, every one pinned with its hashes (README "Dependencies");
# the packages themselves (the verifier in verifier/, then the portal) are then installed in place
# without resolving anything (the lock holds the verifier's dependencies: the portal has them too). A new lock, or a
# change to setup.cfg, reinstalls; otherwise a second run installs nothing.
LOCKS := requirements/runtime.txt requirements/dev.txt

$(STAMPS)/python: $(BIN)/python $(LOCKS) setup.cfg pyproject.toml verifier/pyproject.toml
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e ./verifier
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@mkdir -p $(STAMPS) && touch $@

# Rewrites the locks from setup.cfg: requirements/runtime.txt (install_requires and the redis
# extra, what a server installs) and requirements/dev.txt (also the test and bench extras, at the
# runtime lock's versions), with hashes, for Python 3.11 on Linux. A package already locked keeps
# its version unless setup.cfg no longer allows it; `make lock UPGRADE=1` takes the newest allowed.
# uv runs from its own small environment, so the project's .venv holds exactly the dev lock.
UV_VERSION := 0.13.9
UV := $(STAMPS)/uv/bin/uv
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
	--custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade)

$(UV):
	$(PYTHON) -m venv $(STAMPS)/uv
	$(STAMPS)/uv/bin/python -m pip install --quiet 'uv==$(UV_VERSION)'

lock: $(UV)
	@mkdir -p requirements
	$(UV) pip compile pyproject.toml --extra redis $(LOCK_FLAGS) -o requirements/runtime.txt
	$(UV) pip compile pyproject.toml --extra redis --extra test --extra bench $(LOCK_FLAGS) \
		--constraint requirements/runtime.txt -o requirements/dev.txt

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The design system's CSS, JS, images and fonts are served from the app's static folder.
$(DKFDS_STATIC)/.copied: node_modules/.package-lock.json
	rm -rf $(DKFDS_STATIC)
	mkdir -p $(DKFDS_STATIC)
	cp -R node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/img $(DKFDS_STATIC)/
	mkdir -p $(DKFDS_STATIC)/fonts/IBMPlexSans
	cp -R node_modules/dkfds/dist/fonts/IBMPlexSans/complete $(DKFDS_STATIC)/fonts/IBMPlexSans/
	touch $@

# The English catalogue is kept as .po in git and compiled here; tests fail on a gap in it.
$(CATALOGUE).mo: $(CATALOGUE).po $(STAMPS)/python
	$(BIN)/pybabel compile --statistics -d app/translations -l en

# After marking new strings: extract them, merge them into the .po, then translate the gaps.
translations: $(STAMPS)/python
	@mkdir -p build
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -k _l -k line -o build/messages.pot .
	$(BIN)/pybabel update --init-missing --no-fuzzy-matching --ignore-obsolete -i build/messages.pot -d app/translations -l en

# The address `make run` serves is the one frozen into signed PDFs and their QR codes, unless
# PUBLIC_BASE_URL is set (a proxy in front): PORT=5901 make run freezes http://127.0.0.1:5901.
run: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
# The demo signs as PAdES B-LTA: the demo CA's in-process timestamp service and its CRL, read from
# instance/signing (README "Long-term signatures").
run: export SIGNING_DEMO_TSA ?= 1
run: export SIGNING_REVOCATION_FETCH ?= 0
run: install
	@mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask signing create-demo-ca
	$(BIN)/flask signing issue --demo
	$(BIN)/flask log create-demo-key
	@for i in 1 2; do [ -f instance/witness-$$i.key ] || \
		$(BIN)/etikdialog-witness create-key --name $(WITNESS_NAME)-$$i --key instance/witness-$$i.key >/dev/null; done
	@echo "Etikdialog kører på http://127.0.0.1:$(PORT); Esbjergs login (OpenID Connect) på http://127.0.0.1:$(OIDC_PORT); to vidner på $(WITNESS_PORT_1) og $(WITNESS_PORT_2)"
	log=$$($(BIN)/flask log vkey); \
	w1=$$($(BIN)/etikdialog-witness vkey --name $(WITNESS_NAME)-1 --key instance/witness-1.key); \
	w2=$$($(BIN)/etikdialog-witness vkey --name $(WITNESS_NAME)-2 --key instance/witness-2.key); \
	$(BIN)/etikdialog-witness serve --name $(WITNESS_NAME)-1 --key instance/witness-1.key --state instance/witness-1 \
		--log "$$log" --listen 127.0.0.1:$(WITNESS_PORT_1) & witness1=$$!; \
	$(BIN)/etikdialog-witness serve --name $(WITNESS_NAME)-2 --key instance/witness-2.key --state instance/witness-2 \
		--log "$$log" --listen 127.0.0.1:$(WITNESS_PORT_2) & witness2=$$!; \
	trap 'kill $$witness1 $$witness2 $${provider:-}' EXIT INT TERM; \
	export LOG_WITNESSES="http://127.0.0.1:$(WITNESS_PORT_1) $$w1; http://127.0.0.1:$(WITNESS_PORT_2) $$w2"; \
	$(BIN)/flask demo --if-empty && \
	$(BIN)/flask log backfill && \
	$(BIN)/flask org sso demo --app-url http://127.0.0.1:$(PORT) --provider-url http://127.0.0.1:$(OIDC_PORT) --write instance/demo-oidc.json && \
	{ node tests/sso_provider/oidc_provider.mjs --port $(OIDC_PORT) --config instance/demo-oidc.json & provider=$$!; } && \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) 'app:create_app()'

# The suite runs in one process per core (pytest-xdist); PYTEST_WORKERS=0 runs it in this one.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The portal's packages mypy checks (setup.cfg [mypy]), added one by one as each passes cleanly.
MYPY_PACKAGES ?= app/core app/translog app/signoff app/signing
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy --config-file verifier/pyproject.toml verifier/etikdialog_verify
	$(BIN)/mypy --config-file setup.cfg $(MYPY_PACKAGES)

# The server benchmark drives gunicorn with Debian's wrk; installed here when we may (as root).
bench: install
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null 2>&1; } || \
		echo "wrk is not installed (apt-get install wrk): the server benchmark reports itself as not measured"
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(DKFDS_STATIC) $(STAMPS) instance
