# Steady: `make run` to start the bot, `make test` for the whole suite (CI runs this).
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Rasa 3.6's own tracker store uses SQLAlchemy 1.x APIs; its "uber warning" is not ours.
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa's telemetry would send usage and crash reports (Sentry) to Rasa; people's words stay here.
export RASA_TELEMETRY_ENABLED := false

.PHONY: run test check lint install web browser model pytest unit e2e validate story-test nlu-test bench clean rotate-key check-rules

run: install
	@scripts/run.sh

# The fast lane first (lint, rule files, the tests that start no server) while the model
# trains beside it (the few unit tests that load the model wait for it) and Rasa's own data
# validation runs (so training leaves its own check out), then the end-to-end tests against
# real servers and a real browser, with Rasa's test stories beside them (each side's output
# is shown when it is done).
test: install browser
	@mkdir -p results; \
	$(BIN)/python scripts/model.py --skip-validation >/dev/null 2>results/training.log & training=$$!; \
	$(MAKE) --no-print-directory validate >results/rasa-validate.log 2>&1 & validating=$$!; \
	$(MAKE) --no-print-directory check; fast=$$?; \
	wait $$validating; valid=$$?; cat results/rasa-validate.log; \
	if ! wait $$training; then cat results/training.log; echo "training failed" >&2; exit 1; fi; \
	tail -n 1 results/training.log; [ $$fast -eq 0 ] && [ $$valid -eq 0 ] || exit 1
	@$(MAKE) --no-print-directory story-test >results/rasa-checks.log 2>&1 & checks=$$!; \
	$(MAKE) --no-print-directory e2e; servers=$$?; \
	wait $$checks; rasa=$$?; cat results/rasa-checks.log; \
	[ $$servers -eq 0 ] && [ $$rasa -eq 0 ]

# The virtualenv and web/node_modules are rebuilt only when their pins change. The packages
# are installed by uv (pinned, from PyPI, bootstrapped with the virtualenv's own pip): the
# same versions as pip resolves from the same lock, in about 15 s where pip took two
# minutes. Every module is compiled at install: with PYTHONDONTWRITEBYTECODE set (as on
# these machines) nothing compiled later is kept, and every server start would compile
# Rasa and TensorFlow again.
UV_VERSION := 0.13.9
install: $(STAMP) web
web: web/node_modules/.installed
web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the web chat page: apt-get install nodejs npm" >&2; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# The browser tests drive Debian's Chromium (Playwright's own download cannot work here).
browser:
	@scripts/ensure-chromium

$(STAMP): pyproject.toml requirements.lock scripts/find-python310
	@PY=$$(scripts/find-python310) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  rm -rf $(VENV); echo "Creating $(VENV) with $$PY"; "$$PY" -m venv $(VENV); fi
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -c requirements.lock -e ".[dev]"
	@touch $@

# The fast lane, and the first half of `make test`: mistakes in the code (ruff: unused or
# undefined names; its formatter, on bot/ and actions/; mypy: their types) and every test
# that starts no server (the rule files among them), on both cores.
check: lint unit

lint: install
	$(BIN)/ruff check bot actions scripts tests harness
	$(BIN)/ruff format --check bot actions
	$(BIN)/mypy

# The safety and gentle-language rules are data (bot/data/safety/, bot/data/gentle/): load and
# validate every file.
check-rules: install
	$(BIN)/python -m bot.safety.rules
	$(BIN)/python -m bot.language.gentle_rules

# Trains only when config.yml, domain.yml or data/ changed.
model: install
	@$(BIN)/python scripts/model.py >/dev/null

# Every test that starts no server and no browser, spread over two processes (the few that
# load the model train it first if it is missing, once: harness/model.py).
unit: install
	$(BIN)/python -m pytest -q -n 2 -m "not e2e" --ignore=tests/e2e --durations=10

# Real Rasa and action servers (tests/e2e/conftest.py shares them), on three workers (two
# cores: the tests mostly wait on the servers), each group of tests that shares a pair on
# one worker.
e2e: install browser model
	$(BIN)/python -m pytest -q -m e2e -n 3 --dist loadgroup --durations=15

pytest: unit e2e

# Rasa's own `rasa data validate`, told which responses the custom actions say (scripts/validate.py).
validate: install
	@out=$$($(BIN)/python scripts/validate.py --fail-on-warnings 2>&1); status=$$?; \
	if [ $$status -ne 0 ] || grep -q "UserWarning" <<<"$$out"; then echo "$$out"; echo "rasa data validate: warnings or errors"; exit 1; fi; \
	echo "rasa data validate: no warnings"

story-test: install model
	$(BIN)/rasa test core --model $$($(BIN)/python scripts/model.py 2>/dev/null) \
	  --stories tests/test_stories.yml --fail-on-prediction-errors --out results/core

nlu-test: install model
	$(BIN)/rasa test nlu --model $$($(BIN)/python scripts/model.py 2>/dev/null) \
	  --nlu tests/nlu/test_triggers_holdout.yml --out results/nlu
	$(BIN)/rasa test nlu --model $$($(BIN)/python scripts/model.py 2>/dev/null) \
	  --nlu tests/nlu/test_review_holdout.yml --out results/nlu-review

# A new server key; every person key is re-wrapped with it, then the old one is dropped.
rotate-key: install
	$(BIN)/python -m bot.storage.cli rotate-key

clean:
	rm -rf models results

# Speed and memory against a stock `rasa init` assistant measured in the same run.
bench: install model
	$(BIN)/python scripts/bench_language.py
	$(BIN)/python scripts/bench.py
	@echo "Trigger classification, 3-fold cross-validation on data/nlu/triggers.yml:"
	$(BIN)/rasa test nlu --nlu data/nlu/triggers.yml --config config.yml \
	  --cross-validation --folds 3 --out results/nlu-cv 2>&1 | grep -E "intent|accuracy|F1" | tail -n 6
