# digitnet: two commands for a fresh clone (see README.md).
#   make docs   build the book into _build/html (executes every page)
#   make docs-zh  build the Traditional Chinese edition into _build/html-zh_TW
#   make catalogs  refresh the translations' catalogs (locale/) after an English edit
#   make test   unit tests, doctests (src/ and docs/) and a checked build of the book
#   make bench  speed benchmarks side by side (not a test; see README.md)
#   make pictures  how well digitnet predict reads the shared real pictures (see README.md)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SPHINX := $(PY) -m sphinx -T -W --keep-going -b html -d _build/doctrees -D language=en . _build/html

# The Traditional Chinese edition: the same sources, translated by the catalogs in locale/.
SPHINX_ZH := $(PY) -m sphinx -T -W --keep-going -b html -d _build/doctrees-zh_TW -D language=zh_TW . _build/html-zh_TW

.PHONY: docs docs-zh catalogs test clean bench pictures

# The labelled real pictures that make pictures reads (test data: never committed).
PICTURES ?= $(or $(DIGITNET_SHARED_DIR),../shared)/data/real-digits

# The virtual environment, remade whenever the project's requirements change.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[docs,test,images]"
	touch $@

docs: $(VENV)/.installed
	$(SPHINX)
	@echo "The book is in _build/html: open _build/html/index.html in a browser."

docs-zh: $(VENV)/.installed
	$(SPHINX_ZH)
	@echo "The Chinese edition is in _build/html-zh_TW: open _build/html-zh_TW/index.html in a browser."

# After an English edit: extract the pages' messages (Sphinx's gettext builder) and
# update the catalogs (sphinx-intl): new messages come in empty, changed ones marked
# fuzzy, gone ones kept as obsolete (#~). Then translate what is empty or fuzzy.
catalogs: $(VENV)/.installed
	$(PY) -m sphinx -T -q -E -b gettext -d _build/doctrees-gettext . _build/gettext
	@# sphinx.pot holds only our templates' few labels; locale/<lang>/LC_MESSAGES/sphinx.po
	@# also translates the themes' words, by hand: sphinx-intl would drop those.
	rm -f _build/gettext/sphinx.pot
	$(VENV)/bin/sphinx-intl update -p _build/gettext -d locale -l zh_TW

test: $(VENV)/.installed
	$(PY) -m pytest

# Benchmarks side by side (see README.md); BENCH_ARGS adds options, e.g. BENCH_ARGS=--docs.
bench: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[bench]"
	$(PY) -m digitnet.bench --out _build/bench/bench.json $(BENCH_ARGS)

# How well digitnet predict reads real pictures, per source and kind, and MNIST's
# test digits fed through the same preparation (needs the MNIST files).
pictures: $(VENV)/.installed
	$(PY) -m digitnet.picturebench $(PICTURES) --misses --mnist --out _build/bench/pictures.md

clean:
	rm -rf _build
