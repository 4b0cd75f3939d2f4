# runbot's front door. `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck unit bench eval check lock clean

run: $(STAMP) ## Run the bot on every configured platform (a console chat if none is)
	$(BIN)/runbot run

test: lint typecheck unit ## Lint, type-check and run the whole test suite

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP) ## Print latency, memory and reload figures (not a test)
	$(BIN)/python -m bench

eval: $(STAMP) ## Print answer accuracy on the evaluation set
	$(BIN)/runbot eval

check: $(STAMP) ## Validate the knowledge files
	$(BIN)/runbot kb check

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("runbot needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

lock: ## Re-pin every dependency after changing pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	{ echo '# Every package runbot and its tests need, pinned. Regenerate with `make lock`.'; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
