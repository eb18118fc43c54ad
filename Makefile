# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: demo test lint format migrate demo-content worker scheduler bench bench-cluster clean help

help:
	@echo "make demo   - install, migrate, load demo content, run site + task worker + job scheduler on $(HOST):$(PORT)"
	@echo "make test   - ruff + the pytest suite on SQLite (and on PostgreSQL when DATABASE_URL is set)"
	@echo "make bench  - benchmark against a reference Django app (see bench/)"
	@echo "make bench-cluster - the same on PostgreSQL and Redis with 4 workers per server"

# The virtualenv is rebuilt only when requirements.txt changes.
$(VENV)/.installed: requirements.txt
	@PYBIN="$$(scripts/find_python.sh)" || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYBIN"; "$$PYBIN" -m venv $(VENV) || exit 1; fi
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v 0

demo-content: export SITE_URL ?= http://$(HOST):$(PORT)
demo-content: migrate
	$(PY) manage.py load_demo_content
	$(PY) manage.py ensure_demo_admin

# Web server, task worker and job scheduler together; Ctrl-C stops all three, quietly. SITE_URL follows
# HOST and PORT so emails, Stripe return URLs and the stand-in's webhook calls reach this server.
# The scheduler (django-crontask) enqueues the jobs of jobs/tasks.py on their cron lines and the
# worker runs them: scheduled publishing, gift-card delivery, reminders, expiry, purges.
# Quiet on Ctrl-C: the three run as background jobs in process groups of their own (set -m), so
# the terminal's SIGINT reaches only make and this shell; the trap then sends each one SIGTERM,
# once (a second signal mid-shutdown is what made the scheduler print tracebacks), waits for them,
# and the recipe exits 0. The worker's per-task lines and its "shutting down"
# line stay below TASKS_LOG_LEVEL (ERROR here: failures still print); the scheduler's
# start and stop banners go to /dev/null (its jobs log through LOGGING, on stderr).
demo: export SITE_URL ?= http://$(HOST):$(PORT)
demo: export TASKS_LOG_LEVEL ?= ERROR
demo: demo-content
	@echo "Site:  $$SITE_URL/   Admin: $$SITE_URL/admin/   (emails are printed below; Ctrl-C stops)"
	@set -m; pids=""; \
	  stop() { trap - INT TERM EXIT; kill -TERM $$pids 2>/dev/null; wait $$pids 2>/dev/null; echo; echo "Demo stopped."; exit 0; }; \
	  trap stop INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 1 --no-reload & pids="$$pids $$!"; \
	  $(PY) manage.py crontask --no-heartbeat >/dev/null & pids="$$pids $$!"; \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT) & pids="$$pids $$!"; \
	  wait -n; stop

worker: $(VENV)/.installed
	$(PY) manage.py db_worker

# The one scheduler process (README, "Operations"); the workers run what it enqueues.
scheduler: $(VENV)/.installed
	$(PY) manage.py crontask --no-heartbeat

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Unit and browser tests on SQLite, spread over the machine's cores (pytest-xdist; each
# worker has its own test database and in-memory cache); again on PostgreSQL, serially
# (the workers would share one Redis cache there), when DATABASE_URL is set.
TEST_WORKERS ?= 2
test: lint
	env -u DATABASE_URL $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== Again on $${DATABASE_URL%%@*}@…"; \
	  $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS) --create-db; \
	fi

bench: $(VENV)/.installed
	$(PY) bench/run.py $(BENCH_ARGS)

# Several app servers' stores on this machine: PostgreSQL (a throwaway database), Redis, 4 workers.
bench-cluster: $(VENV)/.installed
	$(PY) bench/run.py --cluster $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .test-db*.sqlite3 staticfiles test-artifacts
