# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app wsgi
# One worker process per core, four threads each (see README, "Running at team scale").
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# One test process more than cores: a third of the suite's time is waiting (fsync, browsers).
TEST_WORKERS ?= $(shell echo $$(( $(WORKERS) + 1 )))
GUNICORN := $(BIN)/gunicorn -w $(WORKERS) --threads 4 --no-control-socket wsgi:app

.PHONY: run test install install-dev lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/activate
	$(BIN)/pip install -q .
	$(BIN)/pybabel -q compile -d companion/translations

install-dev: $(BIN)/activate
	$(BIN)/pip install -q '.[dev]'
	$(BIN)/pybabel -q compile -d companion/translations

run: install
	COMPANION_DEMO=$${COMPANION_DEMO-1} $(FLASK) db upgrade
	COMPANION_DEMO=$${COMPANION_DEMO-1} $(FLASK) seed-demo --if-empty
	@echo "Alliance Companion on http://127.0.0.1:$(PORT)/"
	COMPANION_DEMO=$${COMPANION_DEMO-1} $(GUNICORN) -b 127.0.0.1:$(PORT)

test: install-dev
	$(BIN)/ruff check companion tests wsgi.py $(wildcard bench)
	$(BIN)/bandit -q -r companion -c pyproject.toml
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check companion tests wsgi.py $(wildcard bench)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
