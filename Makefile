# Two commands for a newcomer: `make run` (the bot + simulator on SQLite with demo data) and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-sqlite test-postgres lint bench bench-core bench-cost bench-drain bench-nlp bench-outbox worker clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

run: $(STAMP)
	RUAMKAN_SIMULATOR=1 RUAMKAN_EMBEDDED_WORKER=1 $(BIN)/python -m bot.run_local

worker: $(STAMP)
	$(BIN)/python -m bot.worker

lint: $(STAMP)
	$(BIN)/ruff check .

test-sqlite: $(STAMP)
	TEST_DB=sqlite $(BIN)/pytest

test-postgres: $(STAMP)
	TEST_DB=postgresql $(BIN)/pytest --ignore=tests/nlp

test: lint test-sqlite test-postgres

bench: bench-core bench-cost bench-drain bench-nlp bench-outbox

bench-core: $(STAMP)
	$(BIN)/python -m bench.bench_webhook

bench-cost: $(STAMP)
	$(BIN)/python -m bench.bench_event_cost --db sqlite
	$(BIN)/python -m bench.bench_event_cost --db postgresql

bench-drain: $(STAMP)
	$(BIN)/python -m bench.bench_drain --db sqlite
	$(BIN)/python -m bench.bench_drain --db postgresql

bench-nlp: $(STAMP)
	$(BIN)/python bench/bench_nlp.py

bench-outbox: $(STAMP)
	$(BIN)/python bench/bench_outbox.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
