# runbot's front door. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
# What is installed: the runtime (requirements.lock), then the development tools on top
# (requirements-dev.lock). `make run` needs only the first.
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
PACKAGED := pyproject.toml README.md LICENSE bot adapters knowledge
CHECK_PYTHON := import sys; sys.exit("runbot needs Python 3.11 or newer") if sys.version_info < (3, 11) else None

.PHONY: help run install test lint typecheck unit bench eval check check-strict lock clean

help: ## List the targets (what plain `make` does)
	@grep -E '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | \
		sed -E 's/^([a-z-]+):.*## (.*)$$/  make \1\t\2/' | expand -t 22

run: $(RUNTIME) ## Run the bot on every configured platform (a console chat if none is)
	$(BIN)/runbot run

install: $(RUNTIME) ## Install runbot and its runtime dependencies in .venv (CI, the pre-commit hook)

test: lint typecheck unit ## Lint, type-check and run the whole test suite

lint: $(DEV) ## ruff check and ruff format --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV) ## mypy --strict
	$(BIN)/mypy

# One pytest worker a core (pytest-xdist); tests that share the evaluation sets' cached
# embeddings run in one worker (xdist_group "evaluation"). TEST_WORKERS=0 runs in-process.
TEST_WORKERS ?= auto
unit: $(DEV) ## pytest only (pass one test: make unit ARGS='tests/test_safety.py -k denial')
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(ARGS)

bench: $(DEV) ## Print latency, memory and reload figures (not a test)
	$(BIN)/python -m tests.bench

eval: $(RUNTIME) ## Print answer accuracy on the evaluation sets
	$(BIN)/runbot eval

check: $(RUNTIME) ## Validate the knowledge files
	$(BIN)/runbot kb check

# The pre-commit hook's command: on a fresh clone it builds .venv first (a minute or two, once).
check-strict: $(RUNTIME) ## Validate the knowledge files; warnings fail too
	$(BIN)/runbot kb check --strict

$(BIN)/python:
	@$(PYTHON) -c '$(CHECK_PYTHON)'
	@echo "==> Creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.lock pyproject.toml | $(BIN)/python
	@echo "==> Installing runbot's runtime dependencies (requirements.lock); the first time takes a minute or two"
	$(PIP) install --progress-bar on -r requirements.lock
	@echo "==> Installing runbot itself (editable: your changes apply at once)"
	$(PIP) install --quiet --no-deps -e .
	@touch $@
	@echo "==> Runtime ready"

$(DEV): requirements-dev.lock $(RUNTIME)
	@echo "==> Installing the development tools (requirements-dev.lock: ruff, mypy, pytest)"
	$(PIP) install --progress-bar on -r requirements-dev.lock
	@touch $@
	@echo "==> Development tools ready"

# Resolves from scratch in a throwaway venv, so it works on a fresh clone and pins nothing
# that happens to linger in .venv. It installs a copy of the sources ($(PACKAGED)), because
# pip builds a local folder in place and would leave build/ behind. The dev lock holds only what the runtime lock does not,
# resolved with the runtime pins as constraints, so the two never disagree.
lock: ## Re-pin every dependency after changing pyproject.toml (needs the package index)
	@$(PYTHON) -c '$(CHECK_PYTHON)'
	@set -e; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	pip="$$scratch/venv/bin/python -m pip --disable-pip-version-check --quiet"; \
	echo "==> Resolving the runtime dependencies in a scratch venv"; \
	$(PYTHON) -m venv "$$scratch/venv"; \
	mkdir "$$scratch/src"; cp -R $(PACKAGED) "$$scratch/src"; \
	$$pip install "$$scratch/src"; \
	{ echo '# What runbot needs to run, pinned. Regenerate with `make lock`.'; \
	  $$pip freeze --exclude runbot; } > "$$scratch/runtime.lock"; \
	echo "==> Resolving the development tools on top"; \
	$$pip install "$$scratch/src[dev]" --constraint "$$scratch/runtime.lock"; \
	$$pip freeze --all --exclude runbot --exclude pip > "$$scratch/all.txt"; \
	{ echo '# The development tools (lint, types, tests), pinned. Regenerate with `make lock`.'; \
	  echo '-r requirements.lock'; \
	  grep -v -x -F -f "$$scratch/runtime.lock" "$$scratch/all.txt"; } > "$$scratch/dev.lock"; \
	mv "$$scratch/runtime.lock" requirements.lock; \
	mv "$$scratch/dev.lock" requirements-dev.lock; \
	echo "==> Wrote requirements.lock ($$(grep -c '==' requirements.lock) packages) and requirements-dev.lock ($$(grep -c '==' requirements-dev.lock) more)"

clean: ## Remove .venv and the tools' caches
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
