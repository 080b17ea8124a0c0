# Everything runs from .venv/, made here on first use and refreshed when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build serve check test lint goldens clean bench bench-preview bench-scans bench-import bench-conversion bench-pagefind audit screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve $(if $(PORT),--port $(PORT))

test: $(STAMP)
	$(PY) -m pytest

# ESLint for theme/*.js, from the npm registry into node_modules/ (package-lock.json pins it).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# ruff and mypy (strict) on the package, the tests and the benchmarks; ESLint on the theme.
# bench/ is checked on its own: its scripts import each other (and tests/conftest.py) as
# top-level modules, and its build.py would clash with the root's.
lint: $(STAMP) $(NODE_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shuzibao build.py tests
	MYPYPATH=tests $(VENV)/bin/mypy bench
	npx --no-install eslint theme

goldens: $(STAMP)
	$(PY) -m pytest tests --update-goldens

clean:
	rm -rf dist $(VENV) node_modules

bench-preview: $(STAMP)
	$(PY) bench/preview.py --days $(or $(DAYS),365)

bench-scans: $(STAMP)
	$(PY) bench/scans.py

# The import of page PDFs (build.py import) against the fixture pages' truth, per page and in total.
bench-import: $(STAMP)
	$(PY) bench/import_bench.py

# Conversion to the traditional scripts, stock OpenCC against ours: accuracy on the held-out news
# sentences, per config, and the time of the conversion stage (bench/conversion.py).
bench-conversion: $(STAMP)
	$(PY) bench/conversion.py

# Pagefind fed from HTML documents (what the build does) against its Python API's custom records.
bench-pagefind: $(STAMP)
	$(PY) bench/pagefind_records.py

audit: $(STAMP)
	$(PY) bench/audit.py

screenshots: $(STAMP)
	$(PY) bench/screenshots.py

# A year of a daily by default; YEARS=10 for a decade, or DAYS=30 for a quick look.
bench: $(STAMP)
	$(PY) bench/build.py --days $(or $(DAYS),$(shell echo $$(( $(or $(YEARS),1) * 365 ))))
