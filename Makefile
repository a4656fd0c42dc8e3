# Kvarter: `make run` starts the whole service with demo data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WEB := webclient
# The development secret `make run` generates; only the run targets get it.
DEV_SECRET := $(CURDIR)/var/secret_key
RUN_ENV := if [ -z "$${KVARTER_SECRET_KEY:-}$${KVARTER_SECRET_KEY_FILE:-}" ]; then export KVARTER_SECRET_KEY_FILE=$(DEV_SECRET); fi;

.PHONY: run serve install build migrate demo test lint typecheck webtest pytest system-deps clean bench bench-quick bench-deps lock upgrade

run: install build $(DEV_SECRET) migrate demo serve

serve:
	@echo ""
	@echo "  Demo host page (widget):  http://127.0.0.1:8080/demo/"
	@echo "  Widget full page:          http://127.0.0.1:8080/widget/?room=ostersund"
	@echo "  Patrol console:            http://127.0.0.1:8080/console/   (log in as 'officer')"
	@echo "  Supervisor page:           http://127.0.0.1:8080/supervisor/ (log in as 'supervisor')"
	@echo ""
	$(RUN_ENV) $(PY) -m server serve

install: $(VENV)/.installed $(WEB)/node_modules/.installed

# Exactly the versions in the lock file, each checked against its hashes; then Kvarter itself.
$(VENV)/.installed: pyproject.toml requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Kvarter needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m pip check
	touch $@

$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

build: $(WEB)/node_modules/.installed
	cd $(WEB) && npm run build

$(DEV_SECRET):
	@mkdir -p $(dir $@)
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))' > $@
	@echo "generated a development secret key in $@"

migrate: install $(DEV_SECRET)
	$(RUN_ENV) $(PY) -m server migrate

demo: migrate
	$(RUN_ENV) $(PY) -m server demo

test: install build lint typecheck webtest system-deps pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy
	cd $(WEB) && npm run typecheck

webtest: $(WEB)/node_modules/.installed
	cd $(WEB) && npm test

# The browser tests drive the system Chromium and the cluster tests put nginx in front of the
# workers; install them when we can (root with apt), otherwise those tests skip and say why.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Not installed:$$missing — the tests that need them will be skipped"; fi; \
	fi

pytest: install
	$(PY) -m pytest

# Benchmarks (docs/benchmarks.md): not part of `make test`. The server runs on core 0, the load
# generator on core 1; results are ratios against baselines measured in the same run.
bench: bench-deps
	$(PY) -m bench.run --sizes 500,1000,2500,5000 --out bench/results/latest.json
	$(PY) -m bench.report bench/results/latest.json --plot docs/benchmarks-fanout.png

bench-quick: bench-deps
	$(PY) -m bench.run --quick --out bench/results/quick.json
	$(PY) -m bench.report bench/results/quick.json

bench-deps: install $(VENV)/.bench-installed bench/node/node_modules/.installed

$(VENV)/.bench-installed: pyproject.toml requirements/bench.txt
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/bench.txt
	touch $@

bench/node/node_modules/.installed: bench/node/package.json bench/node/package-lock.json
	cd bench/node && npm ci --no-audit --no-fund
	touch $@

# The lock files: app.txt (what the service runs; the Dockerfile), dev.txt (with the tools and
# tests; make install), bench.txt (with the benchmarks' extras). `make upgrade` resolves them
# again to the newest versions pyproject.toml allows, reinstalls and runs every check; commit
# the lock files only when `make test` passed.
LOCK = $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--no-header --annotation-style line --quiet
lock: install
	$(LOCK) -o requirements/app.txt $(UPGRADE)
	$(LOCK) --extra dev -o requirements/dev.txt $(UPGRADE)
	$(LOCK) --extra dev --extra bench -o requirements/bench.txt $(UPGRADE)

upgrade:
	$(MAKE) lock UPGRADE=--upgrade
	rm -f $(VENV)/.installed $(VENV)/.bench-installed
	$(MAKE) test

clean:
	rm -rf $(VENV) $(WEB)/node_modules $(WEB)/dist var bench/node/node_modules bench/results
