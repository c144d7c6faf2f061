# ExitLens: `make demo` runs the pipeline on the bundled fictional corpus; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := demo-project

.PHONY: demo test check lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24,<27"
	# torch first and exactly this version: pip takes the CPU build from this machine's disk
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[analysis,llm,dev]"
	touch $(STAMP)

demo: $(STAMP)
	@test -f $(DEMO)/exitlens.toml || $(BIN)/exitlens init $(DEMO) --name "ExitLens demo (fictional example corpus)"
	$(BIN)/exitlens --project $(DEMO) import examples/corpus
	$(BIN)/exitlens --project $(DEMO) analyze examples/corpus --jsonl $(DEMO)/analysis.jsonl
	$(BIN)/exitlens --project $(DEMO) status
	$(BIN)/exitlens --project $(DEMO) report --status suggested --out $(DEMO)/reports/report.html
	$(BIN)/exitlens --project $(DEMO) quotes --status suggested --out $(DEMO)/reports/quotes.html
	@echo
	@echo "Demo project: $(CURDIR)/$(DEMO) (database: $(DEMO)/exitlens.sqlite)"
	@echo "Analysis, one JSON line per source: $(CURDIR)/$(DEMO)/analysis.jsonl"
	@echo "Report (machine suggestions, not yet reviewed): $(CURDIR)/$(DEMO)/reports/report.html"
	@echo "Quote bank: $(CURDIR)/$(DEMO)/reports/quotes.html"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/lint-imports
	$(BIN)/mypy

check: lint test

bench: $(STAMP)
	$(BIN)/python benchmarks/import_files.py
	$(BIN)/python benchmarks/keyword_speed.py
	$(BIN)/python benchmarks/analyze_speed.py
	$(BIN)/python benchmarks/aggregate_store.py
	$(BIN)/python benchmarks/agreement_speed.py
	$(BIN)/python benchmarks/web_latency.py

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache
