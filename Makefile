# PitchLab: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Every package but torch, pinned with hashes by pip-compile: requirements.lock is what the app runs on (the
# Docker image installs it), requirements-dev.lock the same pins plus the tools of `make test` (the venv installs it).
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(wildcard $(DEV_LOCK)) | cksum | cut -d' ' -f1)
# pip-tools lives in a venv of its own, so the lock never depends on what the project's venv holds.
LOCK_VENV := .venv-lock
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile
PIP_COMPILE_FLAGS := --quiet --generate-hashes --strip-extras --unsafe-package torch --no-emit-index-url --no-emit-find-links

.PHONY: run present test lint typecheck pytest setup clean messages lock lock-upgrade

$(STAMP): pyproject.toml $(DEV_LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# torch first and pinned exactly, so that CPU machines take the CPU wheel and never the CUDA packages.
	$(PY) -m pip install --quiet torch==2.13.0
	@# Then exactly the locked tree, every file checked against its hash: the same versions on every machine.
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(DEV_LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

$(PIP_COMPILE):
	@test -x $(LOCK_VENV)/bin/python || $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet pip-tools==7.7.0

# After a change of pyproject.toml's dependencies: add what is new, keep every other pin. The dev lock is
# constrained by the app's, so both hold the same version of every package they share.
lock: $(PIP_COMPILE)
	$(PIP_COMPILE) $(PIP_COMPILE_FLAGS) --output-file $(LOCK) pyproject.toml
	$(PIP_COMPILE) $(PIP_COMPILE_FLAGS) --extra dev --constraint $(LOCK) --output-file $(DEV_LOCK) pyproject.toml

# On purpose: move every pin to the newest release that pyproject.toml allows.
lock-upgrade: $(PIP_COMPILE)
	$(PIP_COMPILE) $(PIP_COMPILE_FLAGS) --upgrade --output-file $(LOCK) pyproject.toml
	$(PIP_COMPILE) $(PIP_COMPILE_FLAGS) --upgrade --extra dev --constraint $(LOCK) --output-file $(DEV_LOCK) pyproject.toml

setup: $(STAMP)

# `make run HOST=0.0.0.0` serves on the local network too (debug off); `make present` does that and prints the
# address phones in the room open, which every audience QR code then carries (README: "Presenting to a room").
run: $(STAMP)
	@$(if $(HOST),PITCHLAB_HOST=$(HOST) )$(PY) -m pitchlab.launcher

present: $(STAMP)
	@$(if $(HOST),PITCHLAB_HOST=$(HOST) )$(PY) -m pitchlab.launcher present

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
MESSAGES_IGNORE := --ignore=.venv --ignore=.venv-lock --ignore=var --ignore=node_modules --ignore=tests --ignore=bench --ignore=models_service
MESSAGES_FLAGS := --no-obsolete --add-location=file $(MESSAGES_IGNORE)
messages: $(STAMP)
	$(PY) manage.py makemessages -d django $(MESSAGES_FLAGS) $(foreach l,$(LOCALES),-l $(l))
	$(PY) manage.py makemessages -d djangojs $(MESSAGES_FLAGS) $(foreach l,$(LOCALES),-l $(l))
	$(PY) manage.py compilemessages $(MESSAGES_IGNORE) $(foreach l,$(LOCALES),-l $(l))

clean:
	rm -rf $(VENV) $(LOCK_VENV) var .pytest_cache .mypy_cache .ruff_cache
