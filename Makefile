# 业主透明看板 — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8501
WORKERS ?= 2
SERVE_PORT ?= 8080
DEBIAN_TEST_PACKAGES := postgresql mariadb-server chromium fonts-wqy-microhei haproxy

.PHONY: run serve demo-live test lint format system-deps seed clean-data help bench bench-quick

help:
	@echo "make run    - install, create + seed the demo database on first run, start the app and its worker"
	@echo "make serve WORKERS=N - HAProxy on port $(SERVE_PORT) in front of N app processes and the worker"
	@echo "make demo-live - like run, plus a simulator that advances work orders every 5 s"
	@echo "make test   - install test tools (and Debian packages as root), lint, run every test"
	@echo "make lint   - ruff + mypy only"
	@echo "make bench-quick - benchmark at demo scale on SQLite (< 5 min) -> bench/RESULTS.md"
	@echo "make bench  - demo + large scale on SQLite and PostgreSQL, scale-out rounds, a 60-min soak and a new visit's cost (about 3 h) -> bench/RESULTS.md"
	@echo "make bench-sync - sync 100,000 HC repairs on both engines (about 15 min) -> bench/SYNC.md"

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	@bash scripts/ensure-debian-packages.sh --optional fonts-wqy-microhei
	@OWNER_DASHBOARD_MODE=demo $(PY) manage.py seed --scale demo --if-empty
	@echo
	@echo "  业主透明看板 is starting at  http://$(HOST):$(PORT)"
	@echo
	@$(PY) manage.py demo-accounts
	@echo
	@echo "  后台任务 / background jobs: manage.py worker (log: data/worker.log)"
	@mkdir -p data
	@OWNER_DASHBOARD_MODE=demo $(PY) manage.py worker >> data/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	OWNER_DASHBOARD_MODE=demo $(PY) manage.py serve -- \
		--server.headless true --server.address $(HOST) --server.port $(PORT)

# An evening peak on one machine: HAProxy (port SERVE_PORT) in front of WORKERS app processes
# and the worker (deploy/cluster.py; several machines: docs/operations.md). Demo data unless
# OWNER_DASHBOARD_MODE says otherwise (then the database, cookie key etc. come from the
# environment or .streamlit/secrets.toml, as for manage.py serve).
serve: $(VENV)/.runtime
	@bash scripts/ensure-debian-packages.sh haproxy
	@bash scripts/ensure-debian-packages.sh --optional fonts-wqy-microhei
	@if [ "$${OWNER_DASHBOARD_MODE:-demo}" = demo ]; then \
		OWNER_DASHBOARD_MODE=demo $(PY) manage.py seed --scale demo --if-empty && \
		$(PY) manage.py demo-accounts; fi
	@OWNER_DASHBOARD_MODE=$${OWNER_DASHBOARD_MODE:-demo} $(PY) manage.py serve-cluster \
		--workers $(WORKERS) --address $(HOST) --port $(SERVE_PORT)

# The app, the worker and the work-order simulator together; the simulator stops when the app does.
# (Background jobs of a non-interactive shell ignore Ctrl-C, hence the trap.) PACE=2 for faster.
demo-live: $(VENV)/.runtime
	@bash scripts/ensure-debian-packages.sh --optional fonts-wqy-microhei
	@OWNER_DASHBOARD_MODE=demo $(PY) manage.py seed --scale demo --if-empty
	@echo
	@echo "  业主透明看板 (live demo) is starting at  http://$(HOST):$(PORT)"
	@echo "  工单模拟器每 $(or $(PACE),5) 秒推进一次工单 / the simulator advances orders every $(or $(PACE),5) s"
	@echo
	@$(PY) manage.py demo-accounts
	@echo
	@mkdir -p data
	@OWNER_DASHBOARD_MODE=demo $(PY) manage.py worker >> data/worker.log 2>&1 & worker=$$!; \
	$(PY) manage.py simulate --pace $(or $(PACE),5) & simulator=$$!; \
	trap 'kill $$simulator $$worker 2>/dev/null; wait $$simulator $$worker 2>/dev/null' EXIT; \
	OWNER_DASHBOARD_MODE=demo $(PY) manage.py serve -- \
		--server.headless true --server.address $(HOST) --server.port $(PORT)

seed: $(VENV)/.runtime
	$(PY) manage.py seed --scale demo --if-empty

system-deps:
	@bash scripts/ensure-debian-packages.sh $(DEBIAN_TEST_PACKAGES)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: system-deps $(VENV)/.dev lint
	$(PY) -m pytest -n 3 --dist loadscope --no-loadscope-reorder

# Benchmarks (issue 8). `make test` runs only the harness's smoke test (tests/bench).
bench-quick: $(VENV)/.runtime
	$(PY) -m bench.run --quick --engine sqlite

# Demo and large scale on both engines, concurrent sessions included. The large SQLite database
# is seeded once into data/bench/ and reused; PostgreSQL gets a temporary server seeded per run.
bench: system-deps $(VENV)/.dev
	$(PY) -m bench.sync_scale --write
	$(PY) -m bench.scale_out --write
	$(PY) -m bench.run --engine sqlite postgresql
	$(PY) -m bench.session_cost --write

# Sync at scale (issue 18): 100,000 HC repairs into SQLite and PostgreSQL -> bench/SYNC.md
bench-sync: system-deps $(VENV)/.dev
	$(PY) -m bench.sync_scale --write

clean-data:
	rm -rf data/
