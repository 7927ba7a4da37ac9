# PitchLab: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest setup clean messages

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# torch first and pinned exactly, so that CPU machines take the CPU wheel and never the CUDA packages.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

run: $(STAMP)
	@$(PY) -m pitchlab.launcher

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP)
	@scripts/ensure-chromium
	$(VENV)/bin/pytest

test: lint typecheck pytest

# Translations (Simplified Chinese): refresh both catalogues from the code, then compile them. After a run,
# fill every new or changed msgstr in locale/zh_Hans/LC_MESSAGES/*.po (no "fuzzy" entries) and run it again.
LOCALES ?= zh_Hans
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=tests --ignore=bench --ignore=models_service
MESSAGES_FLAGS := --no-obsolete --add-location=file $(MESSAGES_IGNORE)
messages: $(STAMP)
	$(PY) manage.py makemessages -d django $(MESSAGES_FLAGS) $(foreach l,$(LOCALES),-l $(l))
	$(PY) manage.py makemessages -d djangojs $(MESSAGES_FLAGS) $(foreach l,$(LOCALES),-l $(l))
	$(PY) manage.py compilemessages $(MESSAGES_IGNORE) $(foreach l,$(LOCALES),-l $(l))

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
