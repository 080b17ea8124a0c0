# Everything runs from .venv/, made here on first use and refreshed when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build serve check test goldens clean bench bench-preview bench-scans audit screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve

test: $(STAMP)
	$(PY) -m pytest

goldens: $(STAMP)
	$(PY) -m pytest tests --update-goldens

clean:
	rm -rf dist $(VENV)

bench-preview: $(STAMP)
	$(PY) bench/preview.py --days $(or $(DAYS),365)

bench-scans: $(STAMP)
	$(PY) bench/scans.py

audit: $(STAMP)
	$(PY) bench/audit.py

screenshots: $(STAMP)
	$(PY) bench/screenshots.py

# A year of a daily by default; YEARS=10 for a decade, or DAYS=30 for a quick look.
bench: $(STAMP)
	$(PY) bench/build.py --days $(or $(DAYS),$(shell echo $$(( $(or $(YEARS),1) * 365 ))))
