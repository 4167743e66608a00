# The two set-up commands of the README: `make demo` and `make test`. Each builds the
# virtual environment (.venv) on first use, so both work on a fresh machine. The dask extra
# is installed too: the tests of `run --executor dask` run in CI.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[embeddings,dask,serve,test]'
	touch $@

.PHONY: demo serve test bench clean
# The samples carry their own publication dates (feed pubDate, page metadata, the dump's
# "Published:" header lines), so every exported row is dated without --published.
demo: $(VENV)/.installed
	$(BIN)/wirecoder run samples/ --db wirecoder.db
	$(BIN)/wirecoder export --db wirecoder.db --format acled-csv

# The workbench on the samples' store, at http://127.0.0.1:8000/ (read-only: no token).
serve: $(VENV)/.installed
	test -f wirecoder.db || $(BIN)/wirecoder run samples/ --db wirecoder.db
	$(BIN)/wirecoder serve --db wirecoder.db

test: $(VENV)/.installed
	$(BIN)/pytest -q

bench: $(VENV)/.installed
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) wirecoder.db
