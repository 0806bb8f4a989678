# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install install-dev lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/activate
	$(BIN)/pip install -q -e '.[dev]'

run: install
	COMPANION_DEMO=$${COMPANION_DEMO-1} $(FLASK) db upgrade
	COMPANION_DEMO=$${COMPANION_DEMO-1} $(FLASK) seed-demo --if-empty
	@echo "Alliance Companion on http://127.0.0.1:$(PORT)/"
	COMPANION_DEMO=$${COMPANION_DEMO-1} $(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-dev
	$(BIN)/ruff check companion tests wsgi.py $(wildcard bench)
	$(BIN)/bandit -q -r companion -c pyproject.toml
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check companion tests wsgi.py $(wildcard bench)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
