# Desert Carbon Sink plugin. `make demo` and `make test` set everything up on a fresh Debian 12.
SHELL := /bin/bash
PYTHON := /usr/bin/python3
VENV := .venv
VPY := $(VENV)/bin/python
export QT_QPA_PLATFORM ?= offscreen
export PYQTGRAPH_QT_LIB := PyQt5

.PHONY: deps test demo bench package install qgis clean

deps: $(VENV)/.deps-done

$(VENV)/.deps-done: requirements-test.txt scripts/install_system_packages.sh
	@scripts/install_system_packages.sh
	@[ -x $(VPY) ] || $(PYTHON) -m venv --system-site-packages $(VENV)
	@$(VPY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	@touch $@

test: deps
	$(VPY) -m pytest -q

clean:
	rm -rf .build dist demo-output
